/* SPDX-License-Identifier: MIT */
/* Freestanding memcpy/memset/memcmp (GCC may emit calls to them even with -fno-builtin). */
#include <microvisor/string.h>

#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if ((((uintptr_t)d | (uintptr_t)s | n) & 3u) == 0) {
		uint32_t *dw = dst;
		const uint32_t *sw = src;
		for (size_t i = 0; i < n / 4u; i++)
			dw[i] = sw[i];
		return dst;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	if ((((uintptr_t)d | n) & 3u) == 0) {
		uint32_t w = (uint8_t)c * 0x01010101u;
		uint32_t *dw = dst;
		for (size_t i = 0; i < n / 4u; i++)
			dw[i] = w;
		return dst;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}
