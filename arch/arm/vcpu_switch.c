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
		vcpu_regs_save(&prev->arch.banked, &prev->arch.cp15);
		prev->arch.vtimer.ctl = sysreg_read_cntv_ctl();
		prev->arch.vtimer.cval = sysreg_read_cntv_cval();
		sysreg_write_cntv_ctl(0); /* its deadline is now the scheduler's business */
		vgic_save(&prev->arch.vgic);
	}
	vcpu_regs_restore(&next->arch.banked, &next->arch.cp15);
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
