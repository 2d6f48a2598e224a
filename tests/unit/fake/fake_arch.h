/* SPDX-License-Identifier: MIT */
/* State of the host fake arch that unit tests set and inspect. */
#ifndef FAKE_ARCH_H
#define FAKE_ARCH_H

#include <stdint.h>

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
};

extern struct fake_arch fake;

#endif
