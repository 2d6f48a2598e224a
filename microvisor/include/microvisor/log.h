/* SPDX-License-Identifier: MIT */
/* The microvisor's own debug output (boot messages, guest-fault reports, panics). */
#ifndef MICROVISOR_LOG_H
#define MICROVISOR_LOG_H

#include <stdarg.h>

#include <microvisor/types.h>

/* printf subset: %s %c %d %u %x %08x %p %%, with l/ll length modifiers. Serialised. */
void log_printf(const char *fmt, ...) MV_PRINTF(1, 2);
void log_vprintf(const char *fmt, va_list ap);
/* A run-time event (a cell stopped or restarted, a guest fault, a CPU up). Printed only
 * while no console cell owns the UART: once one does, the microvisor keeps to boot
 * messages and panics, so that its output never interleaves with the console's lines. */
void log_event(const char *fmt, ...) MV_PRINTF(1, 2);
/* From now on log_event prints nothing. */
void log_quiet(void);
/* True once log_quiet() was called: the UART belongs to a console cell. */
bool log_is_quiet(void);

/* Stops this physical CPU after printing the message with file and line. Only for broken
 * microvisor state: never for anything a guest can cause (docs/style.md rule 10). */
MV_NORETURN void panic_at(const char *file, int line, const char *fmt, ...) MV_PRINTF(3, 4);
#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

#endif
