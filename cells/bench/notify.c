/* SPDX-License-Identifier: MIT */
/* Benchmark: channel notify to the peer's vIRQ handler. The receiver (higher priority)
 * sleeps in WFI; its doorbell handler stamps the physical counter into the channel memory;
 * the sender compares with the stamp it took before MV_CALL_CHANNEL_NOTIFY. Under
 * -icount shift=0 a counter tick is a fixed number of instructions. */
#include <cell/runtime.h>

#define ROUNDS 200u

static volatile uint32_t *shared;

static uint64_t physical_now(void)
{
	uint32_t lo, hi;
	__asm__ volatile("isb; mrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi)); /* CNTPCT */
	return ((uint64_t)hi << 32) | lo;
}

static void on_doorbell(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
	uint64_t t = physical_now();
	shared[1] = (uint32_t)(t >> 32);
	shared[0] = (uint32_t)t;
	shared[2]++;
}

static void receiver(void)
{
	irqs_on();
	shared[4] = 1; /* ready */
	while (shared[3] == 0)
		wfi();
	CHECK(shared[2] > 0);
}

static void sender(const char *key)
{
	uint64_t total = 0;
	uint32_t done = 0;
	for (uint64_t start = timer_now(); !shared[4] && timer_now() - start < timer_freq();)
		;
	for (uint32_t i = 0; i < ROUNDS; i++) {
		uint32_t seen = shared[2];
		uint64_t t0 = physical_now();
		mv_call3(MV_CALL_CHANNEL_NOTIFY, 0, 0, 0);
		uint64_t start = timer_now();
		while (shared[2] == seen && timer_now() - start < timer_freq())
			;
		if (shared[2] == seen)
			continue;
		total += (((uint64_t)shared[1] << 32) | shared[0]) - t0;
		done++;
	}
	shared[3] = 1;
	mv_call3(MV_CALL_CHANNEL_NOTIFY, 0, 0, 0);
	/* Under -icount shift=0 one instruction takes 1 ns. */
	uint64_t insns = done ? total * 1000000000ull / timer_freq() / done : 0;
	cell_printf("bench: %s=%u\n", key, (uint32_t)insns);
	if (done != ROUNDS)
		cell_printf("%u of %u notifications answered\n", done, ROUNDS);
	CHECK(done == ROUNDS);
}

int main(void)
{
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, 0, 0, 0, 0, 0, 0);
	shared = (volatile uint32_t *)(uintptr_t)info.r1;
	gic_init();
	irq_enable(MV_CHANNEL_INFO_VIRQ(info.r3), on_doorbell, 0x80);
	if (MV_CHANNEL_INFO_END(info.r3) == 1) {
		receiver();
	} else {
		uint32_t peer_cpu_differs = mv_cell_info(MV_INFO_NUM_CELLS) > 2;
		sender(peer_cpu_differs ? "channel_notify_cross_cpu_insns"
					: "channel_notify_same_cpu_insns");
	}
	test_report();
	return 0;
}
