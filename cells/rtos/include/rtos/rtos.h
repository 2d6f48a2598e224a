/* SPDX-License-Identifier: MIT */
/* The RTOS cell's kernel API: what an application is written against (docs/rtos.md).
 * Freestanding C11; every object is allocated by the caller, the kernel never allocates. */
#ifndef RTOS_RTOS_H
#define RTOS_RTOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rtos/arch_ctx.h>

/*
 * Conventions
 * -----------
 * Time is counted in ticks of the virtual counter (CNTVCT, rtos_tick_hz() per second:
 * 62.5 MHz on QEMU's vexpress-a15, 16 ns a tick). The kernel is tickless: it programs the
 * virtual timer for the next thing that has to happen, so a timeout or period of n ticks
 * ends exactly n ticks later, whatever n is. Absolute times (`deadline`, `release`) are
 * counter values; durations (`timeout`, `period`, `delay`) are tick counts.
 *
 * A timeout is either RTOS_NO_WAIT (fail at once with RTOS_E_WOULD_BLOCK instead of
 * blocking), a number of ticks, or RTOS_FOREVER.
 *
 * Priorities are 1 (least urgent) to RTOS_PRIO_MAX (most urgent); 0 is the idle task's. A
 * ready task always runs before every ready task of lower priority; tasks of equal
 * priority share the CPU round-robin on the time slice (rtos_set_time_slice).
 *
 * Contexts: "task" means called from a task after rtos_start. "any" means also from an
 * interrupt handler (rtos_irq_attach), a software-timer callback (which runs in the timer
 * interrupt) and before rtos_start; there a function never blocks: a timeout other than
 * RTOS_NO_WAIT gives RTOS_E_CONTEXT. Every function returning int returns RTOS_OK or
 * one of the negative enum rtos_status values listed with it.
 *
 * Structures below are allocated by the application (statically, usually) and passed by
 * pointer; their fields are the kernel's and must not be touched, except where noted.
 */
typedef uint64_t rtos_tick_t;

#define RTOS_NO_WAIT ((rtos_tick_t)0)
#define RTOS_FOREVER UINT64_MAX
#define RTOS_PRIO_MAX 31u
#define RTOS_PRIO_COUNT 32u
#define RTOS_STACK_MIN 512u /* bytes a task's stack needs besides its own use */

enum rtos_status {
	RTOS_OK = 0,
	RTOS_E_TIMEOUT = -1,     /* the timeout expired first */
	RTOS_E_WOULD_BLOCK = -2, /* RTOS_NO_WAIT and the operation cannot complete now */
	RTOS_E_INVALID = -3,     /* an argument is out of range */
	RTOS_E_CONTEXT = -4,     /* would block outside a task (interrupt, before start) */
	RTOS_E_NOT_OWNER = -5,   /* mutex unlock by a task that does not own it */
	RTOS_E_DEADLOCK = -6,    /* mutex lock by the task that already owns it */
	RTOS_E_OVERFLOW = -7,    /* semaphore give at its maximum count */
};

/* Kernel-private building blocks of the objects below. */
struct rtos_node {
	struct rtos_node *next, *prev;
};

struct rtos_wait_queue {
	struct rtos_node tasks; /* blocked tasks, most urgent first, FIFO among equals */
};

struct rtos_timeout {
	struct rtos_node node; /* in the kernel's deadline-ordered list while armed */
	rtos_tick_t expires;
	void (*fire)(struct rtos_timeout *to);
};

struct rtos_mutex;

struct rtos_task {
	struct rtos_arch_ctx ctx;
	struct rtos_node node;           /* ready queue or wait queue */
	struct rtos_timeout timeout;     /* delay, periodic release or blocking timeout */
	struct rtos_node held;           /* mutexes this task owns */
	struct rtos_wait_queue *waiting; /* the wait queue it is blocked on, if any */
	struct rtos_mutex *wants;        /* the mutex it is blocked on, if any */
	void *transfer;                  /* message buffer of a blocked queue operation */
	const char *name;
	void (*entry)(void *arg);
	void *arg;
	uint8_t *stack;
	size_t stack_bytes;
	int wait_result;
	uint8_t base_priority; /* as set by the application */
	uint8_t priority;      /* effective: base raised by priority inheritance */
	uint8_t state;
};

/* ---------------------------------------------------------------------------------------
 * Kernel
 */

