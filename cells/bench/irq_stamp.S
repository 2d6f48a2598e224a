/* SPDX-License-Identifier: MIT */
/*
 * The interrupt-latency cell's vectors (cells/bench/irq_latency.c): as the runtime's
 * (start.S), except that the IRQ vector first takes a time stamp fine enough to count
 * instructions under QEMU -icount shift=0, then goes on to the runtime's IRQ path.
 *
 * The virtual counter (CNTVCT, ARM ARM B8.1) ticks every 16 instructions there, too coarse
 * alone. So the stamp reads it once (c0), then spins on it, four instructions a round,
 * until it moves to c0 + 1, counting the rounds (n). With the vector's first instruction
 * (the branch at VBAR + 0x18) at instruction V, round j reads at V + 4j, and the edge at
 * E = 16 * (c0 + 1) lies after round n - 1's read and by round n's:
 *     E - 4n <= V < E - 4n + 4,   so V = E - 4n + 2 within 2 instructions.
 * irq_latency.c does that arithmetic with the counter's real period.
 */
	.text
	.arm
	.balign	32
	.global	bench_irq_vectors
bench_irq_vectors:
	b	cell_vectors + 0x00
	b	cell_vectors + 0x04
	b	cell_vectors + 0x08
	b	cell_vectors + 0x0c
	b	cell_vectors + 0x10
	b	cell_vectors + 0x14
	b	irq_stamp			@ 0x18 IRQ: instruction 1
	b	cell_vectors + 0x1c

irq_stamp:
	push	{r0-r3}				@ instruction 2
	mrrc	p15, 1, r0, r1, c14		@ 3: c0 = CNTVCT (low word)
	mov	r2, #0
1:	mrrc	p15, 1, r1, r3, c14		@ one round: read, count, compare, branch
	add	r2, r2, #1
	cmp	r1, r0
	beq	1b
	ldr	r3, =bench_irq_stamp
	stm	r3, {r0, r2}			@ bench_irq_stamp = { c0, n }
	pop	{r0-r3}
	b	cell_vectors + 0x18		@ the runtime's IRQ path: cell_fault(), handlers

	.bss
	.balign	4
	.global	bench_irq_stamp
bench_irq_stamp:
	.space	8
