/* SPDX-License-Identifier: MIT */
/* An RTOS test application for the isolation tests (hostile-flood.dts,
 * hostile-linux-reboot.dts), on the RTOS kernel of cells/rtos: a task at priority 30
 * released every PERIOD_MS does WORK_US of computation (a loop count calibrated at start)
 * and must finish it before its next release. The period is long, so that host load on
 * a real-time (not -icount) QEMU run does not make it miss; what does is the CPU being
 * taken from the RTOS: its work stretched by the microvisor's time on its CPU, or its
 * budget (2 ms per 10 ms, in the system description) spent on someone else's behalf.
 * It runs until the cell at the other end of its channel 0 has stopped for good. */
#include <rtos/rtos.h>

#include "hostile.h"

#define PERIOD_MS 100u
#define WORK_US 2000u
#define CALIBRATION_LOOPS 20000u
#define MAX_RUN_S 170u

static struct rtos_task work_task, watch_task;
static uint64_t work_stack[2048 / 8], watch_stack[2048 / 8];
static uint32_t work_loops;
static volatile bool stopping;
static volatile uint32_t releases, missed, skipped_total;
static volatile rtos_tick_t worst_latency, worst_completion, work_sum;
static struct rtos_sem done;

static void work(uint32_t loops)
{
	for (volatile uint32_t i = 0; i < loops; i++)
		;
}

/* Loops per WORK_US: the fastest of a few timed runs, before anything disturbs us. */
static void calibrate(void)
{
	rtos_tick_t best = ~(rtos_tick_t)0;
	for (int i = 0; i < 5; i++) {
		rtos_tick_t t = rtos_now();
		work(CALIBRATION_LOOPS);
		t = rtos_now() - t;
		best = t < best ? t : best;
	}
	work_loops = (uint32_t)((uint64_t)CALIBRATION_LOOPS * rtos_us_to_ticks(WORK_US) / best);
}

static void work_main(void *arg)
{
	rtos_tick_t period = rtos_ms_to_ticks(PERIOD_MS);
	struct rtos_periodic p;

	(void)arg;
	(void)rtos_periodic_init(&p, rtos_now() + period, period);
	while (!stopping) {
		uint32_t skipped = 0;
		(void)rtos_periodic_wait(&p, &skipped);
		rtos_tick_t latency = rtos_now() - p.release;
		work(work_loops);
		rtos_tick_t completion = rtos_now() - p.release;
		work_sum += completion - latency;
		releases++;
		skipped_total += skipped;
		missed += skipped + (completion >= period);
		worst_latency = latency > worst_latency ? latency : worst_latency;
		worst_completion = completion > worst_completion ? completion : worst_completion;
	}
	(void)rtos_sem_give(&done);
}

/* Polls the peer every PEER_POLL_MS; stops the work task once the peer is gone. */
static void watch_main(void *arg)
{
	uint32_t denied = 0, polls = 0;
	const uint32_t max_polls = MAX_RUN_S * 1000u / PEER_POLL_MS;

	(void)arg;
	while (!peer_done(0) && !peer_gone(0, &denied) && polls < max_polls) {
		(void)rtos_delay(rtos_ms_to_ticks(PEER_POLL_MS));
		polls++;
	}
	stopping = true;
	CHECK(rtos_sem_take(&done, rtos_ms_to_ticks(2u * PERIOD_MS)) == RTOS_OK);
	rtos_printf("%u releases every %u ms of %u us work: %u missed (%u skipped), worst latency "
		    "%u us, worst completion %u us\n",
		    releases, PERIOD_MS, WORK_US, missed, skipped_total,
		    (uint32_t)(rtos_ticks_to_ns(worst_latency) / 1000u),
		    (uint32_t)(rtos_ticks_to_ns(worst_completion) / 1000u));
	uint64_t expected = releases * rtos_us_to_ticks(WORK_US);
	uint32_t stretch = expected ? (uint32_t)(work_sum * 100u / expected) : 0;
	rtos_printf("the work took %u.%02u times its calibrated time on average\n", stretch / 100u,
		    stretch % 100u);
	CHECK(polls < max_polls);
	CHECK(releases > 0);
	CHECK(missed == 0);
	test_report();
	mv_system_off();
}

int main(void)
{
	rtos_init();
	calibrate();
	rtos_printf("work: %u loops for %u us, every %u ms\n", work_loops, WORK_US, PERIOD_MS);
	(void)rtos_sem_init(&done, 0, 1);
	(void)rtos_task_create(&work_task, "work", work_main, NULL, 30, work_stack,
			       sizeof(work_stack));
	(void)rtos_task_create(&watch_task, "watch", watch_main, NULL, 5, watch_stack,
			       sizeof(watch_stack));
	rtos_start();
	return 0;
}