/*
 * Resets the kernel: no tasks, no timers, time slice 10 ms. Sets up the interrupt
 * controller and the virtual timer. Call once, before anything else. Context: before
 * rtos_start.
 */
void rtos_init(void);

/*
 * Starts scheduling: the most urgent task created so far runs, and the caller's context is
 * abandoned (on the hardware this never returns; the host port used by the unit tests
 * returns when its simulation ends). Creates the idle task, which waits for interrupts
 * (WFI) whenever nothing else is ready. Context: once, after rtos_init.
 */
void rtos_start(void);

/*
 * Round-robin time slice among tasks of equal priority, in ticks; 0 turns round-robin off
 * (a task then runs until it blocks, yields or is preempted). A slice is only timed while
 * another task of the same priority is ready, so uncontested tasks take no timer
 * interrupts. Context: any.
 */
void rtos_set_time_slice(rtos_tick_t ticks);

/* Context switches since rtos_init: a cheap activity counter. Context: any. */
uint32_t rtos_context_switches(void);

/* ---------------------------------------------------------------------------------------
 * Time
 */

/* The current time: the virtual counter, in ticks. Context: any. */
rtos_tick_t rtos_now(void);

/* Ticks per second of the counter. Context: any. */
uint32_t rtos_tick_hz(void);

/*
 * The counter when the kernel's timer interrupt handler last started: with a release's
 * deadline it splits a task's release latency into the part before the kernel saw the
 * interrupt (hardware, hypervisor, vector) and the kernel's own part. Context: any.
 */
rtos_tick_t rtos_last_timer_irq(void);

/* Conversions, rounding down (ticks from microseconds or milliseconds, nanoseconds from
 * ticks); they saturate at RTOS_FOREVER instead of wrapping. Context: any. */
rtos_tick_t rtos_us_to_ticks(uint64_t us);
rtos_tick_t rtos_ms_to_ticks(uint64_t ms);
uint64_t rtos_ticks_to_ns(rtos_tick_t ticks);

/* ---------------------------------------------------------------------------------------
 * Tasks
 */

/*
 * Creates a task that runs entry(arg) at `priority` (1..RTOS_PRIO_MAX) on the given stack
 * (`stack_bytes` >= RTOS_STACK_MIN plus what the task itself uses; 8-byte aligned, whole
 * words; interrupt handlers run on a stack of their own). The task is ready at once, and
 * if it is more urgent than the caller it runs before rtos_task_create returns. When
 * entry returns the task exits, as with rtos_task_exit. `name` is kept, not copied.
 * Errors: RTOS_E_INVALID (NULL task, entry or stack, bad priority, stack too small or
 * misaligned). Context: task or before rtos_start.
 */
int rtos_task_create(struct rtos_task *t, const char *name, void (*entry)(void *arg), void *arg,
		     uint8_t priority, void *stack, size_t stack_bytes);

/* Ends the calling task. It must not own a mutex (the kernel stops with a fatal error if it
 * does). Context: task. */
void rtos_task_exit(void) __attribute__((noreturn));

/* The calling task; NULL outside tasks (before rtos_start, in interrupt context). */
struct rtos_task *rtos_task_self(void);

/* The task's name as given to rtos_task_create. Context: any. */
const char *rtos_task_name(const struct rtos_task *t);

/*
 * Sets the task's base priority (1..RTOS_PRIO_MAX). Its effective priority is the higher
 * of that and the priorities it inherits through the mutexes it owns. The caller is
 * preempted at once if this makes another task more urgent. Errors: RTOS_E_INVALID.
 * Context: any (not on a task that has exited).
 */
int rtos_task_set_priority(struct rtos_task *t, uint8_t priority);

/* The task's effective priority (base or inherited). Context: any. */
uint8_t rtos_task_priority(const struct rtos_task *t);

/* Bytes of the task's stack never written so far (stacks are painted at creation): the
 * head-room left by its deepest use. Context: any. */
size_t rtos_task_stack_unused(const struct rtos_task *t);

/* Gives the CPU to the next ready task of the same priority, if any. Context: task. */
void rtos_yield(void);

/* Blocks the caller for `ticks` ticks (0 yields). -> RTOS_OK; RTOS_E_CONTEXT outside a
 * task. */
int rtos_delay(rtos_tick_t ticks);

/* Blocks the caller until the counter reaches `deadline` (returns at once when it has).
 * -> RTOS_OK; RTOS_E_CONTEXT outside a task. */
int rtos_delay_until(rtos_tick_t deadline);

