/* SPDX-License-Identifier: MIT */
/* Hypercalls by value: the SMCCC registers of a call in one struct, its results in another
 * (SMC Calling Convention, ARM DEN 0028, SMC32/HVC32), as Hafnium's struct ffa_value. */
#ifndef MICROVISOR_HYPERCALL_H
#define MICROVISOR_HYPERCALL_H

#include <microvisor/types.h>

struct vcpu;

/* r[0] = function ID, r[1..6] = arguments. */
struct smccc_args {
	uint32_t r[7];
};

/* r[0] = status or first result, r[1..3] = further results. */
struct smccc_result {
	uint32_t r[4];
};

static inline struct smccc_result smccc_ret(int32_t r0, uint32_t r1, uint32_t r2, uint32_t r3)
{
	return (struct smccc_result){ { (uint32_t)r0, r1, r2, r3 } };
}

static inline struct smccc_result smccc_status(enum mv_status st)
{
	return smccc_ret(st, 0, 0, 0);
}

/* A hypercall handler: checks every argument (decode), then acts (invoke). */
typedef struct smccc_result (*hypercall_fn)(struct vcpu *v, const struct smccc_args *a);

/* Dispatches the call in `a` (trapped HVC #0 or SMC of `v`) and returns its results. */
struct smccc_result hypercall_dispatch(struct vcpu *v, const struct smccc_args *a);
/* The handlers of our vendor-hypervisor range, by function number (hypercall.c). */
extern const hypercall_fn hypercall_vendor_calls[MV_CALL_COUNT];

/* The function number of a call of our vendor-hypervisor range (one of ours if below
 * MV_CALL_COUNT, the index of its handler). None of those calls reads or writes the
 * caller's PC or CPSR, or stops or resets the caller: the lean HVC path
 * (arch/arm/vectors.S) runs them before it saves those. */
static inline uint32_t hypercall_vendor_number(uint32_t fid)
{
	return fid - MV_CALL_ABI_VERSION; /* function number 0 of the range */
}

/* PSCI calls (ARM DEN 0022D); false if a->r[0] is not one of ours. */
bool psci_dispatch(struct vcpu *v, const struct smccc_args *a, struct smccc_result *res);

#endif
