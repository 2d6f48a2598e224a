/* SPDX-License-Identifier: MIT */
/*
 * Measuring cell of bench/run (systems/bench-irq.dts), under QEMU -icount shift=0, where an
 * instruction takes one nanosecond: the interrupt latency the microvisor adds, from the
 * moment an interrupt fires to the first instruction of this cell's IRQ vector, in
 * instructions, for two sources
 *   - the virtual timer (PPI 27): it fires when CNTVCT reaches CNTV_CVAL (ARM ARM B8.1.5),
 *     a moment this cell knows to the instruction;
 *   - a pass-through SPI: the vexpress SP804 dual timer's (SPI 34, ARM DDI 0271), started
 *     on a counter edge, one-shot, firing LOAD ticks of its 1 MHz clock later (QEMU's
 *     SP804 model: "freq0" 1000000, a ptimer that expires LOAD periods after it starts);
 * and two cases each
 *   - running: this vCPU runs (spins) when the interrupt fires: the microvisor takes the
 *     physical IRQ in HYP and hands it to this vCPU (a list register) at once;
 *   - switch: this vCPU waits in WFI while the hog, a lower-priority cell on the same
 *     physical CPU, spins: the microvisor takes the IRQ, wakes this vCPU, preempts the hog,
 *     switches worlds and injects.
 * The vector's time stamp (irq_stamp.S) is good to 2 instructions, the SP804's start to 2.
 * The hog is the instance with cell ID 0: it only spins, long enough to outlast the
 * switch cases, which come first.
 */
#include <cell/runtime.h>

#define SAMPLES 64u
#define VTIMER_IRQ 27u
#define SP804 0x1c110000u /* IPA = PA: timer 1 of the vexpress TIMER01 block */
#define SP804_IRQ 34u
#define SP804_LOAD 0x00u
#define SP804_CTRL 0x08u
#define SP804_INTCLR 0x0cu
#define SP804_ONESHOT (1u << 0)
#define SP804_32BIT (1u << 1)
#define SP804_IE (1u << 5)
#define SP804_EN (1u << 7)
#define SP804_NS_PER_TICK 1000u /* its 1 MHz clock */
#define SP804_TICKS 30u         /* it fires 30 us after it starts */
#define VTIMER_DELAY_NS 30000u  /* the virtual timer likewise */
#define HOG_ROUNDS 40000000u

extern volatile uint32_t bench_irq_stamp[2]; /* { c0, n }, irq_stamp.S */
extern const char bench_irq_vectors[];

static uint32_t ns_per_tick; /* of the virtual counter: 16 at QEMU's 62.5 MHz */
static volatile uint32_t stamp_c0, stamp_n, fired;

static void on_irq(uint32_t id, uint32_t source)
{
	(void)source;
	if (id == VTIMER_IRQ)
		timer_disarm();
	else
		mmio_write32(SP804 + SP804_INTCLR, 1);
	stamp_c0 = bench_irq_stamp[0];
	stamp_n = bench_irq_stamp[1];
	fired = 1;
}

/* Writes `val` to `reg` 4 instructions after the virtual counter moved (within 2); returns
 * the counter's low word from then: a round of the loop is 3 instructions, and the store
 * follows the read that saw the edge by 3. */
static uint32_t write_after_edge(uintptr_t reg, uint32_t val)
{
	uint32_t c0, c, hi;
	__asm__ volatile("mrrc p15, 1, %0, %2, c14\n"
			 "1: mrrc p15, 1, %1, %2, c14\n"
			 "cmp %1, %0\n"
			 "beq 1b\n"
			 "str %4, [%3]\n"
			 : "=&r"(c0), "=&r"(c), "=&r"(hi)
			 : "r"(reg), "r"(val)
			 : "cc", "memory");
	return c;
}

/* Instructions from `fire_tick` + `fire_ns` (the interrupt firing) to the IRQ vector. */
static int32_t since(uint32_t fire_tick, uint32_t fire_ns)
{
	int32_t edge = (int32_t)((stamp_c0 + 1u - fire_tick) * ns_per_tick);
	return edge - 4 * (int32_t)stamp_n + 2 - (int32_t)fire_ns;
}

static void wait_fired(bool sleep)
{
	while (!fired) {
		if (sleep)
			wfi();
	}
}

/* The worst latency of SAMPLES interrupts from one source, in instructions. */
static int32_t measure(uint32_t irq, bool sleep)
{
	int32_t worst = 0;
	for (uint32_t i = 0; i < SAMPLES; i++) {
		int32_t lat;
		fired = 0;
		if (irq == VTIMER_IRQ) {
			uint64_t cval = timer_now() + VTIMER_DELAY_NS / ns_per_tick;
			timer_arm(cval);
			wait_fired(sleep);
			lat = since((uint32_t)cval, 0);
		} else {
			mmio_write32(SP804 + SP804_CTRL, 0);
			mmio_write32(SP804 + SP804_LOAD, SP804_TICKS);
			uint32_t t =
				write_after_edge(SP804 + SP804_CTRL,
						 SP804_EN | SP804_IE | SP804_32BIT | SP804_ONESHOT);
			wait_fired(sleep);
			lat = since(t, 4u + SP804_TICKS * SP804_NS_PER_TICK);
		}
		CHECK(lat > 0 && lat < 100000);
		if (lat > worst)
			worst = lat;
	}
	return worst;
}

static void hog(void)
{
	for (volatile uint32_t i = 0; i < HOG_ROUNDS; i = i + 1u)
		;
	cell_printf("hog: spun %u rounds\n", HOG_ROUNDS);
}

int main(void)
{
	if (mv_cell_info(MV_INFO_CELL_ID) == 0) {
		hog();
		return 0;
	}
	ns_per_tick = 1000000000u / timer_freq();
	CHECK(ns_per_tick * timer_freq() == 1000000000u);
	__asm__ volatile("mcr p15, 0, %0, c12, c0, 0; isb" : : "r"(bench_irq_vectors)); /* VBAR */
	gic_init();
	irq_enable(VTIMER_IRQ, on_irq, 0x80);
	irq_enable(SP804_IRQ, on_irq, 0x80);
	irqs_on();

	int32_t vtimer_switch = measure(VTIMER_IRQ, true);
	int32_t spi_switch = measure(SP804_IRQ, true);
	int32_t vtimer_running = measure(VTIMER_IRQ, false);
	int32_t spi_running = measure(SP804_IRQ, false);
	cell_printf("bench: irq_latency_vtimer_running_insns=%d\n", vtimer_running);
	cell_printf("bench: irq_latency_spi_running_insns=%d\n", spi_running);
	cell_printf("bench: irq_latency_vtimer_switch_insns=%d\n", vtimer_switch);
	cell_printf("bench: irq_latency_spi_switch_insns=%d\n", spi_switch);
	cell_printf("bench: irq_latency_running_insns=%d\n",
		    vtimer_running > spi_running ? vtimer_running : spi_running);
	cell_printf("bench: irq_latency_switch_insns=%d\n",
		    vtimer_switch > spi_switch ? vtimer_switch : spi_switch);
	test_report();
	return 0;
}
