/* SPDX-License-Identifier: MIT */
/* Cell runtime: hypercall wrappers, printf, virtual timer, faults, CPU_ON, tests; the
 * console itself is console.c. */
#include <cell/runtime.h>
#include <cell/dtb.h>

/* A generated tree is at most 64 KiB (tools/mvimage/linuxdt.c); this only bounds reads. */
#define DEVICE_TREE_MAX (1u << 20)

static uintptr_t boot_dtb;

void cell_boot_args(uint32_t r1, uint32_t r2)
{
	if (r1 == 0xffffffffu)
		boot_dtb = r2;
}

const void *cell_device_tree(void)
{
	const void *fdt = (const void *)boot_dtb;

	return boot_dtb && dtb_valid(fdt, DEVICE_TREE_MAX) ? fdt : NULL;
}

uint32_t mv_cell_info(uint32_t item)
{
	struct mv_result r = mv_hvc(MV_CALL_CELL_INFO, item, 0, 0, 0, 0, 0);
	return r.r0 == MV_OK ? r.r1 : 0xffffffffu;
}

void mv_yield(void)
{
	mv_call0(MV_CALL_YIELD);
}

void mv_system_off(void)
{
	mv_call0(MV_PSCI_SYSTEM_OFF);
	for (;;)
		__asm__ volatile("wfi");
}

void mv_system_reset(void)
{
	mv_call0(MV_PSCI_SYSTEM_RESET);
	for (;;)
		__asm__ volatile("wfi");
}

struct printbuf {
	char buf[128];
	size_t len;
};

static void put(struct printbuf *p, char c)
{
	if (p->len == sizeof(p->buf)) {
		cell_write(p->buf, p->len);
		p->len = 0;
	}
	p->buf[p->len++] = c;
}

static void put_number(struct printbuf *p, uint64_t v, unsigned base, unsigned width)
{
	char d[24];
	unsigned n = 0;
	do {
		unsigned x = (unsigned)(v % base);
		d[n++] = (char)(x < 10 ? '0' + x : 'a' + x - 10);
		v /= base;
	} while (v);
	while (width > n) {
		put(p, '0');
		width--;
	}
	while (n)
		put(p, d[--n]);
}

void cell_vprintf(const char *fmt, va_list ap)
{
	struct printbuf p = { .len = 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&p, *fmt);
			continue;
		}
		unsigned width = 0, longs = 0;
		for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10u + (unsigned)(*fmt - '0');
		for (; *fmt == 'l'; fmt++)
			longs++;
		if (*fmt == 'd') {
			int64_t v = longs >= 2 ? va_arg(ap, long long) : va_arg(ap, int);
			if (v < 0)
				put(&p, '-');
			put_number(&p, v < 0 ? (uint64_t)-v : (uint64_t)v, 10, width);
		} else if (*fmt == 'u' || *fmt == 'x') {
			uint64_t v =
				longs >= 2 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			put_number(&p, v, *fmt == 'u' ? 10u : 16u, width);
		} else if (*fmt == 's') {
			for (const char *s = va_arg(ap, const char *); *s; s++)
				put(&p, *s);
		} else if (*fmt == 'c') {
			put(&p, (char)va_arg(ap, int));
		} else {
			put(&p, '%');
		}
	}
	cell_write(p.buf, p.len);
}

void cell_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cell_vprintf(fmt, ap);
	va_end(ap);
}

uint64_t timer_now(void)
{
	uint32_t lo, hi;
	__asm__ volatile("isb; mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi)); /* CNTVCT */
	return ((uint64_t)hi << 32) | lo;
}

uint32_t timer_freq(void)
{
	uint32_t f;
	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(f)); /* CNTFRQ */
	return f;
}

void timer_arm(uint64_t deadline)
{
	__asm__ volatile("mcrr p15, 3, %0, %1, c14"
			 :
			 : "r"((uint32_t)deadline),
			   "r"((uint32_t)(deadline >> 32)));             /* CNTV_CVAL */
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1; isb" : : "r"(1u)); /* CNTV_CTL: ENABLE */
}

void timer_disarm(void)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1; isb" : : "r"(0u));
}

void timer_sleep_until(uint64_t deadline)
{
	timer_arm(deadline);
	while (timer_now() < deadline)
		__asm__ volatile("wfi");
	timer_disarm();
}

cell_fault_hook_t cell_fault_hook;

uint32_t cell_fault(uint32_t kind, uint32_t pc);
uint32_t cell_fault(uint32_t kind, uint32_t pc)
{
	struct cell_fault f = { .kind = kind, .pc = pc };
	if (kind == CELL_FAULT_IRQ) {
		irq_dispatch();
		return pc; /* the interrupted instruction */
	}
	if (kind == CELL_FAULT_DABT) {
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(f.far));
		__asm__ volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(f.fsr));
	} else if (kind == CELL_FAULT_PABT) {
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(f.far));
		__asm__ volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(f.fsr));
	}
	if (cell_fault_hook)
		return cell_fault_hook(&f);
	cell_printf("unexpected exception %u at pc %x far %x fsr %x\n", kind, pc, f.far, f.fsr);
	mv_system_off();
}

static void (*secondary_fn[8])(uint32_t);
static uint32_t secondary_arg[8];
extern char cell_secondary_entry[];

void cell_secondary_main(uint32_t index);
void cell_secondary_main(uint32_t index)
{
	secondary_fn[index](secondary_arg[index]);
	mv_call0(MV_PSCI_CPU_OFF);
	for (;;)
		__asm__ volatile("wfi");
}

int32_t cell_cpu_on(uint32_t index, void (*fn)(uint32_t), uint32_t arg)
{
	if (index >= 8)
		return MV_E_INVALID_PARAMETERS;
	secondary_fn[index] = fn;
	secondary_arg[index] = arg;
	return mv_call3(MV_PSCI_CPU_ON, index, (uint32_t)(uintptr_t)cell_secondary_entry, index);
}

uint32_t test_passed, test_failed;

void test_check(bool ok, const char *what, int line)
{
	if (ok) {
		test_passed++;
		return;
	}
	test_failed++;
	cell_printf("FAILED line %d: %s\n", line, what);
}

void test_report(void)
{
	cell_printf("%u passed, %u failed\n", test_passed, test_failed);
}

/* The compiler may emit calls to these even in freestanding code. */
void *memset(void *dst, int c, size_t n);
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n);
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}
