/* SPDX-License-Identifier: MIT */
/* ARM port of the RTOS: the cell's virtual GIC and virtual generic timer (CNTV), task
 * contexts on SVC stacks, interrupt masking, the console, fatal errors. */
#include <cell/runtime.h>
#include <rtos/arch.h>

#define PPI_VTIMER 27u
#define PRIO_TIMER 0x40u /* GIC priorities: the timer before device interrupts */
#define PRIO_DEVICE 0x80u
#define CPSR_I (1u << 7)
#define CNTV_CTL_ENABLE 1u

extern char rtos_vectors[];
void rtos_arch_task_entry(void);
bool rtos_arch_irq_handle(void);
void rtos_arch_fault(uint32_t kind, uint32_t pc) __attribute__((noreturn));

static uint32_t tick_hz;
static struct rtos_mutex console_mutex;
static struct {
	void (*fn)(uint32_t id, void *arg);
	void *arg;
} irq_table[GIC_NUM_IRQS];

/* ---- Timer: CNTV (ARM ARM B8.2) --------------------------------------------------------- */

static inline void cntv_ctl_write(uint32_t v)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1; isb" : : "r"(v) : "memory");
}

rtos_tick_t rtos_arch_now(void)
{
	return timer_now(); /* the cell runtime's CNTVCT read */
}

uint32_t rtos_arch_tick_hz(void)
{
	return tick_hz;
}

/* CVAL, then ENABLE with IMASK clear: fires when CNTVCT >= CVAL, at once if it is. */
void rtos_arch_timer_set(rtos_tick_t deadline)
{
	__asm__ volatile("mcrr p15, 3, %0, %1, c14"
			 :
			 : "r"((uint32_t)deadline), "r"((uint32_t)(deadline >> 32))
			 : "memory"); /* CNTV_CVAL */
	cntv_ctl_write(CNTV_CTL_ENABLE);
}

void rtos_arch_timer_stop(void)
{
	cntv_ctl_write(0);
}

static void on_vtimer(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
	rtos_kernel_timer_isr();
}

/* ---- Interrupts ------------------------------------------------------------------------- */

uint32_t rtos_arch_irq_save(void)
{
	uint32_t cpsr;

	__asm__ volatile("mrs %0, cpsr; cpsid i" : "=r"(cpsr) : : "memory");
	return cpsr & CPSR_I;
}

void rtos_arch_irq_restore(uint32_t state)
{
	if (!state)
		__asm__ volatile("cpsie i" : : : "memory");
}

/* Called by the IRQ vector on the interrupt stack: the runtime's dispatcher acknowledges
 * each pending vIRQ at the GICV, runs its handler and ends it. */
bool rtos_arch_irq_handle(void)
{
	rtos_kernel_isr_enter();
	irq_dispatch();
	return rtos_kernel_isr_exit();
}

static void on_attached(uint32_t id, uint32_t source)
{
	(void)source;
	irq_table[id].fn(id, irq_table[id].arg);
}

int rtos_irq_attach(uint32_t id, void (*handler)(uint32_t id, void *arg), void *arg)
{
	uint32_t s;

	if (id >= GIC_NUM_IRQS || id == PPI_VTIMER || !handler)
		return RTOS_E_INVALID;
	s = rtos_arch_irq_save();
	irq_table[id].fn = handler;
	irq_table[id].arg = arg;
	irq_enable(id, on_attached, PRIO_DEVICE);
	rtos_arch_irq_restore(s);
	return RTOS_OK;
}

void rtos_arch_init(void)
{
	(void)rtos_arch_irq_save();
	__asm__ volatile("mcr p15, 0, %0, c12, c0, 0; isb"
			 :
			 : "r"(rtos_vectors)
			 : "memory"); /* VBAR */
	tick_hz = timer_freq();
	rtos_arch_timer_stop();
	rtos_mutex_init(&console_mutex);
	gic_init();
	irq_enable(PPI_VTIMER, on_vtimer, PRIO_TIMER);
}

/* ---- Tasks ------------------------------------------------------------------------------ */

/* The frame rtos_arch_switch pops: r4-r12 zero, then lr = the task entry. */
void rtos_arch_task_init(struct rtos_task *t)
{
	uintptr_t top = ((uintptr_t)t->stack + t->stack_bytes) & ~(uintptr_t)7u;
	uint32_t *frame = (uint32_t *)top - 10;

	for (int i = 0; i < 9; i++)
		frame[i] = 0;
	frame[9] = (uint32_t)(uintptr_t)rtos_arch_task_entry;
	t->ctx.sp = (uint32_t)(uintptr_t)frame;
}

void rtos_arch_idle(void)
{
	__asm__ volatile("dsb; wfi" : : : "memory");
}

/* ---- Console and errors ----------------------------------------------------------------- */

void rtos_printf(const char *fmt, ...)
{
	bool lock = rtos_task_self() != NULL;
	va_list ap;

	if (rtos_in_isr())
		return;
	if (lock)
		(void)rtos_mutex_lock(&console_mutex, RTOS_FOREVER);
	va_start(ap, fmt);
	cell_vprintf(fmt, ap);
	va_end(ap);
	if (lock)
		(void)rtos_mutex_unlock(&console_mutex);
}

void rtos_arch_fatal(const char *what, const char *task)
{
	(void)rtos_arch_irq_save();
	cell_printf("rtos: PANIC: %s (task %s)\n", what, task ? task : "-");
	mv_system_off();
}

void rtos_arch_fault(uint32_t kind, uint32_t pc)
{
	static const char *const names[] = { "", "undefined instruction", "", "prefetch abort",
					     "data abort" };
	uint32_t far = 0, fsr = 0;
	struct rtos_task *t = rtos_task_self();

	if (kind == 4) {
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(far)); /* DFAR */
		__asm__ volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(fsr)); /* DFSR */
	} else if (kind == 3) {
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(far)); /* IFAR */
		__asm__ volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(fsr)); /* IFSR */
	}
	cell_printf("rtos: unexpected exception: %s at pc %x far %x fsr %x in task %s\n",
		    names[kind], pc, far, fsr, t ? t->name : "-");
	mv_system_off();
}
