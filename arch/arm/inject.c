/* SPDX-License-Identifier: MIT */
/* Exceptions reflected into a guest: the microvisor performs the exception entry the CPU
 * would have performed at PL1 (ARM ARM B1.8.3 and B1.9: LR and SPSR of the target mode,
 * CPSR with interrupts masked, PC = vector). The vCPU is the one loaded on this CPU. */
#include <arch/cpu.h>
#include <arch/hyp.h>
#include <vcpu/vcpu.h>

#define SCTLR_V (1u << 13)
#define SCTLR_EE (1u << 25)
#define SCTLR_TE (1u << 30)
#define TTBCR_EAE (1u << 31)

#define VECTOR_UNDEF 0x04u
#define VECTOR_PABT 0x0cu
#define VECTOR_DABT 0x10u

/* Fault status for a synchronous external abort (B3.13.3), in the guest's current format. */
static uint32_t external_abort_status(void)
{
	if (sysreg_read_ttbcr() & TTBCR_EAE)
		return (1u << 9) | 0x10u; /* long-descriptor: LPAE bit, STATUS 0b010000 */
	return 0x8u;                      /* short-descriptor: FS 0b01000, precise external */
}

static void enter_mode(struct vcpu *v, uint32_t mode, uint32_t vector, uint32_t lr, uint32_t mask)
{
	uint32_t cpsr = v->arch.regs.cpsr;
	uint32_t sctlr = sysreg_read_sctlr();
	if (mode == PSR_MODE_UND) {
		__asm__ volatile("msr SPSR_und, %0" : : "r"(cpsr));
		__asm__ volatile("msr LR_und, %0" : : "r"(lr));
	} else {
		__asm__ volatile("msr SPSR_abt, %0" : : "r"(cpsr));
		__asm__ volatile("msr LR_abt, %0" : : "r"(lr));
	}
	cpsr &= ~(PSR_MODE_MASK | PSR_T | PSR_E | PSR_IT_MASK | PSR_J);
	cpsr |= mode | mask | ((sctlr & SCTLR_TE) ? PSR_T : 0) | ((sctlr & SCTLR_EE) ? PSR_E : 0);
	v->arch.regs.cpsr = cpsr;
	v->arch.regs.pc = ((sctlr & SCTLR_V) ? 0xffff0000u : sysreg_read_vbar()) + vector;
}

void inject_undef(struct vcpu *v, uint32_t hsr)
{
	/* LR_und = the next instruction (B1.9.6): +2 for a 16-bit Thumb instruction. */
	uint32_t len = (v->arch.regs.cpsr & PSR_T) && !(hsr & (1u << 25)) ? 2u : 4u;
	enter_mode(v, PSR_MODE_UND, VECTOR_UNDEF, v->arch.regs.pc + len, PSR_I);
}

void inject_data_abort(struct vcpu *v, uint32_t far, bool write)
{
	sysreg_write_dfar(far);
	sysreg_write_dfsr(external_abort_status() | (write ? 1u << 11 : 0));
	enter_mode(v, PSR_MODE_ABT, VECTOR_DABT, v->arch.regs.pc + 8u, PSR_I | PSR_A);
}

void inject_prefetch_abort(struct vcpu *v, uint32_t far)
{
	sysreg_write_ifar(far);
	sysreg_write_ifsr(external_abort_status());
	enter_mode(v, PSR_MODE_ABT, VECTOR_PABT, v->arch.regs.pc + 4u, PSR_I | PSR_A);
}
