/* SPDX-License-Identifier: MIT */
/* The ARM part of a cell: the state of its emulated GIC distributor. */
#ifndef ARCH_CELL_ARCH_H
#define ARCH_CELL_ARCH_H

#include <stdint.h>

#include <arch/vcpu_arch.h>

/* Distributor registers of the SPIs (IDs 32..127); SGIs and PPIs are banked per vCPU. */
struct vgic_dist {
	uint32_t ctlr;                     /* GICD_CTLR.Enable */
	uint32_t enabled[VGIC_WORDS];      /* word 0 unused (banked) */
	uint32_t hw[VGIC_WORDS];           /* pass-through: list register HW bit, pINTID = ID */
	uint32_t cfg[VGIC_NUM_IRQS / 16u]; /* GICD_ICFGR */
	uint8_t priority[VGIC_NUM_IRQS];   /* entries 0..31 unused (banked) */
	uint8_t targets[VGIC_NUM_IRQS];    /* GICD_ITARGETSR, vCPU bit mask */
	volatile uint32_t lock;
};

struct cell_arch {
	struct vgic_dist vgic;
};

#endif
