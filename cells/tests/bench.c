/* SPDX-License-Identifier: MIT */
/* Measuring cell for bench/run under QEMU -icount shift=0, where guest time counts
 * instructions (1 ns each): null hypercall round trip and vCPU switch, in instructions.
 * The partner instance (lower cell ID) only yields, so every yield switches vCPUs. */
#include <cell/runtime.h>

#define N 2000u

static uint64_t ticks_to_insns(uint64_t ticks)
{
	return ticks * 1000000000ull / timer_freq(); /* shift=0: one instruction per ns */
}

static uint64_t measure_empty(void)
{
	uint64_t t0 = timer_now();
	for (uint32_t i = 0; i < N; i++)
		__asm__ volatile("" ::: "memory");
	return timer_now() - t0;
}

static uint64_t measure_null(void)
{
	uint64_t t0 = timer_now();
	for (uint32_t i = 0; i < N; i++)
		mv_call0(MV_CALL_ABI_VERSION);
	return timer_now() - t0;
}

static uint64_t measure_yield(void)
{
	uint64_t t0 = timer_now();
	for (uint32_t i = 0; i < N; i++)
		mv_yield();
	return timer_now() - t0;
}

int main(void)
{
	if (mv_cell_info(MV_INFO_CELL_ID) == 0) {
		for (uint32_t i = 0; i < 4 * N; i++)
			mv_yield();
		return 0;
	}
	uint64_t empty = measure_empty();
	uint64_t null = ticks_to_insns(measure_null() - empty) / N;
	/* Each iteration: our yield, a switch to the partner, its yield, a switch back. */
	uint64_t round = ticks_to_insns(measure_yield() - empty) / N;
	uint64_t sw = round > 2 * null ? (round - 2 * null) / 2 : 0;
	cell_printf("bench: null_hypercall_insns=%u\n", (uint32_t)null);
	cell_printf("bench: vcpu_switch_insns=%u\n", (uint32_t)sw);
	CHECK(null > 0 && sw > 0);
	test_report();
	return 0;
}
