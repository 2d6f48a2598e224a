/* SPDX-License-Identifier: MIT */
/* A bystander cell for the isolation tests: spins, printing a heartbeat every second,
 * while the cell at the other end of its channel 0 misbehaves, and stops once that cell
 * has announced its end and stopped. It counts the doorbells the peer rings, if any, and
 * checks that it was never kept off its CPU for long. */
#include "hostile.h"

#define MAX_GAP_MS 2000u /* longest time the bystander may go without running */
#define MAX_RUN_S 170u   /* give up: the peer never stopped */

static volatile uint32_t doorbells;

static void on_doorbell(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
	doorbells++;
}

int main(void)
{
	const uint64_t ms = timer_freq() / 1000u;
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, 0, 0, 0, 0, 0, 0);
	uint64_t start = timer_now(), last = start, next_poll = start;
	uint64_t next_beat = start + 1000u * ms;
	uint64_t worst_gap = 0;
	uint32_t beats = 0;
	bool gone = false;

	CHECK(info.r0 == MV_OK);
	gic_init();
	irq_enable(MV_CHANNEL_INFO_VIRQ(info.r3), on_doorbell, 0x80);
	irqs_on();
	while (!gone && last - start < MAX_RUN_S * 1000u * ms) {
		uint64_t t = timer_now();
		if (t - last > worst_gap)
			worst_gap = t - last;
		last = t;
		if (t >= next_beat) {
			cell_printf("alive %u s, %u doorbells\n", ++beats, doorbells);
			next_beat += 1000u * ms;
		}
		if (t >= next_poll) {
			gone = peer_done(0);
			next_poll = t + PEER_POLL_MS * ms;
		}
	}
	cell_printf("peer %s after %u s; longest time off the CPU %u ms, %u doorbells\n",
		    gone ? "stopped" : "still running", (uint32_t)((last - start) / (1000u * ms)),
		    (uint32_t)(worst_gap / ms), doorbells);
	CHECK(gone);
	CHECK(worst_gap < MAX_GAP_MS * ms);
	test_report();
	return 0;
}
