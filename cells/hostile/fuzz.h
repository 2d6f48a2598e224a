/* SPDX-License-Identifier: MIT */
/* Shared by the fuzzing cells: the xorshift PRNG, the address map of the hostile systems
 * (systems/hostile-*.dts) and the victim's "done" record. */
#ifndef CELLS_HOSTILE_FUZZ_H
#define CELLS_HOSTILE_FUZZ_H

#include <stdbool.h>
#include <stdint.h>

#ifndef FUZZ_SEED
#define FUZZ_SEED 0x6d76697366757a7aull /* "mvisfuzz"; the build option MV_FUZZ_SEED */
#endif

/* Marsaglia's xorshift64 (13, 7, 17): full period over the non-zero states, so any seed
 * but 0 works, and the state printed at a checkpoint restarts the sequence there. */
struct fuzz_rng {
	uint64_t s;
};

static inline void fuzz_seed(struct fuzz_rng *r, uint64_t seed)
{
	r->s = seed ? seed : 1;
}

static inline uint32_t fuzz_next(struct fuzz_rng *r)
{
	uint64_t x = r->s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r->s = x;
	return (uint32_t)(x >> 32);
}

/* Uniform enough in [0, n) for the small n used here. */
static inline uint32_t fuzz_below(struct fuzz_rng *r, uint32_t n)
{
	return (uint32_t)(((uint64_t)fuzz_next(r) * n) >> 32);
}

/* True with probability 1/n. */
static inline bool fuzz_one_in(struct fuzz_rng *r, uint32_t n)
{
	return fuzz_below(r, n) == 0;
}

/*
 * The address map every hostile system shares (systems/hostile-*.dts). Physical: the
 * microvisor owns [0x80000000, 0x81000000); the fuzzer's RAM is at 0x81000000 (16 MiB),
 * the victim's at 0x82000000, a helper cell's at 0x82200000. Every cell sees its RAM at IPA
 * 0x80000000, its vGIC at 0x2c001000 (GICD, emulated) and 0x2c002000 (GICV, 8 KiB).
 */
#define HOSTILE_HYP_MEM_PA 0x80000000u
#define HOSTILE_HYP_MEM_SIZE 0x01000000u
#define HOSTILE_FUZZER_PA 0x81000000u
#define HOSTILE_VICTIM_PA 0x82000000u
#define HOSTILE_HELPER_PA 0x82200000u
#define HOSTILE_CELL_RAM_SIZE 0x00200000u
#define HOSTILE_RAM_IPA 0x80000000u
#define HOSTILE_FUZZER_RAM_SIZE 0x01000000u
#define HOSTILE_GICD_IPA 0x2c001000u
#define HOSTILE_GICV_IPA 0x2c002000u
#define HOSTILE_GICV_SIZE 0x2000u
/* Channel 0 of the fuzzer (to the victim), and the fuzzer's vdev window (hostile-mmio). */
#define HOSTILE_CHANNEL_IPA 0x90000000u
#define HOSTILE_CHANNEL_SIZE 0x2000u
#define HOSTILE_VDEV_IPA 0x40000000u
#define HOSTILE_VDEV_SIZE 0x1000u
/* Physical devices of vexpress-a15 no cell has: UART0, system registers, GICH, GICV. */
#define HOSTILE_UART0_PA 0x1c090000u
#define HOSTILE_SYSREGS_PA 0x1c010000u
#define HOSTILE_GICH_PA 0x2c004000u
#define HOSTILE_GICV_PA 0x2c006000u

/* Failure reasons (static strings) and how often each was seen, for a fuzzer's summary. */
#define FUZZ_MAX_REASONS 12u
struct fuzz_reason {
	const char *what;
	uint32_t count;
	uint32_t first; /* index of the first operation that failed this way */
};

static inline void fuzz_count_reason(struct fuzz_reason *r, const char *what, uint32_t n)
{
	for (uint32_t i = 0; i < FUZZ_MAX_REASONS; i++) {
		if (!r[i].what) {
			r[i].what = what;
			r[i].first = n;
		}
		if (r[i].what == what) {
			r[i].count++;
			return;
		}
	}
}

/* The record a fuzzer writes on its channel to the victim when it has finished. */
#define HOSTILE_DONE_RECORD "fuzzer done"

#endif
