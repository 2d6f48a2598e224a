/* SPDX-License-Identifier: MIT */
/* The victim of hostile-ring-race.dts, alone on CPU 0: end 1 of channel 0, reading the
 * racer's ring (ring_racer.c, CPU 1) with the ring library while the racer rewrites the
 * length word it is reading and the producer index. Records are taken in turn three ways:
 *   exact:  mv_ring_peek_len, then mv_ring_read into a buffer of exactly the peeked size;
 *   arena:  the same buffer, but the read's cap is the whole arena it lies in (what a
 *           caller that sizes its buffer from the peek may do, mv/ring.h);
 *   small:  mv_ring_read into a 64-byte buffer first; on MV_RING_E_TOO_BIG, a buffer of
 *           exactly the size the read said it needs.
 * Canary bytes follow every buffer and are checked after every read: no read may write
 * past what the peek (or TOO_BIG) promised, nor return another length. A corrupt ring is
 * reported to the racer on the other ring and re-attached (mv_ring_init takes over the
 * indices found there), and reading goes on until READS records have been read. */
#include "ring_race.h"

#define READS 200000u
#define CANARY_BYTES 32u
#define SMALL_CAP 64u
#define GAP_SPINS 256u    /* between the check of a length and the read (take_promised) */
#define ARENA_BYTES 4096u /* more than the largest payload of the channel's 4 KiB rings */
#define MAX_RUN_MS 45000u /* guest time: the racer stalled the channel for good */

enum take { TAKE_EXACT, TAKE_ARENA, TAKE_SMALL, TAKE_KINDS };

static uint8_t arena[ARENA_BYTES + CANARY_BYTES] __attribute__((aligned(8)));
static uint8_t small[SMALL_CAP + CANARY_BYTES] __attribute__((aligned(8)));

static struct {
	struct mv_ring rx, tx;
	uint8_t *rx_mem;
	uint32_t ring_bytes;
	const volatile uint32_t *rx_data; /* to look at the length word, as the racer writes it */
	uint32_t reads, larger, rewritten, too_big, corrupt, episodes, attach_refused;
	uint32_t corrupt_at, reports_dropped, polls;
	uint32_t overwritten, past_buffer, mismatched;
} v;

static uint8_t canary(uint32_t i)
{
	return (uint8_t)(0xc5u ^ (i * 29u));
}

static void canary_set(uint8_t *buf, uint32_t at)
{
	for (uint32_t i = 0; i < CANARY_BYTES; i++)
		buf[at + i] = canary(i);
}

static bool canary_ok(const uint8_t *buf, uint32_t at)
{
	for (uint32_t i = 0; i < CANARY_BYTES; i++) {
		if (buf[at + i] != canary(i))
			return false;
	}
	return true;
}

static bool deadline_passed(uint64_t deadline)
{
	return timer_now() >= deadline;
}

/* Until the ring is consistent again: the racer ends every flip with a valid index. */
static void attach(uint64_t deadline)
{
	while (mv_ring_init(&v.rx, v.rx_mem, v.ring_bytes, false) != MV_RING_OK &&
	       !deadline_passed(deadline))
		v.attach_refused++;
}

static void report(uint32_t kind, uint32_t value)
{
	static struct race_report last;
	struct race_report rep = { .kind = kind, .value = value };
	uint32_t old = mv_ring_index(&v.tx);

	/* Once per place: a held length is found again at every attempt to re-attach. */
	if (rep.kind == last.kind && rep.value == last.value)
		return;
	if (mv_ring_write(&v.tx, &rep, sizeof(rep)) != MV_RING_OK) {
		v.reports_dropped++;
		return;
	}
	last = rep;
	if (mv_ring_need_notify_after_write(&v.tx, old))
		(void)mv_call3(MV_CALL_CHANNEL_NOTIFY, 0, 0, 0);
}

/* The read after a peek or a TOO_BIG that promised n bytes, into `buf` with canaries at n
 * (and, for the arena, at its end) and the given cap. */
static int take_promised(uint8_t *buf, uint32_t n, uint32_t cap)
{
	uint32_t len = ~0u;
	int st;

	canary_set(buf, n);
	canary_set(arena, ARENA_BYTES);
	/*
	 * The time a real reader spends between learning a length and reading the record
	 * (finding a buffer). It also makes most of this vCPU's time fall here, so that when
	 * the host runs both vCPU threads on one core, a switch to the racer usually comes
	 * between the check and the read: the race then hits however the host schedules.
	 */
	for (volatile uint32_t spin = 0; spin < GAP_SPINS; spin++)
		;
	/* How often the racer has rewritten the word since the library checked it. */
	if (v.rx_data[(mv_ring_index(&v.rx) % (v.ring_bytes - MV_RING_HEADER_BYTES)) / 4u] != n)
		v.rewritten++;
	st = mv_ring_read(&v.rx, buf, cap, &len);
	if (!canary_ok(buf, n) || !canary_ok(arena, ARENA_BYTES))
		v.overwritten++;
	if (st == MV_RING_E_TOO_BIG) {
		v.mismatched++; /* the peek said it fits */
		return MV_RING_OK;
	}
	if (st != MV_RING_OK)
		return st;
	if (len > n)
		v.past_buffer++;
	if (len != n)
		v.mismatched++;
	v.reads++;
	v.larger += len > RACE_SMALL;
	return MV_RING_OK;
}

