/* SPDX-License-Identifier: MIT */
/* Validation diagnostics of mvimage: one `<file>: <node>: <property>: <message>` line each. */
#ifndef MVIMAGE_DIAG_H
#define MVIMAGE_DIAG_H

#include <stdio.h>

/* Placeholder for the property field of an error about a whole node. */
#define DIAG_NO_PROPERTY "-"

/*
 * Where errors go and how many there were. Validation never stops at the first error, so
 * callers look at `errors` once at the end instead of at every return value.
 */
struct diag {
	FILE *out;        /* stderr in the tool, a memory stream in the tests */
	const char *file; /* the system description as the user named it */
	unsigned int errors;
};

void diag_init(struct diag *d, FILE *out, const char *file);

__attribute__((format(printf, 4, 5))) void diag_error(struct diag *d, const char *node,
						      const char *property, const char *fmt, ...);

#endif
