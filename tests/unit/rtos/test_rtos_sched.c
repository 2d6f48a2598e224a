/* SPDX-License-Identifier: MIT */
/* RTOS scheduler on the host port: priority order, preemption by a created or woken
 * task, round-robin slices (timed only when contested), yield, priority changes, delays,
 * tickless timer programming, interrupts that preempt, argument and context errors. */
#include "rtos_test.h"

static void log_and_exit(void *arg)
{
	test_log("%s", (const char *)arg);
}

static void test_priority_order(void)
{
	test_reset();
	test_spawn(0, "low", log_and_exit, "L", 5);
	test_spawn(1, "high", log_and_exit, "H", 20);
	test_spawn(2, "mid", log_and_exit, "M", 10);
	test_spawn(3, "mid2", log_and_exit, "M2", 10);
	rtos_start();
	CHECK_LOG("H M M2 L");
}

static void creator(void *arg)
{
	(void)arg;
	test_log("L1");
	test_spawn(1, "high", log_and_exit, "H", 20);
	test_log("L2");
	test_spawn(2, "lower", log_and_exit, "X", 3);
	test_log("L3");
}

static void test_create_preempts(void)
{
	test_reset();
	test_spawn(0, "low", creator, NULL, 5);
	rtos_start();
	CHECK_LOG("L1 H L2 L3 X");
}

/* Burns 1 ms at a time and logs a change of runner with the time. */
static char last_runner;
static void rr_worker(void *arg)
{
	char me = *(const char *)arg;

	for (int i = 0; i < 25; i++) {
		if (last_runner != me) {
			test_log("%c@%llu", me, (unsigned long long)(rtos_now() / MS(1)));
			last_runner = me;
		}
		host_burn(MS(1));
	}
}

static rtos_tick_t alone_deadline;
static void rr_alone(void *arg)
{
	(void)arg;
	host_burn(MS(1));
	alone_deadline = host_timer_deadline();
}

static void test_round_robin(void)
{
	test_reset();
	last_runner = 0;
	rtos_set_time_slice(MS(10));
	test_spawn(0, "a", rr_worker, "A", 5);
	test_spawn(1, "b", rr_worker, "B", 5);
	rtos_start();
	/* 10 ms slices alternate; A ends at 45 ms, then B runs its last 5 ms unsliced. */
	CHECK_LOG("A@0 B@10 A@20 B@30 A@40 B@45");
	CHECK(rtos_now() == MS(50));

	/* A task alone at its priority is not sliced: no timer is armed for it. */
	test_reset();
	rtos_set_time_slice(MS(10));
	alone_deadline = 0;
	test_spawn(0, "alone", rr_alone, NULL, 5);
	test_spawn(1, "other", rr_alone, NULL, 4);
	rtos_start();
	CHECK(alone_deadline == RTOS_FOREVER);
	CHECK(host_timer_interrupts() == 0);
}

static void yielder(void *arg)
{
	for (int i = 0; i < 3; i++) {
		test_log("%s%d", (const char *)arg, i);
		rtos_yield();
	}
}

static void test_yield(void)
{
	test_reset();
	rtos_set_time_slice(0);
	test_spawn(0, "a", yielder, "A", 5);
	test_spawn(1, "b", yielder, "B", 5);
	test_spawn(2, "c", yielder, "C", 4); /* lower: yield never gives it the CPU */
	rtos_start();
	CHECK_LOG("A0 B0 A1 B1 A2 B2 C0 C1 C2");
}

static void lowering(void *arg)
{
	(void)arg;
	test_log("T1");
	CHECK(rtos_task_set_priority(&test_task[0], 2) == RTOS_OK); /* below "other": switch */
	test_log("T2");
	CHECK(rtos_task_priority(&test_task[0]) == 2);
}

static void raising(void *arg)
{
	(void)arg;
	test_log("O1");
	CHECK(rtos_task_set_priority(&test_task[2], 9) == RTOS_OK); /* "third" preempts */
	test_log("O2");
}

static void test_set_priority(void)
{
	test_reset();
	test_spawn(0, "t", lowering, NULL, 10);
	test_spawn(1, "other", raising, NULL, 5);
	test_spawn(2, "third", log_and_exit, "3", 1);
	rtos_start();
	CHECK_LOG("T1 O1 3 O2 T2");
	CHECK(rtos_task_set_priority(&test_task[0], 0) == RTOS_E_INVALID);
	CHECK(rtos_task_set_priority(&test_task[0], 32) == RTOS_E_INVALID);
}

static rtos_tick_t woke[8];
static void sleeper(void *arg)
{
	rtos_tick_t d = (rtos_tick_t)(uintptr_t)arg;
	rtos_tick_t t0 = rtos_now();

	CHECK(rtos_delay(d) == RTOS_OK);
	woke[0] = rtos_now() - t0;
	CHECK(rtos_delay_until(MS(7)) == RTOS_OK);
	woke[1] = rtos_now();
	CHECK(rtos_delay_until(MS(3)) == RTOS_OK); /* in the past: at once */
	woke[2] = rtos_now();
	CHECK(rtos_delay(0) == RTOS_OK);
	woke[3] = rtos_now();
}

