/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the channel ring: the input drives an honest producer and consumer
 * and, as a hostile peer, scribbles on the shared header and records in between. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mv/ring.h>

/*
 * Checked whatever the peer did: no access outside the ring memory or a read buffer (ASan:
 * both are exact-size heap blocks), each side writes only its own header line and only the
 * producer writes the data area, results and lengths are within their contracts, and a
 * broken side stays broken. While the peer has not touched the indices or a live record,
 * the ring must also behave exactly like the FIFO model kept here.
 */
#define REQUIRE(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAX_QUEUED 512u /* records the model holds: more than D / 8 for any ring here */

struct input {
	const uint8_t *p;
	size_t left;
};

struct model {
	uint32_t seq[MAX_QUEUED], len[MAX_QUEUED];
	uint32_t head, count, used; /* used: bytes of the queued records */
	uint32_t next_seq;
};

struct fuzz {
	uint8_t *mem;
	uint32_t bytes, size, wrap;
	struct mv_ring tx, rx;
	bool honest;               /* the peer has not touched prod, cons or a live record */
	bool tx_broken, rx_broken; /* a call returned MV_RING_E_CORRUPT since the last init */
	struct model m;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t take(struct input *in, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n && in->left; i++, in->left--)
		v |= (uint32_t)*in->p++ << (8 * i);
	return v;
}

static uint8_t pattern(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 167u + i * 13u + (i >> 8));
}

static struct mv_ring_shared *hdr(struct fuzz *f)
{
	return (struct mv_ring_shared *)(void *)f->mem;
}

static uint32_t record_bytes(uint32_t len)
{
	return (len + 4u + 7u) & ~7u;
}

/* What each call may change: the header line of its side, and the data area (producer). */
struct snapshot {
	uint8_t mem[MV_RING_MIN_BYTES + 8 * 256];
};

static void take_snapshot(struct fuzz *f, struct snapshot *s)
{
	memcpy(s->mem, f->mem, f->bytes);
}

static void check_untouched(struct fuzz *f, const struct snapshot *s, bool producer)
{
	const uint32_t *before = (const uint32_t *)(const void *)s->mem;
	const uint32_t *now = (const uint32_t *)(const void *)f->mem;

	for (unsigned w = 0; w < 32; w++) {
		bool own = producer ? (w == 0 || w == 1) : (w == 16 || w == 17);
		if (!own)
			REQUIRE(before[w] == now[w]);
	}
	if (!producer)
		REQUIRE(memcmp(s->mem + MV_RING_HEADER_BYTES, f->mem + MV_RING_HEADER_BYTES,
			       f->size) == 0);
}

static uint32_t dist(const struct fuzz *f, uint32_t to, uint32_t from)
{
	return to >= from ? to - from : to + (f->wrap - from);
}

/* What a working side's private state must satisfy, whatever the peer wrote. */
static void check_descriptor(struct fuzz *f, const struct mv_ring *r)
{
	if (r->broken)
		return;
	REQUIRE(r->size == f->size && r->wrap == f->wrap);
	REQUIRE(r->index < f->wrap && r->index % 8 == 0);
	REQUIRE(r->peer < f->wrap && r->peer % 8 == 0);
	REQUIRE(r->offset == r->index % f->size);
	REQUIRE(r->max_payload == MV_RING_MAX_PAYLOAD(f->size));
	if (r->producer)
		REQUIRE(dist(f, r->index, r->peer) <= f->size);
	else
		REQUIRE(dist(f, r->peer, r->index) <= f->size);
}

static void check_status(int err)
{
	REQUIRE(err == 0 || err == MV_RING_E_EMPTY || err == MV_RING_E_FULL ||
		err == MV_RING_E_TOO_BIG || err == MV_RING_E_CORRUPT);
}

/* Is data offset off inside a record the consumer has yet to read? */
static bool live(struct fuzz *f, uint32_t off)
{
	uint32_t start = f->rx.index % f->size;
	uint32_t dist = off >= start ? off - start : off + f->size - start;

	return dist < f->m.used;
}

