/* SPDX-License-Identifier: MIT */
/* Entry from the boot loader on every CPU: Secure SVC -> Monitor -> Non-secure HYP when
 * needed, stacks, BSS, then C. Secondary CPUs park in a pen until the primary releases them. */
#include <generated/asm_offsets.h>

#define PSR_MODE_SVC 0x13
#define PSR_MODE_HYP 0x1a
#define PSR_AIF 0x1c0
/* SCR (ARM ARM B4.1.129): NS, FW, AW, HCE. SMCs stay enabled; HCR.TSC traps them. */
#define SCR_NS_HYP 0x131

	.section .text.boot, "ax"
	.arm
	.global hyp_entry
hyp_entry:					@ struct mv_image_header (boot_table.h)
	b	hyp_start
	.word	0x4849564d			@ MV_IMAGE_MAGIC
	.word	__payload_offset		@ payload_offset (linker script)
	.word	__image_start			@ load_address
	.word	__board_offset			@ board_offset (linker script): plat.board
hyp_start:
	cpsid	aif
	mrc	p15, 0, r4, c0, c0, 5		@ MPIDR
	and	r4, r4, #0xff			@ Aff0 = CPU index on our boards
	cmp	r4, #MAX_PCPUS
	bhs	hyp_park_forever
	ldr	r5, =hyp_stacks_end		@ r5 = this CPU's stack top, for every mode
	mov	r0, #HYP_STACK_SIZE_ASM
	mul	r0, r0, r4
	sub	r5, r5, r0
	mov	sp, r5

	mrs	r0, cpsr
	and	r0, r0, #0x1f
	cmp	r0, #PSR_MODE_HYP
	beq	hyp_ns_entry
	cmp	r0, #PSR_MODE_SVC		@ entered in SVC: assume Secure SVC (board-style)
	bne	hyp_park_forever

	mov	r0, r4
	bl	secure_boot_setup		@ GIC groups, NSACR, CNTFRQ (C, MMU off; keeps r4, r5)
	ldr	r0, =monitor_vectors
	mcr	p15, 0, r0, c12, c0, 1		@ MVBAR
	isb
	smc	#0				@ -> monitor_smc -> hyp_ns_entry in NS HYP

hyp_ns_entry:
	mov	sp, r5				@ SP_hyp is banked: set it again after the switch
	ldr	r0, =hyp_vectors
	mcr	p15, 4, r0, c12, c0, 0		@ HVBAR
	isb
	cmp	r4, #0
	bne	hyp_pen

	ldr	r0, =__bss_start		@ primary: zero BSS, then C
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	bl	hyp_main_primary
	b	hyp_park_forever

hyp_pen:					@ wait for hyp_pen_release[cpu] != 0
	ldr	r1, =hyp_pen_release
2:	wfe
	ldr	r0, [r1, r4, lsl #2]
	cmp	r0, #0
	beq	2b
	mov	r0, r4
	bl	hyp_main_secondary

	.global hyp_park_forever
hyp_park_forever:
	wfi
	b	hyp_park_forever

/* Monitor mode: only the one SMC above ever arrives here (ARM ARM B1.8.1 vector offsets). */
	.balign 32
monitor_vectors:
	b	hyp_park_forever		@ 0x00 not used
	b	hyp_park_forever		@ 0x04 undefined instruction
	b	monitor_smc			@ 0x08 secure monitor call
	b	hyp_park_forever		@ 0x0c prefetch abort
	b	hyp_park_forever		@ 0x10 data abort
	b	hyp_park_forever		@ 0x14 not used
	b	hyp_park_forever		@ 0x18 IRQ
	b	hyp_park_forever		@ 0x1c FIQ

monitor_smc:
	ldr	r0, =SCR_NS_HYP
	mcr	p15, 0, r0, c1, c1, 0		@ SCR: the exception return below enters Non-secure
	isb
	mov	r0, #(PSR_MODE_HYP | PSR_AIF)
	msr	spsr_cxsf, r0
	ldr	lr, =hyp_ns_entry
	movs	pc, lr

	.section .data
	.balign 4
	.global hyp_pen_release
hyp_pen_release:
	.rept MAX_PCPUS
	.word 0
	.endr

	.section .stacks, "aw", %nobits
	.balign 8
hyp_stacks:
	.space HYP_STACK_SIZE_ASM * MAX_PCPUS
	.global hyp_stacks_end
hyp_stacks_end:
