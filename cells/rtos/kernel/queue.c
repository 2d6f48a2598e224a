/* SPDX-License-Identifier: MIT */
/* Message queues: a ring of fixed-size slots; a message goes straight from sender to a
 * waiting receiver (or from a waiting sender into the slot a receiver frees). */
#include "internal.h"

int rtos_queue_init(struct rtos_queue *q, void *storage, uint32_t msg_size, uint32_t capacity)
{
	if (!q || !storage || !msg_size || !capacity || capacity > UINT32_MAX / msg_size)
		return RTOS_E_INVALID;
	k_wait_queue_init(&q->senders);
	k_wait_queue_init(&q->receivers);
	q->storage = storage;
	q->msg_size = msg_size;
	q->capacity = capacity;
	q->head = q->count = 0;
	return RTOS_OK;
}

/* The i-th message from the oldest. */
static uint8_t *slot(const struct rtos_queue *q, uint32_t i)
{
	uint32_t at = q->head + i;

	if (at >= q->capacity)
		at -= q->capacity;
	return q->storage + (size_t)at * q->msg_size;
}

int rtos_queue_send(struct rtos_queue *q, const void *msg, rtos_tick_t timeout)
{
	uint32_t irq = rtos_arch_irq_save();
	struct rtos_task *rx = k_wait_queue_first(&q->receivers);
	int r = RTOS_OK;

	if (rx) { /* the queue is empty: hand the message over */
		k_copy(rx->transfer, msg, q->msg_size);
		k_wake(rx, RTOS_OK);
		k_preempt_point();
	} else if (q->count < q->capacity) {
		k_copy(slot(q, q->count), msg, q->msg_size);
		q->count++;
	} else if (timeout == RTOS_NO_WAIT) {
		r = RTOS_E_WOULD_BLOCK;
	} else if (!k_can_block()) {
		r = RTOS_E_CONTEXT;
	} else {
		k.current->transfer = (void *)(uintptr_t)msg; /* only read, by a receiver */
		r = k_block(&q->senders, k_deadline_after(timeout));
	}
	rtos_arch_irq_restore(irq);
	return r;
}

int rtos_queue_recv(struct rtos_queue *q, void *msg, rtos_tick_t timeout)
{
	uint32_t irq = rtos_arch_irq_save();
	int r = RTOS_OK;

	if (q->count) {
		struct rtos_task *tx = k_wait_queue_first(&q->senders);
		k_copy(msg, slot(q, 0), q->msg_size);
		q->head = q->head + 1 == q->capacity ? 0 : q->head + 1;
		q->count--;
		if (tx) { /* the queue was full: the longest-waiting urgent sender gets the slot */
			k_copy(slot(q, q->count), tx->transfer, q->msg_size);
			q->count++;
			k_wake(tx, RTOS_OK);
			k_preempt_point();
		}
	} else if (timeout == RTOS_NO_WAIT) {
		r = RTOS_E_WOULD_BLOCK;
	} else if (!k_can_block()) {
		r = RTOS_E_CONTEXT;
	} else {
		k.current->transfer = msg;
		r = k_block(&q->receivers, k_deadline_after(timeout));
	}
	rtos_arch_irq_restore(irq);
	return r;
}

uint32_t rtos_queue_count(const struct rtos_queue *q)
{
	return q->count;
}
