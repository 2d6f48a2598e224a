/* SPDX-License-Identifier: MIT */
/* vdevs: MMIO windows of a consumer cell whose loads and stores are forwarded to a
 * provider cell (a user-level device model) and answered by hypercall. */
#ifndef VDEV_VDEV_H
#define VDEV_VDEV_H

#include <microvisor/boot_table.h>
#include <microvisor/hypercall.h>
#include <microvisor/types.h>
#include <vcpu/vcpu.h>

struct cell;

struct vdev {
	const struct mv_boot_vdev *boot;
	struct cell *consumer, *provider;
	struct vcpu *queue_head, *queue_tail; /* blocked consumer vCPUs, oldest first */
	uint32_t seq;                         /* makes tags unique over time */
	volatile uint32_t lock;
};

/* Builds the vdevs of the boot table and links them to their cells. */
void vdevs_create(const struct mv_boot_header *hdr);
/* A consumer access at `ipa`: queues it if `ipa` is in one of the cell's vdev windows and
 * blocks the (current) vCPU; false if no vdev is there. */
bool vdev_submit(struct vcpu *v, uint32_t ipa, struct vdev_request *req);
/* The blocked vCPU is being stopped: drop its request. */
void vdev_cancel(struct vcpu *v);
/* The blocked vCPU's wait timed out: true if its request was still queued, and is now
 * withdrawn and marked to abort; false if the provider completed it meanwhile. */
bool vdev_timeout(struct vcpu *v);
/* The provider cell stopped: every request it holds completes with an abort. */
void vdev_provider_stopped(struct cell *provider);

/* Hypercalls of the provider (see mv/abi.h). */
struct smccc_result hc_vdev_get(struct vcpu *v, const struct smccc_args *a);
struct smccc_result hc_vdev_complete(struct vcpu *v, const struct smccc_args *a);
struct smccc_result hc_vdev_info(struct vcpu *v, const struct smccc_args *a);

#endif
