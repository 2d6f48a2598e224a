/* SPDX-License-Identifier: MIT */
/* A CPU-hungry cell for the RTOS tests: computes for RUN_MS of guest time, stirring its
 * memory, and measures the share of the CPU it got; it must get at least MIN_SHARE_PCT,
 * whatever runs above it (an RTOS with a budget, a cell held to its budget). */
#include <cell/runtime.h>

#define RUN_MS 3500u
#define MIN_SHARE_PCT 10u
#define WORDS 4096u

static uint32_t scratch[WORDS];

int main(void)
{
	const uint64_t ms = timer_freq() / 1000u, gap = timer_freq() / 500000u; /* 2 us */
	uint64_t start = timer_now(), last = start, busy = 0, share;
	uint32_t descheduled = 0, i = 0;

	while (last - start < RUN_MS * ms) {
		uint64_t t = timer_now();
		if (t - last < gap)
			busy += t - last;
		else
			descheduled++;
		last = t;
		scratch[i % WORDS] += (uint32_t)t;
		scratch[(i * 7u) % WORDS] ^= scratch[i % WORDS];
		i++;
	}
	share = busy * 100u / (last - start);
	cell_printf("ran %u%% of %u ms (%u ms of CPU), descheduled %u times\n", (uint32_t)share,
		    RUN_MS, (uint32_t)(busy / ms), descheduled);
	CHECK(share >= MIN_SHARE_PCT);
	test_report();
	return 0;
}
