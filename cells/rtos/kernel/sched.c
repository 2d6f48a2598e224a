/* SPDX-License-Identifier: MIT */
/* The scheduler: fixed-priority preemptive with round-robin among equals, tasks, blocking
 * and waking, interrupt entry and exit. Portable: the port does the switching. */
#include "internal.h"

struct kernel k;

static struct rtos_task idle_task;
static uint64_t idle_stack[RTOS_ARCH_IDLE_STACK_BYTES / sizeof(uint64_t)];

/* ---- Ready queues: one FIFO per priority and a bitmap of the non-empty ones ------------ */

static void rq_push_tail(struct rtos_task *t)
{
	list_insert_before(&k.ready[t->priority], &t->node);
	k.ready_bitmap |= 1u << t->priority;
}

static void rq_push_head(struct rtos_task *t)
{
	list_insert_before(k.ready[t->priority].next, &t->node);
	k.ready_bitmap |= 1u << t->priority;
}

static void rq_remove(struct rtos_task *t)
{
	list_remove(&t->node);
	if (list_empty(&k.ready[t->priority]))
		k.ready_bitmap &= ~(1u << t->priority);
}

static int rq_best(void)
{
	return k.ready_bitmap ? 31 - __builtin_clz(k.ready_bitmap) : -1;
}

/* ---- Wait queues: most urgent first, FIFO among equals --------------------------------- */

void k_wait_queue_init(struct rtos_wait_queue *wq)
{
	list_init(&wq->tasks);
}

static void wq_insert(struct rtos_wait_queue *wq, struct rtos_task *t)
{
	struct rtos_node *pos = wq->tasks.next;

	while (pos != &wq->tasks && task_of_node(pos)->priority >= t->priority)
		pos = pos->next;
	list_insert_before(pos, &t->node);
	t->waiting = wq;
}

/* ---- Round-robin slices ----------------------------------------------------------------- */

/*
 * A slice is timed only while another task of the running task's priority is ready: an
 * uncontested task takes no timer interrupts. The idle task never has a slice.
 */
static void slice_check(void)
{
	struct rtos_task *cur = k.current;
	bool contested = k.slice_ticks && cur && cur->state == TASK_RUNNING && cur->priority &&
			 !list_empty(&k.ready[cur->priority]);
	rtos_tick_t want = RTOS_FOREVER;

	if (contested)
		want = k.slice_end != RTOS_FOREVER ? k.slice_end : k_deadline_after(k.slice_ticks);
	if (want != k.slice_end) {
		k.slice_end = want;
		k_timer_update();
	}
}

void rtos_set_time_slice(rtos_tick_t ticks)
{
	uint32_t s = rtos_arch_irq_save();

	k.slice_ticks = ticks;
	k.slice_end = RTOS_FOREVER;
	k_timer_update();
	slice_check();
	rtos_arch_irq_restore(s);
}

/* ---- Scheduling decisions --------------------------------------------------------------- */

void k_ready(struct rtos_task *t)
{
	struct rtos_task *cur = k.current;

	t->state = TASK_READY;
	rq_push_tail(t);
	if (!cur)
		return;
	if (t->priority > cur->priority || cur->state != TASK_RUNNING)
		k.need_resched = true;
	else if (t->priority == cur->priority)
		slice_check();
}

static void stack_check(const struct rtos_task *t)
{
	if (t->stack && *(const uint32_t *)(const void *)t->stack != STACK_CANARY)
		rtos_arch_fatal("stack overflow", t->name);
}

/*
 * Runs the most urgent ready task. The running task keeps the CPU against tasks of its
 * own priority unless its slice is over (k.rotate); preempted by a more urgent task it
 * goes back to the head of its queue, so it resumes before its equals.
 */
void k_schedule(void)
{
	struct rtos_task *cur = k.current, *next;
	bool rotate = k.rotate;
	int best;

	k.need_resched = false;
	k.rotate = false;
	if (!k.started)
		return;
	best = rq_best();
	if (cur->state == TASK_RUNNING) {
		if (best < (int)cur->priority || (best == (int)cur->priority && !rotate)) {
			slice_check();
			return;
		}
		cur->state = TASK_READY;
		if (best > (int)cur->priority)
			rq_push_head(cur);
		else
			rq_push_tail(cur);
	}
	next = task_of_node(k.ready[best].next);
	rq_remove(next);
	next->state = TASK_RUNNING;
	k.current = next;
	k.switches++;
	if (k.slice_end != RTOS_FOREVER) {
		/* A fresh slice for the next task, if it is contested; else no slice timer. */
		k.slice_end = RTOS_FOREVER;
		slice_check();
		if (k.slice_end == RTOS_FOREVER)
			k_timer_update();
	} else {
		slice_check();
	}
	if (next != cur) {
		stack_check(cur);
		rtos_arch_switch(&cur->ctx, &next->ctx);
	}
}

