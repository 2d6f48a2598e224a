/* SPDX-License-Identifier: MIT */
/* A reader of the flattened device tree mvimage generates for a cell (Devicetree
 * Specification v0.4, chapter 5: header, structure and strings blocks). It only reads, and
 * every access is checked against the blocks the header declares, so a damaged tree makes
 * the lookups fail instead of reading outside it. Freestanding: byte loads only, so it
 * works on the Strongly-ordered memory of a cell with its MMU off and on the host. */
#ifndef CELL_DTB_H
#define CELL_DTB_H

#include <stdbool.h>
#include <stdint.h>

/* The tree the microvisor handed this cell at its start (r1 = 0xffffffff, r2 = its IPA,
 * docs/system-description.md), if it is a valid one; else NULL. */
const void *cell_device_tree(void);

/* `fdt` is a tree of at most `max` bytes (version 17) whose blocks lie inside it. */
bool dtb_valid(const void *fdt, uint32_t max);
/* The node after `node` in tree order (node -1: the root), as an offset into the structure
 * block; -1 when there is none. */
int32_t dtb_next_node(const void *fdt, int32_t node);
/* Property `name` of `node`: its value, with its length in *len; NULL if absent. */
const void *dtb_prop(const void *fdt, int32_t node, const char *name, uint32_t *len);
/* `node`'s `compatible` string list holds `compat`. */
bool dtb_is_compatible(const void *fdt, int32_t node, const char *compat);

/* Cell `i` (a big-endian 32-bit word) of a property value. */
static inline uint32_t dtb_cell(const void *value, uint32_t i)
{
	const uint8_t *p = (const uint8_t *)value + 4u * i;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
