/* SPDX-License-Identifier: MIT */
/* State of the host fake arch that unit tests set and inspect. */
#ifndef FAKE_ARCH_H
#define FAKE_ARCH_H

#include <stdint.h>

struct cell;
struct mv_board;
struct vcpu;

struct fake_arch {
	unsigned pcpu;
	uint64_t now;
	uint64_t timer;
	uint32_t ipis[8];
	uint32_t idles;
	uint32_t switches;
	uint32_t system_off;
	uint32_t unloads;
	uint32_t irq_polls;
	uint32_t vgic_flushes;
	struct vcpu *last_switch_to;
	/* Settable by tests (zero: the defaults above). */
	const void *payload;          /* what arch_boot_payload returns, NULL = none */
	uint32_t payload_available;   /* and the bytes it reports available */
	const struct mv_board *board; /* what arch_board returns */
	int halt_exit;                /* nonzero: arch_halt exits with it instead of aborting */
	void (*enter_guest)(struct vcpu *v); /* called by arch_enter_guest (must not return) */
	/* Recorded. */
	uint32_t virq_raises;   /* arch_virq_raise calls */
	struct cell *virq_cell; /* and the last one's cell and vIRQ */
	uint32_t virq_last;
	uint32_t mmio_value; /* the request of the last arch_vcpu_mmio_complete */
	uint32_t mmio_abort;
	struct vcpu *mmio_vcpu;
};

extern struct fake_arch fake;

/* Runs fn() in a forked child with its stderr (the fake console) captured into out (NUL
 * terminated) and arch_halt exiting with FAKE_HALTED. Returns the child's exit status: what
 * fn returned, FAKE_HALTED if it halted (panic), or -1 if it died otherwise. */
#define FAKE_HALTED 0x42
int fake_run_child(int (*fn)(void), char *out, unsigned out_size);

#endif
