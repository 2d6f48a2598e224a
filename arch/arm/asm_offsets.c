/* SPDX-License-Identifier: MIT */
/* Generates asm_offsets.h: every structure offset the assembly uses, from offsetof. */
#include <stddef.h>

#include <arch/hyp.h>
#include <vcpu/vcpu.h>

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

void asm_offsets(void);
void asm_offsets(void)
{
	DEFINE(VCPU_REGS_LR_USR, offsetof(struct vcpu, arch.regs.lr_usr));
	DEFINE(VCPU_REGS_PC, offsetof(struct vcpu, arch.regs.pc));
	DEFINE(VCPU_REGS_CPSR, offsetof(struct vcpu, arch.regs.cpsr));
	DEFINE(PCPU_STACK_TOP, offsetof(struct hyp_pcpu, stack_top));
	DEFINE(PCPU_SIZE, sizeof(struct hyp_pcpu));
	DEFINE(HYP_STACK_SIZE_ASM, HYP_STACK_SIZE);
	DEFINE(MAX_PCPUS, CONFIG_MAX_PCPUS);
	DEFINE(HYP_EXIT_TRAP, HYP_EXIT_TRAP);
	DEFINE(HYP_EXIT_IRQ, HYP_EXIT_IRQ);
	DEFINE(HSR_HVC0, HSR_HVC0);
}

/* The frame must start the vCPU so that SP_hyp - 52 is the vCPU pointer (vectors.S). */
_Static_assert(offsetof(struct vcpu, arch.regs) == 0, "vectors.S: frame at offset 0");
_Static_assert(offsetof(struct vcpu, arch.regs.lr_usr) == 13 * 4, "vectors.S: push {r0-r12}");

/* vcpu_regs.S moves these in their field order with LDM/STM. */
_Static_assert(sizeof(struct arch_banked) == 21 * 4 &&
		       offsetof(struct arch_banked, sp_irq) == 10 * 4 &&
		       offsetof(struct arch_banked, spsr_fiq) == 20 * 4,
	       "vcpu_regs.S: banked register order");
_Static_assert(offsetof(struct arch_cp15, sctlr) == 6 * 4 &&
		       offsetof(struct arch_cp15, dfsr) == 10 * 4 &&
		       offsetof(struct arch_cp15, fcseidr) == 21 * 4 &&
		       offsetof(struct arch_cp15, cntkctl) == 27 * 4 &&
		       offsetof(struct arch_cp15, vmpidr) == 28 * 4,
	       "vcpu_regs.S: CP15 register order");
