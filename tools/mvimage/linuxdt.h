/* SPDX-License-Identifier: MIT */
/* The device tree of a Linux cell (docs/linux.md) or of a cell with described devices
 * (`devices-compatible`), generated from the system description. */
#ifndef MVIMAGE_LINUXDT_H
#define MVIMAGE_LINUXDT_H

#include <stdint.h>

#include "diag.h"
#include "image.h"
#include "sysdesc.h"

/* The guest's GIC, as the microvisor gives every cell (docs/hypercalls.md). */
#define LINUXDT_GICD_IPA MV_GUEST_GICD_IPA
#define LINUXDT_GICD_SIZE MV_GUEST_GICD_SIZE
#define LINUXDT_GICC_IPA MV_GUEST_GICC_IPA
#define LINUXDT_GICC_SIZE MV_GUEST_GICC_SIZE

/* The DTB sits at the end of the first LINUXDT_LOWMEM bytes of the cell's first RAM
 * region: above the decompressed kernel, inside the kernel's low-memory mapping. */
#define LINUXDT_LOWMEM 0x08000000u

/*
 * Build the flattened device tree of cell `cell` (sysdesc_cell_has_dt()) into `out` (malloc'd; the caller
 * frees it). Returns 0, or -1 after reporting through `d`.
 */
int linuxdt_build(const struct sysdesc *sd, uint32_t cell, struct image_blob *out, struct diag *d);

/*
 * Choose the IPA the microvisor copies a DTB of `dtb_size` bytes to: 4 KiB aligned, in
 * the cell's first RAM region, clear of the image loaded there. Returns 0, or 1 after
 * reporting through `d`.
 */
unsigned int linuxdt_place(const struct sysdesc *sd, uint32_t cell, uint64_t image_size,
			   uint32_t dtb_size, uint32_t *ipa, struct diag *d);

#endif
