/* SPDX-License-Identifier: MIT */
/* GICv2 register offsets and fields (ARM IHI 0048B, chapter 4 distributor and CPU interface,
 * chapter 5 virtualization extensions): the one copy, shared by the microvisor, the cells
 * and the tools. Hardware facts, not ABI; freestanding. */
#ifndef MV_UAPI_GICV2_H
#define MV_UAPI_GICV2_H

/* Distributor (4.3). */
#define GICD_CTLR 0x000u
#define GICD_TYPER 0x004u
#define GICD_IIDR 0x008u
#define GICD_IGROUPR 0x080u
#define GICD_ISENABLER 0x100u
#define GICD_ICENABLER 0x180u
#define GICD_ISPENDR 0x200u
#define GICD_ICPENDR 0x280u
#define GICD_ISACTIVER 0x300u
#define GICD_ICACTIVER 0x380u
#define GICD_IPRIORITYR 0x400u
#define GICD_ITARGETSR 0x800u
#define GICD_ICFGR 0xc00u
#define GICD_SGIR 0xf00u
#define GICD_CPENDSGIR 0xf10u
#define GICD_SPENDSGIR 0xf20u
#define GICD_PIDR2 0xfe8u

/* CPU interface (4.4). */
#define GICC_CTLR 0x000u
#define GICC_PMR 0x004u
#define GICC_BPR 0x008u
#define GICC_IAR 0x00cu
#define GICC_EOIR 0x010u
#define GICC_DIR 0x1000u
#define GICC_CTLR_EOIMODE_NS (1u << 9) /* EOIR drops priority only; DIR deactivates */

/* Virtual interface control (5.3) and list register fields (5.3.10). */
#define GICH_HCR 0x000u
#define GICH_VTR 0x004u
#define GICH_VMCR 0x008u
#define GICH_ELSR0 0x030u
#define GICH_APR 0x0f0u
#define GICH_LR(n) (0x100u + 4u * (n))
#define GICH_HCR_EN (1u << 0)
#define GICH_HCR_UIE (1u << 1)
#define GICH_LR_PENDING (1u << 28)
#define GICH_LR_ACTIVE (2u << 28)
#define GICH_LR_STATE_MASK (3u << 28)
#define GICH_LR_HW (1u << 31)
#define GICH_LR_PRIO_SHIFT 23u
#define GICH_LR_PHYS_SHIFT 10u

/* Interrupt IDs (2.2.1): 0-15 SGIs, 16-31 PPIs, 1020-1023 special. */
#define GIC_SPURIOUS 1020u
#define GIC_PPI_MAINTENANCE 25u /* GICH maintenance interrupt */
#define GIC_PPI_HYP_TIMER 26u   /* CNTHP (ARM ARM B8.2; the boards' interrupt maps) */
#define GIC_PPI_VTIMER 27u      /* CNTV */

#endif
