/* SPDX-License-Identifier: MIT */
/*
 * The cell runtime's device tree reader (cells/runtime/dtb.c) on trees built with libfdt:
 * nodes in tree order, properties, compatible lists; then damaged trees, which must make
 * the lookups fail without reading outside the buffer (ASan watches: each tree is copied
 * into an allocation of exactly its declared size).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <cell/dtb.h>

#include "check.h"

#define TREE_MAX 4096

static uint8_t tree[TREE_MAX];

static void build(void)
{
	static const char compat[] = "vendor,other\0snps,dw-apb-uart";
	fdt32_t reg[2] = { cpu_to_fdt32(0x01c28000u), cpu_to_fdt32(0x1000u) };
	fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(0), cpu_to_fdt32(4) };

	CHECK(fdt_create(tree, TREE_MAX) == 0);
	CHECK(fdt_finish_reservemap(tree) == 0);
	CHECK(fdt_begin_node(tree, "") == 0);
	CHECK(fdt_property_string(tree, "compatible", "mv,cell") == 0);
	CHECK(fdt_begin_node(tree, "chosen") == 0);
	CHECK(fdt_property_string(tree, "mv,cell-name", "console") == 0);
	CHECK(fdt_end_node(tree) == 0);
	CHECK(fdt_begin_node(tree, "device@1c28000") == 0);
	CHECK(fdt_property(tree, "compatible", compat, sizeof(compat)) == 0);
	CHECK(fdt_property(tree, "reg", reg, sizeof(reg)) == 0);
	CHECK(fdt_property(tree, "interrupts", irq, sizeof(irq)) == 0);
	CHECK(fdt_end_node(tree) == 0);
	CHECK(fdt_begin_node(tree, "device@1c29000") == 0);
	CHECK(fdt_property_string(tree, "compatible", "arm,pl011") == 0);
	CHECK(fdt_end_node(tree) == 0);
	CHECK(fdt_end_node(tree) == 0);
	CHECK(fdt_finish(tree) == 0);
}

/* The tree in an allocation of exactly `size` bytes. */
static uint8_t *copy_of(const void *fdt, size_t size)
{
	uint8_t *p = malloc(size);

	CHECK(p != NULL);
	if (p)
		memcpy(p, fdt, size);
	return p;
}

static void test_good(void)
{
	uint32_t size = fdt_totalsize(tree), len = 0;
	uint8_t *t = copy_of(tree, size);
	int32_t root, chosen, uart, pl011;
	const void *v;

	CHECK(dtb_valid(t, size));
	CHECK(!dtb_valid(t, size - 1u)); /* larger than the caller allows */
	root = dtb_next_node(t, -1);
	chosen = dtb_next_node(t, root);
	uart = dtb_next_node(t, chosen);
	pl011 = dtb_next_node(t, uart);
	CHECK(root == fdt_path_offset(tree, "/"));
	CHECK(chosen == fdt_path_offset(tree, "/chosen"));
	CHECK(uart == fdt_path_offset(tree, "/device@1c28000"));
	CHECK(pl011 == fdt_path_offset(tree, "/device@1c29000"));
	CHECK(dtb_next_node(t, pl011) == -1);
	CHECK(dtb_is_compatible(t, root, "mv,cell"));
	CHECK(dtb_is_compatible(t, uart, "snps,dw-apb-uart")); /* the second of the list */
	CHECK(dtb_is_compatible(t, uart, "vendor,other"));
	CHECK(!dtb_is_compatible(t, uart, "snps,dw-apb")); /* no prefix matches */
	CHECK(!dtb_is_compatible(t, uart, "snps,dw-apb-uart2"));
	CHECK(!dtb_is_compatible(t, chosen, "mv,cell")); /* no compatible at all */
	v = dtb_prop(t, uart, "reg", &len);
	CHECK(v && len == 8 && dtb_cell(v, 0) == 0x01c28000u && dtb_cell(v, 1) == 0x1000u);
	v = dtb_prop(t, uart, "interrupts", &len);
	CHECK(v && len == 12 && dtb_cell(v, 2) == 4u);
	CHECK(!dtb_prop(t, uart, "interrupt", &len)); /* names match whole */
	CHECK(!dtb_prop(t, root, "reg", &len));       /* a child's property is not the root's */
	CHECK(!dtb_prop(t, uart + 4, "reg", &len));   /* not a node's offset */
	CHECK(!dtb_prop(t, -1, "reg", &len));
	free(t);
}

static void set_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Runs every lookup over a damaged tree; only the absence of out-of-bounds reads and of
 * endless loops is checked (ASan, and the test finishing). */
static void walk(const uint8_t *t, uint32_t size)
{
	uint32_t len, steps = 0;

	if (!dtb_valid(t, size))
		return;
	for (int32_t n = dtb_next_node(t, -1); n >= 0 && steps < 1000; n = dtb_next_node(t, n)) {
		(void)dtb_prop(t, n, "reg", &len);
		(void)dtb_is_compatible(t, n, "snps,dw-apb-uart");
		steps++;
	}
	CHECK(steps < 1000);
}

static void test_damaged(void)
{
	uint32_t size = fdt_totalsize(tree);
	uint32_t st = fdt_off_dt_struct(tree), st_size = fdt_size_dt_struct(tree);
	uint8_t *t;

	/* Header blocks reaching past totalsize, bad magic, old version. */
	t = copy_of(tree, size);
	set_be32(t + 36, size - st + 4u); /* size_dt_struct */
	CHECK(!dtb_valid(t, size));
	free(t);
	t = copy_of(tree, size);
	set_be32(t + 32, size); /* size_dt_strings */
	CHECK(!dtb_valid(t, size));
	free(t);
	t = copy_of(tree, size);
	t[0] ^= 1u;
	CHECK(!dtb_valid(t, size));
	free(t);
	t = copy_of(tree, size);
	set_be32(t + 20, 16);
	CHECK(!dtb_valid(t, size));
	free(t);

	/* Every word of the structure block replaced by a hostile value in turn: huge property
	 * lengths, string offsets past the strings block, unknown tokens, END early. */
	static const uint32_t evil[] = {
		0xffffffffu, 0x7ffffff0u, 0x00001000u, 1u, 2u, 3u, 9u, 0u
	};
	for (uint32_t off = st; off + 4u <= st + st_size; off += 4u) {
		for (size_t e = 0; e < sizeof(evil) / sizeof(evil[0]); e++) {
			t = copy_of(tree, size);
			if (!t)
				return;
			set_be32(t + off, evil[e]);
			walk(t, size);
			free(t);
		}
	}
	/* Names and strings without their NUL up to the end of the block. */
	t = copy_of(tree, size);
	memset(t + st, 'x', st_size);
	walk(t, size);
	free(t);
	t = copy_of(tree, size);
	memset(t + fdt_off_dt_strings(tree), 'x', fdt_size_dt_strings(tree));
	walk(t, size);
	free(t);
}

int main(void)
{
	build();
	test_good();
	test_damaged();
	return check_exit("test_dtb");
}
