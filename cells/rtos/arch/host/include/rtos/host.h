/* SPDX-License-Identifier: MIT */
/* The host port's simulation controls, for unit tests: simulated time, CPU work that
 * interrupts can preempt, device interrupts, and the end of a run. */
#ifndef RTOS_HOST_H
#define RTOS_HOST_H

#include <rtos/rtos.h>

#define HOST_TICK_HZ 62500000u /* as QEMU's vexpress-a15 generic timer */

/*
 * Time stands still while a task runs, except in host_burn: the calling task computes for
 * `ticks` of CPU time. A timer interrupt due meanwhile is taken at its exact tick and may
 * preempt the task, which then finishes its remaining ticks when it runs again.
 */
void host_burn(rtos_tick_t ticks);

/* Raises device interrupt `id` (attached with rtos_irq_attach) now; it is taken at once,
 * or when interrupts are next unmasked. */
void host_raise_irq(uint32_t id);

/* When the only task ready is idle, time jumps to the timer's deadline. The simulation
 * ends (rtos_start returns) when no deadline is set, or the next one lies beyond `end`
 * (default: never). */
void host_set_end(rtos_tick_t end);

/* Ends the simulation from a task: rtos_start returns. */
void host_stop(void) __attribute__((noreturn));

/* The simulated counter may start anywhere (before rtos_start). */
void host_set_now(rtos_tick_t now);

/* The timer as the kernel programmed it: RTOS_FOREVER when off. */
rtos_tick_t host_timer_deadline(void);

/* Timer interrupts taken since rtos_init. */
uint32_t host_timer_interrupts(void);

#endif
