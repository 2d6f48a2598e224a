/* SPDX-License-Identifier: MIT */
/* Host fake of the vCPU arch part: registers and a virtual-timer deadline set by tests. */
#ifndef ARCH_VCPU_ARCH_H
#define ARCH_VCPU_ARCH_H

#include <stdint.h>

struct arch_regs {
	uint32_t r[13];
	uint32_t lr_usr, pc, cpsr;
};

struct vdev_request_arch {
	uint32_t far;
};

struct vcpu_arch {
	struct arch_regs regs;
	uint64_t vtimer_deadline;  /* what arch_vcpu_vtimer_deadline reports */
	uint32_t resets;           /* arch_vcpu_reset calls */
	uint32_t virq_pending;     /* what arch_vcpu_virq_pending reports */
	uint32_t vtimer_fired;     /* arch_vcpu_vtimer_expired calls */
	uint32_t mmio_completions; /* arch_vcpu_mmio_complete calls */
};

#endif
