/* SPDX-License-Identifier: MIT */
/* Kernel-internal state and helpers shared by the kernel's files: intrusive lists, the
 * scheduler's state, blocking and waking. Every k_* function runs with interrupts masked. */
#ifndef RTOS_KERNEL_INTERNAL_H
#define RTOS_KERNEL_INTERNAL_H

#include <rtos/arch.h>
#include <rtos/rtos.h>

#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

enum task_state {
	TASK_UNUSED = 0, /* never created, or exited */
	TASK_READY,      /* in a ready queue */
	TASK_RUNNING,    /* k.current; in no ready queue */
	TASK_BLOCKED,    /* waiting: on a wait queue, a timeout, or both */
};

#define STACK_PAINT 0xa5u
#define STACK_CANARY 0x5afe57acu

/*
 * Circular doubly linked lists with a head node. A node that is on no list has next ==
 * NULL, so "is it linked" needs no separate flag.
 */
static inline void list_init(struct rtos_node *head)
{
	head->next = head->prev = head;
}

static inline bool list_empty(const struct rtos_node *head)
{
	return head->next == head;
}

static inline bool node_linked(const struct rtos_node *n)
{
	return n->next != NULL;
}

/* Inserts n just before pos (at the tail when pos is the head). */
static inline void list_insert_before(struct rtos_node *pos, struct rtos_node *n)
{
	n->prev = pos->prev;
	n->next = pos;
	pos->prev->next = n;
	pos->prev = n;
}

static inline void list_remove(struct rtos_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = NULL;
}

static inline struct rtos_task *task_of_node(struct rtos_node *n)
{
	return container_of(n, struct rtos_task, node);
}

struct kernel {
	struct rtos_task *current;               /* NULL before rtos_start */
	struct rtos_node ready[RTOS_PRIO_COUNT]; /* FIFO per priority */
	uint32_t ready_bitmap;                   /* bit p: ready[p] is not empty */
	struct rtos_node timeouts;               /* armed timeouts, earliest first */
	rtos_tick_t slice_ticks;                 /* 0: no round-robin */
	rtos_tick_t slice_end;                   /* RTOS_FOREVER: no slice is being timed */
	rtos_tick_t programmed;                  /* the timer's deadline, RTOS_FOREVER if off */
	rtos_tick_t timer_irq_at;                /* counter at the latest timer interrupt */
	uint32_t isr_nesting;
	uint32_t switches;
	bool need_resched; /* a decision is due at the next chance */
	bool rotate;       /* the current task's slice is over */
	bool started;
	struct rtos_arch_ctx boot_ctx; /* rtos_start's caller */
};

extern struct kernel k;

/* Scheduler (sched.c). */
void k_ready(struct rtos_task *t);
void k_schedule(void);
void k_preempt_point(void);
int k_block(struct rtos_wait_queue *wq, rtos_tick_t deadline);
void k_block_prepare(struct rtos_wait_queue *wq, rtos_tick_t deadline);
int k_block_commit(void);
void k_wake(struct rtos_task *t, int result);
void k_wake_first(struct rtos_wait_queue *wq, int result);
void k_update_priority(struct rtos_task *t);
bool k_can_block(void);

/* Wait queues (sched.c). */
void k_wait_queue_init(struct rtos_wait_queue *wq);
static inline struct rtos_task *k_wait_queue_first(struct rtos_wait_queue *wq)
{
	return list_empty(&wq->tasks) ? NULL : task_of_node(wq->tasks.next);
}

/* Time (time.c). */
void k_time_init(void);
void k_timeout_arm(struct rtos_timeout *to, rtos_tick_t expires);
void k_timeout_disarm(struct rtos_timeout *to);
void k_timer_update(void);
rtos_tick_t k_deadline_after(rtos_tick_t timeout);

/* Mutexes (mutex.c): the highest priority waiting on a mutex t owns, or 0. */
uint8_t k_inherited_priority(const struct rtos_task *t);

/* Bytewise copy: the kernel uses no libc. */
static inline void k_copy(void *dst, const void *src, uint32_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (n--)
		*d++ = *s++;
}

#endif