/* ---------------------------------------------------------------------------------------
 * Periodic activation: absolute releases, so a period never drifts by the time the task
 * takes to run or by how late it is woken.
 */
struct rtos_periodic {
	rtos_tick_t release; /* the release being served: read it after rtos_periodic_wait */
	rtos_tick_t next;    /* the next release */
	rtos_tick_t period;
};

/* Releases at first_release, first_release + period, ... (period > 0). Errors:
 * RTOS_E_INVALID. Context: any. */
int rtos_periodic_init(struct rtos_periodic *p, rtos_tick_t first_release, rtos_tick_t period);

/*
 * Blocks until the next release and makes it p->release. A release is never lost to a
 * short overrun: when the caller comes back late but within one period of the next
 * release, that release is served at once without blocking. Releases that are wholly past
 * (the caller is more than a period late) are skipped: p->release becomes the latest
 * release not in the future, and *skipped (if not NULL) counts the releases skipped, else
 * 0. -> RTOS_OK; RTOS_E_CONTEXT outside a task.
 */
int rtos_periodic_wait(struct rtos_periodic *p, uint32_t *skipped);

/* The period from the next release on: releases continue from the last one served, at
 * the new period (> 0). Errors: RTOS_E_INVALID. Context: the task that waits on p. */
int rtos_periodic_set_period(struct rtos_periodic *p, rtos_tick_t period);

/* ---------------------------------------------------------------------------------------
 * Counting semaphores
 */
struct rtos_sem {
	struct rtos_wait_queue waiters;
	uint32_t count, max;
};

/* count = initial, at most max (max >= 1, initial <= max). Errors: RTOS_E_INVALID.
 * Context: any, before the semaphore is used. */
int rtos_sem_init(struct rtos_sem *s, uint32_t initial, uint32_t max);

/*
 * Takes one unit, waiting up to `timeout` for one. Waiters are served most urgent first,
 * FIFO among equals. -> RTOS_OK; RTOS_E_WOULD_BLOCK (RTOS_NO_WAIT, count 0);
 * RTOS_E_TIMEOUT; RTOS_E_CONTEXT (would block outside a task). Context: any.
 */
int rtos_sem_take(struct rtos_sem *s, rtos_tick_t timeout);

/*
 * Gives one unit: hands it to the most urgent waiter, which runs at once if it is more
 * urgent than the caller (from an interrupt: when the interrupt returns). ->
 * RTOS_OK; RTOS_E_OVERFLOW (no waiter and count already at max; nothing changes).
 * Context: any.
 */
int rtos_sem_give(struct rtos_sem *s);

/* The current count. Context: any. */
uint32_t rtos_sem_count(const struct rtos_sem *s);

/* ---------------------------------------------------------------------------------------
 * Mutexes with priority inheritance. While a task waits for a mutex, the owner runs at
 * least at the waiter's priority, transitively along a chain of owners each waiting for
 * the next; when it unlocks, it drops to what its remaining mutexes still justify and the
 * most urgent waiter becomes the owner at once. Not recursive.
 */
struct rtos_mutex {
	struct rtos_wait_queue waiters;
	struct rtos_task *owner;
	struct rtos_node held; /* in the owner's list of mutexes */
};

/* An unlocked mutex. Context: any, before the mutex is used. */
void rtos_mutex_init(struct rtos_mutex *m);

/*
 * Locks m, waiting up to `timeout`. -> RTOS_OK; RTOS_E_WOULD_BLOCK (RTOS_NO_WAIT and m is
 * locked); RTOS_E_TIMEOUT; RTOS_E_DEADLOCK (the caller owns m already); RTOS_E_CONTEXT
 * (outside a task: interrupt handlers cannot own mutexes). Context: task.
 */
int rtos_mutex_lock(struct rtos_mutex *m, rtos_tick_t timeout);

/* Unlocks m (any order of nested mutexes is allowed). -> RTOS_OK; RTOS_E_NOT_OWNER;
 * RTOS_E_CONTEXT. Context: task. */
int rtos_mutex_unlock(struct rtos_mutex *m);

/* The owner, or NULL. Context: any. */
struct rtos_task *rtos_mutex_owner(const struct rtos_mutex *m);

/* ---------------------------------------------------------------------------------------
 * Message queues: FIFOs of fixed-size messages, copied in and out by value.
 */
struct rtos_queue {
	struct rtos_wait_queue senders, receivers;
	uint8_t *storage;
	uint32_t msg_size, capacity;
	uint32_t head, count;
};

/*
 * A queue of `capacity` messages of `msg_size` bytes each (both >= 1) in `storage`, which
 * must hold msg_size * capacity bytes and outlive the queue. Errors: RTOS_E_INVALID.
 * Context: any, before the queue is used.
 */
int rtos_queue_init(struct rtos_queue *q, void *storage, uint32_t msg_size, uint32_t capacity);

/*
 * Appends a copy of msg (msg_size bytes), waiting up to `timeout` for room. A waiting
 * receiver gets the message directly. -> RTOS_OK; RTOS_E_WOULD_BLOCK (RTOS_NO_WAIT and
 * full); RTOS_E_TIMEOUT; RTOS_E_CONTEXT. Context: any.
 */
int rtos_queue_send(struct rtos_queue *q, const void *msg, rtos_tick_t timeout);

/*
 * Removes the oldest message into msg (msg_size bytes), waiting up to `timeout` for one.
 * -> RTOS_OK; RTOS_E_WOULD_BLOCK (RTOS_NO_WAIT and empty); RTOS_E_TIMEOUT;
 * RTOS_E_CONTEXT. Context: any.
 */
int rtos_queue_recv(struct rtos_queue *q, void *msg, rtos_tick_t timeout);

/* Messages waiting in the queue. Context: any. */
uint32_t rtos_queue_count(const struct rtos_queue *q);

/* ---------------------------------------------------------------------------------------
 * Software timers. The callback runs in the timer interrupt, with interrupts masked: it
 * must be short and may only call functions allowed in "any" context, without blocking
 * (give a semaphore, send with RTOS_NO_WAIT, start or stop timers).
 */
struct rtos_timer;
typedef void (*rtos_timer_fn)(struct rtos_timer *t, void *arg);

struct rtos_timer {
	struct rtos_timeout timeout;
	rtos_tick_t period;
	rtos_timer_fn fn;
	void *arg;
	uint32_t overruns; /* periods skipped because the callback ran that late; app may read */
};

/* A stopped timer calling fn(t, arg). Context: any, before the timer is used. */
void rtos_timer_init(struct rtos_timer *t, rtos_timer_fn fn, void *arg);

/*
 * (Re)starts the timer: it expires `delay` ticks from now and then, if period > 0, every
 * `period` ticks after that first expiry (absolute, no drift). Errors: RTOS_E_INVALID
 * (NULL timer or callback). Context: any.
 */
int rtos_timer_start(struct rtos_timer *t, rtos_tick_t delay, rtos_tick_t period);

/* Stops the timer; a stopped timer is left alone. Context: any. */
void rtos_timer_stop(struct rtos_timer *t);

/* Whether the timer will expire again. Context: any. */
bool rtos_timer_active(const struct rtos_timer *t);

/* ---------------------------------------------------------------------------------------
 * Interrupts and critical sections
 */

/*
 * Routes virtual interrupt `id` (the cell's GIC numbering: SGIs 0-15, PPIs 16-31, SPIs
 * 32-127, e.g. a channel doorbell) to handler(id, arg) and enables it. Handlers run on the
 * interrupt stack with interrupts masked and may call "any"-context functions; a task they
 * make ready runs when the interrupt returns. Errors: RTOS_E_INVALID (id out of range, NULL
 * handler, or the virtual timer's PPI 27, which the kernel owns). Context: any.
 */
int rtos_irq_attach(uint32_t id, void (*handler)(uint32_t id, void *arg), void *arg);

/* Whether the caller runs in interrupt context (a handler or a timer callback). */
bool rtos_in_isr(void);

/* Masks interrupts and returns the previous state for rtos_irq_unlock: a critical section
 * against interrupt handlers and preemption. Keep it short. Context: any. */
uint32_t rtos_irq_lock(void);
void rtos_irq_unlock(uint32_t state);

/* ---------------------------------------------------------------------------------------
 * Console
 */

/*
 * Formatted output on the cell's console (the console cell's channel, or the microvisor's
 * debug console). Formats: %d %u %x %s %c with an optional zero-padded width (%08x), and
 * ll for 64-bit values (%llu); a line must stay under 120 characters. What one call prints
 * comes out whole: tasks take turns through a kernel mutex. Context: task or before
 * rtos_start (from interrupt context the output is dropped: printing takes hypercalls and
 * would delay every task).
 */
void rtos_printf(const char *fmt, ...);

#endif