static void do_write(struct fuzz *f, struct input *in, bool gather)
{
	uint32_t max = f->tx.max_payload;
	uint32_t len = take(in, 2) % (max + 16);
	uint32_t seq = f->m.next_seq;
	uint8_t *buf = malloc(len + 1);
	struct snapshot s;
	int err;

	for (uint32_t i = 0; i < len; i++)
		buf[i] = pattern(seq, i);
	take_snapshot(f, &s);
	if (gather) {
		uint32_t cut = len ? take(in, 2) % len : 0;
		struct mv_ring_iov iov[3] = { { buf, cut }, { NULL, 0 }, { buf + cut, len - cut } };
		err = mv_ring_writev(&f->tx, iov, 3);
	} else {
		err = mv_ring_write(&f->tx, buf, len);
	}
	free(buf);
	check_status(err);
	check_untouched(f, &s, true);
	REQUIRE(err != MV_RING_E_EMPTY);
	if (f->tx_broken)
		REQUIRE(err == MV_RING_E_CORRUPT);
	if (len > max)
		REQUIRE(err == MV_RING_E_TOO_BIG || err == MV_RING_E_CORRUPT);
	if (err == MV_RING_E_CORRUPT)
		f->tx_broken = true;
	if (f->honest) {
		uint32_t rec = record_bytes(len);
		int want = len > max                   ? MV_RING_E_TOO_BIG
			   : f->size - f->m.used < rec ? MV_RING_E_FULL
						       : 0;
		REQUIRE(err == want);
		if (err == 0) {
			uint32_t at = (f->m.head + f->m.count) % MAX_QUEUED;
			REQUIRE(f->m.count < MAX_QUEUED);
			f->m.seq[at] = seq;
			f->m.len[at] = len;
			f->m.count++;
			f->m.used += rec;
			REQUIRE(hdr(f)->prod == f->tx.index);
		}
	}
	if (err == 0)
		f->m.next_seq++;
}

static void do_read(struct fuzz *f, struct input *in, bool peek)
{
	uint32_t max = f->rx.max_payload;
	uint32_t cap = take(in, 2) % (max + 16);
	uint8_t *buf = malloc(cap ? cap : 1);
	uint32_t len = 0xdeadbeefu;
	struct snapshot s;
	int err;

	take_snapshot(f, &s);
	err = peek ? mv_ring_peek_len(&f->rx, &len) : mv_ring_read(&f->rx, buf, cap, &len);
	check_status(err);
	check_untouched(f, &s, false);
	REQUIRE(err != MV_RING_E_FULL);
	if (f->rx_broken)
		REQUIRE(err == MV_RING_E_CORRUPT);
	if (err == MV_RING_E_CORRUPT)
		f->rx_broken = true;
	if (err == 0 || err == MV_RING_E_TOO_BIG)
		REQUIRE(len <= max);
	if (err == 0 && !peek)
		REQUIRE(len <= cap);
	if (err == MV_RING_E_TOO_BIG)
		REQUIRE(!peek && len > cap);

	if (f->honest) {
		if (f->m.count == 0) {
			REQUIRE(err == MV_RING_E_EMPTY);
		} else {
			uint32_t want = f->m.len[f->m.head], seq = f->m.seq[f->m.head];
			REQUIRE(err == (!peek && want > cap ? MV_RING_E_TOO_BIG : 0));
			REQUIRE(len == want);
			if (err == 0 && !peek) {
				for (uint32_t i = 0; i < len; i++)
					REQUIRE(buf[i] == pattern(seq, i));
				f->m.head = (f->m.head + 1) % MAX_QUEUED;
				f->m.count--;
				f->m.used -= record_bytes(len);
				REQUIRE(hdr(f)->cons == f->rx.index);
			}
		}
	}
	free(buf);
}

/* The hostile peer writes one header word: raw, or near the indices, where checks bite. */
static void scribble_header(struct fuzz *f, struct input *in)
{
	uint32_t word = take(in, 1) % 32, how = take(in, 1) % 4, v = take(in, 4);
	uint32_t *w = (uint32_t *)(void *)f->mem + word;

	switch (how) {
	case 0:
		*w = v;
		break;
	case 1:
		*w = hdr(f)->prod + (v % 64) * 8 - 256;
		break;
	case 2:
		*w = hdr(f)->cons + (v % 64) * 8 - 256;
		break;
	default:
		*w = f->wrap - 8 * (v % 64) + (v >> 28);
		break;
	}
	if (word == 0 || word == 16)
		f->honest = false;
}

