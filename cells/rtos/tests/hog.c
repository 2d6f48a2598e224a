/* SPDX-License-Identifier: MIT */
/* A cell that tries to monopolise its CPU from a priority above the other cells' for
 * RUN_MS of guest time. The system description gives it a budget (test-rtos-hog.dts:
 * 5 ms per 10 ms), so it must end up with no more than about half the CPU; the cells
 * below it check that they still ran. */
#include <cell/runtime.h>

#define RUN_MS 3000u
#define MAX_SHARE_PCT 60u /* budget 50%, plus slack for period boundaries */

int main(void)
{
	const uint64_t ms = timer_freq() / 1000u, gap = timer_freq() / 500000u;
	uint64_t start = timer_now(), last = start, busy = 0, share;
	uint32_t throttled = 0;

	while (last - start < RUN_MS * ms) {
		uint64_t t = timer_now();
		if (t - last < gap)
			busy += t - last;
		else
			throttled++;
		last = t;
	}
	share = busy * 100u / (last - start);
	cell_printf("held the CPU %u%% of %u ms, descheduled %u times\n", (uint32_t)share, RUN_MS,
		    throttled);
	CHECK(share > 0);
	CHECK(share <= MAX_SHARE_PCT);
	test_report();
	return 0;
}
