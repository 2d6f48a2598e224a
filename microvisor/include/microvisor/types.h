/* SPDX-License-Identifier: MIT */
/* Basic types of the microvisor: distinct address kinds, status, compiler attributes. */
#ifndef MICROVISOR_TYPES_H
#define MICROVISOR_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <generated/config.h>
#include <mv/abi.h>

/* Physical and guest-physical (IPA) addresses are distinct types so they cannot be mixed. */
struct pa {
	uint32_t bits;
};
struct ipa {
	uint32_t bits;
};

static inline struct pa pa_init(uint32_t bits)
{
	return (struct pa){ bits };
}
static inline struct ipa ipa_init(uint32_t bits)
{
	return (struct ipa){ bits };
}

#define MV_MUST_CHECK __attribute__((warn_unused_result))
#define MV_NORETURN __attribute__((noreturn))
#define MV_NOINLINE __attribute__((noinline)) /* keeps a cold path's frame out of its caller */
/* printf-style checking of log_printf() and friends (log.h lists the conversions). gcc for
 * arm-none-eabi makes uint32_t an unsigned long, clang and the host an unsigned int: pass a
 * uint32_t to %u or %x as (unsigned)v, which is right for all three. */
#define MV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define MV_ALIGNED(n) __attribute__((aligned(n)))
#define MV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PAGE_SIZE 4096u
#define BLOCK_2M 0x200000u

static inline bool is_aligned(uint32_t v, uint32_t align)
{
	return (v & (align - 1u)) == 0;
}

/* [base, base + size) fits in 32 bits and contains addr. */
static inline bool range_contains(uint32_t base, uint32_t size, uint32_t addr)
{
	return addr >= base && addr - base < size;
}

#endif
