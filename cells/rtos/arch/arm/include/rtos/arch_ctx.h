/* SPDX-License-Identifier: MIT */
/* ARM port: a switched-out task's context is its stack pointer; r4-r12 and lr sit on the
 * stack below it (rtos_arch_switch in arch/arm/entry.S). */
#ifndef RTOS_ARCH_CTX_H
#define RTOS_ARCH_CTX_H

#include <stdint.h>

/* The idle task only waits: interrupt handlers run on their own stack. */
#define RTOS_ARCH_IDLE_STACK_BYTES 1024u

struct rtos_arch_ctx {
	uint32_t sp;
};

#endif
