/* SPDX-License-Identifier: MIT */
/* HYP-mode internals of arch/arm: per-CPU data, entry points, trap classes. */
#ifndef ARCH_HYP_H
#define ARCH_HYP_H

#include <arch/cpu.h>
#include <microvisor/types.h>

struct vcpu;

#define HYP_STACK_SIZE 8192u

/* Per-physical-CPU data; HTPIDR points at it while in HYP. */
struct hyp_pcpu {
	uint32_t stack_top; /* read by the vectors (offset checked in asm_offsets.c) */
	uint32_t id;
	uint32_t guest_serror;  /* an asynchronous abort was taken in the exit window */
	uint32_t hcr_va;        /* HCR.VA is set for the vCPU being entered */
	struct vcpu *vfp_owner; /* whose VFP/NEON state the registers hold (lazy), or NULL */
};

/* The CPU's own hyp_pcpu (HTPIDR). */
static inline struct hyp_pcpu *hyp_this_pcpu(void)
{
	return (struct hyp_pcpu *)(uintptr_t)sysreg_read_htpidr();
}

/* Guest asynchronous aborts (setup.c): on exit, when p->guest_serror or p->hcr_va is
 * set, note one taken in the exit window (or consumed by the guest); on entry, when
 * p->hcr_va differs from the entered vCPU's serror_pending, set or clear HCR.VA. */
struct vcpu;
void arch_vcpu_serror_exit(struct vcpu *v, struct hyp_pcpu *p);
void arch_vcpu_serror_enter(const struct vcpu *v, struct hyp_pcpu *p);

/* Called by vectors.S for a data abort taken in HYP mode: returns if it was a guest's
 * asynchronous abort taken in the exit window, else reports and stops. */
void hyp_handle_hyp_dabt(const uint32_t *r, uint32_t elr, uint32_t spsr);

extern struct hyp_pcpu hyp_pcpus[CONFIG_MAX_PCPUS];
extern volatile uint32_t hyp_pen_release[CONFIG_MAX_PCPUS];
/* Bit n set: CPU n has left the pen and runs its scheduler (setup.c). */
extern volatile uint32_t hyp_pcpus_up;
/* plat.turn_us in counter ticks once the secondaries are up, else 0 (setup.c). */
extern uint32_t hyp_turn_ticks;

/* Entry kinds passed by vectors.S. HYP_EXIT_RESUME (from hyp_handle_hvc_fast only): resume
 * the vCPU at once; HYP_EXIT_HANDLED: its HVC was handled, run the rest of the exit path. */
#define HYP_EXIT_RESUME 0u
#define HYP_EXIT_TRAP 1u
#define HYP_EXIT_IRQ 2u
#define HYP_EXIT_HANDLED 3u
/* The HSR of HVC #0: EC 0x12, IL (a 32-bit instruction), imm16 0 (ARM ARM B3.13.6). */
#define HSR_HVC0 0x4a000000u

/* Called by vectors.S for HVC #0 with only r0-r12 and LR_usr of the frame saved: runs a
 * call of our vendor range. Returns HYP_EXIT_RESUME when it raised no hazard, else the
 * exit kind for hyp_handle_guest_exit (HYP_EXIT_TRAP for any other call). */
uint32_t hyp_handle_hvc_fast(struct vcpu *v);

/* Called by vectors.S: handles a guest exit and returns the vCPU to resume. */
struct vcpu *hyp_handle_guest_exit(struct vcpu *v, uint32_t kind);
/* Called by vectors.S for an exception taken in HYP mode itself: a microvisor bug. */
MV_NORETURN void hyp_handle_bad_exception(uint32_t vector, const uint32_t *r, uint32_t elr,
					  uint32_t spsr);
/* vectors.S: loads the vCPU's frame and ERETs into it. */
MV_NORETURN void hyp_resume_guest(struct vcpu *v);
/* boot.S entry, and C entry points of the boot flow. */
void hyp_entry(void);
MV_NORETURN void hyp_main_primary(void);
MV_NORETURN void hyp_main_secondary(uint32_t cpu);
void secure_boot_setup(uint32_t cpu);

/* GIC and timer (gic.c, timer.c). */
void gic_init_distributor(void);
void gic_init_cpu(void);
void gic_handle_irqs(void);
void gic_send_sgi(unsigned pcpu, unsigned sgi);

/* The vGIC's arch-internal side (vgic.c). */
struct vgic_cpu;
void vgic_save(struct vgic_cpu *g);
void vgic_restore(const struct vgic_cpu *g);
void vgic_vcpu_reset(struct vgic_cpu *g);
void vgic_vtimer_irq(struct vcpu *v);
void vgic_maintenance(struct vcpu *v);
struct cell;
/* A pass-through SPI `id` of cell `c` taken in HYP: raised on its vCPU 0, into a list
 * register at once when that vCPU runs here with nothing else pending. */
void vgic_hw_irq(struct cell *c, uint32_t id);

void gic_route_spi(uint32_t pirq, struct cell *owner, unsigned pcpu);
void gic_deactivate(uint32_t pirq);

/* Guest general registers by number, honouring the banked SP and LR of its mode. */
uint32_t guest_reg_read(const struct vcpu *v, uint32_t n);
void guest_reg_write(struct vcpu *v, uint32_t n, uint32_t val);

/* Exceptions injected into the guest (inject.c), ARM ARM B1.8. */
void inject_undef(struct vcpu *v, uint32_t hsr);
void inject_data_abort(struct vcpu *v, uint32_t far, bool write);
void inject_prefetch_abort(struct vcpu *v, uint32_t far);

/* Banked registers and CP15 state of the guest, save and restore (vcpu_regs.S). */
struct arch_banked;
struct arch_cp15;
void vcpu_regs_save(struct arch_banked *b, struct arch_cp15 *c);
void vcpu_regs_restore(const struct arch_banked *b, const struct arch_cp15 *c);

/* VFP save/restore (vfp.S). */
struct arch_vfp;
void vfp_save(struct arch_vfp *vfp);
void vfp_restore(const struct arch_vfp *vfp);
/* A VFP/Advanced SIMD access of `v` trapped by HCPTR (vcpu_switch.c): the registers become
 * its own, and the instruction is retried. */
void vfp_take(struct vcpu *v);

/* HYP stage 1 (mmu.c). */
void hyp_mmu_build(void);
void hyp_mmu_enable(void);

#endif
