/* SPDX-License-Identifier: MIT */
/* RTOS time on the host port: periodic activation without drift and with skipped
 * releases after an overrun, a period change, software timers (one-shot, periodic, stop,
 * restart, callbacks in interrupt context, overruns after a long masked section), and the
 * tick conversions. */
#include "rtos_test.h"

#define PERIOD MS(1)

static rtos_tick_t late_max;
static uint32_t releases, skipped_total, off_grid;

/* Releases every PERIOD from PERIOD on; the work varies, and release 5 overruns by 1.5
 * periods. Every release must be exactly on the grid and served exactly on time, except
 * the one that follows the overrun. */
static void periodic_task(void *arg)
{
	struct rtos_periodic p;

	(void)arg;
	CHECK(rtos_periodic_init(&p, PERIOD, 0) == RTOS_E_INVALID);
	CHECK(rtos_periodic_init(&p, PERIOD, PERIOD) == RTOS_OK);
	for (uint32_t i = 0; i < 20; i++) {
		uint32_t skipped = 99;
		CHECK(rtos_periodic_wait(&p, &skipped) == RTOS_OK);
		rtos_tick_t late = rtos_now() - p.release;
		late_max = late > late_max ? late : late_max;
		skipped_total += skipped;
		off_grid += p.release % PERIOD != 0;
		if (i == 6)
			CHECK(skipped == 1 && late == PERIOD / 2);
		else
			CHECK(skipped == 0 && late == 0);
		releases++;
		host_burn(i == 5 ? PERIOD * 5 / 2 : PERIOD / 10 * (i % 4));
	}
	/* 20 waits served releases 1..7 and 9..21: release 8 was skipped. */
	CHECK(p.release == 21 * PERIOD);
}

static void test_periodic(void)
{
	test_reset();
	test_spawn(0, "periodic", periodic_task, NULL, 10);
	rtos_start();
	CHECK(releases == 20 && skipped_total == 1 && off_grid == 0);
	CHECK(late_max == PERIOD / 2);
}

/* A lower-priority task hogging the CPU does not disturb the periodic one at all. */
static void hog(void *arg)
{
	(void)arg;
	host_burn(MS(50));
}

static void test_periodic_beside_hog(void)
{
	test_reset();
	late_max = 0;
	releases = skipped_total = off_grid = 0;
	test_spawn(0, "hog", hog, NULL, 1);
	test_spawn(1, "periodic", periodic_task, NULL, 10);
	rtos_start();
	CHECK(releases == 20 && skipped_total == 1 && off_grid == 0 && late_max == PERIOD / 2);
}

static void period_change(void *arg)
{
	struct rtos_periodic p;

	(void)arg;
	CHECK(rtos_periodic_init(&p, 1000, 1000) == RTOS_OK);
	rtos_periodic_wait(&p, NULL);
	CHECK(rtos_now() == 1000);
	CHECK(rtos_periodic_set_period(&p, 0) == RTOS_E_INVALID);
	CHECK(rtos_periodic_set_period(&p, 250) == RTOS_OK);
	rtos_periodic_wait(&p, NULL);
	CHECK(rtos_now() == 1250 && p.release == 1250);
	rtos_periodic_wait(&p, NULL);
	CHECK(rtos_now() == 1500);
}

static void test_period_change(void)
{
	test_reset();
	test_spawn(0, "t", period_change, NULL, 10);
	rtos_start();
}

/* ---- Software timers -------------------------------------------------------------------- */

static struct rtos_timer t1, t2;
static rtos_tick_t fired_at[64];
static uint32_t fired;
static struct rtos_sem sem;

static void on_timer(struct rtos_timer *t, void *arg)
{
	CHECK(rtos_in_isr());
	CHECK(arg == &fired);
	if (fired < 64)
		fired_at[fired] = rtos_now();
	fired++;
	if (t == &t2)
		rtos_timer_stop(t); /* a periodic timer that stops itself fires once */
	(void)rtos_sem_give(&sem);
}

