/* SPDX-License-Identifier: MIT */
/* Guest-physical address spaces: the regions of a cell and their stage-2 translation. */
#ifndef VMMU_VMMU_H
#define VMMU_VMMU_H

#include <microvisor/boot_table.h>
#include <microvisor/types.h>
#include <arch/vmmu_arch.h>

struct vmmu {
	uint32_t vmid;                        /* 8-bit VMID tagging this space's TLB entries */
	const struct mv_boot_region *regions; /* the cell's regions, from the boot table */
	uint32_t num_regions;
	struct vmmu_arch arch; /* stage-2 tables */
};

/* Builds the stage-2 tables mapping every region. Errors: MV_E_NO_MEMORY when the table
 * pool is exhausted, MV_E_INVALID_PARAMETERS for a misaligned region. */
MV_MUST_CHECK enum mv_status vmmu_init(struct vmmu *m, uint32_t vmid,
				       const struct mv_boot_region *regions, uint32_t n);
/* The region containing `ipa`, or NULL (a hole: vdev window or unmapped). */
const struct mv_boot_region *vmmu_find_region(const struct vmmu *m, struct ipa ipa);
/* True when [ipa, ipa + size) lies in one RAM region; then *pa is its physical address. */
bool vmmu_ram_range(const struct vmmu *m, struct ipa ipa, uint32_t size, struct pa *pa);

/* 4 KiB pages for translation tables, from a fixed pool in microvisor memory. */
void *pagepool_alloc(void); /* zeroed page, or NULL */
uint32_t pagepool_free_pages(void);

#endif
