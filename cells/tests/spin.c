/* SPDX-License-Identifier: MIT */
/* A CPU-bound cell: burns a fixed amount of its own CPU time and checks that it was
 * descheduled in between (round-robin with an equal-priority peer), and that its memory
 * was never touched by anyone else. */
#include <cell/runtime.h>

#define PATTERN_WORDS 4096u
static uint32_t pattern[PATTERN_WORDS];

int main(void)
{
	uint32_t id = mv_cell_info(MV_INFO_CELL_ID);
	for (uint32_t i = 0; i < PATTERN_WORDS; i++)
		pattern[i] = i * 2654435761u ^ id;

	const uint64_t ms = timer_freq() / 1000u;
	const uint64_t busy_goal = 300 * ms, long_gap = 2 * ms;
	uint64_t start = timer_now(), last = start, busy = 0;
	uint32_t long_gaps = 0;
	while (busy < busy_goal) {
		uint64_t t = timer_now();
		if (t - last >= long_gap)
			long_gaps++; /* someone else ran for at least a slice */
		else
			busy += t - last;
		last = t;
	}
	uint32_t intact = 0;
	for (uint32_t i = 0; i < PATTERN_WORDS; i++)
		intact += pattern[i] == (i * 2654435761u ^ id);

	cell_printf("ran %u ms of CPU in %u ms, descheduled %u times\n", (uint32_t)(busy / ms),
		    (uint32_t)((last - start) / ms), long_gaps);
	CHECK(long_gaps >= 5);
	CHECK(intact == PATTERN_WORDS);
	test_report();
	return 0;
}
