/* SPDX-License-Identifier: MIT */
/* RTOS semaphores and mutexes on the host port: counting, limits, timeouts, wake-up order
 * by priority, gives from interrupts; mutex errors and priority inheritance (the classic
 * inversion, transitive chains, a waiter timing out, several mutexes held, a waiter whose
 * priority changes while it waits). */
#include "rtos_test.h"

static struct rtos_sem sem;
static struct rtos_mutex m1, m2;

/* ---- Semaphores ------------------------------------------------------------------------- */

static void sem_counting(void *arg)
{
	(void)arg;
	CHECK(rtos_sem_count(&sem) == 2);
	CHECK(rtos_sem_take(&sem, RTOS_NO_WAIT) == RTOS_OK);
	CHECK(rtos_sem_take(&sem, RTOS_NO_WAIT) == RTOS_OK);
	CHECK(rtos_sem_take(&sem, RTOS_NO_WAIT) == RTOS_E_WOULD_BLOCK);
	rtos_tick_t t0 = rtos_now();
	CHECK(rtos_sem_take(&sem, 5000) == RTOS_E_TIMEOUT);
	CHECK(rtos_now() - t0 == 5000);
	CHECK(rtos_sem_give(&sem) == RTOS_OK);
	CHECK(rtos_sem_give(&sem) == RTOS_OK);
	CHECK(rtos_sem_give(&sem) == RTOS_OK);
	CHECK(rtos_sem_give(&sem) == RTOS_E_OVERFLOW);
	CHECK(rtos_sem_count(&sem) == 3);
}

static void test_sem_counting(void)
{
	test_reset();
	CHECK(rtos_sem_init(&sem, 0, 0) == RTOS_E_INVALID);
	CHECK(rtos_sem_init(&sem, 4, 3) == RTOS_E_INVALID);
	CHECK(rtos_sem_init(&sem, 2, 3) == RTOS_OK);
	test_spawn(0, "t", sem_counting, NULL, 5);
	rtos_start();
	CHECK(rtos_now() == 5000);
}

static void sem_waiter(void *arg)
{
	CHECK(rtos_sem_take(&sem, RTOS_FOREVER) == RTOS_OK);
	test_log("%s", (const char *)arg);
}

static void sem_giver(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5; i++) {
		test_log("g%d", i);
		CHECK(rtos_sem_give(&sem) == RTOS_OK); /* each waiter outranks the giver */
	}
	CHECK(rtos_sem_count(&sem) == 0);
}

static void test_sem_order(void)
{
	test_reset();
	CHECK(rtos_sem_init(&sem, 0, 10) == RTOS_OK);
	test_spawn(0, "w5a", sem_waiter, "5a", 5);
	test_spawn(1, "w15", sem_waiter, "15", 15);
	test_spawn(2, "w10", sem_waiter, "10", 10);
	test_spawn(3, "w5b", sem_waiter, "5b", 5);
	test_spawn(4, "w7", sem_waiter, "7", 7);
	test_spawn(5, "giver", sem_giver, NULL, 2);
	rtos_start();
	CHECK_LOG("g0 15 g1 10 g2 7 g3 5a g4 5b");
}

/* ---- Mutex basics ------------------------------------------------------------------------ */

static void mutex_other(void *arg)
{
	(void)arg;
	CHECK(rtos_mutex_unlock(&m1) == RTOS_E_NOT_OWNER);
	CHECK(rtos_mutex_lock(&m1, RTOS_NO_WAIT) == RTOS_E_WOULD_BLOCK);
	rtos_tick_t t0 = rtos_now();
	CHECK(rtos_mutex_lock(&m1, 700) == RTOS_E_TIMEOUT);
	CHECK(rtos_now() - t0 == 700);
	CHECK(rtos_task_priority(&test_task[0]) == 3); /* the inheritance ended with the wait */
	CHECK(rtos_mutex_lock(&m1, RTOS_FOREVER) == RTOS_OK);
	test_log("other-locked");
	CHECK(rtos_mutex_unlock(&m1) == RTOS_OK);
}

static void mutex_basics(void *arg)
{
	(void)arg;
	CHECK(rtos_mutex_lock(&m1, RTOS_NO_WAIT) == RTOS_OK);
	CHECK(rtos_mutex_owner(&m1) == &test_task[0]);
	CHECK(rtos_mutex_lock(&m1, RTOS_FOREVER) == RTOS_E_DEADLOCK);
	test_spawn(1, "other", mutex_other, NULL, 8); /* runs at once, waits for m1 */
	CHECK(rtos_task_priority(&test_task[0]) == 8);
	host_burn(1000); /* "other" times out at 700, then waits again */
	CHECK(rtos_task_priority(&test_task[0]) == 8);
	test_log("unlock");
	CHECK(rtos_mutex_unlock(&m1) == RTOS_OK);
	CHECK(rtos_mutex_unlock(&m1) == RTOS_E_NOT_OWNER);
}

