/* SPDX-License-Identifier: MIT */
/* Priority preemption and WFI wake-up on the virtual timer. The high-priority instance
 * sleeps with WFI on its virtual timer and measures how late it runs after each deadline;
 * the low-priority instance spins and counts how often it was preempted. */
#include <cell/runtime.h>

#define ROUNDS 50u

static void high(uint64_t ms)
{
	uint64_t worst = 0;
	for (uint32_t i = 0; i < ROUNDS; i++) {
		uint64_t deadline = timer_now() + 2 * ms;
		timer_sleep_until(deadline);
		uint64_t now = timer_now(), late = now - deadline;
		worst = late > worst ? late : worst;
		while (timer_now() - now < ms)
			; /* a millisecond of work, long enough for the low cell to notice */
	}
	cell_printf("woke %u times, worst lateness %u us\n", ROUNDS,
		    (uint32_t)(worst * 1000u / ms));
	/* The low-priority cell spins with a 50 ms slice: only preemption wakes us in time. */
	CHECK(worst < ms);

	/* A timer that fires before the WFI meant to wait for it (its PPI is disabled here:
	 * the distributor is off): the microvisor masked it when it fired, and the WFI must
	 * still complete instead of sleeping for good. */
	timer_arm(timer_now() + ms);
	uint64_t until = timer_now() + 3 * ms;
	while (timer_now() < until)
		;
	wfi();
	timer_disarm();
	CHECK(timer_now() - until < 100 * ms);
	test_report();
}

static void low(uint64_t ms)
{
	uint64_t start = timer_now(), last = start;
	uint32_t preempted = 0;
	uint64_t loops = 0;
	while (last - start < 400 * ms) {
		uint64_t t = timer_now();
		if (t - last >= ms / 2)
			preempted++;
		last = t;
		loops++;
	}
	cell_printf("preempted %u times, %u loops\n", preempted, (uint32_t)loops);
	CHECK(preempted >= ROUNDS / 2);
	CHECK(loops > 1000);
	test_report();
}

int main(void)
{
	uint64_t ms = timer_freq() / 1000u;
	if (mv_cell_info(MV_INFO_PRIORITY) > 10)
		high(ms);
	else
		low(ms);
	return 0;
}
