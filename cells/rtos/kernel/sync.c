/* SPDX-License-Identifier: MIT */
/* Counting semaphores and mutexes with (transitive) priority inheritance. */
#include "internal.h"

/* ---- Semaphores ------------------------------------------------------------------------- */

int rtos_sem_init(struct rtos_sem *s, uint32_t initial, uint32_t max)
{
	if (!s || !max || initial > max)
		return RTOS_E_INVALID;
	k_wait_queue_init(&s->waiters);
	s->count = initial;
	s->max = max;
	return RTOS_OK;
}

int rtos_sem_take(struct rtos_sem *s, rtos_tick_t timeout)
{
	uint32_t irq = rtos_arch_irq_save();
	int r = RTOS_OK;

	if (s->count)
		s->count--;
	else if (timeout == RTOS_NO_WAIT)
		r = RTOS_E_WOULD_BLOCK;
	else if (!k_can_block())
		r = RTOS_E_CONTEXT;
	else
		r = k_block(&s->waiters, k_deadline_after(timeout)); /* a giver hands us a unit */
	rtos_arch_irq_restore(irq);
	return r;
}

int rtos_sem_give(struct rtos_sem *s)
{
	uint32_t irq = rtos_arch_irq_save();
	int r = RTOS_OK;

	if (!list_empty(&s->waiters.tasks)) {
		k_wake_first(&s->waiters, RTOS_OK);
		k_preempt_point();
	} else if (s->count == s->max) {
		r = RTOS_E_OVERFLOW;
	} else {
		s->count++;
	}
	rtos_arch_irq_restore(irq);
	return r;
}

uint32_t rtos_sem_count(const struct rtos_sem *s)
{
	return s->count;
}

/* ---- Mutexes ---------------------------------------------------------------------------- */

void rtos_mutex_init(struct rtos_mutex *m)
{
	k_wait_queue_init(&m->waiters);
	m->owner = NULL;
	m->held.next = m->held.prev = NULL;
}

uint8_t k_inherited_priority(const struct rtos_task *t)
{
	uint8_t p = 0;

	for (const struct rtos_node *n = t->held.next; n != &t->held; n = n->next) {
		struct rtos_mutex *m = container_of(n, struct rtos_mutex, held);
		struct rtos_task *w = k_wait_queue_first(&m->waiters);
		if (w && w->priority > p)
			p = w->priority;
	}
	return p;
}

static void take_ownership(struct rtos_mutex *m, struct rtos_task *t)
{
	m->owner = t;
	list_insert_before(&t->held, &m->held);
}

/*
 * A contended lock queues the caller (most urgent first) and then lends its priority to
 * the owner, and through k_update_priority to whatever the owner waits for. Unlock hands
 * the mutex straight to the most urgent waiter, so a task of middle priority cannot slip
 * in between and take it.
 */
int rtos_mutex_lock(struct rtos_mutex *m, rtos_tick_t timeout)
{
	struct rtos_task *cur;
	uint32_t irq;
	int r = RTOS_OK;

	if (!k_can_block())
		return RTOS_E_CONTEXT;
	irq = rtos_arch_irq_save();
	cur = k.current;
	if (!m->owner) {
		take_ownership(m, cur);
	} else if (m->owner == cur) {
		r = RTOS_E_DEADLOCK;
	} else if (timeout == RTOS_NO_WAIT) {
		r = RTOS_E_WOULD_BLOCK;
	} else {
		cur->wants = m;
		k_block_prepare(&m->waiters, k_deadline_after(timeout));
		k_update_priority(m->owner);
		r = k_block_commit();
	}
	rtos_arch_irq_restore(irq);
	return r;
}

int rtos_mutex_unlock(struct rtos_mutex *m)
{
	struct rtos_task *cur, *next;
	uint32_t irq;

	if (!k_can_block())
		return RTOS_E_CONTEXT;
	irq = rtos_arch_irq_save();
	cur = k.current;
	if (m->owner != cur) {
		rtos_arch_irq_restore(irq);
		return RTOS_E_NOT_OWNER;
	}
	list_remove(&m->held);
	next = k_wait_queue_first(&m->waiters);
	if (next) {
		take_ownership(m, next);
		k_wake(next, RTOS_OK); /* also lets next inherit from the waiters left */
	} else {
		m->owner = NULL;
	}
	k_update_priority(cur);
	k_preempt_point();
	rtos_arch_irq_restore(irq);
	return RTOS_OK;
}

struct rtos_task *rtos_mutex_owner(const struct rtos_mutex *m)
{
	return m->owner;
}
