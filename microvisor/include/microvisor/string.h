/* SPDX-License-Identifier: MIT */
/* Freestanding memory and string helpers (the compiler may also emit calls to these). */
#ifndef MICROVISOR_STRING_H
#define MICROVISOR_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strnlen(const char *s, size_t max);

#endif