void k_preempt_point(void)
{
	if (k.need_resched && !k.isr_nesting)
		k_schedule();
}

bool k_can_block(void)
{
	return k.started && !k.isr_nesting;
}

/* ---- Blocking and waking ---------------------------------------------------------------- */

void k_block_prepare(struct rtos_wait_queue *wq, rtos_tick_t deadline)
{
	struct rtos_task *t = k.current;

	t->state = TASK_BLOCKED;
	t->wait_result = RTOS_OK;
	if (wq)
		wq_insert(wq, t);
	if (deadline != RTOS_FOREVER)
		k_timeout_arm(&t->timeout, deadline);
}

int k_block_commit(void)
{
	k_schedule();
	return k.current->wait_result;
}

/*
 * Blocks the running task on wq (may be NULL: a pure delay) until k_wake, or until
 * `deadline` (absolute; RTOS_FOREVER for none), and returns what the waker passed, or
 * RTOS_E_TIMEOUT.
 */
int k_block(struct rtos_wait_queue *wq, rtos_tick_t deadline)
{
	k_block_prepare(wq, deadline);
	return k_block_commit();
}

/*
 * Makes a blocked task ready with `result` as its wait's outcome. If it was waiting for a
 * mutex, the owner's inherited priority is recomputed: a waiter that gave up no longer
 * lends its priority, and a waiter given the mutex inherits from the ones left.
 */
void k_wake(struct rtos_task *t, int result)
{
	struct rtos_mutex *m = t->wants;

	if (t->waiting) {
		list_remove(&t->node);
		t->waiting = NULL;
	}
	k_timeout_disarm(&t->timeout);
	t->wants = NULL;
	t->wait_result = result;
	k_ready(t);
	if (m && m->owner)
		k_update_priority(m->owner);
}

void k_wake_first(struct rtos_wait_queue *wq, int result)
{
	struct rtos_task *t = k_wait_queue_first(wq);

	if (t)
		k_wake(t, result);
}

static void task_timeout_fire(struct rtos_timeout *to)
{
	k_wake(container_of(to, struct rtos_task, timeout), RTOS_E_TIMEOUT);
}

/*
 * Brings t's effective priority up to date (its base, raised by the most urgent waiter of
 * each mutex it owns) and repositions it in whatever queue it is on. When t itself waits
 * for a mutex, its owner's priority may change in turn: the chain is followed, bounded in
 * case the application deadlocked itself in a cycle.
 */
void k_update_priority(struct rtos_task *t)
{
	for (uint32_t depth = 0; t && depth < 2u * RTOS_PRIO_COUNT; depth++) {
		uint8_t inherited = k_inherited_priority(t);
		uint8_t p = inherited > t->base_priority ? inherited : t->base_priority;

		if (p == t->priority)
			return;
		if (t->state == TASK_READY) {
			rq_remove(t);
			t->priority = p;
			rq_push_tail(t);
		} else if (t->state == TASK_BLOCKED && t->waiting) {
			struct rtos_wait_queue *wq = t->waiting;
			list_remove(&t->node);
			t->priority = p;
			wq_insert(wq, t);
		} else {
			t->priority = p;
		}
		k.need_resched = true;
		t = t->state == TASK_BLOCKED && t->wants ? t->wants->owner : NULL;
	}
}

/* ---- Kernel life cycle ------------------------------------------------------------------ */

void rtos_init(void)
{
	k.current = NULL;
	for (uint32_t p = 0; p < RTOS_PRIO_COUNT; p++)
		list_init(&k.ready[p]);
	k.ready_bitmap = 0;
	list_init(&k.timeouts);
	k.slice_end = RTOS_FOREVER;
	k.programmed = RTOS_FOREVER;
	k.timer_irq_at = 0;
	k.isr_nesting = 0;
	k.switches = 0;
	k.need_resched = false;
	k.rotate = false;
	k.started = false;
	k.boot_ctx = (struct rtos_arch_ctx){ 0 };
	rtos_arch_init();
	k.slice_ticks = rtos_ms_to_ticks(10);
}

static void idle_main(void *arg)
{
	(void)arg;
	for (;;)
		rtos_arch_idle();
}

