/* SPDX-License-Identifier: MIT */
/* A hostile peer that races a Linux cell on another CPU (systems/test-linux-race.dts): it
 * rewrites record lengths and the producer index while Linux reads, on its net, hvc and
 * raw channels, and relays Linux's console output, until Linux powers off. */
#include <cell/runtime.h>
#include <mv/ring.h>

/* The channels, in the order of the system description; this cell is end 0 of each. */
enum { CH_CONSOLE, CH_NET, CH_RAW, CH_COUNT };

#define FLIPS 64u        /* length flips per ring per loop */
#define HOLD 8u          /* looks at the consumer index while a length holds */
#define LIVENESS 0x3fffu /* loops between two looks at whether Linux still runs */

/*
 * One ring this cell produces on, not through the library: the attack writes the shared
 * words directly. Every 8-byte slot of the data area holds the length `small` (a valid
 * record wherever the consumer stands), except the slot at the consumer index, which
 * flips between small and the largest length the consumer's snapshot of prod admits: a
 * consumer that reads the word twice (peek, then read) sees two different records.
 *
 * The consumer re-reads prod only once its snapshot is used up, so this side knows that
 * snapshot: `snap`, or `pub` once cons moved past snap. A new prod (a full ring) is
 * published only when the consumer has taken the last one and consumed half of it, so
 * it never finds the ring empty while this cell keeps up.
 */
struct race {
	uint32_t channel;
	struct mv_ring_shared *hdr;
	volatile uint32_t *slot; /* the data area, as 32-bit words */
	uint32_t size, wrap, max_payload;
	uint32_t small, cap; /* the flipped lengths: small, and at most cap */
	uint32_t snap, pub, last_cons;
	uint32_t aimed, big; /* race_aim's consumer index, and the flipped length there */
	volatile uint32_t *word;
	uint64_t consumed; /* bytes the consumer took */
	uint32_t bad_cons, flips, notifies;
};

static struct mv_ring console_rx; /* Linux's console output: the second ring */
static bool console_broken;
static struct race races[CH_COUNT];
static char line[512];

static uint32_t load(const uint32_t *p)
{
	return *(const volatile uint32_t *)p;
}

static void store(uint32_t *p, uint32_t v)
{
	*(volatile uint32_t *)p = v;
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

static struct mv_result channel_info(uint32_t ch)
{
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, ch, 0, 0, 0, 0, 0);
	CHECK(info.r0 == MV_OK && MV_CHANNEL_INFO_END(info.r3) == 0);
	return info;
}

static bool race_cons_ok(const struct race *r, uint32_t c)
{
	return c < r->wrap && c % MV_RING_ALIGN == 0 && dist(r, r->pub, c) <= r->size;
}

static void race_open(struct race *r, uint32_t ch, uint32_t small, uint32_t cap)
{
	struct mv_result info = channel_info(ch);
	uint8_t *mem = (uint8_t *)(uintptr_t)info.r1; /* end 0 produces on the first ring */

	r->channel = ch;
	r->hdr = (struct mv_ring_shared *)(void *)mem;
	r->slot = (volatile uint32_t *)(void *)(mem + MV_RING_HEADER_BYTES);
	r->size = info.r2 / 2u - MV_RING_HEADER_BYTES;
	r->wrap = r->size * (0x80000000u / r->size);
	r->max_payload = MV_RING_MAX_PAYLOAD(r->size);
	r->small = small;
	r->cap = cap < r->max_payload ? cap : r->max_payload;
	for (uint32_t off = 0; off < r->size; off += MV_RING_ALIGN)
		r->slot[off / 4u] = small;
	r->snap = r->pub = r->last_cons = load(&r->hdr->cons);
	r->aimed = ~0u; /* no index */
	store(&r->hdr->prod, r->pub);
}

/* Publishes prod = cons + D, and rings the doorbell if the consumer asked for it. */
static void race_publish(struct race *r, uint32_t cons)
{
	uint32_t old = r->pub, ev;

	r->pub = forward(r, cons, r->size);
	r->aimed = ~0u; /* the largest admissible length changed */
	dmb();          /* the slots, then prod */
	store(&r->hdr->prod, r->pub);
	dmb();
	ev = load(&r->hdr->consumer_event);
	if (ev < r->wrap && dist(r, ev, old) < dist(r, r->pub, old)) {
		(void)mv_call3(MV_CALL_CHANNEL_NOTIFY, r->channel, 0, 0);
		r->notifies++;
	}
}

/* Follows the consumer: counts what it took, and publishes more once it took half. */
static void race_update(struct race *r)
{
	uint32_t c = load(&r->hdr->cons);

	if (!race_cons_ok(r, c)) {
		r->bad_cons++; /* Linux would never: count it, leave the ring alone */
		return;
	}
	r->consumed += dist(r, c, r->last_cons);
	r->last_cons = c;
	/* Past snap, the consumer has re-read prod: its snapshot is pub now. */
	if (c != r->snap && dist(r, c, r->snap) <= dist(r, r->pub, r->snap))
		r->snap = r->pub;
	if (r->snap == r->pub && dist(r, r->pub, c) <= r->size / 2u)
		race_publish(r, c);
}