static void test_delays(void)
{
	test_reset();
	test_spawn(0, "sleeper", sleeper, (void *)(uintptr_t)1234u, 5);
	rtos_start();
	CHECK(woke[0] == 1234);
	CHECK(woke[1] == MS(7));
	CHECK(woke[2] == MS(7) && woke[3] == MS(7));
	CHECK(host_timer_interrupts() == 2);
}

/* Tickless: each task sleeping 1 ms 100 times costs exactly one interrupt per wake-up,
 * and the timer is always programmed for the earliest sleeper. */
static rtos_tick_t seen_deadline;
static void tickless_a(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++)
		rtos_delay(MS(1));
}

static void tickless_b(void *arg)
{
	(void)arg;
	rtos_delay(MS(500)); /* the timer must stay on A's 1 ms steps meanwhile */
}

static void probe(void *arg)
{
	(void)arg;
	seen_deadline = host_timer_deadline();
}

static void test_tickless(void)
{
	test_reset();
	test_spawn(0, "a", tickless_a, NULL, 5);
	test_spawn(1, "b", tickless_b, NULL, 6);
	test_spawn(2, "probe", probe, NULL, 1); /* runs first at t=0 once a and b sleep */
	rtos_start();
	CHECK(seen_deadline == MS(1));
	CHECK(host_timer_interrupts() == 101);
	CHECK(rtos_now() == MS(500));
	CHECK(host_timer_deadline() == RTOS_FOREVER);
}

/* An interrupt handler wakes a more urgent task: it runs at the interrupt's tick, before
 * the interrupted task goes on. */
static struct rtos_sem irq_sem;
static void on_irq(uint32_t id, void *arg)
{
	(void)arg;
	CHECK(rtos_in_isr());
	CHECK(rtos_task_self() == NULL);
	CHECK(rtos_delay(1) == RTOS_E_CONTEXT);
	CHECK(rtos_sem_take(&irq_sem, 10) == RTOS_E_CONTEXT);
	test_log("irq%u", id);
	CHECK(rtos_sem_give(&irq_sem) == RTOS_OK);
}

static void irq_waiter(void *arg)
{
	(void)arg;
	CHECK(rtos_sem_take(&irq_sem, RTOS_FOREVER) == RTOS_OK);
	test_log("H@%llu", (unsigned long long)rtos_now());
}

static void irq_raiser(void *arg)
{
	(void)arg;
	host_burn(100);
	test_log("L");
	host_raise_irq(40);
	test_log("L2");
}

static void test_interrupt_preempts(void)
{
	test_reset();
	CHECK(rtos_sem_init(&irq_sem, 0, 1) == RTOS_OK);
	CHECK(rtos_irq_attach(40, on_irq, NULL) == RTOS_OK);
	CHECK(rtos_irq_attach(27, on_irq, NULL) == RTOS_E_INVALID);
	CHECK(rtos_irq_attach(128, on_irq, NULL) == RTOS_E_INVALID);
	test_spawn(0, "high", irq_waiter, NULL, 20);
	test_spawn(1, "low", irq_raiser, NULL, 5);
	rtos_start();
	CHECK_LOG("L irq40 H@100 L2");
	CHECK(!rtos_in_isr());
}

static size_t unused_before, unused_after;
static void deep(int n)
{
	volatile uint8_t buf[1024];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	if (n)
		deep(n - 1);
}

static void stack_user(void *arg)
{
	(void)arg;
	unused_before = rtos_task_stack_unused(&test_task[0]);
	deep(4);
	unused_after = rtos_task_stack_unused(&test_task[0]);
}

static void test_stack_and_errors(void)
{
	static uint64_t small[RTOS_STACK_MIN / 8];
	struct rtos_task t;

	test_reset();
	CHECK(rtos_task_create(NULL, "x", log_and_exit, NULL, 5, small, sizeof(small)) ==
	      RTOS_E_INVALID);
	CHECK(rtos_task_create(&t, "x", NULL, NULL, 5, small, sizeof(small)) == RTOS_E_INVALID);
	CHECK(rtos_task_create(&t, "x", log_and_exit, NULL, 0, small, sizeof(small)) ==
	      RTOS_E_INVALID);
	CHECK(rtos_task_create(&t, "x", log_and_exit, NULL, 32, small, sizeof(small)) ==
	      RTOS_E_INVALID);
	CHECK(rtos_task_create(&t, "x", log_and_exit, NULL, 5, small, sizeof(small) - 8) ==
	      RTOS_E_INVALID);
	CHECK(rtos_task_create(&t, "x", log_and_exit, NULL, 5, (uint8_t *)small + 4, 1024) ==
	      RTOS_E_INVALID);
	/* Blocking calls outside a task. */
	CHECK(rtos_delay(10) == RTOS_E_CONTEXT);
	CHECK(rtos_task_self() == NULL);

	test_spawn(0, "stack", stack_user, NULL, 5);
	CHECK(strcmp(rtos_task_name(&test_task[0]), "stack") == 0);
	rtos_start();
	CHECK(unused_before > unused_after);
	CHECK(unused_before - unused_after >= 4000);
	CHECK(unused_after > 0);
	CHECK(rtos_context_switches() >= 2);
}

int main(void)
{
	test_priority_order();
	test_create_preempts();
	test_round_robin();
	test_yield();
	test_set_priority();
	test_delays();
	test_tickless();
	test_interrupt_preempts();
	test_stack_and_errors();
	return check_exit("test_rtos_sched");
}