static void task_setup(struct rtos_task *t, const char *name, void (*entry)(void *), void *arg,
		       uint8_t priority, void *stack, size_t stack_bytes)
{
	uint8_t *s = stack;

	t->node.next = t->node.prev = NULL;
	t->timeout.node.next = t->timeout.node.prev = NULL;
	t->timeout.fire = task_timeout_fire;
	list_init(&t->held);
	t->waiting = NULL;
	t->wants = NULL;
	t->transfer = NULL;
	t->name = name ? name : "?";
	t->entry = entry;
	t->arg = arg;
	t->stack = s;
	t->stack_bytes = stack_bytes & ~(size_t)7u;
	t->wait_result = RTOS_OK;
	t->base_priority = t->priority = priority;
	/* Painted for rtos_task_stack_unused; the lowest word is a canary checked at every
	 * switch away from the task. */
	for (size_t i = 0; i < t->stack_bytes; i++)
		s[i] = STACK_PAINT;
	*(uint32_t *)stack = STACK_CANARY;
	rtos_arch_task_init(t);
}

int rtos_task_create(struct rtos_task *t, const char *name, void (*entry)(void *), void *arg,
		     uint8_t priority, void *stack, size_t stack_bytes)
{
	uint32_t s;

	if (!t || !entry || !stack || priority < 1 || priority > RTOS_PRIO_MAX ||
	    stack_bytes < RTOS_STACK_MIN || (uintptr_t)stack % 8u)
		return RTOS_E_INVALID;
	if (k.isr_nesting)
		return RTOS_E_CONTEXT;
	task_setup(t, name, entry, arg, priority, stack, stack_bytes);
	s = rtos_arch_irq_save();
	k_ready(t);
	k_preempt_point();
	rtos_arch_irq_restore(s);
	return RTOS_OK;
}

void rtos_start(void)
{
	struct rtos_task *first;
	uint32_t s;

	task_setup(&idle_task, "idle", idle_main, NULL, 0, idle_stack, sizeof(idle_stack));
	s = rtos_arch_irq_save();
	k_ready(&idle_task);
	k.started = true;
	first = task_of_node(k.ready[rq_best()].next);
	rq_remove(first);
	first->state = TASK_RUNNING;
	k.current = first;
	k.switches++;
	slice_check();
	k_timer_update();
	rtos_arch_switch(&k.boot_ctx, &first->ctx);
	/* Only the host port comes back: its simulation is over. */
	k.started = false;
	rtos_arch_irq_restore(s);
}

void rtos_kernel_return_to_boot(void)
{
	k.started = false;
	rtos_arch_switch(&k.current->ctx, &k.boot_ctx);
}

void rtos_kernel_task_main(void)
{
	struct rtos_task *t = k.current;

	t->entry(t->arg);
	rtos_task_exit();
}

void rtos_task_exit(void)
{
	struct rtos_task *t = k.current;

	(void)rtos_arch_irq_save();
	if (!list_empty(&t->held))
		rtos_arch_fatal("task exited owning a mutex", t->name);
	t->state = TASK_UNUSED;
	k_schedule();
	rtos_arch_fatal("exited task resumed", t->name);
}

struct rtos_task *rtos_task_self(void)
{
	return k.started && !k.isr_nesting ? k.current : NULL;
}

const char *rtos_task_name(const struct rtos_task *t)
{
	return t->name;
}

int rtos_task_set_priority(struct rtos_task *t, uint8_t priority)
{
	uint32_t s;

	if (!t || priority < 1 || priority > RTOS_PRIO_MAX || t->state == TASK_UNUSED)
		return RTOS_E_INVALID;
	s = rtos_arch_irq_save();
	t->base_priority = priority;
	k_update_priority(t);
	k_preempt_point();
	rtos_arch_irq_restore(s);
	return RTOS_OK;
}

uint8_t rtos_task_priority(const struct rtos_task *t)
{
	return t->priority;
}

size_t rtos_task_stack_unused(const struct rtos_task *t)
{
	size_t n = 0;

	for (size_t i = sizeof(uint32_t); i < t->stack_bytes && t->stack[i] == STACK_PAINT; i++)
		n++;
	return n;
}

void rtos_yield(void)
{
	uint32_t s = rtos_arch_irq_save();

	if (k_can_block()) {
		k.rotate = true;
		k_schedule();
	}
	rtos_arch_irq_restore(s);
}

uint32_t rtos_context_switches(void)
{
	return k.switches;
}

/* ---- Interrupts ------------------------------------------------------------------------- */

void rtos_kernel_isr_enter(void)
{
	k.isr_nesting++;
}

bool rtos_kernel_isr_exit(void)
{
	return --k.isr_nesting == 0 && k.need_resched && k.started;
}

void rtos_kernel_isr_reschedule(void)
{
	k_schedule();
}

bool rtos_in_isr(void)
{
	return k.isr_nesting != 0;
}

uint32_t rtos_irq_lock(void)
{
	return rtos_arch_irq_save();
}

void rtos_irq_unlock(uint32_t state)
{
	rtos_arch_irq_restore(state);
}
