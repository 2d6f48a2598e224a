/* SPDX-License-Identifier: MIT */
/* Unit tests of the channel ring (lib/ring/ring.c), one path at a time, both sides in one
 * thread; rings sit in exact-size heap blocks so that ASan sees any access outside them. */
#include <stdlib.h>
#include <string.h>

#include <mv/ring.h>

#include "../check.h"

#define SMALL 256u /* D = 128, W = 2^31, max payload 60 */
#define PAGE 4096u /* D = 3968, not a power of two */

struct pair {
	uint8_t *mem;
	uint32_t bytes;
	struct mv_ring tx;
	struct mv_ring rx;
};

static struct mv_ring_shared *hdr(struct pair *p)
{
	return (struct mv_ring_shared *)(void *)p->mem;
}

static uint8_t *data(struct pair *p)
{
	return p->mem + MV_RING_HEADER_BYTES;
}

static uint32_t wrap_of(uint32_t bytes)
{
	uint32_t d = bytes - MV_RING_HEADER_BYTES;
	return d * (0x80000000u / d);
}

/* A zeroed ring of `bytes` bytes, optionally with both indices at `start`, and both ends. */
static void open_at(struct pair *p, uint32_t bytes, uint32_t start)
{
	p->mem = aligned_alloc(8, bytes);
	p->bytes = bytes;
	memset(p->mem, 0, bytes);
	hdr(p)->prod = start;
	hdr(p)->cons = start;
	CHECK(mv_ring_init(&p->tx, p->mem, bytes, true) == 0);
	CHECK(mv_ring_init(&p->rx, p->mem, bytes, false) == 0);
}

static void open_ring(struct pair *p, uint32_t bytes)
{
	open_at(p, bytes, 0);
}

static void close_ring(struct pair *p)
{
	free(p->mem);
}

static void fill(uint8_t *buf, uint32_t len, uint32_t seed)
{
	for (uint32_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed * 37u + i * 11u + (i >> 8));
}

static bool matches(const uint8_t *buf, uint32_t len, uint32_t seed)
{
	for (uint32_t i = 0; i < len; i++)
		if (buf[i] != (uint8_t)(seed * 37u + i * 11u + (i >> 8)))
			return false;
	return true;
}

static int put(struct pair *p, uint32_t len, uint32_t seed)
{
	uint8_t *buf = malloc(len + 1);
	fill(buf, len, seed);
	int err = mv_ring_write(&p->tx, buf, len);
	free(buf);
	return err;
}

/* Reads one record into an exact-size buffer and checks it against put()'s pattern. */
static bool get(struct pair *p, uint32_t len, uint32_t seed)
{
	uint8_t *buf = malloc(len + 1);
	uint32_t got = ~0u;
	int err = mv_ring_read(&p->rx, buf, len, &got);
	bool ok = err == 0 && got == len && matches(buf, len, seed);
	free(buf);
	return ok;
}

static void test_init(void)
{
	uint8_t *mem = aligned_alloc(64, PAGE);
	struct mv_ring r;
	uint32_t len;

	memset(mem, 0, PAGE);
	CHECK(mv_ring_init(&r, NULL, PAGE, true) == MV_RING_E_INVALID);
	CHECK(mv_ring_init(&r, mem + 4, PAGE - 64, true) == MV_RING_E_INVALID);
	CHECK(mv_ring_init(&r, mem, MV_RING_MIN_BYTES - 8, true) == MV_RING_E_INVALID);
	CHECK(mv_ring_init(&r, mem, PAGE - 4, true) == MV_RING_E_INVALID);
	CHECK(mv_ring_init(&r, mem, MV_RING_MAX_BYTES + 8, true) == MV_RING_E_INVALID);
	/* A descriptor whose init failed refuses everything. */
	CHECK(mv_ring_write(&r, "x", 1) == MV_RING_E_CORRUPT);
	CHECK(mv_ring_init(&r, mem, PAGE, false) == 0);
	r.broken = true;
	CHECK(mv_ring_init(&r, NULL, PAGE, false) == MV_RING_E_INVALID);
	CHECK(mv_ring_read(&r, mem, 0, &len) == MV_RING_E_CORRUPT);
	CHECK(mv_ring_enable_notify(&r));

	/* Zeroed memory is an empty ring; init writes only its own event index. */
	CHECK(mv_ring_init(&r, mem, PAGE, true) == 0);
	CHECK(mv_ring_max_payload(&r) == 1980u);
	CHECK(MV_RING_MAX_PAYLOAD(PAGE - MV_RING_HEADER_BYTES) == 1980u);
	CHECK(mv_ring_index(&r) == 0);
	struct mv_ring_shared *h = (struct mv_ring_shared *)(void *)mem;
	CHECK(h->producer_event == wrap_of(PAGE) - 8);
	h->consumer_event = 77;
	CHECK(mv_ring_init(&r, mem, PAGE, false) == 0);
	CHECK(h->consumer_event == 0 && h->prod == 0 && h->cons == 0);
	for (uint32_t i = 2; i < 32; i++)
		CHECK(((uint32_t *)(void *)mem)[i] == 0);

	/* A side restarts on the indices it left: the data offset is the index modulo D. */
	uint32_t d = PAGE - MV_RING_HEADER_BYTES;
	h->prod = h->cons = 5 * d + 64;
	CHECK(mv_ring_init(&r, mem, PAGE, true) == 0);
	CHECK(mv_ring_write(&r, "abcd", 4) == 0);
	CHECK(*(uint32_t *)(void *)(mem + MV_RING_HEADER_BYTES + 64) == 4);
	CHECK(memcmp(mem + MV_RING_HEADER_BYTES + 68, "abcd", 4) == 0);
	CHECK(h->prod == 5 * d + 72);
	free(mem);
}

