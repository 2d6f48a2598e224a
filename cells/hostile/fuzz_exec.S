/* SPDX-License-Identifier: MIT */
/* Runs one generated instruction sequence with every register, LR and the flags taken
 * from a struct fuzz_exec_regs, and stores them all back afterwards. The sequence, at
 * fuzz_exec_entry (bit 0: Thumb), ends by loading fuzz_exec_return into PC; it must not
 * touch SP. */
	.syntax	unified
	.arm

#define X_LR 52			/* struct fuzz_exec_regs: r[0..12], lr, cpsr */
#define X_CPSR 56

	.section .text.fuzz_exec, "ax"
	.global	fuzz_exec
fuzz_exec:				@ r0 = struct fuzz_exec_regs *
	push	{r4-r12, lr}
	push	{r0}			@ [sp]: the struct
	ldr	r1, =fuzz_exec_entry
	ldr	r1, [r1]
	push	{r1}			@ popped into PC below
	ldr	r1, [r0, #X_CPSR]
	msr	APSR_nzcvq, r1
	mov	lr, r0
	ldm	lr, {r0-r12}
	ldr	lr, [lr, #X_LR]
	pop	{pc}

	.global	fuzz_exec_return
fuzz_exec_return:
	push	{lr}
	ldr	lr, [sp, #4]
	stm	lr, {r0-r12}
	mrs	r0, APSR
	str	r0, [lr, #X_CPSR]
	pop	{r0}
	str	r0, [lr, #X_LR]
	add	sp, sp, #4
	pop	{r4-r12, pc}
	.ltorg
