/* SPDX-License-Identifier: MIT */
/* Cell start-up: vectors, per-mode stacks, BSS, the boot registers kept (cell_boot_args), main(),
 * then PSCI SYSTEM_OFF. Secondary
 * vCPUs enter at cell_secondary_entry with r0 = their vCPU index (CPU_ON context). */
#define STACK_SIZE 8192
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b
#define MODE_IRQ 0x12

	.section .text.start, "ax"
	.arm
	.global _start
_start:
	b	reset
	.balign	32
	.global	cell_vectors			@ a cell may chain to these (cells/bench/irq_stamp.S)
cell_vectors:
	b	reset				@ 0x00 reset
	b	vec_undef			@ 0x04 undefined instruction
	b	.				@ 0x08 SVC (unused by cells)
	b	vec_pabt			@ 0x0c prefetch abort
	b	vec_dabt			@ 0x10 data abort
	b	.				@ 0x14 not used
	b	vec_irq				@ 0x18 IRQ
	b	.				@ 0x1c FIQ

reset:
	mov	r4, r1				@ r1 = 0xffffffff, r2 = its IPA: a device tree
	mov	r5, r2				@ (docs/system-description.md)
	mov	r0, #0
	bl	setup_modes
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	mov	r0, r4
	mov	r1, r5
	bl	cell_boot_args
	bl	main
	bl	mv_system_off

	.global cell_secondary_entry
cell_secondary_entry:				@ r0 = vCPU index
	mov	r4, r0
	bl	setup_modes
	mov	r0, r4
	bl	cell_secondary_main
	b	.

/* r0 = vCPU index: stacks for SVC, ABT, UND, IRQ; VBAR; back in SVC. Clobbers r1-r3. */
setup_modes:
	ldr	r1, =__stacks_end
	mov	r2, #(STACK_SIZE * 4)
	mul	r2, r2, r0
	sub	r1, r1, r2
	cps	#MODE_ABT
	mov	sp, r1
	sub	r1, r1, #STACK_SIZE
	cps	#MODE_UND
	mov	sp, r1
	sub	r1, r1, #STACK_SIZE
	cps	#MODE_IRQ
	mov	sp, r1
	sub	r1, r1, #STACK_SIZE
	cps	#MODE_SVC
	mov	sp, r1
	ldr	r1, =cell_vectors
	mcr	p15, 0, r1, c12, c0, 0		@ VBAR
	isb
	bx	lr

/* Faults: save r0-r12 and lr, call cell_fault(kind, lr), resume where it says. */
	.macro	vector name, kind, adjust
vec_\name:
	sub	lr, lr, #\adjust		@ lr = faulting instruction
	push	{r0-r12, lr}
	mov	r0, #\kind
	mov	r1, lr
	bl	cell_fault
	str	r0, [sp, #52]			@ resume address replaces the saved lr
	ldm	sp!, {r0-r12, pc}^		@ return, restoring CPSR from SPSR
	.endm
	vector	undef, 1, 4
	vector	pabt, 3, 4
	vector	dabt, 4, 8
	vector	irq, 6, 4

/* Outside the BSS (cell.ld): stacks need no zeroing, and zeroing these 256 KiB at every
 * start would cost more than a millisecond at -icount shift=3, a whole budget. */
	.section .stacks, "aw", %nobits
	.balign	8
	.space	STACK_SIZE * 4 * 8		@ 4 modes x 8 vCPUs
	.global	__stacks_end
__stacks_end:
