/* SPDX-License-Identifier: MIT */
/* vdevs: a trapped consumer access becomes a request queued for the provider cell, whose
 * vIRQ is raised; the consumer vCPU blocks until the provider completes the request (or
 * stops, which aborts it). Requests live in the blocked vCPUs themselves: one each. */
#include <arch/atomic.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/log.h>
#include <vdev/vdev.h>

static struct vdev vdevs[MV_BOOT_MAX_VDEVS];
static uint32_t num_vdevs;

void vdevs_create(const struct mv_boot_header *hdr)
{
	const struct mv_boot_vdev *bv = (const void *)((const uint8_t *)hdr + hdr->vdevs_offset);
	for (uint32_t i = 0; i < hdr->num_vdevs; i++) {
		struct vdev *vd = &vdevs[i];
		vd->boot = &bv[i];
		vd->consumer = &cells[bv[i].consumer];
		vd->provider = &cells[bv[i].provider];
		if (vd->provider->num_vdevs == CELL_MAX_VDEVS)
			panic("cell %s: provides more than %u vdevs", vd->provider->boot->name,
			      CELL_MAX_VDEVS);
		vd->provider->vdevs[vd->provider->num_vdevs++] = vd;
		log_printf("vdev %s: %s -> %s at %08x\n", bv[i].name, vd->consumer->boot->name,
			   vd->provider->boot->name, (unsigned)bv[i].ipa);
	}
	num_vdevs = hdr->num_vdevs;
}

static struct vdev *vdev_at(const struct cell *c, uint32_t ipa)
{
	for (uint32_t i = 0; i < num_vdevs; i++)
		if (vdevs[i].consumer == c &&
		    range_contains(vdevs[i].boot->ipa, vdevs[i].boot->size, ipa))
			return &vdevs[i];
	return NULL;
}

/* Unlinks `v` from the queue; the caller holds the lock. */
static bool unqueue(struct vdev *vd, const struct vcpu *v)
{
	struct vcpu *prev = NULL;
	for (struct vcpu *q = vd->queue_head; q; prev = q, q = q->vdev_req.next) {
		if (q != v)
			continue;
		if (prev)
			prev->vdev_req.next = q->vdev_req.next;
		else
			vd->queue_head = q->vdev_req.next;
		if (vd->queue_tail == q)
			vd->queue_tail = prev;
		return true;
	}
	return false;
}

bool vdev_submit(struct vcpu *v, uint32_t ipa, struct vdev_request *req)
{
	struct vdev *vd = vdev_at(v->cell, ipa);
	if (!vd)
		return false;
	req->vdev = vd;
	req->offset = ipa - vd->boot->ipa;
	req->next = NULL;
	req->taken = req->abort = false;
	/* The provider's state is read under the lock that vdev_provider_stopped() drains
	 * the queue under: a request is either queued before that drain or never queued. */
	spin_lock(&vd->lock);
	if (vd->provider->state != CELL_RUNNING) {
		spin_unlock(&vd->lock);
		req->abort = true; /* nobody to answer: fail now rather than block forever */
		arch_vcpu_mmio_complete(v, req);
		return true;
	}
	req->tag = (++vd->seq << 8) | (v->id & 0xffu);
	v->vdev_req = *req;
	sched_block_vdev(sched_of(v->pcpu), v, arch_counter_now(),
			 sched_us_to_ticks(CONFIG_VDEV_TIMEOUT_US));
	if (vd->queue_tail)
		vd->queue_tail->vdev_req.next = v;
	else
		vd->queue_head = v;
	vd->queue_tail = v;
	spin_unlock(&vd->lock);
	arch_virq_raise(vd->provider, vd->boot->provider_virq);
	return true;
}

void vdev_cancel(struct vcpu *v)
{
	struct vdev *vd = v->vdev_req.vdev;
	spin_lock(&vd->lock);
	unqueue(vd, v);
	spin_unlock(&vd->lock);
}

bool vdev_timeout(struct vcpu *v)
{
	struct vdev *vd = v->vdev_req.vdev;
	spin_lock(&vd->lock);
	bool queued = unqueue(vd, v);
	spin_unlock(&vd->lock);
	if (queued)
		v->vdev_req.abort = true;
	return queued;
}

void vdev_provider_stopped(struct cell *provider)
{
	for (uint32_t i = 0; i < provider->num_vdevs; i++) {
		struct vdev *vd = provider->vdevs[i];
		spin_lock(&vd->lock);
		for (struct vcpu *q = vd->queue_head; q; q = q->vdev_req.next) {
			q->vdev_req.abort = true;
			vcpu_post_request(q, VCPU_REQ_VDEV_DONE);
		}
		vd->queue_head = vd->queue_tail = NULL;
		spin_unlock(&vd->lock);
	}
}

static enum mv_status decode_vdev(const struct vcpu *v, const struct smccc_args *a,
				  struct vdev **vd)
{
	uint32_t n = a->r[1];
	if (n >= v->cell->num_vdevs)
		return MV_E_INVALID_PARAMETERS;
	*vd = v->cell->vdevs[n];
	return MV_OK;
}

struct smccc_result hc_vdev_get(struct vcpu *v, const struct smccc_args *a)
{
	struct vdev *vd;
	enum mv_status st = decode_vdev(v, a, &vd);
	if (st != MV_OK)
		return smccc_status(st);
	spin_lock(&vd->lock);
	struct vcpu *q = vd->queue_head;
	while (q && q->vdev_req.taken)
		q = q->vdev_req.next;
	if (!q) {
		spin_unlock(&vd->lock);
		return smccc_status(MV_E_NOT_PRESENT);
	}
	struct vdev_request *r = &q->vdev_req;
	r->taken = true;
	struct smccc_result res =
		smccc_ret(MV_OK, r->tag, MV_VDEV_ACCESS(r->offset, r->size, r->write),
			  r->write ? r->value : 0);
	spin_unlock(&vd->lock);
	return res;
}

static enum mv_status decode_vdev_complete(const struct vcpu *v, const struct smccc_args *a,
					   struct vdev **vd)
{
	enum mv_status st = decode_vdev(v, a, vd);
	if (st == MV_OK && a->r[4] > 1)
		st = MV_E_INVALID_PARAMETERS;
	return st;
}

struct smccc_result hc_vdev_complete(struct vcpu *v, const struct smccc_args *a)
{
	struct vdev *vd;
	uint32_t tag = a->r[2];
	enum mv_status st = decode_vdev_complete(v, a, &vd);
	if (st != MV_OK)
		return smccc_status(st);
	spin_lock(&vd->lock);
	struct vcpu *q = vd->queue_head;
	while (q && !(q->vdev_req.taken && q->vdev_req.tag == tag))
		q = q->vdev_req.next;
	if (q) {
		unqueue(vd, q);
		q->vdev_req.value = a->r[3];
		q->vdev_req.abort = a->r[4] != 0;
		/* Posted under the lock, so that vdev_cancel() of a stopping consumer returns
		 * only after it: the stop then drops it (vcpu_stop_here), and no completion of
		 * one life's request can reach the next life's. */
		vcpu_post_request(q, VCPU_REQ_VDEV_DONE);
	}
	spin_unlock(&vd->lock);
	return smccc_status(q ? MV_OK : MV_E_NOT_PRESENT);
}

struct smccc_result hc_vdev_info(struct vcpu *v, const struct smccc_args *a)
{
	struct vdev *vd;
	enum mv_status st = decode_vdev(v, a, &vd);
	if (st != MV_OK)
		return smccc_status(st);
	return smccc_ret(MV_OK, vd->boot->size, vd->boot->provider_virq, vd->consumer->id);
}
