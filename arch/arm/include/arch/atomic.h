/* SPDX-License-Identifier: MIT */
/* Word-sized atomics for generic code, built on LDREX/STREX (ARM ARM A3.4). The host fake
 * arch provides the same functions on compiler builtins. */
#ifndef ARCH_ATOMIC_H
#define ARCH_ATOMIC_H

#include <stdint.h>

static inline void atomic_barrier(void)
{
	__asm__ volatile("dmb ish" ::: "memory");
}

static inline uint32_t atomic_cmpxchg(volatile uint32_t *p, uint32_t old, uint32_t new_val)
{
	uint32_t cur, fail;
	atomic_barrier();
	do {
		__asm__ volatile("ldrex %0, [%1]" : "=&r"(cur) : "r"(p) : "memory");
		if (cur != old) {
			__asm__ volatile("clrex" ::: "memory");
			break;
		}
		__asm__ volatile("strex %0, %2, [%1]"
				 : "=&r"(fail)
				 : "r"(p), "r"(new_val)
				 : "memory");
	} while (fail);
	atomic_barrier();
	return cur;
}

/* Applies `op` to *p atomically and returns the old value: a compare-and-swap loop, which
 * every read-modify-write below shares. */
#define ATOMIC_RMW(p, cur, expr) \
	do {                     \
		cur = *(p);      \
	} while (atomic_cmpxchg((p), cur, (expr)) != cur)

static inline uint32_t atomic_or(volatile uint32_t *p, uint32_t bits)
{
	uint32_t cur;
	ATOMIC_RMW(p, cur, cur | bits);
	return cur;
}

static inline uint32_t atomic_and(volatile uint32_t *p, uint32_t bits)
{
	uint32_t cur;
	ATOMIC_RMW(p, cur, cur & bits);
	return cur;
}

static inline uint32_t atomic_xchg(volatile uint32_t *p, uint32_t v)
{
	uint32_t cur;
	ATOMIC_RMW(p, cur, v);
	return cur;
}

/* Returns the new value. */
static inline uint32_t atomic_add_return(volatile uint32_t *p, uint32_t v)
{
	uint32_t cur;
	ATOMIC_RMW(p, cur, cur + v);
	return cur + v;
}

/* A test-and-set spinlock: held only for a few dozen instructions, never across a
 * guest entry, so fairness does not matter. A waiter yields (the YIELD hint, a NOP on the
 * A15 and A7): where CPUs take turns, as under QEMU's -icount, the holder runs instead of
 * the waiter spinning out its turn; the holder may itself have yielded (a cross-CPU SGI
 * does, gic.c), and without this each handoff of the lock cost a whole turn. */
static inline void spin_lock(volatile uint32_t *lock)
{
	while (atomic_xchg(lock, 1))
		__asm__ volatile("yield" ::: "memory");
}

static inline void spin_unlock(volatile uint32_t *lock)
{
	atomic_barrier();
	*lock = 0;
}

#endif
