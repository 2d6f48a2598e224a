/* SPDX-License-Identifier: MIT */
/* vCPU objects: state machine, cross-CPU requests, and the per-CPU scheduler. */
#ifndef VCPU_VCPU_H
#define VCPU_VCPU_H

#include <microvisor/types.h>
#include <arch/vcpu_arch.h>

struct cell;
struct vdev;

/*
 * vCPU states. Only the physical CPU a vCPU is pinned to changes READY, RUNNING and WFI;
 * OFF -> ON_PENDING is claimed by compare-and-swap by whoever starts the vCPU (PSCI
 * CPU_ON from any CPU, or a cell (re)start), and completed by the owner CPU.
 *
 *   OFF --start--> ON_PENDING --owner--> READY <--> RUNNING --WFI--> WFI --irq/timer--> READY
 *    ^                                                |
 *    +---------------- stop request / CPU_OFF --------+
 */
enum vcpu_state {
	VCPU_OFF,
	VCPU_ON_PENDING,
	VCPU_READY,
	VCPU_RUNNING,
	VCPU_WFI,
	VCPU_WAIT_VDEV, /* blocked on a vdev access until its provider completes it */
};

/*
 * The vCPU's hazard word: all the work pending for it, set by any CPU with atomics and
 * tested in one place on its CPU's one exit path (NOVA's hazards).
 * Requests, handled when its CPU decides what to run (vcpu_handle_requests):
 */
#define VCPU_REQ_START (1u << 0)
#define VCPU_REQ_STOP (1u << 1)
#define VCPU_REQ_KICK (1u << 2)      /* a vIRQ became pending: wake from WFI */
#define VCPU_REQ_VDEV_DONE (1u << 3) /* its vdev access was completed */
#define VCPU_HZ_REQUESTS (VCPU_REQ_START | VCPU_REQ_STOP | VCPU_REQ_KICK | VCPU_REQ_VDEV_DONE)
/* Entry hazards, handled just before it is entered (vcpu_enter_hazards): */
#define VCPU_HZ_MMIO (1u << 4) /* finish its completed vdev access (value, step past) */
#define VCPU_HZ_VGIC (1u << 5) /* its pending vIRQs changed: refill the list registers */
#define VCPU_HZ_ENTRY (VCPU_HZ_MMIO | VCPU_HZ_VGIC)

/* A trapped access to a vdev window, from the consumer's syndrome (HSR ISS). */
struct vdev_request {
	struct vdev *vdev;
	uint32_t offset;   /* within the window */
	uint32_t size;     /* 1, 2 or 4 bytes */
	uint32_t value;    /* stored value, or the loaded one once completed */
	uint32_t srt;      /* register transferred */
	uint32_t tag;      /* names the request to the provider */
	uint32_t far;      /* faulting virtual address, for an abort */
	uint32_t insn_len; /* 2 or 4: how far to step past the access */
	bool write;
	bool sign_extend;
	bool taken;        /* handed to the provider by MV_CALL_VDEV_GET */
	bool abort;        /* completion: make the access abort */
	struct vcpu *next; /* vdev queue link */
};

struct vcpu {
	struct vcpu_arch arch;       /* first: the vectors save the guest frame at offset 0 */
	struct cell *cell;
	uint32_t index;              /* within the cell: vCPU n has virtual MPIDR Aff0 = n */
	uint32_t pcpu;               /* physical CPU it is pinned to */
	volatile uint32_t state;     /* enum vcpu_state */
	volatile uint32_t hazards;   /* VCPU_REQ_* and VCPU_HZ_* */
	uint32_t start_entry;        /* for VCPU_REQ_START */
	uint32_t start_context;
	bool start_load;             /* the START is a cell (re)start: load the image first */
	bool loading;                /* copying its cell's image, a chunk per scheduling step */
	uint32_t priority;           /* 0..31, higher runs first */
	uint64_t slice_ticks;        /* round-robin slice, counter ticks */
	uint64_t wake_at;            /* WFI wake-up time (counter), UINT64_MAX = none */
	/* CPU budget (deferrable server): `budget` ticks of running per `period`; 0 = none. */
	uint64_t budget, period;
	uint64_t remaining;          /* budget left in the current period */
	uint64_t replenish_at;       /* start of the next period */
	uint64_t run_start;          /* when it was last charged while running */
	bool throttled;              /* out of budget: parked until replenish_at */
	struct vcpu *rq_next;        /* run queue or sleeper list link */
	struct vdev_request vdev_req; /* valid in VCPU_WAIT_VDEV */
	uint32_t id;                 /* index in the system's vCPU array */
};

