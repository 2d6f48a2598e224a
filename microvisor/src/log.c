/* SPDX-License-Identifier: MIT */
/* The microvisor's printf, serialised across CPUs, and panic. */
#include <arch/atomic.h>
#include <microvisor/arch.h>
#include <microvisor/log.h>

static void out_char(char c)
{
	arch_console_putc(c);
}

static void out_number(uint64_t v, unsigned base, unsigned width, bool neg)
{
	char digits[24];
	unsigned n = 0;
	do {
		unsigned d = (unsigned)(v % base);
		digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (neg)
		out_char('-');
	for (unsigned i = n; i < width; i++)
		out_char('0');
	while (n)
		out_char(digits[--n]);
}

static void format(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(*fmt);
			continue;
		}
		unsigned width = 0, longs = 0;
		fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10u + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		uint64_t u;
		switch (*fmt) {
		case 'd': {
			int64_t s = longs >= 2 ? va_arg(ap, long long)
				    : longs    ? va_arg(ap, long)
					       : va_arg(ap, int);
			out_number(s < 0 ? (uint64_t)-s : (uint64_t)s, 10, width, s < 0);
			break;
		}
		case 'u':
		case 'x':
			u = longs >= 2 ? va_arg(ap, unsigned long long)
			    : longs    ? va_arg(ap, unsigned long)
				       : va_arg(ap, unsigned);
			out_number(u, *fmt == 'u' ? 10u : 16u, width, false);
			break;
		case 'p':
			out_number((uintptr_t)va_arg(ap, void *), 16, 8, false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			while (s && *s)
				out_char(*s++);
			break;
		}
		case 'c':
			out_char((char)va_arg(ap, int));
			break;
		case '%':
			out_char('%');
			break;
		default:
			return;
		}
	}
}

static volatile uint32_t console_lock;

void log_vprintf(const char *fmt, va_list ap)
{
	while (atomic_xchg(&console_lock, 1))
		;
	format(fmt, ap);
	atomic_xchg(&console_lock, 0);
}

void log_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}

static bool events_quiet;

void log_quiet(void)
{
	events_quiet = true;
}

bool log_is_quiet(void)
{
	return events_quiet;
}

void log_event(const char *fmt, ...)
{
	if (events_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	console_lock = 0; /* the panicking CPU may hold it; output matters more now */
	log_printf("\nPANIC: cpu%u: %s:%d: ", arch_pcpu_id(), file, line);
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
	log_printf("\n");
	arch_halt();
}
