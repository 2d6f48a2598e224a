/* SPDX-License-Identifier: MIT */
/* The memory helpers of the ARM run-time ABI (RTABI, IHI 0043, 4.3.4) on memcpy and memset.
 * clang calls them for struct copies and zeroing where gcc calls memcpy and memset; linked
 * into the microvisor and the cell runtime, each of which defines memcpy and memset. */
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

void __aeabi_memcpy(void *dst, const void *src, size_t n);
void __aeabi_memcpy4(void *dst, const void *src, size_t n);
void __aeabi_memcpy8(void *dst, const void *src, size_t n);
void __aeabi_memset(void *dst, size_t n, int c);
void __aeabi_memset4(void *dst, size_t n, int c);
void __aeabi_memset8(void *dst, size_t n, int c);
void __aeabi_memclr(void *dst, size_t n);
void __aeabi_memclr4(void *dst, size_t n);
void __aeabi_memclr8(void *dst, size_t n);

/* The 4 and 8 variants promise aligned pointers, which plain memcpy and memset do not need. */
void __aeabi_memcpy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}
void __aeabi_memcpy4(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}
void __aeabi_memcpy8(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}
/* Note the RTABI's argument order: size before value. */
void __aeabi_memset(void *dst, size_t n, int c)
{
	memset(dst, c, n);
}
void __aeabi_memset4(void *dst, size_t n, int c)
{
	memset(dst, c, n);
}
void __aeabi_memset8(void *dst, size_t n, int c)
{
	memset(dst, c, n);
}
void __aeabi_memclr(void *dst, size_t n)
{
	memset(dst, 0, n);
}
void __aeabi_memclr4(void *dst, size_t n)
{
	memset(dst, 0, n);
}
void __aeabi_memclr8(void *dst, size_t n)
{
	memset(dst, 0, n);
}