static int take(enum take how)
{
	uint32_t n = ~0u;
	int st;

	if (how == TAKE_SMALL) {
		canary_set(small, SMALL_CAP);
		st = mv_ring_read(&v.rx, small, SMALL_CAP, &n);
		if (!canary_ok(small, SMALL_CAP))
			v.overwritten++;
		if (st == MV_RING_OK) {
			if (n > SMALL_CAP)
				v.past_buffer++;
			v.reads++;
			v.larger += n > RACE_SMALL;
			return st;
		}
		if (st != MV_RING_E_TOO_BIG)
			return st;
		v.too_big++;
		if (n > ARENA_BYTES) {
			v.mismatched++; /* the library checked it against the payload limit */
			n = ARENA_BYTES;
		}
		return take_promised(arena, n, n);
	}
	st = mv_ring_peek_len(&v.rx, &n);
	if (st != MV_RING_OK)
		return st;
	if (n > ARENA_BYTES) {
		v.mismatched++;
		n = ARENA_BYTES;
	}
	return take_promised(arena, n, how == TAKE_EXACT ? n : ARENA_BYTES);
}

int main(void)
{
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, 0, 0, 0, 0, 0, 0);
	uint64_t deadline = timer_now() + (uint64_t)timer_freq() * MAX_RUN_MS / 1000u;
	uint32_t k = 0;

	CHECK(info.r0 == MV_OK && MV_CHANNEL_INFO_END(info.r3) == 1);
	v.ring_bytes = info.r2 / 2u;
	v.rx_mem = (uint8_t *)(uintptr_t)info.r1; /* end 1 consumes the first ring */
	v.rx_data = (const volatile uint32_t *)(void *)(v.rx_mem + MV_RING_HEADER_BYTES);
	CHECK(MV_RING_MAX_PAYLOAD(v.ring_bytes - MV_RING_HEADER_BYTES) <= ARENA_BYTES);
	CHECK(mv_ring_init(&v.tx, v.rx_mem + v.ring_bytes, v.ring_bytes, true) == MV_RING_OK);
	attach(deadline);

	while (v.reads < READS && !deadline_passed(deadline)) {
		int st = take((enum take)(k++ % TAKE_KINDS));

		if (st == MV_RING_E_EMPTY) {
			/* Polls rather than sleeps, so that this vCPU's host thread stays busy
			 * beside the racer's instead of the two running in turn (WFI, doorbell,
			 * wake-up). Arming the doorbell still reads prod, as a sleeper would. */
			v.polls += !mv_ring_enable_notify(&v.rx);
		} else if (st != MV_RING_OK) {
			v.corrupt++;
			if (v.episodes == 0 || mv_ring_index(&v.rx) != v.corrupt_at)
				v.episodes++;
			v.corrupt_at = mv_ring_index(&v.rx);
			report(RACE_REPORT_CORRUPT, mv_ring_index(&v.rx));
			attach(deadline);
		}
	}
	cell_printf("%u reads (%u longer than %u bytes), %u lengths rewritten between check and "
		    "read, %u TOO_BIG\n",
		    v.reads, v.larger, RACE_SMALL, v.rewritten, v.too_big);
	cell_printf("%u corrupt rings at %u places re-attached (%u attaches refused), %u reports "
		    "dropped, %u polls\n",
		    v.corrupt, v.episodes, v.attach_refused, v.reports_dropped, v.polls);
	cell_printf("%u canaries overwritten, %u reads past the buffer, %u reads of another "
		    "length than checked\n",
		    v.overwritten, v.past_buffer, v.mismatched);
	CHECK(v.reads == READS);
	CHECK(v.overwritten == 0);
	CHECK(v.past_buffer == 0);
	CHECK(v.mismatched == 0);
	CHECK(v.corrupt > 0); /* the racer's held lengths: detected, not read past */
	while (!deadline_passed(deadline)) {
		uint32_t old = mv_ring_index(&v.tx);
		struct race_report rep = { .kind = RACE_REPORT_DONE, .value = v.reads };
		if (mv_ring_write(&v.tx, &rep, sizeof(rep)) == MV_RING_OK) {
			if (mv_ring_need_notify_after_write(&v.tx, old))
				(void)mv_call3(MV_CALL_CHANNEL_NOTIFY, 0, 0, 0);
			break;
		}
		mv_yield();
	}
	test_report();
	return 0;
}
