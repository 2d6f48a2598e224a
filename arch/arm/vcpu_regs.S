/* SPDX-License-Identifier: MIT */
/* Save and restore of a vCPU's banked registers (ARM ARM B9.3.9, MRS/MSR banked) and its
 * Non-secure PL1 CP15 state (B4.1) for the vCPU switch. In assembly so that each group
 * moves between registers and memory with one LDM/STM: half the instructions of one load
 * or store per register. Layout: struct arch_banked and struct arch_cp15 in their field
 * order, checked in asm_offsets.c. */
	.text
	.arm

/* The CP15 registers in struct arch_cp15 order, three groups of at most 11 registers (r2
 * up), each read (op mrc, op64 mrrc) or written (mcr, mcrr) by the same list. */
	.macro	cp15_group1 op, op64
	\op64	p15, 0, r2, r3, c2		@ TTBR0 (low word first, as a uint64_t)
	\op64	p15, 1, r4, r5, c2		@ TTBR1
	\op64	p15, 0, r6, r7, c7		@ PAR
	\op	p15, 0, r8, c1, c0, 0		@ SCTLR
	\op	p15, 0, r9, c1, c0, 2		@ CPACR
	\op	p15, 0, r10, c2, c0, 2		@ TTBCR
	\op	p15, 0, r11, c3, c0, 0		@ DACR
	\op	p15, 0, r12, c5, c0, 0		@ DFSR
	.endm
	.macro	cp15_group2 op
	\op	p15, 0, r2, c5, c0, 1		@ IFSR
	\op	p15, 0, r3, c5, c1, 0		@ ADFSR
	\op	p15, 0, r4, c5, c1, 1		@ AIFSR
	\op	p15, 0, r5, c6, c0, 0		@ DFAR
	\op	p15, 0, r6, c6, c0, 2		@ IFAR
	\op	p15, 0, r7, c10, c2, 0		@ PRRR
	\op	p15, 0, r8, c10, c2, 1		@ NMRR
	\op	p15, 0, r9, c10, c3, 0		@ AMAIR0
	\op	p15, 0, r10, c10, c3, 1		@ AMAIR1
	\op	p15, 0, r11, c12, c0, 0		@ VBAR
	\op	p15, 0, r12, c13, c0, 0		@ FCSEIDR
	.endm
	.macro	cp15_group3 op
	\op	p15, 0, r2, c13, c0, 1		@ CONTEXTIDR
	\op	p15, 0, r3, c13, c0, 2		@ TPIDRURW
	\op	p15, 0, r4, c13, c0, 3		@ TPIDRURO
	\op	p15, 0, r5, c13, c0, 4		@ TPIDRPRW
	\op	p15, 2, r6, c0, c0, 0		@ CSSELR
	\op	p15, 0, r7, c14, c1, 0		@ CNTKCTL
	.endm

	.global vcpu_regs_save
vcpu_regs_save:					@ r0 = struct arch_banked *, r1 = struct arch_cp15 *
	push	{r4-r11}
	mrs	r2, SP_usr
	mrs	r3, SP_svc
	mrs	r4, LR_svc
	mrs	r5, SPSR_svc
	mrs	r6, SP_abt
	mrs	r7, LR_abt
	mrs	r8, SPSR_abt
	mrs	r9, SP_und
	mrs	r10, LR_und
	mrs	r11, SPSR_und
	mrs	r12, SP_irq
	stmia	r0!, {r2-r12}			@ sp_usr .. sp_irq
	mrs	r2, LR_irq
	mrs	r3, SPSR_irq
	mrs	r4, r8_fiq
	mrs	r5, r9_fiq
	mrs	r6, r10_fiq
	mrs	r7, r11_fiq
	mrs	r8, r12_fiq
	mrs	r9, SP_fiq
	mrs	r10, LR_fiq
	mrs	r11, SPSR_fiq
	stmia	r0, {r2-r11}			@ lr_irq .. spsr_fiq
	cp15_group1 mrc, mrrc
	stmia	r1!, {r2-r12}			@ ttbr0 .. dfsr
	cp15_group2 mrc
	stmia	r1!, {r2-r12}			@ ifsr .. fcseidr
	cp15_group3 mrc
	stmia	r1, {r2-r7}			@ contextidr .. cntkctl
	@ vmpidr is not saved: only HYP writes VMPIDR, so the copy in memory is always current.
	pop	{r4-r11}
	bx	lr

	.global vcpu_regs_restore
vcpu_regs_restore:				@ r0 = const struct arch_banked *, r1 = const struct arch_cp15 *
	push	{r4-r11}
	ldmia	r0!, {r2-r12}
	msr	SP_usr, r2
	msr	SP_svc, r3
	msr	LR_svc, r4
	msr	SPSR_svc, r5
	msr	SP_abt, r6
	msr	LR_abt, r7
	msr	SPSR_abt, r8
	msr	SP_und, r9
	msr	LR_und, r10
	msr	SPSR_und, r11
	msr	SP_irq, r12
	ldmia	r0, {r2-r11}
	msr	LR_irq, r2
	msr	SPSR_irq, r3
	msr	r8_fiq, r4
	msr	r9_fiq, r5
	msr	r10_fiq, r6
	msr	r11_fiq, r7
	msr	r12_fiq, r8
	msr	SP_fiq, r9
	msr	LR_fiq, r10
	msr	SPSR_fiq, r11
	ldmia	r1!, {r2-r12}
	cp15_group1 mcr, mcrr
	ldmia	r1!, {r2-r12}
	cp15_group2 mcr
	ldmia	r1, {r2-r8}
	cp15_group3 mcr
	mcr	p15, 4, r8, c0, c0, 5		@ VMPIDR
	pop	{r4-r11}
	bx	lr
