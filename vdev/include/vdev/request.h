/* SPDX-License-Identifier: MIT */
/* A consumer's trapped access to a vdev window, waiting for its provider: embedded in the
 * blocked vCPU (one each). The arch part holds what the syndrome says about the
 * instruction (register, extension, length). */
#ifndef VDEV_REQUEST_H
#define VDEV_REQUEST_H

#include <microvisor/types.h>
#include <arch/vcpu_arch.h>

struct vdev;
struct vcpu;

struct vdev_request {
	struct vdev *vdev;
	uint32_t offset; /* within the window */
	uint32_t size;   /* 1, 2 or 4 bytes */
	uint32_t value;  /* stored value, or the loaded one once completed */
	uint32_t tag;    /* names the request to the provider */
	bool write;
	bool taken;        /* handed to the provider by MV_CALL_VDEV_GET */
	bool abort;        /* completion: make the access abort */
	struct vcpu *next; /* vdev queue link */
	struct vdev_request_arch arch;
};

#endif
