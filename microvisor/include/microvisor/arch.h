/* SPDX-License-Identifier: MIT */
/* The arch interface: everything generic code asks of the CPU. Implemented by arch/arm
 * and by the host fake arch of the unit tests (tests/unit/fake). */
#ifndef MICROVISOR_ARCH_H
#define MICROVISOR_ARCH_H

#include <microvisor/types.h>

struct vcpu;
struct vmmu;

/* Index of the calling physical CPU, 0..CONFIG_MAX_PCPUS-1. */
unsigned arch_pcpu_id(void);

/* Monotonic system counter (ARM generic timer, CNTPCT) and its frequency in Hz. */
uint64_t arch_counter_now(void);
uint32_t arch_counter_freq(void);
/* Arms this CPU's HYP timer to fire at `deadline` (counter ticks); UINT64_MAX disarms. */
void arch_hyp_timer_set(uint64_t deadline);

/* Handles the interrupts pending at this CPU without waiting: long HYP work (a cell load)
 * calls it between steps, as HYP runs with interrupts masked. */
void arch_irq_poll(void);
/* Invalidates this CPU's branch predictor (Spectre v2 between cells). */
void arch_branch_predictor_flush(void);

/* Asks physical CPU `pcpu` to run its exit path (pending requests, reschedule). */
void arch_send_reschedule(unsigned pcpu);
/* Waits with interrupts masked until an interrupt is pending, then handles it. */
void arch_idle_wait(void);

/* Resets a vCPU to the PSCI entry state: SVC mode, MMU and caches off, interrupts masked,
 * PC = entry (bit 0 selects Thumb), r0 = context. */
void arch_vcpu_reset(struct vcpu *v, uint32_t entry, uint32_t context);
/* The vCPU index an MPIDR value names (as a PSCI target), if it names one. */
bool arch_mpidr_to_vcpu_index(uint32_t mpidr, uint32_t *index);
/* Saves the state of `prev` (may be NULL) held in the CPU and loads that of `next`. */
void arch_vcpu_switch(struct vcpu *prev, struct vcpu *next);
/* The vCPU loaded on this CPU is being stopped and its state discarded: disarm what it
 * left live in the CPU (virtual timer, list registers) so it cannot interrupt others. */
void arch_vcpu_unload(struct vcpu *v);
/* Counter value at which the vCPU's virtual timer asserts its interrupt, or UINT64_MAX
 * if it is disabled or masked. `v` is the vCPU loaded on this CPU (it just executed WFI):
 * the live timer registers are read. */
uint64_t arch_vcpu_vtimer_deadline(const struct vcpu *v);
/* As arch_vcpu_reset, with the registers of the Linux ARM boot protocol
 * (Documentation/arm/booting.rst): r0 = 0, r1 = ~0 (no machine type), r2 = the device
 * tree's IPA. */
void arch_vcpu_reset_linux(struct vcpu *v, uint32_t entry, uint32_t dtb);

/*
 * Virtual interrupts (the vGIC). IDs are GIC interrupt IDs: 0-15 SGIs, 16-31 PPIs (27 is
 * the virtual timer), 32-127 SPIs (doorbells, vdev requests, pass-through devices).
 */
struct cell;
/* Resets the cell's distributor (boot and restart) and maps the GICv2 virtual CPU
 * interface into its stage-2. Errors: MV_E_NO_MEMORY (stage-2 pool). */
MV_MUST_CHECK enum mv_status arch_vgic_cell_init(struct cell *c);
void arch_vgic_cell_reset(struct cell *c);
/* Gives physical SPI `pirq` to the cell (pass-through), routed to its vCPU 0's CPU. */
void arch_irq_assign(struct cell *c, uint32_t pirq);
/* Makes SPI `virq` pending in the cell, on the vCPU its ITARGETSR names. Any CPU. */
void arch_virq_raise(struct cell *c, uint32_t virq);
/* True when the vCPU has a vIRQ pending (WFI must not block). `v` is loaded here. */
bool arch_vcpu_virq_pending(struct vcpu *v);
/* The vCPU's virtual timer deadline passed while it was not running: raise its PPI. */
void arch_vcpu_vtimer_expired(struct vcpu *v);
/* Before entering `v`: moves its pending vIRQs into list registers. */
void arch_vgic_flush(struct vcpu *v);

/* Finishes a vdev access of `v` (loaded here): writes the loaded value to its register
 * and steps past the instruction, or makes the access abort. */
struct vdev_request;
void arch_vcpu_mmio_complete(struct vcpu *v, const struct vdev_request *req);

/* Builds the stage-2 tables of an address space; see vmmu.h. */
MV_MUST_CHECK enum mv_status arch_stage2_init(struct vmmu *m);
MV_MUST_CHECK enum mv_status arch_stage2_map(struct vmmu *m, struct ipa ipa, struct pa pa,
					     uint32_t size, uint32_t flags);

/* Physical address of microvisor memory, and the reverse. */
uint32_t arch_virt_to_phys(const void *p);
void *arch_phys_to_virt(struct pa pa);
/* Makes `size` bytes at `p` visible to a guest running with caches off (clean to PoC). */
void arch_dcache_clean(const void *p, uint32_t size);

/* Stops this CPU for good, interrupts masked. */
MV_NORETURN void arch_halt(void);
/* Enters a guest: loads the frame of `v` (already switched to) and returns to it. */
MV_NORETURN void arch_enter_guest(struct vcpu *v);
/* Memory after the microvisor image where the boot table starts, and bytes available. */
const void *arch_boot_payload(uint32_t *available);
struct mv_board;
/* The board the microvisor was built for, and the physical address its image starts at. */
const struct mv_board *arch_board(void);
uint32_t arch_image_start(void);

/* Powers the machine off (board data), or stops this CPU if the board cannot. */
MV_NORETURN void arch_system_off(void);

/* Console output of the microvisor (early UART). */
void arch_console_putc(char c);

#endif
