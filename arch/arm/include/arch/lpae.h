/* SPDX-License-Identifier: MIT */
/* LPAE long-descriptor translation tables (ARM ARM B3.6): the builder shared by HYP
 * stage 1 and every cell's stage 2. Portable C, so the unit tests run it on the host. */
#ifndef ARCH_LPAE_H
#define ARCH_LPAE_H

#include <microvisor/types.h>

#define LPAE_ENTRIES 512u
#define LPAE_L1_SHIFT 30u
#define LPAE_L2_SHIFT 21u
#define LPAE_L3_SHIFT 12u

/* Descriptor type bits [1:0] (B3.6.1). */
#define LPAE_INVALID 0x0ull
#define LPAE_BLOCK 0x1ull /* level 1 and 2 */
#define LPAE_TABLE 0x3ull /* level 1 and 2 */
#define LPAE_PAGE 0x3ull  /* level 3 */
#define LPAE_TYPE_MASK 0x3ull
#define LPAE_ADDR_MASK 0x000000fffffff000ull

/* Lower attributes common to both stages (B3.6.2). */
#define LPAE_AF (1ull << 10)
#define LPAE_SH_INNER (3ull << 8)
#define LPAE_XN (1ull << 54)

/* Stage 2 (B3.6.2, "Stage 2 memory region attributes"): MemAttr[3:0] = bits [5:2],
 * S2AP = bits [7:6]. */
#define LPAE_S2_MEMATTR_NORMAL_WB (0xfull << 2) /* outer and inner write-back */
#define LPAE_S2_MEMATTR_DEVICE (0x1ull << 2)    /* Device */
#define LPAE_S2AP_RW (3ull << 6)

/* HYP stage 1: AttrIndx = bits [4:2] into HMAIR0/1; AP[2:1] = bits [7:6], AP[1] is SBO. */
#define LPAE_ATTRIDX(n) ((uint64_t)(n) << 2)
#define LPAE_HYP_AP_RW (1ull << 6)
#define HMAIR_IDX_NORMAL 0u /* HMAIR0 byte 0 = 0xff: normal, write-back RW-allocate */
#define HMAIR_IDX_DEVICE 1u /* HMAIR0 byte 1 = 0x04: Device */
#define HMAIR0_VALUE 0x000004ffu

/* Allocates a zeroed 4 KiB table; returns its pointer, or NULL. */
typedef void *(*lpae_alloc_fn_t)(void);

/*
 * Maps [va, va + size) to [pa, pa + size) in the table whose level-1 root is `l1` (4 or
 * 512 entries: a 32-bit input range covers at most 4). Uses 2 MiB level-2 blocks where va,
 * pa and the remaining size allow, level-3 pages elsewhere. `attrs` is every descriptor
 * bit except type and address. Fails with MV_E_INVALID_PARAMETERS on misalignment or
 * overlap with an existing mapping, MV_E_NO_MEMORY when alloc fails.
 */
MV_MUST_CHECK enum mv_status lpae_map(uint64_t *l1, uint32_t va, uint32_t pa, uint32_t size,
				      uint64_t attrs, lpae_alloc_fn_t alloc);
/* Walks the table for `va`: returns the leaf descriptor (0 if unmapped) and its level. */
uint64_t lpae_lookup(const uint64_t *l1, uint32_t va, unsigned *level);
/* Stage-2 attributes for a boot-table region kind (MV_REGION_*). */
uint64_t lpae_stage2_attrs(uint32_t region_flags);

#endif