static void test_init_channel(void)
{
	uint8_t *mem = aligned_alloc(64, 2 * PAGE);
	struct mv_ring tx0, rx0, tx1, rx1;
	uint8_t buf[16];
	uint32_t len;

	memset(mem, 0, 2 * PAGE);
	CHECK(mv_ring_init_channel(&tx0, &rx0, mem, 2 * PAGE, 2) == MV_RING_E_INVALID);
	CHECK(mv_ring_write(&tx0, "x", 1) == MV_RING_E_CORRUPT);
	CHECK(mv_ring_init_channel(&tx0, &rx0, mem, 2 * PAGE - 8, 0) == MV_RING_E_INVALID);
	CHECK(mv_ring_init_channel(&tx0, &rx0, NULL, 2 * PAGE, 0) == MV_RING_E_INVALID);
	CHECK(mv_ring_init_channel(&tx0, &rx0, mem, 2 * PAGE, 0) == 0);
	CHECK(mv_ring_init_channel(&tx1, &rx1, mem, 2 * PAGE, 1) == 0);

	/* End 0 transmits on the first half, end 1 on the second. */
	CHECK(mv_ring_write(&tx0, "ping", 4) == 0);
	CHECK(mv_ring_write(&tx1, "pong!", 5) == 0);
	CHECK(((struct mv_ring_shared *)(void *)mem)->prod == 8);
	CHECK(((struct mv_ring_shared *)(void *)(mem + PAGE))->prod == 16);
	CHECK(mv_ring_read(&rx1, buf, sizeof(buf), &len) == 0 && len == 4 &&
	      !memcmp(buf, "ping", 4));
	CHECK(mv_ring_read(&rx0, buf, sizeof(buf), &len) == 0 && len == 5 &&
	      !memcmp(buf, "pong!", 5));
	CHECK(mv_ring_read(&rx0, buf, sizeof(buf), &len) == MV_RING_E_EMPTY);

	/* A corrupt ring fails its own end only. */
	((struct mv_ring_shared *)(void *)(mem + PAGE))->prod = 4;
	CHECK(mv_ring_init_channel(&tx0, &rx0, mem, 2 * PAGE, 0) == MV_RING_E_CORRUPT);
	CHECK(mv_ring_write(&tx0, "ping", 4) == 0);
	CHECK(mv_ring_read(&rx0, buf, sizeof(buf), &len) == MV_RING_E_CORRUPT);
	free(mem);
}

static void test_empty_and_sides(void)
{
	struct pair p;
	uint32_t len = 1234;
	uint8_t buf[8];

	open_ring(&p, SMALL);
	CHECK(mv_ring_read(&p.rx, buf, sizeof(buf), &len) == MV_RING_E_EMPTY);
	CHECK(mv_ring_peek_len(&p.rx, &len) == MV_RING_E_EMPTY);
	CHECK(len == 1234);
	/* Each descriptor does only its own side's job. */
	CHECK(mv_ring_write(&p.rx, buf, 1) == MV_RING_E_INVALID);
	CHECK(mv_ring_read(&p.tx, buf, sizeof(buf), &len) == MV_RING_E_INVALID);
	CHECK(mv_ring_peek_len(&p.tx, &len) == MV_RING_E_INVALID);
	CHECK(!mv_ring_need_notify_after_write(&p.rx, 0));
	CHECK(!mv_ring_need_notify_after_read(&p.tx, 0));
	CHECK(mv_ring_enable_notify(&p.tx));
	close_ring(&p);
}

