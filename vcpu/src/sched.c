/* SPDX-License-Identifier: MIT */
/* The per-CPU scheduler: fixed-priority preemptive, round-robin among equals on a time
 * slice, WFI sleepers woken by their virtual timer, and the single exit path to guests. */
#include <arch/atomic.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <vcpu/vcpu.h>

static struct sched scheds[CONFIG_MAX_PCPUS];

struct sched *sched_of(unsigned pcpu)
{
	return &scheds[pcpu];
}

void sched_init(unsigned pcpu)
{
	struct sched *s = &scheds[pcpu];
	s->current = NULL;
	s->loaded = NULL;
	s->slice_end = UINT64_MAX;
}

void sched_pin(struct vcpu *v)
{
	struct sched *s = &scheds[v->pcpu];
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

void sched_remove(struct sched *s, struct vcpu *v)
{
	if (v->state == VCPU_WFI)
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
	v->state = VCPU_WFI;
	v->wake_at = deadline;
	s->current = NULL;
	atomic_or(&s->pending, SCHED_PENDING_RESCHED);
	struct vcpu **pp = &s->sleepers;
	while (*pp && (*pp)->wake_at <= deadline)
		pp = &(*pp)->rq_next;
	v->rq_next = *pp;
	*pp = v;
}

void sched_timer_expired(struct sched *s, uint64_t now)
{
	while (s->sleepers && s->sleepers->wake_at <= now) {
		struct vcpu *v = s->sleepers;
		s->sleepers = v->rq_next;
		v->state = VCPU_READY;
		v->wake_at = UINT64_MAX;
		sched_enqueue(s, v);
		arch_vcpu_vtimer_expired(v);
	}
}

void sched_block_vdev(struct sched *s, struct vcpu *v)
{
	v->state = VCPU_WAIT_VDEV;
	s->current = NULL;
	atomic_or(&s->pending, SCHED_PENDING_RESCHED);
}

void sched_yield(struct sched *s)
{
	s->slice_end = 0;
	atomic_or(&s->pending, SCHED_PENDING_RESCHED);
}

/* Decides which vCPU runs next; NULL when nothing is runnable. */
static struct vcpu *pick(struct sched *s, uint64_t now)
{
	struct vcpu *cur = s->current;
	int best = highest_ready(s);
	if (cur && cur->state != VCPU_RUNNING)
		cur = s->current = NULL;
	if (cur) {
		bool slice_over = now >= s->slice_end;
		if (best < (int)cur->priority || (best == (int)cur->priority && !slice_over)) {
			if (slice_over || best < (int)cur->priority)
				s->slice_end = now + cur->slice_ticks;
			return cur;
		}
		cur->state = VCPU_READY; /* preempted, or its slice is over: back of its queue */
		sched_enqueue(s, cur);
	}
	cur = sched_dequeue_best(s);
	s->current = cur;
	if (cur) {
		cur->state = VCPU_RUNNING;
		s->slice_end = now + cur->slice_ticks;
	}
	return cur;
}

/* The next HYP timer deadline: a sleeper's wake-up, or the end of a contested slice. */
static uint64_t next_deadline(const struct sched *s)
{
	uint64_t d = s->sleepers ? s->sleepers->wake_at : UINT64_MAX;
	if (s->current && highest_ready(s) == (int)s->current->priority && s->slice_end < d)
		d = s->slice_end;
	return d;
}

static void handle_requests(struct sched *s)
{
	for (uint32_t i = 0; i < s->num_pinned; i++)
		if (s->pinned[i]->requests)
			vcpu_handle_requests(s, s->pinned[i]);
}

struct vcpu *sched_exit_path(struct sched *s)
{
	/* Fast path: no hazard raised since the last decision, so it still stands and the
	 * HYP timer is still armed for it. */
	struct vcpu *cur = s->current;
	if (!s->pending && cur && cur->state == VCPU_RUNNING)
		return cur;
	for (;;) {
		if (s->pending && atomic_xchg(&s->pending, 0) & SCHED_PENDING_REQUESTS)
			handle_requests(s);
		uint64_t now = arch_counter_now();
		sched_timer_expired(s, now);
		struct vcpu *next = pick(s, now);
		arch_hyp_timer_set(next_deadline(s));
		if (next) {
			if (next != s->loaded) {
				arch_vcpu_switch(s->loaded, next);
				s->loaded = next;
				s->switches++;
			}
			return next;
		}
		if (!s->pending) /* requests posted while we decided: handle them first */
			arch_idle_wait();
	}
}
