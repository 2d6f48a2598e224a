/* SPDX-License-Identifier: MIT */
/* The racing ring producer (ring_race.h): the shared words of a ring written directly, not
 * through the library, at the moments the consumer reads them. */
#include "ring_race.h"

static uint32_t load(const volatile uint32_t *p)
{
	return *p;
}

static void store(volatile uint32_t *p, uint32_t v)
{
	*p = v;
}

static void dmb(void)
{
	__asm__ volatile("dmb ish" ::: "memory");
}

static uint32_t dist(const struct race *r, uint32_t to, uint32_t from)
{
	return to >= from ? to - from : to + (r->wrap - from);
}

static uint32_t forward(const struct race *r, uint32_t i, uint32_t n)
{
	return n < r->wrap - i ? i + n : n - (r->wrap - i);
}

static volatile uint32_t *len_word(const struct race *r, uint32_t index)
{
	return &r->data[(index % r->size) / 4u];
}

/* The k-th invalid producer index seen from consumer index c: unaligned, more than D
 * ahead, beyond W, behind the consumer. */
static uint32_t bad_prod(const struct race *r, uint32_t c, uint32_t k)
{
	switch (k % 4u) {
	case 0:
		return forward(r, r->pub, 4u);
	case 1:
		return forward(r, c, r->size + MV_RING_ALIGN);
	case 2:
		return 0xfffffff8u;
	default:
		return c >= MV_RING_ALIGN ? c - MV_RING_ALIGN : r->wrap - MV_RING_ALIGN;
	}
}

void race_open(struct race *r, uint32_t channel, uint32_t payload)
{
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, channel, 0, 0, 0, 0, 0);
	uint32_t half = info.r2 / 2u;
	/* End 0 produces on the first ring, end 1 on the second (mv/ring.h). */
	uint8_t *mem = (uint8_t *)(uintptr_t)(info.r1 + (MV_CHANNEL_INFO_END(info.r3) ? half : 0));

	CHECK(info.r0 == MV_OK);
	r->channel = channel;
	r->hdr = (struct mv_ring_shared *)(void *)mem;
	r->data = (volatile uint32_t *)(void *)(mem + MV_RING_HEADER_BYTES);
	r->size = half - MV_RING_HEADER_BYTES;
	r->wrap = r->size * (0x80000000u / r->size);
	r->max_payload = MV_RING_MAX_PAYLOAD(r->size);
	for (uint32_t off = 0; off < r->size; off += MV_RING_ALIGN) {
		store(&r->data[off / 4u], RACE_SMALL);
		store(&r->data[off / 4u + 1u], payload);
	}
	r->pub = r->last_cons = load(&r->hdr->cons);
	r->aimed = NULL;
	r->refills = r->len_flips = r->prod_flips = r->bad_cons = r->moves = r->bursts = 0;
	r->consumed = 0;
	dmb();
	store(&r->hdr->prod, r->pub);
}

uint32_t race_follow(struct race *r)
{
	uint32_t c = load(&r->hdr->cons);

	if (c >= r->wrap || c % MV_RING_ALIGN || dist(r, r->pub, c) > r->size) {
		r->bad_cons++;
		return ~0u;
	}
	if (c != r->last_cons) {
		race_release(r);
		r->consumed += dist(r, c, r->last_cons);
		r->moves++;
		r->last_cons = c;
	}
	return c;
}

void race_publish(struct race *r, uint32_t c, uint32_t bytes, uint32_t flips)
{
	uint32_t next = forward(r, c, bytes);

	r->pub = next;
	dmb(); /* the slots before the index that publishes them */
	for (uint32_t k = 0; k < flips; k++) {
		store(&r->hdr->prod, bad_prod(r, c, k));
		dmb();
		store(&r->hdr->prod, next);
		dmb();
		r->prod_flips++;
	}
	store(&r->hdr->prod, next);
	dmb();
	r->refills++;
	/* Always: a hostile peer owes the consumer's event index nothing. */
	(void)mv_call3(MV_CALL_CHANNEL_NOTIFY, r->channel, 0, 0);
}

void race_flip(struct race *r, uint32_t c, bool huge, bool prod_too, uint32_t flips)
{
	volatile uint32_t *w = len_word(r, c);
	uint32_t avail = dist(r, r->pub, c), big;

	big = avail - MV_RING_LEN_BYTES < r->max_payload ? avail - MV_RING_LEN_BYTES
							 : r->max_payload;
	if (huge)
		big = RACE_HUGE;
	r->aimed = w;
	for (uint32_t k = 0; k < flips; k++) {
		store(w, big);
		dmb();
		if (prod_too) {
			store(&r->hdr->prod, bad_prod(r, c, k));
			dmb();
			store(&r->hdr->prod, r->pub);
			r->prod_flips++;
		}
		store(w, RACE_SMALL);
		dmb();
		r->len_flips++;
	}
	/* Every other burst leaves the other value until the next look at the consumer. */
	if (++r->bursts % 2u == 0)
		store(w, big);
}

void race_flip_prod(struct race *r, uint32_t c, uint32_t flips)
{
	for (uint32_t k = 0; k < flips; k++) {
		store(&r->hdr->prod, bad_prod(r, c, k));
		dmb();
		store(&r->hdr->prod, c);
		dmb();
		r->prod_flips++;
	}
}

void race_hold(struct race *r, uint32_t c, uint32_t len)
{
	r->aimed = len_word(r, c);
	store(r->aimed, len);
	dmb();
}

void race_release(struct race *r)
{
	if (r->aimed)
		store(r->aimed, RACE_SMALL);
	r->aimed = NULL;
}
