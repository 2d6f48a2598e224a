/* SPDX-License-Identifier: MIT */
/* The host port of the RTOS (unit tests): tasks are ucontext coroutines, time is a
 * simulated counter and interrupts are delivered at exact simulated ticks, so every run
 * is deterministic. Stack switches are announced to AddressSanitizer. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include <rtos/arch.h>
#include <rtos/host.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define HOST_ASAN 1
#else
#define HOST_ASAN 0
#endif

#define HOST_MAX_CTX 64u
#define HOST_MAX_IRQS 128u
#define HOST_IRQ_STORM 100000u /* timer interrupts in a row without time passing */

struct host_ctx {
	ucontext_t uc;
	const void *stack; /* NULL for the boot context until it is first left */
	size_t stack_bytes;
	void *fake_stack;
};

static struct {
	struct host_ctx ctx[HOST_MAX_CTX];
	uint32_t nctx;
	struct host_ctx *leaving; /* the context being switched away from */
	rtos_tick_t now, deadline, end;
	bool masked;
	uint32_t timer_irqs;
	uint32_t storm;
	void (*irq_fn[HOST_MAX_IRQS])(uint32_t id, void *arg);
	void *irq_arg[HOST_MAX_IRQS];
	bool irq_pending[HOST_MAX_IRQS];
} host;

static struct host_ctx *ctx_alloc(void)
{
	if (host.nctx == HOST_MAX_CTX) {
		fprintf(stderr, "host port: more than %u contexts\n", HOST_MAX_CTX);
		abort();
	}
	struct host_ctx *c = &host.ctx[host.nctx++];
	c->stack = NULL;
	c->stack_bytes = 0;
	c->fake_stack = NULL;
	return c;
}

void rtos_arch_init(void)
{
	host.nctx = 0;
	host.leaving = NULL;
	host.now = 0;
	host.deadline = RTOS_FOREVER;
	host.end = RTOS_FOREVER;
	host.masked = false;
	host.timer_irqs = 0;
	host.storm = 0;
	for (uint32_t i = 0; i < HOST_MAX_IRQS; i++) {
		host.irq_fn[i] = NULL;
		host.irq_pending[i] = false;
	}
}

/* ---- Contexts --------------------------------------------------------------------------- */

/* After every switch: the context we left is known now, and so is its stack (the boot
 * context's stack is only learnt this way). */
static void switch_finished(void *fake_stack)
{
#if HOST_ASAN
	const void *bottom;
	size_t size;
	__sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
	if (host.leaving && !host.leaving->stack) {
		host.leaving->stack = bottom;
		host.leaving->stack_bytes = size;
	}
#else
	(void)fake_stack;
#endif
}

static void task_trampoline(void)
{
	switch_finished(NULL);
	host.masked = false;
	rtos_kernel_task_main();
}

void rtos_arch_task_init(struct rtos_task *t)
{
	struct host_ctx *c = ctx_alloc();

	c->stack = t->stack;
	c->stack_bytes = t->stack_bytes;
	if (getcontext(&c->uc))
		abort();
	c->uc.uc_stack.ss_sp = t->stack;
	c->uc.uc_stack.ss_size = t->stack_bytes;
	c->uc.uc_link = NULL;
	makecontext(&c->uc, task_trampoline, 0);
	t->ctx.host = c;
}

void rtos_arch_switch(struct rtos_arch_ctx *from, struct rtos_arch_ctx *to)
{
	if (!from->host)
		from->host = ctx_alloc(); /* rtos_start's caller */
	struct host_ctx *f = from->host;
	host.leaving = f;
#if HOST_ASAN
	__sanitizer_start_switch_fiber(&f->fake_stack, to->host->stack, to->host->stack_bytes);
#endif
	if (swapcontext(&f->uc, &to->host->uc))
		abort();
	switch_finished(f->fake_stack);
}

/* ---- Interrupts and time ---------------------------------------------------------------- */

static void interrupt(void (*handler)(uint32_t id), uint32_t id)
{
	bool was = host.masked;

	host.masked = true;
	rtos_kernel_isr_enter();
	handler(id);
	if (rtos_kernel_isr_exit())
		rtos_kernel_isr_reschedule();
	host.masked = was;
}

static void timer_handler(uint32_t id)
{
	(void)id;
	host.timer_irqs++;
	rtos_kernel_timer_isr();
}

static void device_handler(uint32_t id)
{
	host.irq_pending[id] = false;
	host.irq_fn[id](id, host.irq_arg[id]);
}

/* Takes every interrupt due now, as the hardware would once they are unmasked. */
static void deliver_pending(void)
{
	for (uint32_t id = 0; id < HOST_MAX_IRQS && !host.masked; id++) {
		if (host.irq_pending[id])
			interrupt(device_handler, id);
	}
	while (!host.masked && host.deadline <= host.now) {
		if (++host.storm > HOST_IRQ_STORM) {
			fprintf(stderr, "host port: timer interrupt storm at tick %llu\n",
				(unsigned long long)host.now);
			abort();
		}
		interrupt(timer_handler, 0);
	}
}

uint32_t rtos_arch_irq_save(void)
{
	bool was = host.masked;

	host.masked = true;
	return was;
}

void rtos_arch_irq_restore(uint32_t state)
{
	host.masked = state != 0;
	deliver_pending();
}

rtos_tick_t rtos_arch_now(void)
{
	return host.now;
}

uint32_t rtos_arch_tick_hz(void)
{
	return HOST_TICK_HZ;
}

void rtos_arch_timer_set(rtos_tick_t deadline)
{
	host.deadline = deadline;
}

void rtos_arch_timer_stop(void)
{
	host.deadline = RTOS_FOREVER;
}

void rtos_arch_idle(void)
{
	if (host.deadline == RTOS_FOREVER || host.deadline > host.end)
		rtos_kernel_return_to_boot();
	if (host.deadline > host.now) {
		host.now = host.deadline;
		host.storm = 0;
	}
	deliver_pending();
}

void host_burn(rtos_tick_t ticks)
{
	rtos_tick_t left = ticks;

	while (left) {
		if (!host.masked && host.deadline <= host.now + left) {
			rtos_tick_t step = host.deadline > host.now ? host.deadline - host.now : 0;
			host.now += step;
			left -= step;
			host.storm = 0;
			deliver_pending(); /* may run other tasks; time goes on meanwhile */
		} else {
			host.now += left;
			left = 0;
			host.storm = 0;
		}
	}
}

void host_raise_irq(uint32_t id)
{
	if (id >= HOST_MAX_IRQS || !host.irq_fn[id])
		abort();
	host.irq_pending[id] = true;
	deliver_pending();
}

void host_set_end(rtos_tick_t end)
{
	host.end = end;
}

void host_set_now(rtos_tick_t now)
{
	host.now = now;
}

void host_stop(void)
{
	host.masked = true;
	rtos_kernel_return_to_boot();
	abort(); /* never resumed */
}

rtos_tick_t host_timer_deadline(void)
{
	return host.deadline;
}

uint32_t host_timer_interrupts(void)
{
	return host.timer_irqs;
}

int rtos_irq_attach(uint32_t id, void (*handler)(uint32_t id, void *arg), void *arg)
{
	if (id >= HOST_MAX_IRQS || id == 27 || !handler)
		return RTOS_E_INVALID;
	host.irq_fn[id] = handler;
	host.irq_arg[id] = arg;
	return RTOS_OK;
}

void rtos_arch_fatal(const char *what, const char *task)
{
	fprintf(stderr, "rtos: PANIC: %s (task %s)\n", what, task ? task : "-");
	abort();
}

void rtos_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
