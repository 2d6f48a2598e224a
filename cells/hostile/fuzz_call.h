/* SPDX-License-Identifier: MIT */
/* The register-checking hypercall stubs of fuzz_call.S. */
#ifndef CELLS_HOSTILE_FUZZ_CALL_H
#define CELLS_HOSTILE_FUZZ_CALL_H

#include <stddef.h>
#include <stdint.h>

/* in[]: r0-r12 and LR loaded before the call; out_*: every register right after it. */
struct fuzz_regs {
	uint32_t in[13];
	uint32_t in_lr;
	uint32_t out_sp, out_lr;
	uint32_t out[13];
};
_Static_assert(offsetof(struct fuzz_regs, in_lr) == 52, "fuzz_call.S REGS_IN_LR");
_Static_assert(sizeof(struct fuzz_regs) == 116, "fuzz_call.S REGS_END");

void fuzz_call_hvc0(struct fuzz_regs *f);
void fuzz_call_smc0(struct fuzz_regs *f);
void fuzz_call_hvc1(struct fuzz_regs *f);
void fuzz_call_hvc_ffff(struct fuzz_regs *f);
/* SP as it was at the call instruction. */
extern uint32_t fuzz_stub_sp;

#endif
