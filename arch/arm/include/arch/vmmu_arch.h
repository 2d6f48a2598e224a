/* SPDX-License-Identifier: MIT */
/* The ARM part of a guest address space: its LPAE stage-2 tables. */
#ifndef ARCH_VMMU_ARCH_H
#define ARCH_VMMU_ARCH_H

#include <stdint.h>

struct vmmu_arch {
	uint64_t *root; /* level-1 table: 4 entries of 1 GiB (VTCR.T0SZ = 0, SL0 = 1) */
	uint64_t vttbr; /* root PA | VMID << 48 */
};

#endif
