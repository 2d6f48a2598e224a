/* SPDX-License-Identifier: MIT */
/* Benchmark: vdev round trip. The consumer loads a register of a window emulated by the
 * provider (higher priority, same CPU) many times; each load traps, wakes the provider,
 * which answers with MV_CALL_VDEV_GET/COMPLETE, and resumes the consumer. */
#include <cell/runtime.h>

#define ROUNDS 1000u
#define WINDOW 0x40000000u

static void provider(void)
{
	struct mv_result info = mv_hvc(MV_CALL_VDEV_INFO, 0, 0, 0, 0, 0, 0);
	gic_init();
	irq_enable(info.r2, 0, 0x80);
	irq_set_handler(info.r2, 0);
	irqs_on();
	for (uint32_t served = 0; served <= ROUNDS;) { /* the warm-up load, then ROUNDS */
		struct mv_result r = mv_hvc(MV_CALL_VDEV_GET, 0, 0, 0, 0, 0, 0);
		if ((int32_t)r.r0 != MV_OK) {
			wfi();
			continue;
		}
		CHECK(mv_hvc(MV_CALL_VDEV_COMPLETE, 0, r.r1, served++, 0, 0, 0).r0 == MV_OK);
	}
}

static void consumer(void)
{
	(void)mmio_read32(WINDOW); /* warm up: the provider is waiting in WFI from now on */
	uint64_t t0 = timer_now();
	uint32_t last = 0;
	for (uint32_t i = 0; i < ROUNDS; i++)
		last = mmio_read32(WINDOW);
	uint64_t ticks = timer_now() - t0;
	CHECK(last == ROUNDS);
	cell_printf("bench: vdev_roundtrip_insns=%u\n",
		    (uint32_t)(ticks * 1000000000ull / timer_freq() / ROUNDS));
}

int main(void)
{
	if (mv_cell_info(MV_INFO_NUM_VDEVS) > 0)
		provider();
	else
		consumer();
	test_report();
	return 0;
}
