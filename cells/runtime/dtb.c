/* SPDX-License-Identifier: MIT */
/* Flattened device tree reader (cell/dtb.h; Devicetree Specification v0.4, 5.2-5.5). */
#include <cell/dtb.h>

#include <stddef.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_VERSION 17u
#define FDT_HEADER_SIZE 40u
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
#define TOKEN_NONE 0u /* a token that would lie outside the structure block */

/* The blocks of a tree whose header has been checked (dtb_valid). */
struct blocks {
	const uint8_t *base;
	uint32_t st, st_size;   /* structure block: offset and size */
	uint32_t str, str_size; /* strings block */
};

static uint32_t header(const void *fdt, uint32_t i)
{
	return dtb_cell(fdt, i);
}

bool dtb_valid(const void *fdt, uint32_t max)
{
	uint32_t total, st, st_size, str, str_size;

	if (!fdt || header(fdt, 0) != FDT_MAGIC)
		return false;
	total = header(fdt, 1);
	st = header(fdt, 2);
	str = header(fdt, 3);
	str_size = header(fdt, 8);
	st_size = header(fdt, 9);
	return total <= max && total >= FDT_HEADER_SIZE && header(fdt, 6) <= FDT_VERSION &&
	       header(fdt, 5) >= FDT_VERSION && st % 4u == 0 && st_size % 4u == 0 &&
	       st >= FDT_HEADER_SIZE && st <= total && st_size <= total - st &&
	       str >= FDT_HEADER_SIZE && str <= total && str_size <= total - str;
}

static struct blocks blocks(const void *fdt)
{
	return (struct blocks){ fdt, header(fdt, 2), header(fdt, 9), header(fdt, 3),
				header(fdt, 8) };
}

static uint32_t token(const struct blocks *b, uint32_t off)
{
	if (off % 4u || off > b->st_size || b->st_size - off < 4u)
		return TOKEN_NONE;
	return dtb_cell(b->base + b->st + off, 0);
}

/* Length of the NUL-terminated string at `s` within `room` bytes, or `room` if the NUL is
 * not there. */
static uint32_t bounded_len(const uint8_t *s, uint32_t room)
{
	uint32_t n = 0;

	while (n < room && s[n])
		n++;
	return n;
}

static uint32_t align4(uint32_t v)
{
	return (v + 3u) & ~3u;
}

/*
 * The offset of the token after the one at `off`, or UINT32_MAX if that token is malformed
 * or runs past the structure block. Structure offsets stay below st_size, which is at most
 * the 32-bit totalsize, so the sums below cannot wrap once each step is checked.
 */
static uint32_t skip(const struct blocks *b, uint32_t off)
{
	uint32_t t = token(b, off), room, n;

	switch (t) {
	case FDT_BEGIN_NODE:
		room = b->st_size - off - 4u;
		n = bounded_len(b->base + b->st + off + 4u, room);
		if (n == room)
			return UINT32_MAX;
		return off + 4u + align4(n + 1u) <= b->st_size ? off + 4u + align4(n + 1u)
							       : UINT32_MAX;
	case FDT_PROP:
		if (b->st_size - off < 12u)
			return UINT32_MAX;
		n = dtb_cell(b->base + b->st + off, 1);
		if (n > b->st_size - off - 12u || align4(n) > b->st_size - off - 12u)
			return UINT32_MAX;
		return off + 12u + align4(n);
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4u;
	default:
		return UINT32_MAX;
	}
}

int32_t dtb_next_node(const void *fdt, int32_t node)
{
	struct blocks b = blocks(fdt);
	uint32_t off = 0;

	if (node >= 0) {
		if (token(&b, (uint32_t)node) != FDT_BEGIN_NODE)
			return -1;
		off = skip(&b, (uint32_t)node);
	}
	/* Every step moves on by at least one token, so this ends within st_size / 4. */
	while (off != UINT32_MAX) {
		uint32_t t = token(&b, off);
		if (t == FDT_BEGIN_NODE)
			return off <= INT32_MAX ? (int32_t)off : -1;
		if (t == FDT_END || t == TOKEN_NONE)
			return -1;
		off = skip(&b, off);
	}
	return -1;
}

/* The property name at `nameoff` in the strings block equals `name`. */
static bool name_is(const struct blocks *b, uint32_t nameoff, const char *name)
{
	const uint8_t *s;
	uint32_t room, i = 0;

	if (nameoff >= b->str_size)
		return false;
	s = b->base + b->str + nameoff;
	room = b->str_size - nameoff;
	for (; i < room && s[i] && name[i]; i++) {
		if (s[i] != (uint8_t)name[i])
			return false;
	}
	return i < room && s[i] == 0 && name[i] == '\0';
}

const void *dtb_prop(const void *fdt, int32_t node, const char *name, uint32_t *len)
{
	struct blocks b = blocks(fdt);
	uint32_t off;

	if (node < 0 || token(&b, (uint32_t)node) != FDT_BEGIN_NODE)
		return NULL;
	/* A node's properties come before its subnodes (v0.4, 5.4.2). */
	off = skip(&b, (uint32_t)node);
	while (off != UINT32_MAX) {
		uint32_t t = token(&b, off);
		if (t == FDT_PROP) {
			uint32_t next = skip(&b, off);
			if (next == UINT32_MAX)
				return NULL;
			if (name_is(&b, dtb_cell(b.base + b.st + off, 2), name)) {
				*len = dtb_cell(b.base + b.st + off, 1);
				return b.base + b.st + off + 12u;
			}
			off = next;
		} else if (t == FDT_NOP) {
			off += 4u;
		} else {
			return NULL;
		}
	}
	return NULL;
}

bool dtb_is_compatible(const void *fdt, int32_t node, const char *compat)
{
	uint32_t len, at = 0;
	const uint8_t *v = dtb_prop(fdt, node, "compatible", &len);

	if (!v)
		return false;
	while (at < len) {
		uint32_t n = bounded_len(v + at, len - at), i = 0;
		while (i < n && compat[i] && v[at + i] == (uint8_t)compat[i])
			i++;
		if (i == n && compat[i] == '\0' && n < len - at)
			return true;
		at += n + 1u;
	}
	return false;
}
