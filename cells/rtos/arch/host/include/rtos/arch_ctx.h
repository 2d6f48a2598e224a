/* SPDX-License-Identifier: MIT */
/* Host port: a context is a ucontext kept by the port (arch/host/port.c), so that this
 * header, included by rtos.h, needs no system header. */
#ifndef RTOS_ARCH_CTX_H
#define RTOS_ARCH_CTX_H

/* Host frames are large under the sanitizers, and interrupts run on the task stack. */
#define RTOS_ARCH_IDLE_STACK_BYTES 65536u

struct host_ctx;

struct rtos_arch_ctx {
	struct host_ctx *host;
};

#endif