/* Points r->word at the length word of the record at the consumer index, and r->big at
 * the largest length the consumer's snapshot of prod admits there; the word left behind
 * gets the small length back. -> false when there is nothing to flip (no record, or room
 * for the small one only). */
static bool race_aim(struct race *r)
{
	uint32_t c = load(&r->hdr->cons), eff, avail;

	if (c == r->aimed)
		return r->word != NULL;
	if (r->word)
		*r->word = r->small;
	r->aimed = c;
	r->word = NULL;
	if (!race_cons_ok(r, c))
		return false;
	eff = dist(r, c, r->snap) <= dist(r, r->pub, r->snap) ? r->pub : r->snap;
	avail = dist(r, eff, c);
	if (avail < 2u * MV_RING_ALIGN)
		return false;
	r->big = avail - MV_RING_LEN_BYTES < r->cap ? avail - MV_RING_LEN_BYTES : r->cap;
	r->word = &r->slot[(c % r->size) / 4u];
	return true;
}

/* The race proper: the length words at both consumer indices flip, each big half the
 * time and out of phase, following each consumer as it moves; small is what stays. */
static void race_flip(struct race *a, struct race *b)
{
	for (uint32_t k = 0; k < FLIPS; k++) {
		struct race *hi = k & 1u ? a : b, *lo = k & 1u ? b : a;

		for (uint32_t i = 0; i < HOLD; i++) {
			if (race_aim(hi))
				*hi->word = hi->big;
			if (race_aim(lo))
				*lo->word = lo->small;
		}
		hi->flips += hi->word != NULL;
	}
	if (a->word)
		*a->word = a->small;
	if (b->word)
		*b->word = b->small;
}

/* Linux's console output, read honestly and printed through the debug write. */
static void relay_console(void)
{
	uint32_t old = mv_ring_index(&console_rx), len;
	int st;

	if (console_broken)
		return;
	while ((st = mv_ring_read(&console_rx, line, sizeof(line), &len)) == MV_RING_OK)
		cell_write(line, len);
	if (st != MV_RING_E_EMPTY) {
		console_broken = true;
		cell_printf("linux's console output ring failed: %d\n", st);
	}
	if (mv_ring_need_notify_after_read(&console_rx, old))
		(void)mv_call3(MV_CALL_CHANNEL_NOTIFY, CH_CONSOLE, 0, 0);
}

static void report(const char *what, const struct race *r)
{
	cell_printf("%s: peer consumed %u KiB, %u flips, %u doorbells, %u bad cons\n", what,
		    (uint32_t)(r->consumed / 1024u), r->flips, r->notifies, r->bad_cons);
}

int main(void)
{
	struct mv_result info = channel_info(CH_CONSOLE);
	uint32_t loops = 0;

	CHECK(mv_cell_info(MV_INFO_NUM_CHANNELS) == CH_COUNT);
	CHECK(mv_ring_init(&console_rx, (uint8_t *)(uintptr_t)info.r1 + info.r2 / 2u, info.r2 / 2u,
			   false) == MV_RING_OK);
	/*
	 * hvc input: zero-length records without end. net and raw: lengths that flip between
	 * 4 and large. On net, both are records that are no frame (a bad control record, an
	 * oversized frame at Linux's MTU of 68), and large stays small, so that the 4 MiB ring
	 * holds tens of thousands of records: Linux does not empty it while this cell runs,
	 * even if the host leaves this CPU's thread waiting for a while.
	 */
	race_open(&races[CH_CONSOLE], CH_CONSOLE, 0, 0);
	race_open(&races[CH_NET], CH_NET, 4, 128);
	race_open(&races[CH_RAW], CH_RAW, 4, ~0u);
	cell_printf("racing linux on its console, net and raw channels\n");
	for (;;) {
		relay_console();
		for (uint32_t n = 0; n < CH_COUNT; n++)
			race_update(&races[n]);
		race_flip(&races[CH_NET], &races[CH_RAW]);
		/* A stopped peer refuses the doorbell; the raw channel's costs Linux least. */
		if ((++loops & LIVENESS) == 0 &&
		    mv_call3(MV_CALL_CHANNEL_NOTIFY, CH_RAW, 0, 0) == MV_E_DENIED)
			break;
	}
	relay_console();
	cell_printf("linux stopped after %u loops\n", loops);
	report("console", &races[CH_CONSOLE]);
	report("net", &races[CH_NET]);
	report("raw", &races[CH_RAW]);
	CHECK(races[CH_CONSOLE].consumed > 0 && races[CH_NET].consumed > 0 &&
	      races[CH_RAW].consumed > 0);
	CHECK(races[CH_NET].flips > 0 && races[CH_RAW].flips > 0);
	CHECK(!console_broken);
	test_report();
	return 0;
}
