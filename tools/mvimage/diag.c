/* SPDX-License-Identifier: MIT */
/* Validation diagnostics of mvimage: one `<file>: <node>: <property>: <message>` line each. */
#include "diag.h"

#include <stdarg.h>

void diag_init(struct diag *d, FILE *out, const char *file)
{
	d->out = out;
	d->file = file;
	d->errors = 0;
}

void diag_error(struct diag *d, const char *node, const char *property, const char *fmt, ...)
{
	va_list ap;

	d->errors++;
	fprintf(d->out, "%s: %s: %s: ", d->file, node, property);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
}
