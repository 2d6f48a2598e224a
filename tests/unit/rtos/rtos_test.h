/* SPDX-License-Identifier: MIT */
/* Helpers for the RTOS unit tests: task stacks, an event log compared as a string, and a
 * fresh kernel per scenario. */
#ifndef RTOS_TEST_H
#define RTOS_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rtos/host.h>
#include <rtos/rtos.h>

#include "check.h"

#define TEST_TASKS 8
#define TEST_STACK_BYTES (128u * 1024u) /* sanitizer frames are large */

static uint64_t test_stacks[TEST_TASKS][TEST_STACK_BYTES / sizeof(uint64_t)];
static struct rtos_task test_task[TEST_TASKS];
static char test_log_buf[4096];
static size_t test_log_len;

static void test_reset(void)
{
	rtos_init();
	test_log_len = 0;
	test_log_buf[0] = 0;
}

/* Appends one space-separated event to the log. */
__attribute__((format(printf, 1, 2), unused)) static void test_log(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (test_log_len && test_log_len < sizeof(test_log_buf) - 1)
		test_log_buf[test_log_len++] = ' ';
	va_start(ap, fmt);
	n = vsnprintf(test_log_buf + test_log_len, sizeof(test_log_buf) - test_log_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		test_log_len += (size_t)n;
	if (test_log_len >= sizeof(test_log_buf))
		test_log_len = sizeof(test_log_buf) - 1;
}

#define CHECK_LOG(expected)                                                               \
	do {                                                                              \
		if (strcmp(test_log_buf, (expected)) != 0) {                              \
			fprintf(stderr, "%s:%d: log\n  got:  %s\n  want: %s\n", __FILE__, \
				__LINE__, test_log_buf, (expected));                      \
			check_failures++;                                                 \
		}                                                                         \
	} while (0)

/* Creates task i (test_task[i], its own stack). */
__attribute__((unused)) static void test_spawn(int i, const char *name, void (*fn)(void *),
					       void *arg, uint8_t prio)
{
	int r = rtos_task_create(&test_task[i], name, fn, arg, prio, test_stacks[i],
				 sizeof(test_stacks[i]));
	CHECK(r == RTOS_OK);
}

/* Milliseconds and microseconds of the simulated 62.5 MHz counter. */
#define MS(x) ((rtos_tick_t)(x)*62500u)
#define US(x) ((rtos_tick_t)(x)*62500u / 1000u)

#endif
