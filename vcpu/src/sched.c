/* SPDX-License-Identifier: MIT */
/* The per-CPU scheduler: fixed-priority preemptive, round-robin among equals on a time
 * slice, WFI sleepers woken by their virtual timer, and the single exit path to guests. */
#include <arch/atomic.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <vcpu/vcpu.h>
#include <vdev/vdev.h>

struct sched sched_cpus[CONFIG_MAX_PCPUS];

uint64_t sched_us_to_ticks(uint32_t us)
{
	return (uint64_t)us * arch_counter_freq() / 1000000u;
}

void sched_init(unsigned pcpu)
{
	struct sched *s = &sched_cpus[pcpu];
	s->current = NULL;
	s->loaded = NULL;
	s->slice_end = UINT64_MAX;
}

void sched_hazard_resched(struct sched *s)
{
	atomic_or(&s->pending, SCHED_PENDING_RESCHED);
}

struct vcpu *sched_loaded(const struct sched *s)
{
	return s->loaded;
}

void sched_pin(struct vcpu *v)
{
	struct sched *s = &sched_cpus[v->pcpu];
	v->sched = s;
	if (s->num_pinned < CONFIG_MAX_VCPUS)
		s->pinned[s->num_pinned++] = v;
}

void sched_enqueue(struct sched *s, struct vcpu *v)
{
	uint32_t p = v->priority;
	v->rq_next = NULL;
	if (s->rq_tail[p])
		s->rq_tail[p]->rq_next = v;
	else
		s->rq_head[p] = v;
	s->rq_tail[p] = v;
	s->rq_bitmap |= 1u << p;
}

static int highest_ready(const struct sched *s)
{
	return s->rq_bitmap ? 31 - __builtin_clz(s->rq_bitmap) : -1;
}

struct vcpu *sched_dequeue_best(struct sched *s)
{
	int p = highest_ready(s);
	if (p < 0)
		return NULL;
	struct vcpu *v = s->rq_head[p];
	s->rq_head[p] = v->rq_next;
	if (!s->rq_head[p]) {
		s->rq_tail[p] = NULL;
		s->rq_bitmap &= ~(1u << p);
	}
	v->rq_next = NULL;
	return v;
}

/* Unlinks `v` from the singly-linked list at *head, if it is on it. */
static void unlink(struct vcpu **head, struct vcpu *v)
{
	for (struct vcpu **pp = head; *pp; pp = &(*pp)->rq_next) {
		if (*pp == v) {
			*pp = v->rq_next;
			v->rq_next = NULL;
			return;
		}
	}
}

/* Inserts `v` into a list kept sorted by `key` (wake or replenish time). */
static void insert_sorted(struct vcpu **head, struct vcpu *v, uint64_t key, bool by_wake)
{
	struct vcpu **pp = head;
	while (*pp && (by_wake ? (*pp)->wake_at : (*pp)->replenish_at) <= key)
		pp = &(*pp)->rq_next;
	v->rq_next = *pp;
	*pp = v;
}

/*
 * Budget accounting (a deferrable server per vCPU): time spent running is taken from
 * `remaining`, and at each period boundary the budget is refilled, so a vCPU with a budget
 * never runs more than `budget` per `period`, whatever its priority.
 */
static void refill(struct vcpu *v, uint64_t now)
{
	if (v->budget && now >= v->replenish_at) {
		v->replenish_at += ((now - v->replenish_at) / v->period + 1) * v->period;
		v->remaining = v->budget;
	}
}

/* Charges the running vCPU `v` for the time since run_start. */
static void charge(struct vcpu *v, uint64_t now)
{
	if (!v->budget)
		return;
	uint64_t used = now - v->run_start;
	v->remaining = used < v->remaining ? v->remaining - used : 0;
	v->run_start = now;
	refill(v, now);
}

/* Makes `v` runnable, or parks it until its next period if its budget is spent. Inline:
 * it is on the path of every preemption and wake-up. */
static inline __attribute__((always_inline)) void make_ready(struct sched *s, struct vcpu *v,
							     uint64_t now)
{
	v->state = VCPU_READY;
	refill(v, now);
	if (v->budget && v->remaining == 0) {
		v->throttled = true;
		insert_sorted(&s->throttled, v, v->replenish_at, false);
		return;
	}
	sched_enqueue(s, v);
}

void sched_wake(struct sched *s, struct vcpu *v)
{
	make_ready(s, v, arch_counter_now());
}

void sched_remove(struct sched *s, struct vcpu *v)
{
	if (v->throttled) {
		unlink(&s->throttled, v);
		v->throttled = false;
		return;
	}
	if (v->state == VCPU_WFI || v->state == VCPU_WAIT_VDEV)
		unlink(&s->sleepers, v);
	if (v->state != VCPU_READY)
		return;
	uint32_t p = v->priority;
	unlink(&s->rq_head[p], v);
	struct vcpu *tail = s->rq_head[p];
	while (tail && tail->rq_next)
		tail = tail->rq_next;
	s->rq_tail[p] = tail;
	if (!tail)
		s->rq_bitmap &= ~(1u << p);
}

void sched_block_wfi(struct sched *s, struct vcpu *v, uint64_t now)
{
	uint64_t deadline = arch_vcpu_vtimer_deadline(v);
	if (deadline <= now || arch_vcpu_virq_pending(v))
		return; /* an interrupt is already pending: WFI completes at once */
	sched_stop_current(s, v, now);
	v->state = VCPU_WFI;
	v->wake_at = deadline;
	insert_sorted(&s->sleepers, v, deadline, true);
}

void sched_stop_current(struct sched *s, struct vcpu *v, uint64_t now)
{
	charge(v, now);
	s->current = NULL;
	atomic_or(&s->pending, SCHED_PENDING_RESCHED);
}

