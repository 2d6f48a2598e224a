/* SPDX-License-Identifier: MIT */
/* vCPU objects: state, the hazard word and cross-CPU requests (the scheduler: sched.h). */
#ifndef VCPU_VCPU_H
#define VCPU_VCPU_H

#include <microvisor/types.h>
#include <arch/vcpu_arch.h>
#include <vdev/request.h>

struct cell;
struct sched;

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

struct vcpu {
	struct vcpu_arch arch; /* first: the vectors save the guest frame at offset 0 */
	struct cell *cell;
	uint32_t index;            /* within the cell: vCPU n has virtual MPIDR Aff0 = n */
	uint32_t pcpu;             /* physical CPU it is pinned to */
	struct sched *sched;       /* that CPU's scheduler, sched_of(pcpu) (set by sched_pin) */
	volatile uint32_t state;   /* enum vcpu_state */
	volatile uint32_t hazards; /* VCPU_REQ_* and VCPU_HZ_* */
	uint32_t start_entry;      /* for VCPU_REQ_START */
	uint32_t start_context;
	bool start_load;      /* the START is a cell (re)start: load the image first */
	bool loading;         /* copying its cell's image, a chunk per scheduling step */
	uint32_t priority;    /* 0..31, higher runs first */
	uint64_t slice_ticks; /* round-robin slice, counter ticks */
	uint64_t wake_at;     /* WFI wake-up time (counter), UINT64_MAX = none */
	/* CPU budget (deferrable server): `budget` ticks of running per `period`; 0 = none. */
	uint64_t budget, period;
	uint64_t remaining;           /* budget left in the current period */
	uint64_t replenish_at;        /* start of the next period */
	uint64_t run_start;           /* when it was last charged while running */
	bool throttled;               /* out of budget: parked until replenish_at */
	struct vcpu *rq_next;         /* run queue or sleeper list link */
	struct vdev_request vdev_req; /* valid in VCPU_WAIT_VDEV */
	uint32_t id;                  /* index in the system's vCPU array */
};

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
/* A vIRQ became pending for `v`: wake it if it waits in WFI. Callable from any CPU; on
 * `v`'s own CPU it is woken at once, from another one by a request. */
void vcpu_kick(struct vcpu *v);
/* The current vCPU `v` blocks until vcpu_post_request(v, VCPU_REQ_VDEV_DONE), or until
 * `timeout` counter ticks pass (then vdev_timeout() aborts the access). */
void sched_block_vdev(struct sched *s, struct vcpu *v, uint64_t now, uint64_t timeout);
/* Handles `v`'s pending requests on its own CPU. */
void vcpu_handle_requests(struct sched *s, struct vcpu *v);
/* Raises entry hazards of `v` (VCPU_HZ_*), from any CPU. */
void vcpu_hazard_set(struct vcpu *v, uint32_t hz);
/* Handles the entry hazards of `v`, loaded on this CPU and about to be entered. */
void vcpu_enter_hazards(struct vcpu *v);

#include <vcpu/sched.h>

#endif
