/* SPDX-License-Identifier: MIT */
/* The freestanding cell runtime: hypercall stubs, console output, exception hooks and the
 * test-report helpers used by test cells. */
#ifndef CELL_RUNTIME_H
#define CELL_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mv/abi.h>

struct mv_result {
	uint32_t r0, r1, r2, r3;
};

/* One SMCCC call through HVC #0: function ID and six arguments, four results. */
static inline struct mv_result mv_hvc(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3,
				      uint32_t a4, uint32_t a5, uint32_t a6)
{
	register uint32_t r0 __asm__("r0") = fid;
	register uint32_t r1 __asm__("r1") = a1;
	register uint32_t r2 __asm__("r2") = a2;
	register uint32_t r3 __asm__("r3") = a3;
	register uint32_t r4 __asm__("r4") = a4;
	register uint32_t r5 __asm__("r5") = a5;
	register uint32_t r6 __asm__("r6") = a6;
	__asm__ volatile("hvc #0"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 : "r"(r4), "r"(r5), "r"(r6)
			 : "memory");
	return (struct mv_result){ r0, r1, r2, r3 };
}

static inline int32_t mv_call0(uint32_t fid)
{
	return (int32_t)mv_hvc(fid, 0, 0, 0, 0, 0, 0).r0;
}
static inline int32_t mv_call3(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3)
{
	return (int32_t)mv_hvc(fid, a1, a2, a3, 0, 0, 0).r0;
}

/* MV_CALL_CELL_INFO item value; returns 0xffffffff on error. */
uint32_t mv_cell_info(uint32_t item);
void mv_yield(void);
/* PSCI SYSTEM_OFF / SYSTEM_RESET of this cell; do not return. */
void mv_system_off(void) __attribute__((noreturn));
void mv_system_reset(void) __attribute__((noreturn));

/*
 * Console (console.c, docs/console.md): when the cell has a channel to a cell named
 * "console", output goes there as ring records and the console cell prints it line by
 * line as "[<cell name>] <line>"; otherwise through MV_CALL_DEBUG_WRITE, which the
 * microvisor prints in the same format.
 */
void cell_write(const char *s, size_t n);
/* Bytes typed for this cell on the console: copies up to cap of them, never blocks;
 * returns how many (0 when none are waiting or the cell has no console channel). */
size_t cell_read_input(char *buf, size_t cap);
/* The console channel's number, or -1 when output goes through MV_CALL_DEBUG_WRITE. */
int32_t cell_console_channel(void);
/*
 * printf subset: %d %u %x %s %c %%, width, l/ll. Format-checked by clang only (the clang
 * build, lint_clang): gcc for arm-none-eabi makes uint32_t an unsigned long, which the cells
 * pass to %u and %x throughout, and which cell_vprintf reads alike (32 bits on ARM).
 */
#ifdef __clang__
#define CELL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CELL_PRINTF(f, a)
#endif
void cell_printf(const char *fmt, ...) CELL_PRINTF(1, 2);
void cell_vprintf(const char *fmt, va_list ap);

/* Virtual generic timer (ARM ARM B8): counter, frequency, and a WFI sleep on CNTV. */
uint64_t timer_now(void);
uint32_t timer_freq(void);
/* Arms CNTV to fire at `deadline` (virtual counter ticks) and executes WFI until it has. */
void timer_sleep_until(uint64_t deadline);
/* CNTV on at `deadline` (PPI 27 fires from then on, if enabled) / off, which also clears
 * its interrupt: what a PPI 27 handler does. */
void timer_arm(uint64_t deadline);
void timer_disarm(void);

/* Exceptions taken by the cell (start.S vectors). A hook returns to the instruction after
 * the faulting one; without a hook the cell reports and powers itself off. */
struct cell_fault {
	uint32_t kind; /* CELL_FAULT_* */
	uint32_t pc;   /* faulting instruction */
	uint32_t far;  /* DFAR / IFAR */
	uint32_t fsr;  /* DFSR / IFSR */
};
#define CELL_FAULT_UNDEF 1u
#define CELL_FAULT_PABT 3u
#define CELL_FAULT_DABT 4u
#define CELL_FAULT_IRQ 6u
/* Returns the address to resume at. */
typedef uint32_t (*cell_fault_hook_t)(const struct cell_fault *f);
extern cell_fault_hook_t cell_fault_hook;

/* Interrupts (gic.c): the cell's virtual GIC. Handlers run in IRQ mode with IRQs masked;
 * `source` is the requesting vCPU of an SGI. */
#define GIC_GICD MV_GUEST_GICD_IPA
#define GIC_GICC MV_GUEST_GICC_IPA
#define GIC_NUM_IRQS 128u
typedef void (*irq_handler_t)(uint32_t id, uint32_t source);
void gic_init(void);     /* distributor on, this vCPU's CPU interface on */
void gic_cpu_init(void); /* CPU interface of a secondary vCPU */
void irq_enable(uint32_t id, irq_handler_t fn, uint8_t priority);
void irq_disable(uint32_t id);
void irq_set_handler(uint32_t id, irq_handler_t fn);
void irq_dispatch(void);
uint32_t gicd_read(uint32_t off);
void gicd_write(uint32_t off, uint32_t v);
static inline void irqs_on(void)
{
	__asm__ volatile("cpsie i" ::: "memory");
}
static inline void irqs_off(void)
{
	__asm__ volatile("cpsid i" ::: "memory");
}
static inline void wfi(void)
{
	__asm__ volatile("dsb; wfi" ::: "memory");
}

/* MMIO accessors that compile to one plain LDR/STR (no writeback), so that a trapped
 * access carries a valid instruction syndrome, as Linux's readl()/writel() do. */
static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
}
static inline void mmio_write16(uintptr_t a, uint16_t v)
{
	__asm__ volatile("strh %0, [%1]" : : "r"(v), "r"(a) : "memory");
}
static inline void mmio_write8(uintptr_t a, uint8_t v)
{
	__asm__ volatile("strb %0, [%1]" : : "r"(v), "r"(a) : "memory");
}
static inline uint32_t mmio_read32(uintptr_t a)
{
	uint32_t v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline uint16_t mmio_read16(uintptr_t a)
{
	uint16_t v;
	__asm__ volatile("ldrh %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline uint8_t mmio_read8(uintptr_t a)
{
	uint8_t v;
	__asm__ volatile("ldrb %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* Secondary vCPU entry for PSCI CPU_ON: starts fn(arg) on vCPU `index` with its own stack. */
int32_t cell_cpu_on(uint32_t index, void (*fn)(uint32_t), uint32_t arg);

/* Test reporting: CHECK counts, test_report prints "<n> passed, <m> failed". */
extern uint32_t test_passed, test_failed;
#define CHECK(cond) test_check((cond), #cond, __LINE__)
void test_check(bool ok, const char *what, int line);
void test_report(void);

int main(void);
/* start.S, before main(): keeps the device tree pointer of a cell started with one
 * (r1 = 0xffffffff, r2 = its IPA) for cell_device_tree() (cell/dtb.h). */
void cell_boot_args(uint32_t r1, uint32_t r2);

#endif