/* Per-physical-CPU scheduler state. Touched only by its own CPU, except `pending`.
 * Anything that may change which vCPU should run raises a `pending` hazard bit; the exit
 * path re-decides only then (NOVA-style), so a plain hypercall returns straight away. */
struct sched {
	struct vcpu *current;          /* NULL when idle */
	struct vcpu *loaded;           /* vCPU whose state is in the CPU registers, or NULL */
	struct vcpu *rq_head[32];      /* ready vCPUs per priority, FIFO */
	struct vcpu *rq_tail[32];
	uint32_t rq_bitmap;            /* bit p set: rq_head[p] non-empty */
	struct vcpu *sleepers;         /* WFI vCPUs with a wake time, earliest first */
	struct vcpu *throttled;        /* ready but out of budget, by replenish time */
	uint64_t slice_end;            /* counter value ending current's time slice */
	volatile uint32_t pending;     /* SCHED_PENDING_* hazard bits, set by any CPU */
	struct vcpu *pinned[CONFIG_MAX_VCPUS]; /* vCPUs pinned here, for request scans */
	uint32_t num_pinned;
	uint64_t switches;             /* vCPU switches, for statistics */
};

#define SCHED_PENDING_RESCHED (1u << 0) /* re-evaluate which vCPU runs */
#define SCHED_PENDING_REQUESTS (1u << 1) /* some pinned vCPU has requests */

struct sched *sched_of(unsigned pcpu);
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

/* Posts a request to a vCPU and kicks its CPU, with one SGI per 0->1 transition of the
 * request: a request already posted and not yet handled costs nothing. Any CPU. */
void vcpu_post_request(struct vcpu *v, uint32_t req);
/* PSCI CPU_ON semantics: OFF -> ON_PENDING, then start on its CPU. With `load`, the vCPU
 * first loads its cell's image (cell_load_step) and starts at the cell's entry. The caller
 * holds the cell's life lock and has checked that the cell is running (cell_vcpu_start). */
MV_MUST_CHECK enum mv_status vcpu_start(struct vcpu *v, uint32_t entry, uint32_t context,
					bool load);
/* PSCI CPU_OFF: the calling vCPU `v`, current on this CPU, turns itself off. */
void vcpu_off_self(struct sched *s, struct vcpu *v);
/* A vIRQ became pending for `v`: wake it if it waits in WFI. Callable from any CPU. */
void vcpu_kick(struct vcpu *v);
/* The current vCPU `v` blocks until vcpu_post_request(v, VCPU_REQ_VDEV_DONE), or until
 * `timeout` counter ticks pass (then vdev_timeout() aborts the access). */
void sched_block_vdev(struct sched *s, struct vcpu *v, uint64_t now, uint64_t timeout);
/* The current vCPU `v` leaves this CPU for good (stop, CPU_OFF): charged for its time. */
void sched_stop_current(struct sched *s, struct vcpu *v, uint64_t now);
/* Handles `v`'s pending requests on its own CPU. */
void vcpu_handle_requests(struct sched *s, struct vcpu *v);
/* Raises entry hazards of `v` (VCPU_HZ_*), from any CPU. */
void vcpu_hazard_set(struct vcpu *v, uint32_t hz);
/* Handles the entry hazards of `v`, loaded on this CPU and about to be entered. */
void vcpu_enter_hazards(struct vcpu *v);
/* The CPU's decision may have changed (an interrupt, a wake-up): re-decide on exit. */
void sched_hazard_resched(struct sched *s);
/* The vCPU whose state is in this CPU's registers, or NULL. */
struct vcpu *sched_loaded(const struct sched *s);

#endif