static void test_mutex_basics(void)
{
	test_reset();
	rtos_mutex_init(&m1);
	CHECK(rtos_mutex_lock(&m1, RTOS_NO_WAIT) == RTOS_E_CONTEXT); /* not a task */
	test_spawn(0, "owner", mutex_basics, NULL, 3);
	rtos_start();
	CHECK_LOG("unlock other-locked");
	CHECK(rtos_mutex_owner(&m1) == NULL);
}

/* ---- Priority inheritance --------------------------------------------------------------- */

/*
 * The classic inversion: L (5) owns the mutex, H (20) wants it, M (10) is ready and would
 * run for long. With inheritance L runs at 20, so M waits; L's unlock hands the mutex to H
 * at once, then M runs, then L finishes.
 */
static void pi_low(void *arg)
{
	(void)arg;
	CHECK(rtos_mutex_lock(&m1, RTOS_FOREVER) == RTOS_OK);
	test_log("L-locked");
	host_burn(MS(2)); /* H and M wake at 1 ms */
	CHECK(rtos_task_priority(&test_task[0]) == 20);
	test_log("L-unlock");
	CHECK(rtos_mutex_unlock(&m1) == RTOS_OK);
	CHECK(rtos_task_priority(&test_task[0]) == 5);
	test_log("L-done");
}

static void pi_high(void *arg)
{
	(void)arg;
	rtos_delay(MS(1));
	test_log("H-wants");
	CHECK(rtos_mutex_lock(&m1, RTOS_FOREVER) == RTOS_OK);
	test_log("H-locked@%llu", (unsigned long long)(rtos_now() / MS(1)));
	CHECK(rtos_mutex_unlock(&m1) == RTOS_OK);
}

static void pi_mid(void *arg)
{
	(void)arg;
	rtos_delay(MS(1));
	test_log("M-runs");
	host_burn(MS(5));
	test_log("M-done");
}

static void test_pi_classic(void)
{
	test_reset();
	rtos_mutex_init(&m1);
	test_spawn(0, "L", pi_low, NULL, 5);
	test_spawn(1, "H", pi_high, NULL, 20);
	test_spawn(2, "M", pi_mid, NULL, 10);
	rtos_start();
	CHECK_LOG("L-locked H-wants L-unlock H-locked@2 M-runs M-done L-done");
}

/*
 * Transitive: L owns m1; M owns m2 and waits for m1; H waits for m2. L runs at H's
 * priority; when it unlocks m1, M gets it and still runs at H's priority until it
 * releases m2.
 */
static void chain_low(void *arg)
{
	(void)arg;
	CHECK(rtos_mutex_lock(&m1, RTOS_FOREVER) == RTOS_OK);
	rtos_delay(MS(3)); /* M and H block meanwhile */
	CHECK(rtos_task_priority(&test_task[0]) == 20);
	CHECK(rtos_task_priority(&test_task[1]) == 20);
	test_log("L-unlock");
	CHECK(rtos_mutex_unlock(&m1) == RTOS_OK);
	test_log("L-done");
}

static void chain_mid(void *arg)
{
	(void)arg;
	rtos_delay(MS(1));
	CHECK(rtos_mutex_lock(&m2, RTOS_FOREVER) == RTOS_OK);
	CHECK(rtos_mutex_lock(&m1, RTOS_FOREVER) == RTOS_OK); /* blocks on L */
	test_log("M-has-both@%d", rtos_task_priority(&test_task[1]));
	CHECK(rtos_mutex_unlock(&m2) == RTOS_OK); /* H takes over here */
	test_log("M-prio@%d", rtos_task_priority(&test_task[1]));
	CHECK(rtos_mutex_unlock(&m1) == RTOS_OK);
}

static void chain_high(void *arg)
{
	(void)arg;
	rtos_delay(MS(2));
	CHECK(rtos_mutex_lock(&m2, RTOS_FOREVER) == RTOS_OK);
	test_log("H-locked");
	CHECK(rtos_mutex_unlock(&m2) == RTOS_OK);
}