static void test_roundtrip(void)
{
	static const uint32_t lens[] = { 0, 1, 3, 4, 5, 7, 8, 9, 59, 60 };
	struct pair p;
	uint32_t len;

	open_ring(&p, SMALL);
	CHECK(mv_ring_max_payload(&p.tx) == 60);
	for (uint32_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint32_t before = mv_ring_index(&p.tx);
		uint32_t rec = (4 + lens[i] + 7) & ~7u;
		CHECK(put(&p, lens[i], i) == 0);
		CHECK(mv_ring_index(&p.tx) == before + rec);
		CHECK(hdr(&p)->prod == before + rec);
		CHECK(mv_ring_peek_len(&p.rx, &len) == 0 && len == lens[i]);
		CHECK(mv_ring_peek_len(&p.rx, &len) == 0 && len == lens[i]);
		CHECK(get(&p, lens[i], i));
		CHECK(hdr(&p)->cons == before + rec);
		CHECK(mv_ring_read(&p.rx, NULL, 0, &len) == MV_RING_E_EMPTY);
	}
	close_ring(&p);
}

static void test_full(void)
{
	struct pair p;
	uint32_t len;

	open_ring(&p, SMALL);
	/* Two 64-byte records fill the 128-byte data area. */
	CHECK(put(&p, 60, 1) == 0);
	CHECK(put(&p, 60, 2) == 0);
	CHECK(put(&p, 60, 3) == MV_RING_E_FULL);
	CHECK(put(&p, 0, 3) == MV_RING_E_FULL);
	CHECK(hdr(&p)->prod == 128);
	/* The producer asks to be woken once half the ring is free: when byte 63 is consumed. */
	CHECK(hdr(&p)->producer_event == 63);
	CHECK(mv_ring_peek_len(&p.rx, &len) == 0 && len == 60);

	uint32_t old = mv_ring_index(&p.rx);
	CHECK(get(&p, 60, 1));
	CHECK(mv_ring_need_notify_after_read(&p.rx, old));
	CHECK(put(&p, 60, 3) == 0);
	CHECK(put(&p, 52, 4) == MV_RING_E_FULL);
	CHECK(hdr(&p)->producer_event == 192 + 64 - 128 - 1);

	/* Half the ring is free, and the 56-byte record fits, after the next read. */
	old = mv_ring_index(&p.rx);
	CHECK(get(&p, 60, 2));
	CHECK(mv_ring_need_notify_after_read(&p.rx, old));
	CHECK(put(&p, 52, 4) == 0);
	CHECK(get(&p, 60, 3));
	CHECK(get(&p, 52, 4));
	CHECK(mv_ring_read(&p.rx, NULL, 0, &len) == MV_RING_E_EMPTY);
	close_ring(&p);
}

/* The room check answers what the next write would, and arms producer_event as it would. */
static void test_check_room(void)
{
	struct pair p;
	uint32_t old;

	open_ring(&p, SMALL);
	CHECK(mv_ring_check_room(&p.tx, 60) == 0);
	CHECK(mv_ring_check_room(&p.tx, 61) == MV_RING_E_TOO_BIG);
	CHECK(mv_ring_check_room(&p.rx, 0) == MV_RING_E_INVALID);
	CHECK(put(&p, 60, 1) == 0);
	CHECK(mv_ring_check_room(&p.tx, 60) == 0);
	CHECK(hdr(&p)->prod == 64); /* nothing written */
	CHECK(put(&p, 52, 2) == 0);
	/* 8 bytes left: a 4-byte record fits, a 5-byte one does not. */
	CHECK(mv_ring_check_room(&p.tx, 4) == 0);
	CHECK(mv_ring_check_room(&p.tx, 5) == MV_RING_E_FULL);
	CHECK(hdr(&p)->producer_event == 120 + 64 - 128 - 1);
	CHECK(hdr(&p)->prod == 120);
	/* The read that frees half the ring notifies; then the largest record fits. */
	old = mv_ring_index(&p.rx);
	CHECK(get(&p, 60, 1));
	CHECK(mv_ring_need_notify_after_read(&p.rx, old));
	CHECK(mv_ring_check_room(&p.tx, 60) == 0);
	CHECK(put(&p, 60, 3) == 0);
	CHECK(get(&p, 52, 2));
	CHECK(get(&p, 60, 3));
	/* A corrupt consumer index breaks the producer here as in a write. */
	hdr(&p)->cons = 4;
	CHECK(mv_ring_check_room(&p.tx, 60) == MV_RING_E_CORRUPT);
	CHECK(mv_ring_check_room(&p.tx, 0) == MV_RING_E_CORRUPT);
	close_ring(&p);
}