/* ... or one word or byte of the data area, often a length word. */
static void scribble_data(struct fuzz *f, struct input *in)
{
	uint32_t off = take(in, 2) % f->size, how = take(in, 1) % 3, v = take(in, 4);

	if (how == 0) {
		f->mem[MV_RING_HEADER_BYTES + off] = (uint8_t)v;
		if (live(f, off))
			f->honest = false;
		return;
	}
	off &= ~7u;
	if (how == 2)
		v %= f->tx.max_payload + 16;
	*(uint32_t *)(void *)(f->mem + MV_RING_HEADER_BYTES + off) = v;
	for (uint32_t i = 0; i < 4; i++)
		if (live(f, off + i))
			f->honest = false;
}

static void do_init(struct fuzz *f, bool producer)
{
	struct mv_ring *r = producer ? &f->tx : &f->rx;
	struct snapshot s;
	int err;

	take_snapshot(f, &s);
	err = mv_ring_init(r, f->mem, f->bytes, producer);
	check_untouched(f, &s, producer);
	REQUIRE(err == 0 || err == MV_RING_E_CORRUPT);
	if (f->honest)
		REQUIRE(err == 0);
	if (producer)
		f->tx_broken = err != 0;
	else
		f->rx_broken = err != 0;
}

static void do_notify(struct fuzz *f, struct input *in)
{
	uint32_t which = take(in, 1) % 3, old = take(in, 4);
	struct snapshot s;

	take_snapshot(f, &s);
	switch (which) {
	case 0: {
		bool pending = mv_ring_enable_notify(&f->rx);
		check_untouched(f, &s, false);
		if (f->rx_broken)
			REQUIRE(pending);
		if (f->honest)
			REQUIRE(pending == (f->m.count != 0));
		if (f->honest && !pending)
			REQUIRE(hdr(f)->consumer_event == f->rx.index);
		break;
	}
	case 1:
		if (old & 1)
			old = f->tx.index - (old >> 1) % 512 * 8;
		if (mv_ring_need_notify_after_write(&f->tx, old))
			REQUIRE(!f->tx_broken);
		check_untouched(f, &s, true);
		break;
	default:
		if (old & 1)
			old = f->rx.index - (old >> 1) % 512 * 8;
		if (mv_ring_need_notify_after_read(&f->rx, old))
			REQUIRE(!f->rx_broken);
		check_untouched(f, &s, false);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct fuzz f = { .honest = true };
	uint32_t setup = take(&in, 1);

	f.bytes = MV_RING_MIN_BYTES + 8 * (take(&in, 1) % 256);
	f.size = f.bytes - MV_RING_HEADER_BYTES;
	f.wrap = f.size * (0x80000000u / f.size);
	f.mem = malloc(f.bytes);
	memset(f.mem, 0, f.bytes);
	if (setup & 1) {
		/* Both indices near W, to cross it. */
		uint32_t start = f.wrap - 8 * (take(&in, 2) % 512);
		hdr(&f)->prod = hdr(&f)->cons = start == f.wrap ? 0 : start;
	}
	if (setup & 2) {
		/* Garbage everywhere: nothing is promised but safety. */
		for (uint32_t i = 0; i < f.bytes && in.left; i++)
			f.mem[i] = (uint8_t)take(&in, 1);
		f.honest = false;
	}
	do_init(&f, true);
	do_init(&f, false);

	while (in.left) {
		switch (take(&in, 1) % 12) {
		case 0:
		case 1:
		case 2:
			do_write(&f, &in, false);
			break;
		case 3:
			do_write(&f, &in, true);
			break;
		case 4:
		case 5:
		case 6:
			do_read(&f, &in, false);
			break;
		case 7:
			do_read(&f, &in, true);
			break;
		case 8:
			scribble_header(&f, &in);
			break;
		case 9:
			scribble_data(&f, &in);
			break;
		case 10:
			do_notify(&f, &in);
			break;
		default:
			do_init(&f, take(&in, 1) & 1);
			break;
		}
		check_descriptor(&f, &f.tx);
		check_descriptor(&f, &f.rx);
	}
	free(f.mem);
	return 0;
}
