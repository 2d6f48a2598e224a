/* SPDX-License-Identifier: MIT */
/* The vCPU switch: everything a guest kernel owns beyond the trap frame (banked registers
 * of every mode, Non-secure PL1 CP15 state, VFP/NEON, virtual timer), and vCPU reset. */
#include <arch/cpu.h>
#include <arch/hyp.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/string.h>
#include <vcpu/vcpu.h>

/* SCTLR reset value of Cortex-A15/A7 with MMU, caches and alignment checks off. */
#define SCTLR_GUEST_RESET 0x00c50078u
#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK (1u << 1)

/* The banked registers of the guest's other modes (ARM ARM B9.3.9, MRS/MSR banked). */
/* clang-format off */
#define BANKED_SWITCHED(X) \
	X(SP_usr, sp_usr) \
	X(SP_svc, sp_svc) \
	X(LR_svc, lr_svc) \
	X(SPSR_svc, spsr_svc) \
	X(SP_abt, sp_abt) \
	X(LR_abt, lr_abt) \
	X(SPSR_abt, spsr_abt) \
	X(SP_und, sp_und) \
	X(LR_und, lr_und) \
	X(SPSR_und, spsr_und) \
	X(SP_irq, sp_irq) \
	X(LR_irq, lr_irq) \
	X(SPSR_irq, spsr_irq) \
	X(r8_fiq, r8_fiq) \
	X(r9_fiq, r9_fiq) \
	X(r10_fiq, r10_fiq) \
	X(r11_fiq, r11_fiq) \
	X(r12_fiq, r12_fiq) \
	X(SP_fiq, sp_fiq) \
	X(LR_fiq, lr_fiq) \
	X(SPSR_fiq, spsr_fiq)
/* clang-format on */

static void banked_save(struct arch_banked *b)
{
#define SAVE(reg, field) __asm__ volatile("mrs %0, " #reg : "=r"(b->field));
	BANKED_SWITCHED(SAVE)
#undef SAVE
}

static void banked_restore(const struct arch_banked *b)
{
#define RESTORE(reg, field) __asm__ volatile("msr " #reg ", %0" : : "r"(b->field));
	BANKED_SWITCHED(RESTORE)
#undef RESTORE
}

/* The CP15 registers switched per vCPU, as one list for save and restore. */
/* clang-format off */
#define CP15_SWITCHED(X) \
	X(ttbr0) \
	X(ttbr1) \
	X(par) \
	X(sctlr) \
	X(cpacr) \
	X(ttbcr) \
	X(dacr) \
	X(dfsr) \
	X(ifsr) \
	X(adfsr) \
	X(aifsr) \
	X(dfar) \
	X(ifar) \
	X(prrr) \
	X(nmrr) \
	X(amair0) \
	X(amair1) \
	X(vbar) \
	X(fcseidr) \
	X(contextidr) \
	X(tpidrurw) \
	X(tpidruro) \
	X(tpidrprw) \
	X(csselr) \
	X(cntkctl) \
	X(vmpidr)
/* clang-format on */

static void cp15_save(struct arch_cp15 *c)
{
#define SAVE(r) c->r = sysreg_read_##r();
	CP15_SWITCHED(SAVE)
#undef SAVE
}

static void cp15_restore(const struct arch_cp15 *c)
{
#define RESTORE(r) sysreg_write_##r(c->r);
	CP15_SWITCHED(RESTORE)
#undef RESTORE
}

/*
 * Lazy VFP/NEON (ARM ARM B1.11, HCPTR B4.1.74). The registers hold the state of the vCPU
 * that used them last on this CPU (hyp_pcpu.vfp_owner) until another vCPU touches them:
 * every other vCPU runs with HCPTR.TCP10/TCP11 set, so its first VFP or Advanced SIMD
 * instruction traps (HSR EC 0x07) and vfp_take() saves the owner's state and loads its own.
 * A switch between vCPUs that never touch VFP (most cells) saves and loads none of it, and
 * a vCPU never finds another's values: it either owns the registers or traps.
 */
#define HCPTR_VFP ((1u << 10) | (1u << 11)) /* TCP10, TCP11 */

void vfp_take(struct vcpu *v)
{
	struct hyp_pcpu *p = hyp_this_pcpu();
	sysreg_write_hcptr(0); /* HCPTR traps HYP's own accesses too */
	isb();
	if (p->vfp_owner)
		vfp_save(&p->vfp_owner->arch.vfp);
	vfp_restore(&v->arch.vfp);
	p->vfp_owner = v;
}