/* A snapshot of cons that shows too little room is refreshed before FULL is answered. */
static void test_stale_snapshot(void)
{
	struct pair p;

	open_ring(&p, SMALL);
	CHECK(put(&p, 60, 1) == 0);
	CHECK(put(&p, 60, 2) == 0);
	CHECK(get(&p, 60, 1));
	/* The producer's snapshot still says full; the fresh read finds the room. */
	CHECK(put(&p, 60, 3) == 0);
	CHECK(get(&p, 60, 2));
	CHECK(get(&p, 60, 3));
	close_ring(&p);
}

static void test_wrap(uint32_t bytes, uint32_t start)
{
	struct pair p;
	uint32_t max, queued = 0, next_get = 0, next_put = 0;
	uint32_t lens[64];

	open_at(&p, bytes, start);
	max = mv_ring_max_payload(&p.tx);
	/* Odd sizes, the ring kept partly full, for many laps: records and payloads straddle
	 * the end of the data area and the indices pass W when started near it. */
	for (uint32_t i = 0; i < 4000; i++) {
		uint32_t len = (i * 7919u + 13u) % (max + 1);
		int err = put(&p, len, next_put);
		if (err == 0) {
			lens[next_put % 64] = len;
			next_put++;
			queued++;
		} else {
			CHECK(err == MV_RING_E_FULL);
		}
		while (queued > (i % 3) || (err && queued)) {
			uint32_t want = lens[next_get % 64];
			uint32_t off = mv_ring_index(&p.rx) % (bytes - MV_RING_HEADER_BYTES);
			CHECK(*(uint32_t *)(void *)(data(&p) + off) == want);
			CHECK(get(&p, want, next_get));
			next_get++;
			queued--;
			err = 0;
		}
	}
	CHECK(next_get > 1000);
	CHECK(mv_ring_index(&p.tx) == mv_ring_index(&p.rx));
	if (start)
		CHECK(mv_ring_index(&p.tx) < start);
	close_ring(&p);
}

static void test_too_big(void)
{
	struct pair p;
	uint32_t len = 0;
	uint8_t big[2000];

	open_ring(&p, PAGE);
	fill(big, sizeof(big), 9);
	CHECK(mv_ring_write(&p.tx, big, 1981) == MV_RING_E_TOO_BIG);
	CHECK(mv_ring_write(&p.tx, big, 0xffffffffu) == MV_RING_E_TOO_BIG);
	CHECK(hdr(&p)->prod == 0);
	CHECK(mv_ring_write(&p.tx, big, 1980) == 0);
	CHECK(hdr(&p)->prod == 1984);

	/* A buffer too small leaves the record where it is and says what it needs. */
	CHECK(mv_ring_read(&p.rx, big, 1979, &len) == MV_RING_E_TOO_BIG && len == 1980);
	CHECK(hdr(&p)->cons == 0);
	memset(big, 0, sizeof(big));
	CHECK(mv_ring_read(&p.rx, big, 1980, &len) == 0 && len == 1980 && matches(big, 1980, 9));

	/* Gathered: the pieces land back to back; their sum is what is limited. */
	struct mv_ring_iov too_big[] = { { big, 1000 }, { big, 981 } };
	CHECK(mv_ring_writev(&p.tx, too_big, 2) == MV_RING_E_TOO_BIG);
	struct mv_ring_iov huge[] = { { big, 1000 }, { big, 0xfffffff0u } };
	CHECK(mv_ring_writev(&p.tx, huge, 2) == MV_RING_E_TOO_BIG);
	struct mv_ring_iov iov[] = { { "head", 4 }, { NULL, 0 }, { "er+", 3 }, { "payload", 7 } };
	CHECK(mv_ring_writev(&p.tx, iov, 4) == 0);
	CHECK(mv_ring_writev(&p.tx, NULL, 0) == 0);
	CHECK(mv_ring_read(&p.rx, big, sizeof(big), &len) == 0 && len == 14);
	CHECK(memcmp(big, "header+payload", 14) == 0);
	CHECK(mv_ring_read(&p.rx, big, 0, &len) == 0 && len == 0);
	close_ring(&p);
}