static void timer_user(void *arg)
{
	(void)arg;
	CHECK(rtos_timer_start(&t1, 300, 0) == RTOS_OK);
	CHECK(rtos_timer_active(&t1));
	CHECK(rtos_sem_take(&sem, RTOS_FOREVER) == RTOS_OK);
	CHECK(rtos_now() == 300 && fired == 1 && !rtos_timer_active(&t1));

	/* Periodic from 1000 every 700: on the grid 100 times, no drift. */
	fired = 0;
	CHECK(rtos_timer_start(&t1, 700, 700) == RTOS_OK);
	for (int i = 0; i < 100; i++)
		CHECK(rtos_sem_take(&sem, RTOS_FOREVER) == RTOS_OK);
	CHECK(fired == 100);
	for (int i = 0; i < 64; i++)
		CHECK(fired_at[i] == 300 + 700 * (rtos_tick_t)(i + 1));
	rtos_timer_stop(&t1);
	rtos_timer_stop(&t1); /* stopping a stopped timer is harmless */
	CHECK(rtos_sem_take(&sem, MS(1)) == RTOS_E_TIMEOUT);

	/* Restart before expiry moves the expiry. */
	fired = 0;
	rtos_tick_t t0 = rtos_now();
	CHECK(rtos_timer_start(&t1, 500, 0) == RTOS_OK);
	uint32_t irqs = host_timer_interrupts();
	rtos_delay(200);
	CHECK(rtos_timer_start(&t1, 500, 0) == RTOS_OK);
	CHECK(host_timer_deadline() == t0 + 700); /* tickless: re-programmed, not left early */
	CHECK(rtos_sem_take(&sem, RTOS_FOREVER) == RTOS_OK);
	CHECK(fired == 1 && rtos_now() - t0 == 700);
	CHECK(host_timer_interrupts() - irqs == 2); /* the delay's and the timer's: none spurious */

	/* A periodic timer stopping itself from its callback. */
	fired = 0;
	CHECK(rtos_timer_start(&t2, 100, 100) == RTOS_OK);
	CHECK(rtos_sem_take(&sem, RTOS_FOREVER) == RTOS_OK);
	CHECK(rtos_sem_take(&sem, 1000) == RTOS_E_TIMEOUT);
	CHECK(fired == 1);

	/* Interrupts masked for 3.5 periods: one late callback, three expiries skipped, and
	 * the grid is kept. */
	fired = 0;
	t0 = rtos_now();
	CHECK(rtos_timer_start(&t1, 1000, 1000) == RTOS_OK);
	uint32_t irq = rtos_irq_lock();
	host_burn(4500);
	rtos_irq_unlock(irq); /* the expiry due at t0+1000 is taken now, at t0+4500 */
	CHECK(fired == 1 && fired_at[0] == t0 + 4500 && t1.overruns == 3);
	CHECK(rtos_sem_take(&sem, RTOS_FOREVER) == RTOS_OK); /* that one's give */
	CHECK(rtos_sem_take(&sem, RTOS_FOREVER) == RTOS_OK);
	CHECK(fired == 2 && fired_at[1] == t0 + 5000);
	rtos_timer_stop(&t1);
}

static void test_timers(void)
{
	test_reset();
	CHECK(rtos_sem_init(&sem, 0, 1000) == RTOS_OK);
	rtos_timer_init(&t1, on_timer, &fired);
	rtos_timer_init(&t2, on_timer, &fired);
	CHECK(rtos_timer_start(NULL, 1, 0) == RTOS_E_INVALID);
	CHECK(!rtos_timer_active(&t1));
	test_spawn(0, "t", timer_user, NULL, 5);
	rtos_start();
	CHECK(host_timer_deadline() == RTOS_FOREVER);
}

static void test_conversions(void)
{
	test_reset();
	CHECK(rtos_tick_hz() == 62500000u);
	CHECK(rtos_us_to_ticks(1) == 62);
	CHECK(rtos_us_to_ticks(1000) == 62500);
	CHECK(rtos_ms_to_ticks(1) == 62500);
	CHECK(rtos_ms_to_ticks(60000) == 3750000000ull);
	CHECK(rtos_ticks_to_ns(1) == 16);
	CHECK(rtos_ticks_to_ns(62500) == 1000000);
	CHECK(rtos_ticks_to_ns(3) == 48);
	CHECK(rtos_us_to_ticks(UINT64_MAX) == RTOS_FOREVER);
	CHECK(rtos_ticks_to_ns(UINT64_MAX / 2) == RTOS_FOREVER);
	CHECK(rtos_ms_to_ticks(UINT64_MAX / 62500000u) < RTOS_FOREVER);
}

/* Timeouts near the end of the counter's range saturate instead of wrapping. */
static void far_future(void *arg)
{
	(void)arg;
	CHECK(rtos_sem_take(&sem, UINT64_MAX - 5) == RTOS_E_TIMEOUT);
}

static void test_saturation(void)
{
	test_reset();
	CHECK(rtos_sem_init(&sem, 0, 1) == RTOS_OK);
	host_set_now(UINT64_MAX - 1000);
	host_set_end(UINT64_MAX - 1);
	test_spawn(0, "t", far_future, NULL, 5);
	rtos_start();
	CHECK(rtos_now() == UINT64_MAX - 1);
}

int main(void)
{
	test_periodic();
	test_periodic_beside_hog();
	test_period_change();
	test_timers();
	test_conversions();
	test_saturation();
	return check_exit("test_rtos_time");
}
