/* SPDX-License-Identifier: MIT */
/* HYP vectors (ARM ARM B1.8.1, "Hyp mode vector table") and the guest entry/exit path:
 * the guest frame is saved straight into the vCPU and restored from it. */
#include <generated/asm_offsets.h>

	.text
	.arm
	.balign 32
	.global hyp_vectors
hyp_vectors:
	b	hyp_bad_reset			@ 0x00 not used in HYP
	b	hyp_bad_undef			@ 0x04 undefined instruction in HYP mode
	b	hyp_bad_hvc			@ 0x08 HVC executed in HYP mode
	b	hyp_bad_pabt			@ 0x0c prefetch abort in HYP mode
	b	hyp_vector_dabt			@ 0x10 data abort in HYP mode: a guest's async abort?
	b	hyp_vector_trap			@ 0x14 HYP trap: HVC, trapped instruction, stage-2 abort
	b	hyp_vector_irq			@ 0x18 IRQ (HCR.IMO routes them all here)
	b	hyp_bad_fiq			@ 0x1c FIQ

/*
 * While a guest runs, SP_hyp = &vcpu->arch.regs.lr_usr, so pushing r0-r12 fills
 * regs.r[0..12] and leaves SP = the vCPU pointer.
 *
 * HVC #0 (HSR = EC 0x12, IL set, imm16 0) takes a lean path first: with r0-r12 and LR_usr
 * saved, hyp_handle_hvc_fast() runs a call of our vendor range, which never touches the
 * guest's PC or CPSR (ELR_hyp and SPSR_hyp still hold them). When the call raised no hazard
 * the guest is resumed at once; otherwise the rest of the frame is saved and the full exit
 * path runs, as for any other exit.
 */
hyp_vector_trap:
	push	{r0-r12}
	mrc	p15, 4, r4, c5, c2, 0		@ HSR
	cmp	r4, #HSR_HVC0
	beq	hyp_hvc_fast
	mov	r1, #HYP_EXIT_TRAP
	b	hyp_guest_exit
hyp_vector_irq:
	push	{r0-r12}
	mov	r1, #HYP_EXIT_IRQ
hyp_guest_exit:
	mov	r0, sp
	str	lr, [r0, #VCPU_REGS_LR_USR]
	mrc	p15, 4, r2, c13, c0, 2		@ HTPIDR: this CPU's struct hyp_pcpu
	ldr	sp, [r2, #PCPU_STACK_TOP]
hyp_guest_exit_frame:				@ r0 = vCPU, r1 = HYP_EXIT_*, SP = HYP stack
	mrs	r2, elr_hyp
	mrs	r3, spsr
	str	r2, [r0, #VCPU_REGS_PC]
	str	r3, [r0, #VCPU_REGS_CPSR]
	@ An asynchronous abort the guest caused may still be pending. With its frame saved,
	@ unmask it for a moment, so that it is taken here and charged to this vCPU
	@ (hyp_vector_dabt) rather than to whichever vCPU runs next (ARM ARM B1.9.7). The lean
	@ path has no such window: it resumes the same vCPU, which then takes the abort itself.
	dsb	sy
	cpsie	a
	.global	hyp_serror_window
hyp_serror_window:
	isb
	cpsid	a
	.global	hyp_serror_window_end
hyp_serror_window_end:
	bl	hyp_handle_guest_exit		@ -> r0 = vCPU to resume

	.global hyp_resume_guest
hyp_resume_guest:				@ r0 = struct vcpu *
	ldr	r2, [r0, #VCPU_REGS_PC]
	ldr	r3, [r0, #VCPU_REGS_CPSR]
	msr	elr_hyp, r2
	msr	spsr_cxsf, r3
	ldr	lr, [r0, #VCPU_REGS_LR_USR]
	add	sp, r0, #VCPU_REGS_LR_USR
	ldmdb	sp, {r0-r12}
	eret

hyp_hvc_fast:					@ SP = the vCPU, r4 = HSR
	mov	r4, sp				@ callee-saved: the vCPU across the call
	str	lr, [r4, #VCPU_REGS_LR_USR]
	mrc	p15, 4, r2, c13, c0, 2		@ HTPIDR
	ldr	sp, [r2, #PCPU_STACK_TOP]
	mov	r0, r4
	bl	hyp_handle_hvc_fast		@ -> r0 = HYP_EXIT_RESUME or the exit kind
	movs	r1, r0
	mov	r0, r4
	bne	hyp_guest_exit_frame
	ldr	lr, [r0, #VCPU_REGS_LR_USR]	@ HYP_EXIT_RESUME: as hyp_resume_guest, ELR and
	add	sp, r0, #VCPU_REGS_LR_USR	@ SPSR untouched
	ldmdb	sp, {r0-r12}
	eret

/* A data abort in HYP mode: if it is a guest's asynchronous abort taken in the exit
 * window, the handler notes it and returns; anything else stops the microvisor. */
hyp_vector_dabt:
	push	{r0-r12, lr}
	mov	r0, sp
	mrs	r1, elr_hyp
	mrs	r2, spsr
	bl	hyp_handle_hyp_dabt
	pop	{r0-r12, lr}
	eret

/* Exceptions taken in HYP mode itself are microvisor bugs: report and stop. */
	.macro	hyp_bad name, vector
hyp_bad_\name:
	push	{r0-r12}
	mov	r0, #\vector
	b	hyp_bad_common
	.endm
	hyp_bad reset, 0x00
	hyp_bad undef, 0x04
	hyp_bad hvc, 0x08
	hyp_bad pabt, 0x0c
	hyp_bad fiq, 0x1c
hyp_bad_common:
	mov	r1, sp
	mrs	r2, elr_hyp
	mrs	r3, spsr
	bl	hyp_handle_bad_exception