/* Event indices: one notify per burst, in each direction, and none without asking. */
static void test_notify(void)
{
	struct pair p;
	unsigned notifies = 0;

	open_ring(&p, PAGE);
	/* Fresh ring: the consumer is armed, so the first record of a burst notifies. */
	for (uint32_t i = 0; i < 20; i++) {
		uint32_t old = mv_ring_index(&p.tx);
		CHECK(put(&p, 50, i) == 0);
		notifies += mv_ring_need_notify_after_write(&p.tx, old);
	}
	CHECK(notifies == 1);

	/* The consumer has not re-armed: a second burst notifies nobody. */
	notifies = 0;
	for (uint32_t i = 20; i < 40; i++) {
		uint32_t old = mv_ring_index(&p.tx);
		CHECK(put(&p, 50, i) == 0);
		notifies += mv_ring_need_notify_after_write(&p.tx, old);
	}
	CHECK(notifies == 0);

	/* Arming with records pending says "do not sleep"; after draining it says "sleep". */
	CHECK(mv_ring_enable_notify(&p.rx));
	notifies = 0;
	for (uint32_t i = 0; i < 40; i++) {
		uint32_t old = mv_ring_index(&p.rx);
		CHECK(get(&p, 50, i));
		notifies += mv_ring_need_notify_after_read(&p.rx, old);
	}
	CHECK(notifies == 0); /* the producer never waited */
	CHECK(!mv_ring_enable_notify(&p.rx));
	CHECK(hdr(&p)->consumer_event == hdr(&p)->cons);

	/* A batch checked once: one notify for the whole batch. */
	uint32_t old = mv_ring_index(&p.tx);
	for (uint32_t i = 0; i < 10; i++)
		CHECK(put(&p, 50, i) == 0);
	CHECK(mv_ring_need_notify_after_write(&p.tx, old));
	CHECK(!mv_ring_need_notify_after_write(&p.tx, mv_ring_index(&p.tx)));
	for (uint32_t i = 0; i < 10; i++)
		CHECK(get(&p, 50, i));

	/* A record arriving between arming and the re-check is not missed. */
	CHECK(!mv_ring_enable_notify(&p.rx));
	CHECK(put(&p, 5, 0) == 0);
	CHECK(mv_ring_enable_notify(&p.rx));
	CHECK(get(&p, 5, 0));

	/* A record already seen (peeked at) needs no look at the shared index. */
	uint32_t len;
	CHECK(put(&p, 5, 1) == 0);
	CHECK(mv_ring_peek_len(&p.rx, &len) == 0 && len == 5);
	hdr(&p)->prod = 0xffffffffu;
	CHECK(mv_ring_enable_notify(&p.rx));
	hdr(&p)->prod = mv_ring_index(&p.tx);
	CHECK(get(&p, 5, 1));

	/* Producer side: fill up, then a drain in many reads wakes the producer once. */
	unsigned writes = 0;
	while (put(&p, 100, writes) == 0)
		writes++;
	notifies = 0;
	for (uint32_t i = 0; i < writes; i++) {
		uint32_t o = mv_ring_index(&p.rx);
		CHECK(get(&p, 100, i));
		notifies += mv_ring_need_notify_after_read(&p.rx, o);
	}
	CHECK(writes > 30 && notifies == 1);

	/* A garbage event index only costs its owner its wake-ups. */
	hdr(&p)->consumer_event = 0xfffffff8u;
	old = mv_ring_index(&p.tx);
	CHECK(put(&p, 1, 0) == 0);
	CHECK(!mv_ring_need_notify_after_write(&p.tx, old));
	CHECK(get(&p, 1, 0));
	close_ring(&p);
}