void sched_timer_expired(struct sched *s, uint64_t now)
{
	while (s->sleepers && s->sleepers->wake_at <= now) {
		struct vcpu *v = s->sleepers;
		s->sleepers = v->rq_next;
		v->wake_at = UINT64_MAX;
		if (v->state == VCPU_WAIT_VDEV) {
			/* Its provider did not answer in time: the access aborts. If the provider
			 * completed it meanwhile, VCPU_REQ_VDEV_DONE is on its way instead. */
			if (vdev_timeout(v)) {
				vcpu_hazard_set(v, VCPU_HZ_MMIO);
				make_ready(s, v, now);
			}
			continue;
		}
		make_ready(s, v, now);
		arch_vcpu_vtimer_expired(v);
	}
	while (s->throttled && s->throttled->replenish_at <= now) {
		struct vcpu *v = s->throttled;
		s->throttled = v->rq_next;
		v->throttled = false;
		refill(v, now);
		sched_enqueue(s, v);
	}
}

void sched_block_vdev(struct sched *s, struct vcpu *v, uint64_t now, uint64_t timeout)
{
	sched_stop_current(s, v, now);
	v->state = VCPU_WAIT_VDEV;
	v->wake_at = now + timeout;
	insert_sorted(&s->sleepers, v, v->wake_at, true);
}

void sched_yield(struct sched *s)
{
	s->slice_end = 0;
	atomic_or(&s->pending, SCHED_PENDING_RESCHED);
}

/* A sleeper's wake-up or a throttled vCPU's refill is due: the exit path's cheap test
 * before sched_timer_expired(). */
static inline bool timer_due(const struct sched *s, uint64_t now)
{
	return (s->sleepers && s->sleepers->wake_at <= now) ||
	       (s->throttled && s->throttled->replenish_at <= now);
}

/* Decides which vCPU runs next; NULL when nothing is runnable. */
static struct vcpu *pick(struct sched *s, uint64_t now)
{
	struct vcpu *cur = s->current;
	int best;
	if (cur && cur->state != VCPU_RUNNING)
		cur = s->current = NULL;
	if (cur) {
		charge(cur, now);
		if (cur->budget && cur->remaining == 0) {
			make_ready(s, cur, now); /* out of budget: parked until its next period */
			cur = s->current = NULL;
		}
	}
	best = highest_ready(s);
	if (cur) {
		bool slice_over = now >= s->slice_end;
		if (best < (int)cur->priority || (best == (int)cur->priority && !slice_over)) {
			if (slice_over || best < (int)cur->priority)
				s->slice_end = now + cur->slice_ticks;
			return cur;
		}
		make_ready(s, cur, now); /* preempted, or its slice is over: back of its queue */
	}
	cur = sched_dequeue_best(s);
	s->current = cur;
	if (cur) {
		cur->state = VCPU_RUNNING;
		cur->run_start = now;
		s->slice_end = now + cur->slice_ticks;
	}
	return cur;
}

/* The next HYP timer deadline: a sleeper's wake-up, or the end of a contested slice. */
static uint64_t next_deadline(const struct sched *s)
{
	uint64_t d = s->sleepers ? s->sleepers->wake_at : UINT64_MAX;
	const struct vcpu *cur = s->current;
	if (s->throttled && s->throttled->replenish_at < d)
		d = s->throttled->replenish_at;
	if (cur && highest_ready(s) == (int)cur->priority && s->slice_end < d)
		d = s->slice_end;
	if (cur && cur->budget && cur->run_start + cur->remaining < d)
		d = cur->run_start + cur->remaining; /* preempt it when its budget runs out */
	if (cur && cur->budget && cur->replenish_at < d)
		d = cur->replenish_at; /* refill it on time */
	return d;
}

/* Rounds of request handling per exit; more only if requests keep posting requests. */
#define SCHED_REQUEST_ROUNDS 4u

static void handle_requests(struct sched *s)
{
	for (uint32_t i = 0; i < s->num_pinned; i++)
		if (s->pinned[i]->hazards & VCPU_HZ_REQUESTS)
			vcpu_handle_requests(s, s->pinned[i]);
}

struct vcpu *sched_exit_path(struct sched *s)
{
	for (;;) {
		/* Handling requests may post new ones to this CPU (the last stop of a cell
		 * restarts it here): they are handled now, not at some later exit. Each round
		 * consumes what it found, and a START posts nothing further, so this ends. */
		for (uint32_t round = 0; s->pending && round < SCHED_REQUEST_ROUNDS; round++)
			if (atomic_xchg(&s->pending, 0) & SCHED_PENDING_REQUESTS)
				handle_requests(s);
		uint64_t now = arch_counter_now();
		if (timer_due(s, now))
			sched_timer_expired(s, now);
		struct vcpu *next = pick(s, now);
		arch_hyp_timer_set(next_deadline(s));
		if (next && next->loading) {
			/* A cell (re)start copies its image as its vCPU 0, a chunk per step: charged to
			 * its budget and preemptible between chunks (interrupts are polled). */
			cell_load_step(next);
			arch_irq_poll();
			continue;
		}
		if (next) {
			if (next != s->loaded) {
				arch_vcpu_switch(s->loaded, next);
				s->loaded = next;
				s->switches++;
			}
			/* Requests left (the round bound, or posted while we decided) get no SGI of
			 * their own: their posters saw the hazard bit set. Interrupt this CPU so that
			 * they are handled as soon as the guest is entered, not at its next exit. */
			if (s->pending)
				arch_send_reschedule(arch_pcpu_id());
			return next;
		}
		if (!s->pending) /* requests posted while we decided: handle them first */
			arch_idle_wait();
	}
}
