/* SPDX-License-Identifier: MIT */
/* The victim of the budget tests (hostile-budget-*.dts): below a budgeted attacker on the
 * same CPU, it measures the share of the CPU it gets over WINDOW_MS of guest time, by
 * summing the small steps of the virtual counter between two of its loop iterations (a
 * large step is time someone else ran). The attacker's budget leaves it at least 90%;
 * it must get MIN_SHARE_PERMILLE of it, the 5% of slack being the microvisor's own work
 * and period boundaries. Stopping ends the attack (the attacker watches for it).
 *
 * Built twice: with EXIT_EVERY_US, it makes the null hypercall that often (its own time,
 * which it counts), so that requests posted to its CPU (a restart of the attacker) are
 * acted on by the microvisor's exit path in time; without (hostile_spinner), it never
 * leaves the guest of its own accord, and nothing but the microvisor's timer may take
 * the CPU from it. */
#include <cell/runtime.h>

#define WINDOW_MS 1000u
#define MIN_SHARE_PERMILLE 850u
#ifndef EXIT_EVERY_US
#define EXIT_EVERY_US 0u
#endif

int main(void)
{
	const uint64_t ms = timer_freq() / 1000u, gap = timer_freq() / 500000u; /* 2 us */
	const uint64_t exit_every = EXIT_EVERY_US * ms / 1000u;
	/* The window opens when the cell starts (its counter starts at 0), not when it first
	 * gets to run: an attacker that keeps it from ever running must not go unseen. */
	uint64_t start = 0, last = start, busy = 0, longest = 0, next_exit = start;
	uint32_t descheduled = 0;

	while (last - start < WINDOW_MS * ms) {
		if (exit_every && last >= next_exit) {
			(void)mv_call0(MV_CALL_ABI_VERSION);
			next_exit = last + exit_every;
		}
		uint64_t t = timer_now(), step = t - last;
		if (step < gap) {
			busy += step;
		} else {
			descheduled++;
			longest = step > longest ? step : longest;
		}
		last = t;
	}
	uint32_t share = (uint32_t)(busy * 1000u / (last - start));
	cell_printf("got %u.%u%% of the CPU in %u ms, descheduled %u times, longest %u us\n",
		    share / 10u, share % 10u, (uint32_t)((last - start) / ms), descheduled,
		    (uint32_t)(longest * 1000u / ms));
	CHECK(share >= MIN_SHARE_PERMILLE);
	test_report();
	return 0;
}