/* Writes two records, then lets `corrupt` scribble and expects the consumer to break. */
static void expect_reader_breaks(void (*corrupt)(struct pair *))
{
	struct pair p;
	uint32_t len;
	uint8_t buf[64];

	open_ring(&p, SMALL);
	CHECK(put(&p, 20, 1) == 0);
	CHECK(put(&p, 20, 2) == 0);
	corrupt(&p);
	CHECK(mv_ring_read(&p.rx, buf, sizeof(buf), &len) == MV_RING_E_CORRUPT);
	/* Broken for good, even once the header looks fine again. */
	hdr(&p)->prod = 48;
	hdr(&p)->cons = 0;
	*(uint32_t *)(void *)data(&p) = 20;
	*(uint32_t *)(void *)(data(&p) + 24) = 20;
	CHECK(mv_ring_read(&p.rx, buf, sizeof(buf), &len) == MV_RING_E_CORRUPT);
	CHECK(mv_ring_peek_len(&p.rx, &len) == MV_RING_E_CORRUPT);
	CHECK(mv_ring_enable_notify(&p.rx));
	CHECK(!mv_ring_need_notify_after_read(&p.rx, 0));
	close_ring(&p);
}

static void prod_misaligned(struct pair *p)
{
	hdr(p)->prod = 44;
}

static void prod_beyond_wrap(struct pair *p)
{
	hdr(p)->prod = 0x80000000u;
}

static void prod_too_far(struct pair *p)
{
	hdr(p)->prod = 136;
}

static void prod_behind(struct pair *p)
{
	hdr(p)->prod = 0x80000000u - 8;
}

static void len_beyond_max(struct pair *p)
{
	*(uint32_t *)(void *)data(p) = 61;
}

static void len_beyond_published(struct pair *p)
{
	hdr(p)->prod = 24;
	*(uint32_t *)(void *)data(p) = 20; /* 24 bytes: fits exactly */
	*(uint32_t *)(void *)data(p) = 21; /* 32 bytes: does not */
}

static void len_huge(struct pair *p)
{
	*(uint32_t *)(void *)data(p) = 0xfffffffcu;
}

static void test_corrupt_reader(void)
{
	expect_reader_breaks(prod_misaligned);
	expect_reader_breaks(prod_beyond_wrap);
	expect_reader_breaks(prod_too_far);
	expect_reader_breaks(prod_behind);
	expect_reader_breaks(len_beyond_max);
	expect_reader_breaks(len_beyond_published);
	expect_reader_breaks(len_huge);

	/* A bad length behind a good record: the good one is still delivered. */
	struct pair p;
	uint32_t len;
	open_ring(&p, SMALL);
	CHECK(put(&p, 20, 1) == 0);
	CHECK(put(&p, 20, 2) == 0);
	*(uint32_t *)(void *)(data(&p) + 24) = 100;
	CHECK(get(&p, 20, 1));
	CHECK(mv_ring_peek_len(&p.rx, &len) == MV_RING_E_CORRUPT);
	close_ring(&p);
}

/* The producer sees a bad consumer index only when it needs room and looks. */
static void expect_writer_breaks(uint32_t cons)
{
	struct pair p;

	open_ring(&p, SMALL);
	CHECK(put(&p, 60, 1) == 0);
	CHECK(put(&p, 60, 2) == 0);
	hdr(&p)->cons = cons;
	CHECK(put(&p, 4, 3) == MV_RING_E_CORRUPT);
	hdr(&p)->cons = 128;
	CHECK(put(&p, 4, 3) == MV_RING_E_CORRUPT);
	CHECK(!mv_ring_need_notify_after_write(&p.tx, 0));
	CHECK(hdr(&p)->prod == 128);
	close_ring(&p);
}

static void test_corrupt_writer(void)
{
	expect_writer_breaks(136);         /* ahead of prod */
	expect_writer_breaks(0x7ffffff8u); /* more than D behind */
	expect_writer_breaks(0x80000000u); /* beyond W */
	expect_writer_breaks(0xffffffffu);
	expect_writer_breaks(4); /* not on a record boundary */

	/* A consumer index that stays in range but moves back is its owner's loss only. */
	struct pair p;
	open_ring(&p, SMALL);
	CHECK(put(&p, 60, 1) == 0);
	CHECK(get(&p, 60, 1));
	CHECK(put(&p, 60, 2) == 0);
	hdr(&p)->cons = 0;
	CHECK(put(&p, 60, 3) == MV_RING_E_FULL);
	close_ring(&p);
}

