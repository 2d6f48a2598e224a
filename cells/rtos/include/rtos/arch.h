/* SPDX-License-Identifier: MIT */
/* The port interface of the RTOS kernel: what each arch layer (arch/arm for the cell,
 * arch/host for the unit tests) implements, and the kernel entry points a port calls. */
#ifndef RTOS_ARCH_H
#define RTOS_ARCH_H

#include <rtos/rtos.h>

/* ---- Implemented by the port ---------------------------------------------------------- */

/* Interrupt controller and timer set up, timer off. Called by rtos_init. */
void rtos_arch_init(void);

/* Masks interrupts; returns the previous state for rtos_arch_irq_restore. */
uint32_t rtos_arch_irq_save(void);
void rtos_arch_irq_restore(uint32_t state);

/* The counter and its frequency. */
rtos_tick_t rtos_arch_now(void);
uint32_t rtos_arch_tick_hz(void);

/*
 * The one-shot timer: interrupt (the port calls rtos_kernel_timer_isr in interrupt
 * context) once the counter reaches `deadline`, at once if it has already. Setting it
 * again replaces the deadline; rtos_arch_timer_stop disarms it. Both also acknowledge a
 * timer interrupt being handled (on ARM: clear CNTV_CTL.IMASK set by the microvisor).
 */
void rtos_arch_timer_set(rtos_tick_t deadline);
void rtos_arch_timer_stop(void);

/*
 * Prepares t->ctx so that the first rtos_arch_switch to it runs rtos_kernel_task_main()
 * on the stack t->stack .. t->stack + t->stack_bytes with interrupts enabled.
 */
void rtos_arch_task_init(struct rtos_task *t);

/*
 * Saves the caller's context in *from and resumes *to; returns when something switches
 * back to *from. Called with interrupts masked; the resumed context sets its own state.
 */
void rtos_arch_switch(struct rtos_arch_ctx *from, struct rtos_arch_ctx *to);

/* The idle task's body, called in a loop with interrupts enabled: wait for an interrupt. */
void rtos_arch_idle(void);

/* Unrecoverable kernel state (stack overflow, exit with a mutex held): report, stop. */
void rtos_arch_fatal(const char *what, const char *task) __attribute__((noreturn));

/* ---- Implemented by the kernel, called by the port ------------------------------------ */

/* A new task's first code, entered through rtos_arch_task_init's context. */
void rtos_kernel_task_main(void) __attribute__((noreturn));

/* Around every interrupt: enter before the handlers run; exit after, which returns whether
 * a task switch is due, in which case the port calls rtos_kernel_isr_reschedule once it is
 * back on the interrupted task's stack (interrupts still masked). */
void rtos_kernel_isr_enter(void);
bool rtos_kernel_isr_exit(void);
void rtos_kernel_isr_reschedule(void);

/* The timer interrupt's handler. */
void rtos_kernel_timer_isr(void);

/* Host port only: leaves the running task for rtos_start's caller (the simulation ends). */
void rtos_kernel_return_to_boot(void);

#endif