/* `v`'s VFP state is discarded (stop, reset): the registers are nobody's any more, and
 * whoever touches them next traps and loads its own. Runs on `v`'s CPU. */
static void vfp_disown(const struct vcpu *v)
{
	struct hyp_pcpu *p = hyp_this_pcpu();
	if (p->vfp_owner != v)
		return;
	p->vfp_owner = NULL;
	sysreg_write_hcptr(HCPTR_VFP);
	isb();
}

void arch_vcpu_switch(struct vcpu *prev, struct vcpu *next)
{
	if (prev) {
		banked_save(&prev->arch.banked);
		cp15_save(&prev->arch.cp15);
		prev->arch.vtimer.ctl = sysreg_read_cntv_ctl();
		prev->arch.vtimer.cval = sysreg_read_cntv_cval();
		sysreg_write_cntv_ctl(0); /* its deadline is now the scheduler's business */
		vgic_save(&prev->arch.vgic);
	}
	banked_restore(&next->arch.banked);
	cp15_restore(&next->arch.cp15);
	sysreg_write_cntvoff(next->cell->cntvoff);
	sysreg_write_cntv_cval(next->arch.vtimer.cval);
	sysreg_write_cntv_ctl(next->arch.vtimer.ctl);
	sysreg_write_hcptr(hyp_this_pcpu()->vfp_owner == next ? 0 : HCPTR_VFP);
	vgic_restore(&next->arch.vgic);
	if (!prev || prev->cell != next->cell) {
		sysreg_write_vttbr(next->cell->vmmu.arch.vttbr);
		arch_branch_predictor_flush(); /* no branch trained by one cell steers another */
	}
	isb();
}

/*
 * BPIALL is what Cortex-A8/A9/A12/A17 need; Cortex-A15 ignores it and invalidates its
 * branch target buffer on ICIALLU once ACTLR.IBE is set (Arm's Spectre v2 guidance, as
 * Linux's harden_branch_predictor does). Both are done: cheap next to a cell switch.
 */
void arch_branch_predictor_flush(void)
{
	bp_inval_all();
	icache_inval_all();
	dsb();
	isb();
}

void arch_vcpu_reset(struct vcpu *v, uint32_t entry, uint32_t context)
{
	vfp_disown(v);
	vgic_vcpu_reset(&v->arch.vgic);
	struct vgic_cpu vgic = v->arch.vgic;
	memset(&v->arch, 0, sizeof(v->arch));
	v->arch.vgic = vgic;
	v->arch.regs.r[0] = context;
	v->arch.regs.pc = entry & ~1u;
	v->arch.regs.cpsr = PSR_MODE_SVC | PSR_A | PSR_I | PSR_F | ((entry & 1u) ? PSR_T : 0);
	v->arch.cp15.sctlr = SCTLR_GUEST_RESET;
	/* MPIDR: bit 31 RES1 (multiprocessing extensions), Aff0 = vCPU index. */
	v->arch.cp15.vmpidr = (1u << 31) | v->index;
	vcpu_hazard_set(v, VCPU_HZ_VGIC); /* SPIs pending before the start are delivered */
}

/* vCPU n has MPIDR Aff0 = n, Aff1 = Aff2 = 0 (arch_vcpu_reset); bits 31:24 are ignored,
 * as PSCI 5.1.4 asks (MT, U and RES1 bits; Aff3 does not exist in AArch32). */
bool arch_mpidr_to_vcpu_index(uint32_t mpidr, uint32_t *index)
{
	if (mpidr & 0x00ffff00u)
		return false;
	*index = mpidr & 0xffu;
	return true;
}

uint64_t arch_vcpu_vtimer_deadline(const struct vcpu *v)
{
	(void)v; /* loaded on this CPU: the live registers are its state */
	uint32_t ctl = sysreg_read_cntv_ctl();
	if ((ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) != CNTV_CTL_ENABLE)
		return UINT64_MAX;
	uint64_t cval = sysreg_read_cntv_cval(), off = sysreg_read_cntvoff();
	return cval + off < cval ? UINT64_MAX : cval + off;
}

void arch_vcpu_reset_linux(struct vcpu *v, uint32_t entry, uint32_t dtb)
{
	arch_vcpu_reset(v, entry, 0);
	v->arch.regs.r[1] = 0xffffffffu; /* no machine type: the device tree describes it */
	v->arch.regs.r[2] = dtb;
}