static void test_corrupt_init(void)
{
	static const uint32_t bad[][2] = {
		{ 8, 16 },
		{ 200, 0 },
		{ 0x80000000u, 0x80000000u },
		{ 4, 4 },
		{ 0, 0x80000000u - 136 },
	};
	uint8_t *mem = aligned_alloc(64, SMALL);
	struct mv_ring r;
	uint32_t len;

	for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(mem, 0, SMALL);
		((struct mv_ring_shared *)(void *)mem)->prod = bad[i][0];
		((struct mv_ring_shared *)(void *)mem)->cons = bad[i][1];
		CHECK(mv_ring_init(&r, mem, SMALL, false) == MV_RING_E_CORRUPT);
		CHECK(mv_ring_read(&r, mem, 0, &len) == MV_RING_E_CORRUPT);
		CHECK(mv_ring_init(&r, mem, SMALL, true) == MV_RING_E_CORRUPT);
		CHECK(mv_ring_write(&r, "", 0) == MV_RING_E_CORRUPT);
	}
	/* Full and wrapped past W is fine. */
	memset(mem, 0, SMALL);
	((struct mv_ring_shared *)(void *)mem)->prod = 64;
	((struct mv_ring_shared *)(void *)mem)->cons = 0x80000000u - 64;
	CHECK(mv_ring_init(&r, mem, SMALL, true) == 0);
	CHECK(mv_ring_write(&r, "", 0) == MV_RING_E_FULL);
	free(mem);
}

/* Memory full of garbage: init may refuse it; if not, reads return records or errors. */
static void test_garbage(void)
{
	uint32_t state = 0x12345678u;
	unsigned accepted = 0, records = 0;

	for (uint32_t round = 0; round < 2000; round++) {
		uint32_t bytes = round % 2 ? SMALL : 1024;
		uint8_t *mem = malloc(bytes);
		struct mv_ring rx, tx;

		for (uint32_t i = 0; i < bytes; i++) {
			state = state * 1103515245u + 12345u;
			mem[i] = (uint8_t)(state >> 16);
		}
		/* Half the rounds get a plausible header over garbage records. */
		struct mv_ring_shared *h = (struct mv_ring_shared *)(void *)mem;
		if (round % 4 < 2) {
			h->cons = (state >> 3) & 0x7ffffff8u;
			h->prod = h->cons + ((state >> 5) % ((bytes - 128) / 8 + 1)) * 8;
			h->prod &= 0x7fffffffu;
		}
		/* A quarter also get record lengths that mostly look sane. */
		if (round % 4 == 0) {
			for (uint32_t off = 128; off < bytes; off += 8) {
				state = state * 1103515245u + 12345u;
				*(uint32_t *)(void *)(mem + off) = (state >> 16) % 72;
			}
		}
		if (mv_ring_init(&rx, mem, bytes, false) == 0) {
			uint32_t cap = round % 61;
			uint8_t *buf = malloc(cap + 1);
			uint32_t len;
			int err;
			accepted++;
			for (unsigned n = 0; n < bytes; n++) {
				err = mv_ring_read(&rx, buf, cap, &len);
				if (err == 0) {
					CHECK(len <= cap && len <= mv_ring_max_payload(&rx));
					records++;
					continue;
				}
				CHECK(err == MV_RING_E_EMPTY || err == MV_RING_E_CORRUPT ||
				      (err == MV_RING_E_TOO_BIG && len > cap));
				break;
			}
			CHECK(mv_ring_read(&rx, buf, cap, &len) != 0);
			free(buf);
		}
		if (mv_ring_init(&tx, mem, bytes, true) == 0) {
			int err = 0;
			for (unsigned n = 0; n < 200 && err == 0; n++)
				err = mv_ring_write(&tx, mem, n % 70);
			CHECK(err == MV_RING_E_FULL || err == MV_RING_E_TOO_BIG ||
			      err == MV_RING_E_CORRUPT);
		}
		free(mem);
	}
	printf("garbage: %u of 2000 rings accepted, %u records read\n", accepted, records);
	CHECK(accepted > 500 && records > 0);
}

/*
 * The peer rewrites a record's length word after the consumer peeked at it (audit finding
 * 2): the read must consume exactly the record the peek checked, never the new length.
 * The old library read the word again, so a caller that sized its buffer from the peek
 * but passed a larger cap (pv-linux's mv_net did: an 8-byte stack struct, cap =
 * max_payload) got the new length copied in; here the buffer is an exact 8-byte heap
 * block, so ASan reports the overflow.
 */
