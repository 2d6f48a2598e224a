/* SPDX-License-Identifier: MIT */
/* Host fake of arch/atomic.h: the same functions on compiler builtins. */
#ifndef ARCH_ATOMIC_H
#define ARCH_ATOMIC_H

#include <stdbool.h>
#include <stdint.h>

static inline uint32_t atomic_cmpxchg(volatile uint32_t *p, uint32_t old, uint32_t new_val)
{
	__atomic_compare_exchange_n(p, &old, new_val, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}
static inline uint32_t atomic_or(volatile uint32_t *p, uint32_t bits)
{
	return __atomic_fetch_or(p, bits, __ATOMIC_SEQ_CST);
}
static inline uint32_t atomic_xchg(volatile uint32_t *p, uint32_t v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}
static inline uint32_t atomic_add_return(volatile uint32_t *p, uint32_t v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

static inline uint32_t atomic_and(volatile uint32_t *p, uint32_t bits)
{
	return __atomic_fetch_and(p, bits, __ATOMIC_SEQ_CST);
}
static inline void spin_lock(volatile uint32_t *lock)
{
	while (atomic_xchg(lock, 1))
		;
}
static inline void spin_unlock(volatile uint32_t *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_SEQ_CST);
}

#endif