static void spinner(void *arg)
{
	(void)arg;
	rtos_delay(MS(1) + MS(1) / 2); /* once M waits for L */
	host_burn(MS(10));             /* outranks L and M without inheritance */
	test_log("S-done");
}

static void test_pi_transitive(void)
{
	test_reset();
	rtos_mutex_init(&m1);
	rtos_mutex_init(&m2);
	test_spawn(0, "L", chain_low, NULL, 4);
	test_spawn(1, "M", chain_mid, NULL, 8);
	test_spawn(2, "H", chain_high, NULL, 20);
	test_spawn(3, "S", spinner, NULL, 12);
	rtos_start();
	CHECK_LOG("L-unlock M-has-both@20 H-locked S-done M-prio@8 L-done");
}

/* Several mutexes: the owner keeps the highest priority its remaining mutexes justify;
 * unlock order is free. A waiter raised while it waits raises the owner too. */
static void multi_owner(void *arg)
{
	(void)arg;
	CHECK(rtos_mutex_lock(&m1, RTOS_FOREVER) == RTOS_OK);
	CHECK(rtos_mutex_lock(&m2, RTOS_FOREVER) == RTOS_OK);
	rtos_delay(MS(2)); /* w1 waits on m1 (15), w2 on m2 (10) */
	CHECK(rtos_task_priority(&test_task[0]) == 15);
	CHECK(rtos_task_set_priority(&test_task[2], 25) == RTOS_OK); /* w2 raised while waiting */
	CHECK(rtos_task_priority(&test_task[0]) == 25);
	CHECK(rtos_task_set_priority(&test_task[2], 10) == RTOS_OK);
	CHECK(rtos_task_priority(&test_task[0]) == 15);
	CHECK(rtos_mutex_unlock(&m1) == RTOS_OK); /* w1 runs at once */
	test_log("O-after-m1@%d", rtos_task_priority(&test_task[0]));
	CHECK(rtos_mutex_unlock(&m2) == RTOS_OK);
	test_log("O-after-m2@%d", rtos_task_priority(&test_task[0]));
}

static void multi_waiter(void *arg)
{
	struct rtos_mutex *m = arg;

	rtos_delay(MS(1));
	CHECK(rtos_mutex_lock(m, RTOS_FOREVER) == RTOS_OK);
	test_log("%s", m == &m1 ? "w1" : "w2");
	CHECK(rtos_mutex_unlock(m) == RTOS_OK);
}

static void test_pi_multiple(void)
{
	test_reset();
	rtos_mutex_init(&m1);
	rtos_mutex_init(&m2);
	test_spawn(0, "owner", multi_owner, NULL, 3);
	test_spawn(1, "w1", multi_waiter, &m1, 15);
	test_spawn(2, "w2", multi_waiter, &m2, 10);
	rtos_start();
	CHECK_LOG("w1 O-after-m1@10 w2 O-after-m2@3");
}

/* The waiter lending the highest priority gives up: the owner drops to the next one. */
static void timeout_owner(void *arg)
{
	(void)arg;
	CHECK(rtos_mutex_lock(&m1, RTOS_FOREVER) == RTOS_OK);
	host_burn(MS(1) + 10);
	CHECK(rtos_task_priority(&test_task[0]) == 20);
	host_burn(MS(2)); /* the 20 gives up at 2 ms */
	CHECK(rtos_task_priority(&test_task[0]) == 9);
	CHECK(rtos_mutex_unlock(&m1) == RTOS_OK);
	CHECK(rtos_task_priority(&test_task[0]) == 2);
}

static void timeout_waiter(void *arg)
{
	rtos_tick_t timeout = (rtos_tick_t)(uintptr_t)arg;

	rtos_delay(MS(1));
	int r = rtos_mutex_lock(&m1, timeout);
	test_log("%s", r == RTOS_OK ? "got" : "timeout");
	if (r == RTOS_OK)
		rtos_mutex_unlock(&m1);
}

static void test_pi_timeout(void)
{
	test_reset();
	rtos_mutex_init(&m1);
	test_spawn(0, "owner", timeout_owner, NULL, 2);
	test_spawn(1, "impatient", timeout_waiter, (void *)(uintptr_t)MS(1), 20);
	test_spawn(2, "patient", timeout_waiter, (void *)(uintptr_t)RTOS_FOREVER, 9);
	rtos_start();
	CHECK_LOG("timeout got");
}

int main(void)
{
	test_sem_counting();
	test_sem_order();
	test_mutex_basics();
	test_pi_classic();
	test_pi_transitive();
	test_pi_multiple();
	test_pi_timeout();
	return check_exit("test_rtos_sync");
}
