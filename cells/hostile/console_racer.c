/* SPDX-License-Identifier: MIT */
/* A console client that races the console cell's reads of its output rings
 * (hostile-ring-race-console.dts), alone on CPU 1 while the console reads on CPU 0. Its
 * channel 0 is an ordinary console channel, through which the runtime prints this cell's
 * own lines; channels 1 and 2, also to the console, are raced word by word, in turn, in
 * two phases of PHASE_MS:
 *   1 lengths: on both, the length word at the console's consumer index flips between
 *     the small length every slot holds and the largest one the console's snapshot of
 *     prod admits: every value the console can read is a well-formed record;
 *   2 on channel 1 the length word flips between small and a length no ring admits; on
 *     channel 2 prod flips between valid and invalid values, at every refill, while the
 *     console reads and while the ring is empty.
 * The console must cut a ring off (docs/console.md) once it sees it broken, and meanwhile
 * serve its other clients. */
#include "ring_race.h"

#define RINGS 2u
#define PAYLOAD 0x65636172u /* "race": the payload of every small record */
#define PHASES 2u
#define PHASE_MS 1000u
#define REFILL_BYTES 256u     /* 32 small records, one console line of 128 bytes */
#define REFILL_EVERY_US 4000u /* bounds each ring's output to about 250 lines a second */
#define FLIPS 16u
#define PROD_FLIPS 8u

static const char *const attack[RINGS] = { "huge lengths", "invalid indices" };

struct raced {
	struct race race;
	uint64_t next_refill;
	uint32_t moves[PHASES], refills[PHASES];
};

static struct raced rings[RINGS];

/* One look at ring i in phase p, and one burst of its attack. */
static void race_step(struct raced *x, uint32_t i, uint32_t p, uint64_t us)
{
	struct race *r = &x->race;
	uint32_t c = race_follow(r);
	bool huge = p == 1 && i == 0, prod = p == 1 && i == 1;

	if (c == ~0u)
		return;
	if (c != r->pub) {
		race_flip(r, c, huge, prod, FLIPS);
	} else if (timer_now() >= x->next_refill) {
		race_publish(r, c, REFILL_BYTES, prod ? PROD_FLIPS : 0);
		x->next_refill = timer_now() + REFILL_EVERY_US * us;
	} else if (prod) {
		race_flip_prod(r, c, FLIPS); /* what the console finds on waking, or arming */
	}
}

int main(void)
{
	const uint64_t us = timer_freq() / 1000000u;

	CHECK(cell_console_channel() == 0);
	cell_printf("racing the console's reads of channels 1 and 2 on CPU 1, %u phases of %u ms\n",
		    PHASES, PHASE_MS);
	for (uint32_t i = 0; i < RINGS; i++)
		race_open(&rings[i].race, 1u + i, PAYLOAD);
	for (uint32_t p = 0; p < PHASES; p++) {
		uint64_t end = timer_now() + PHASE_MS * 1000u * us;
		uint32_t moves0[RINGS], refills0[RINGS];

		for (uint32_t i = 0; i < RINGS; i++) {
			moves0[i] = rings[i].race.moves;
			refills0[i] = rings[i].race.refills;
		}
		while (timer_now() < end) {
			for (uint32_t i = 0; i < RINGS; i++)
				race_step(&rings[i], i, p, us);
		}
		for (uint32_t i = 0; i < RINGS; i++) {
			rings[i].moves[p] = rings[i].race.moves - moves0[i];
			rings[i].refills[p] = rings[i].race.refills - refills0[i];
		}
	}
	for (uint32_t i = 0; i < RINGS; i++) {
		const struct raced *x = &rings[i];
		cell_printf(
			"channel %u, lengths: %u refills, the console moved its index %u times\n",
			1u + i, x->refills[0], x->moves[0]);
		cell_printf("channel %u, %s: %u refills, the console moved its index %u times\n",
			    1u + i, attack[i], x->refills[1], x->moves[1]);
		cell_printf("channel %u: %u length flips, %u prod flips, %llu bytes taken\n",
			    1u + i, x->race.len_flips, x->race.prod_flips,
			    (unsigned long long)x->race.consumed);
		/* In phase 1 every word the console can read is valid: it must have read on. */
		CHECK(x->moves[0] > 0);
		CHECK(x->race.bad_cons == 0);
	}
	test_report();
	return 0;
}
