/* SPDX-License-Identifier: MIT */
/* vCPU state machine: start (PSCI CPU_ON, cell start) and stop requests, which any CPU may
 * post but only the vCPU's own CPU carries out, on its exit path. */
#include <arch/atomic.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <vcpu/vcpu.h>
#include <vdev/vdev.h>

void vcpu_post_request(struct vcpu *v, uint32_t req)
{
	atomic_or(&v->requests, req);
	atomic_or(&sched_of(v->pcpu)->pending, SCHED_PENDING_REQUESTS);
	if (v->pcpu != arch_pcpu_id())
		arch_send_reschedule(v->pcpu);
}

enum mv_status vcpu_start(struct vcpu *v, uint32_t entry, uint32_t context)
{
	uint32_t old = atomic_cmpxchg(&v->state, VCPU_OFF, VCPU_ON_PENDING);
	if (old == VCPU_ON_PENDING)
		return MV_E_ON_PENDING;
	if (old != VCPU_OFF)
		return MV_E_ALREADY_ON;
	v->start_entry = entry;
	v->start_context = context;
	vcpu_post_request(v, VCPU_REQ_START);
	return MV_OK;
}

void vcpu_kick(struct vcpu *v)
{
	vcpu_post_request(v, VCPU_REQ_KICK);
}

/* Takes `v` off this CPU: out of every queue, its register state discarded. */
static void vcpu_stop_here(struct sched *s, struct vcpu *v)
{
	if (v->state == VCPU_WAIT_VDEV)
		vdev_cancel(v);
	sched_remove(s, v);
	if (s->current == v)
		s->current = NULL;
	if (s->loaded == v) {
		arch_vcpu_unload(v);
		s->loaded = NULL;
	}
	v->wake_at = UINT64_MAX;
	v->state = VCPU_OFF;
	atomic_or(&s->pending, SCHED_PENDING_RESCHED);
}

void vcpu_handle_requests(struct sched *s, struct vcpu *v)
{
	uint32_t req = atomic_xchg(&v->requests, 0);
	if (req & VCPU_REQ_STOP) {
		vcpu_stop_here(s, v);
		cell_vcpu_stopped(v->cell);
	}
	if ((req & VCPU_REQ_KICK) && v->state == VCPU_WFI) {
		sched_remove(s, v);
		sched_wake(s, v);
	}
	if ((req & VCPU_REQ_VDEV_DONE) && v->state == VCPU_WAIT_VDEV) {
		v->vdev_req.done = true; /* applied by the arch once `v` is loaded again */
		sched_wake(s, v);
	}
	if ((req & VCPU_REQ_START) && v->state == VCPU_ON_PENDING) {
		/* A start racing with a stop of the whole cell loses: the cell is going down. */
		if (v->cell->state != CELL_RUNNING) {
			v->state = VCPU_OFF;
			return;
		}
		arch_vcpu_reset(v, v->start_entry, v->start_context);
		if (v->start_dtb) /* Linux boot protocol: r1 = ~0 (no machine ID), r2 = DTB */
			arch_vcpu_set_result(v, 0, 0xffffffffu, v->start_dtb, 0);
		v->start_dtb = 0;
		v->remaining = v->budget;
		v->replenish_at = arch_counter_now() + v->period;
		sched_wake(s, v);
	}
}

void vcpu_off_self(struct sched *s, struct vcpu *v)
{
	vcpu_stop_here(s, v);
}
