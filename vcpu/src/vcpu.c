/* SPDX-License-Identifier: MIT */
/* vCPU state machine: start (PSCI CPU_ON, cell start) and stop requests, which any CPU may
 * post but only the vCPU's own CPU carries out, on its exit path. */
#include <arch/atomic.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <vcpu/vcpu.h>
#include <vdev/vdev.h>

/*
 * A request bit already set has not been handled yet, and the hazard bit of its CPU is
 * either still set (that CPU has an SGI on its way, or is in its exit path) or about to
 * be handled: only the poster that turns a bit from 0 to 1 needs to interrupt the CPU. A
 * cell looping on a doorbell therefore costs the target CPU one SGI per handled request,
 * not one per call.
 */
void vcpu_post_request(struct vcpu *v, uint32_t req)
{
	if ((atomic_or(&v->hazards, req) & req) == req)
		return;
	if (atomic_or(&sched_of(v->pcpu)->pending, SCHED_PENDING_REQUESTS) & SCHED_PENDING_REQUESTS)
		return;
	if (v->pcpu != arch_pcpu_id())
		arch_send_reschedule(v->pcpu);
}

enum mv_status vcpu_start(struct vcpu *v, uint32_t entry, uint32_t context, bool load)
{
	uint32_t old = atomic_cmpxchg(&v->state, VCPU_OFF, VCPU_ON_PENDING);
	if (old == VCPU_ON_PENDING)
		return MV_E_ON_PENDING;
	if (old != VCPU_OFF)
		return MV_E_ALREADY_ON;
	v->start_entry = entry;
	v->start_context = context;
	v->start_load = load;
	vcpu_post_request(v, VCPU_REQ_START);
	return MV_OK;
}

/*
 * On the vCPU's own CPU (a channel notify or an SGI between vCPUs sharing a CPU) nothing
 * needs posting: this CPU owns its scheduler, so a vCPU in WFI is woken here and the exit
 * path re-decides, and a peer of higher priority runs straight away. The request word and
 * its round of handling are for kicks from other CPUs.
 */
void vcpu_kick(struct vcpu *v)
{
	if (v->pcpu != arch_pcpu_id()) {
		vcpu_post_request(v, VCPU_REQ_KICK);
		return;
	}
	if (v->state != VCPU_WFI)
		return; /* not blocked: it sees the vIRQ when it next runs */
	sched_remove(v->sched, v);
	sched_wake(v->sched, v);
	sched_hazard_resched(v->sched);
}

/* Takes `v` off this CPU: out of every queue, charged for the time it ran, its register
 * state discarded and nothing of its last life left to apply to the next. */
static void vcpu_stop_here(struct sched *s, struct vcpu *v)
{
	if (v->state == VCPU_WAIT_VDEV)
		vdev_cancel(v);
	sched_remove(s, v);
	if (s->current == v)
		sched_stop_current(s, v, arch_counter_now());
	if (s->loaded == v) {
		arch_vcpu_unload(v);
		s->loaded = NULL;
	}
	v->wake_at = UINT64_MAX;
	/* A completion posted before vdev_cancel() returned belongs to this life: dropped. */
	atomic_and(&v->hazards, ~(VCPU_HZ_MMIO | VCPU_REQ_VDEV_DONE));
	v->loading = false;
	v->start_load = false;
	v->state = VCPU_OFF;
	atomic_or(&s->pending, SCHED_PENDING_RESCHED);
}

/*
 * Handles the requests of `v` on its own CPU. A STOP is handled before a START read in
 * the same exchange: a START claimed before the stop (cell_vcpu_start refuses one after
 * it) is dropped with it, so no start outlives the life of the cell it was meant for.
 */
void vcpu_handle_requests(struct sched *s, struct vcpu *v)
{
	uint32_t req = atomic_and(&v->hazards, ~VCPU_HZ_REQUESTS) & VCPU_HZ_REQUESTS;
	if (req & VCPU_REQ_STOP) {
		vcpu_stop_here(s, v);
		cell_vcpu_stopped(v->cell);
	}
	if ((req & VCPU_REQ_KICK) && v->state == VCPU_WFI) {
		sched_remove(s, v);
		sched_wake(s, v);
	}
	if ((req & VCPU_REQ_VDEV_DONE) && v->state == VCPU_WAIT_VDEV) {
		sched_remove(s, v);               /* off the sleeper list of its timeout */
		vcpu_hazard_set(v, VCPU_HZ_MMIO); /* applied once `v` is loaded again */
		sched_wake(s, v);
	}
	if ((req & VCPU_REQ_START) && v->state == VCPU_ON_PENDING) {
		if (v->cell->state != CELL_RUNNING) {
			v->state = VCPU_OFF;
			return;
		}
		atomic_and(&v->hazards, ~VCPU_HZ_MMIO);
		if (v->start_load)
			v->loading = true; /* the exit path loads the image, then resets `v` */
		else
			arch_vcpu_reset(v, v->start_entry, v->start_context);
		v->start_load = false;
		/* The budget is not refilled: only a new period does that (sched.c). */
		sched_wake(s, v);
	}
}

void vcpu_hazard_set(struct vcpu *v, uint32_t hz)
{
	atomic_or(&v->hazards, hz);
}

void vcpu_enter_hazards(struct vcpu *v)
{
	if (!(v->hazards & VCPU_HZ_ENTRY))
		return;
	uint32_t hz = atomic_and(&v->hazards, ~VCPU_HZ_ENTRY) & VCPU_HZ_ENTRY;
	if (hz & VCPU_HZ_MMIO)
		arch_vcpu_mmio_complete(v, &v->vdev_req);
	if (hz & VCPU_HZ_VGIC)
		arch_vgic_flush(v);
}

void vcpu_off_self(struct sched *s, struct vcpu *v)
{
	vcpu_stop_here(s, v);
}