static void test_len_rewritten_after_peek(void)
{
	struct pair p;
	uint32_t len, *word;
	uint8_t *small = malloc(8);
	uint8_t big[1980];

	open_ring(&p, PAGE);
	word = (uint32_t *)(void *)data(&p);
	CHECK(put(&p, 4, 1) == 0);
	CHECK(put(&p, 4, 2) == 0);
	/* Everything up to the largest record is published, so a large length checks out. */
	hdr(&p)->prod = 1984;
	CHECK(mv_ring_peek_len(&p.rx, &len) == 0 && len == 4);
	*word = 1980;
	CHECK(mv_ring_peek_len(&p.rx, &len) == 0 && len == 4);
	/* A cap that only fits the peeked length: the read still takes that record. */
	len = 0;
	CHECK(mv_ring_read(&p.rx, small, 4, &len) == 0 && len == 4 && matches(small, 4, 1));
	CHECK(hdr(&p)->cons == 8 && mv_ring_index(&p.rx) == 8);

	/* Larger and then smaller than checked; a cap far beyond the 8-byte buffer. */
	CHECK(mv_ring_peek_len(&p.rx, &len) == 0 && len == 4);
	word[2] = 1980;
	len = 0;
	CHECK(mv_ring_read(&p.rx, small, 1980, &len) == 0 && len == 4 && matches(small, 4, 2));
	CHECK(hdr(&p)->cons == 16);
	word[4] = 8;
	CHECK(mv_ring_peek_len(&p.rx, &len) == 0 && len == 8);
	word[4] = 0;
	CHECK(mv_ring_read(&p.rx, small, 8, &len) == 0 && len == 8);
	CHECK(hdr(&p)->cons == 32);

	/* TOO_BIG keeps the checked length too; the next read with room consumes it. */
	word[8] = 12;
	CHECK(mv_ring_read(&p.rx, small, 8, &len) == MV_RING_E_TOO_BIG && len == 12);
	word[8] = 1980;
	CHECK(mv_ring_read(&p.rx, small, 8, &len) == MV_RING_E_TOO_BIG && len == 12);
	CHECK(mv_ring_read(&p.rx, big, sizeof(big), &len) == 0 && len == 12);
	CHECK(hdr(&p)->cons == 48);

	/* A restarted consumer starts from the shared word again, and checks it. */
	word[12] = 2000;
	CHECK(mv_ring_peek_len(&p.rx, &len) == MV_RING_E_CORRUPT);
	CHECK(mv_ring_init(&p.rx, p.mem, PAGE, false) == 0);
	word[12] = 20;
	CHECK(mv_ring_peek_len(&p.rx, &len) == 0 && len == 20);
	free(small);
	close_ring(&p);
}

/* A consumer that restarts picks up at the shared consumer index. */
static void test_restart(void)
{
	struct pair p;

	open_at(&p, PAGE, wrap_of(PAGE) - 3000); /* the third record crosses W */
	for (uint32_t i = 0; i < 3; i++)
		CHECK(put(&p, 1000, i) == 0);
	CHECK(get(&p, 1000, 0));
	CHECK(mv_ring_init(&p.rx, p.mem, PAGE, false) == 0);
	CHECK(get(&p, 1000, 1));
	CHECK(mv_ring_init(&p.tx, p.mem, PAGE, true) == 0);
	CHECK(put(&p, 1500, 3) == 0);
	CHECK(mv_ring_init(&p.rx, p.mem, PAGE, false) == 0);
	CHECK(get(&p, 1000, 2));
	CHECK(get(&p, 1500, 3));
	close_ring(&p);
}

int main(void)
{
	test_init();
	test_init_channel();
	test_empty_and_sides();
	test_roundtrip();
	test_full();
	test_check_room();
	test_stale_snapshot();
	test_wrap(SMALL, 0);
	test_wrap(PAGE, 0);
	test_wrap(SMALL, 0x80000000u - 3 * 128);
	test_wrap(PAGE, wrap_of(PAGE) - 7 * (PAGE - MV_RING_HEADER_BYTES) + 8 * 17);
	test_wrap(PAGE + 8 * 9, 0); /* D = 4040: not a multiple of 64 either */
	test_too_big();
	test_notify();
	test_corrupt_reader();
	test_corrupt_writer();
	test_corrupt_init();
	test_garbage();
	test_restart();
	test_len_rewritten_after_peek();
	return check_exit("test_ring");
}
