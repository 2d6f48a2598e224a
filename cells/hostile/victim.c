/* SPDX-License-Identifier: MIT */
/* The victim beside a fuzzer: burns CPU in rounds until the fuzzer's "done" record arrives
 * on channel 0, checking after every round that its memory is as it wrote it and noting
 * the longest time it was kept off the CPU. A fuzzer that corrupts it, starves it or takes
 * the microvisor down shows up here as a failed check or a missing result line. */
#include <cell/runtime.h>
#include <mv/ring.h>

#include "fuzz.h"

#define PATTERN_WORDS 16384u
#define ROUND_MS 20u
#define GIVE_UP_S 600u        /* guest time: the fuzzer never finished */
#define LONGEST_WAIT_MS 1000u /* generous: 2-CPU runs count host time, not instructions */

static uint32_t pattern[PATTERN_WORDS];

static uint32_t pattern_word(uint32_t i, uint32_t round)
{
	return (i * 2654435761u) ^ (round * 0x9e3779b9u) ^ 0x76696374u;
}

/* True once the fuzzer's record is in; false while none is. A broken ring fails. */
static bool fuzzer_done(struct mv_ring *rx, bool *broken)
{
	char buf[32];
	uint32_t len;
	int r = mv_ring_read(rx, buf, sizeof(buf), &len);
	if (r == MV_RING_E_EMPTY)
		return false;
	if (r != 0) {
		*broken = true;
		return true;
	}
	static const char want[] = HOSTILE_DONE_RECORD;
	bool same = len == sizeof(want) - 1;
	for (uint32_t i = 0; same && i < len; i++)
		same = buf[i] == want[i];
	*broken = !same;
	return true;
}

int main(void)
{
	struct mv_ring tx, rx;
	struct mv_result ch = mv_hvc(MV_CALL_CHANNEL_INFO, 0, 0, 0, 0, 0, 0);
	CHECK(ch.r0 == MV_OK);
	if (ch.r0 != MV_OK || mv_ring_init_channel(&tx, &rx, (void *)(uintptr_t)ch.r1, ch.r2,
						   MV_CHANNEL_INFO_END(ch.r3)) != 0) {
		test_report();
		return 0;
	}

	const uint64_t ms = timer_freq() / 1000u;
	uint64_t start = timer_now(), last = start, longest = 0, busy = 0;
	uint32_t rounds = 0, bad_words = 0;
	bool broken = false, done = false, gave_up = false;
	for (uint32_t i = 0; i < PATTERN_WORDS; i++)
		pattern[i] = pattern_word(i, 0);
	while (!done && !gave_up) {
		uint64_t round_busy = 0;
		while (round_busy < ROUND_MS * ms) {
			uint64_t t = timer_now();
			if (t - last > longest)
				longest = t - last;
			round_busy += t - last < ms ? t - last : 0;
			last = t;
		}
		busy += round_busy;
		for (uint32_t i = 0; i < PATTERN_WORDS; i++) {
			bad_words += pattern[i] != pattern_word(i, rounds);
			pattern[i] = pattern_word(i, rounds + 1);
		}
		rounds++;
		done = fuzzer_done(&rx, &broken);
		gave_up = timer_now() - start > GIVE_UP_S * 1000u * ms;
	}
	cell_printf(
		"%u rounds, %u ms of CPU in %u ms beside the fuzzer, longest wait %u ms, %u bad words\n",
		rounds, (uint32_t)(busy / ms), (uint32_t)((timer_now() - start) / ms),
		(uint32_t)(longest / ms), bad_words);
	CHECK(done && !broken);
	CHECK(bad_words == 0);
	CHECK(longest < LONGEST_WAIT_MS * ms);
	test_report();
	return 0;
}
