/* SPDX-License-Identifier: MIT */
/* Hypercall stubs that load all of r0-r12 and LR from a struct fuzz_regs, make the call
 * and store every register back, SP and LR included, so that a caller can check what the
 * SMC Calling Convention promises: r4-r14 preserved. The results are stored through the
 * SYS-mode stack pointer (a banked register the call cannot have touched). */
	.arch_extension sec
	.arch_extension virt
	.syntax	unified
	.arm

#define MODE_SVC 0x13
#define MODE_SYS 0x1f
#define REGS_IN_LR 52		/* struct fuzz_regs: in[0..12], in_lr */
#define REGS_END 116		/* ... out_sp, out_lr, out[0..12] */

	.macro	call_stub name, op, imm
	.section .text.\name, "ax"
	.global	\name
\name:					@ r0 = struct fuzz_regs *
	push	{r4-r12, lr}
	ldr	r1, =fuzz_stub_sp
	str	sp, [r1]
	cps	#MODE_SYS
	add	sp, r0, #REGS_END
	cps	#MODE_SVC
	mov	lr, r0
	ldm	lr, {r0-r12}
	ldr	lr, [lr, #REGS_IN_LR]
	\op	#\imm
	cps	#MODE_SYS
	push	{r0-r12}		@ out[0..12]
	mrs	r0, SP_svc
	mrs	r1, LR_svc
	push	{r0, r1}		@ out_sp, out_lr
	cps	#MODE_SVC
	ldr	r1, =fuzz_stub_sp
	ldr	sp, [r1]
	pop	{r4-r12, pc}
	.ltorg
	.endm

	call_stub fuzz_call_hvc0, hvc, 0
	call_stub fuzz_call_smc0, smc, 0
	call_stub fuzz_call_hvc1, hvc, 1
	call_stub fuzz_call_hvc_ffff, hvc, 0xffff

	.bss
	.balign	4
	.global	fuzz_stub_sp
fuzz_stub_sp:
	.space	4
