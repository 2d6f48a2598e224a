/* SPDX-License-Identifier: MIT */
/* ARM port: the RTOS's exception vectors, the interrupt entry that can switch tasks, and
 * the task context switch. Tasks run in SVC mode; see docs/rtos.md, "Interrupts". */
#define MODE_SVC 0x13
#define ISR_STACK_BYTES 4096

	.syntax	unified
	.arm

/* VBAR needs 32-byte alignment (ARM ARM B4.1.156). */
	.section .text.rtos_vectors, "ax"
	.balign	32
	.global	rtos_vectors
rtos_vectors:
	b	.				@ 0x00 reset: the cell runtime started us
	b	rtos_vec_undef			@ 0x04 undefined instruction
	b	.				@ 0x08 SVC: tasks run in SVC, none is issued
	b	rtos_vec_pabt			@ 0x0c prefetch abort
	b	rtos_vec_dabt			@ 0x10 data abort
	b	.				@ 0x14 not used
	b	rtos_vec_irq			@ 0x18 IRQ
	b	.				@ 0x1c FIQ: not routed to cells

/*
 * IRQ. The interrupted task's return state (lr_irq, spsr_irq) and its caller-saved
 * registers go on the task's own SVC stack, so that a switch to another task needs
 * nothing more than rtos_arch_switch saves; the handlers run on the interrupt stack.
 *
 *   task stack after entry:   [sp+0] r0 r1 r2 r3 r12 lr_svc | [sp+24] pc spsr
 *
 * Interrupts stay masked throughout (no nesting), so one interrupt stack suffices.
 * rtos_arch_irq_handle returns whether a task switch is due; the switch itself is made
 * back on the task's stack, and the preempted task resumes, when it is switched back to,
 * at the pops below.
 */
rtos_vec_irq:
	sub	lr, lr, #4			@ lr_irq = the instruction to resume at
	srsdb	sp!, #MODE_SVC			@ push lr_irq, spsr_irq onto the SVC stack
	cps	#MODE_SVC
	push	{r0-r3, r12, lr}
	mov	r0, sp
	ldr	sp, =rtos_isr_stack_top
	push	{r0, r1}			@ the task's sp (and a pad word: 8-byte aligned)
	bl	rtos_arch_irq_handle
	pop	{r1, r2}
	mov	sp, r1
	cmp	r0, #0
	beq	1f
	and	r1, sp, #4			@ AAPCS: sp 8-byte aligned at the call
	sub	sp, sp, r1
	push	{r1, r2}
	bl	rtos_kernel_isr_reschedule
	pop	{r1, r2}
	add	sp, sp, r1
1:	pop	{r0-r3, r12, lr}
	rfeia	sp!				@ pc and cpsr of the interrupted task

/* Faults: report and stop (rtos_arch_fault does not return). */
	.macro	fault name, kind, adjust
rtos_vec_\name:
	sub	r1, lr, #\adjust		@ the faulting instruction
	mov	r0, #\kind
	bl	rtos_arch_fault
	.endm
	fault	undef, 1, 4
	fault	pabt, 3, 4
	fault	dabt, 4, 8

/*
 * void rtos_arch_switch(struct rtos_arch_ctx *from, struct rtos_arch_ctx *to)
 * The callee-saved registers and the return address go on the old stack, whose pointer
 * is the whole context; r12 pads the frame to 40 bytes to keep sp 8-byte aligned.
 */
	.section .text.rtos_arch_switch, "ax"
	.global	rtos_arch_switch
rtos_arch_switch:
	push	{r4-r12, lr}
	str	sp, [r0]
	ldr	sp, [r1]
	pop	{r4-r12, lr}
	bx	lr

/* A new task's first code: rtos_arch_task_init leaves this as its return address. */
	.global	rtos_arch_task_entry
rtos_arch_task_entry:
	cpsie	i
	bl	rtos_kernel_task_main		@ does not return

	.section .bss.rtos_isr_stack, "aw", %nobits
	.balign	8
	.global	rtos_isr_stack_bottom
rtos_isr_stack_bottom:
	.space	ISR_STACK_BYTES
	.global	rtos_isr_stack_top
rtos_isr_stack_top:
