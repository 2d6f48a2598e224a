/* SPDX-License-Identifier: MIT */
/* The per-physical-CPU scheduler: run queues, sleepers, budgets and the one exit path. */
#ifndef VCPU_SCHED_H
#define VCPU_SCHED_H

#include <microvisor/types.h>
#include <vcpu/vcpu.h> /* struct vcpu, for the inline fast path below */

/* Per-physical-CPU scheduler state. Touched only by its own CPU, except `pending`.
 * Anything that may change which vCPU should run raises a `pending` hazard bit; the exit
 * path re-decides only then (NOVA-style), so a plain hypercall returns straight away. */
struct sched {
	struct vcpu *current;     /* NULL when idle */
	struct vcpu *loaded;      /* vCPU whose state is in the CPU registers, or NULL */
	struct vcpu *rq_head[32]; /* ready vCPUs per priority, FIFO */
	struct vcpu *rq_tail[32];
	uint32_t rq_bitmap;                    /* bit p set: rq_head[p] non-empty */
	struct vcpu *sleepers;                 /* WFI vCPUs with a wake time, earliest first */
	struct vcpu *throttled;                /* ready but out of budget, by replenish time */
	uint64_t slice_end;                    /* counter value ending current's time slice */
	volatile uint32_t pending;             /* SCHED_PENDING_* hazard bits, set by any CPU */
	struct vcpu *pinned[CONFIG_MAX_VCPUS]; /* vCPUs pinned here, for request scans */
	uint32_t num_pinned;
	uint64_t switches; /* vCPU switches, for statistics */
};

#define SCHED_PENDING_RESCHED (1u << 0)  /* re-evaluate which vCPU runs */
#define SCHED_PENDING_REQUESTS (1u << 1) /* some pinned vCPU has requests */

extern struct sched sched_cpus[CONFIG_MAX_PCPUS];

static inline struct sched *sched_of(unsigned pcpu)
{
	return &sched_cpus[pcpu];
}
/* Microseconds in counter ticks, exactly (62.5 MHz counters are not whole ticks per us). */
uint64_t sched_us_to_ticks(uint32_t us);
void sched_init(unsigned pcpu);
void sched_pin(struct vcpu *v);

/* Makes a READY vCPU runnable on this CPU (v->pcpu must be this CPU). */
void sched_enqueue(struct sched *s, struct vcpu *v);
/* A blocked or new vCPU becomes ready (or throttled, if its budget is spent). */
void sched_wake(struct sched *s, struct vcpu *v);
/* Highest-priority ready vCPU, removed from its queue, or NULL. */
struct vcpu *sched_dequeue_best(struct sched *s);
/* Removes `v` from the run queue or sleeper list it is on (no-op if on none). */
void sched_remove(struct sched *s, struct vcpu *v);

/* The vCPU executed WFI: block it until its virtual timer fires (or any later wake-up). */
void sched_block_wfi(struct sched *s, struct vcpu *v, uint64_t now);
/* HYP timer expired: wake due sleepers and end the slice if it is over. */
void sched_timer_expired(struct sched *s, uint64_t now);
/* Gives up the rest of the slice. */
void sched_yield(struct sched *s);

/*
 * The single exit path: handles requests and hazards, picks the vCPU to run, switches to
 * it and re-arms the HYP timer. Idles inside when nothing is runnable. Returns the vCPU to
 * resume (never NULL).
 */
struct vcpu *sched_exit_path(struct sched *s);

/* The exit path's fast case, inline: no hazard raised since the last decision, so it
 * still stands and the HYP timer is still armed for it. */
static inline struct vcpu *sched_exit(struct sched *s)
{
	struct vcpu *cur = s->current;
	if (!s->pending && cur && cur->state == VCPU_RUNNING)
		return cur;
	return sched_exit_path(s);
}

/* True when `v`, current on this CPU, may be resumed without the exit path: no hazard of
 * its CPU or entry hazard of its own is raised (the lean HVC path's test). */
static inline bool sched_resume_at_once(const struct vcpu *v)
{
	return !(v->sched->pending | (v->hazards & VCPU_HZ_ENTRY));
}

/* The current vCPU `v` leaves this CPU for good (stop, CPU_OFF): charged for its time. */
void sched_stop_current(struct sched *s, struct vcpu *v, uint64_t now);
/* The CPU's decision may have changed (an interrupt, a wake-up): re-decide on exit. */
void sched_hazard_resched(struct sched *s);
/* The vCPU whose state is in this CPU's registers, or NULL. */
struct vcpu *sched_loaded(const struct sched *s);

#endif
