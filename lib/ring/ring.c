/* SPDX-License-Identifier: MIT */
/* Channel rings (format in mv/ring.h): one source for the cells, pv-linux and the host tests;
 * the shared memory is the peer's to scribble on, so every value read from it is checked. */
#ifdef __KERNEL__
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <asm/barrier.h>
#else
#include <stddef.h>
#endif
#include <mv/ring.h>

/* Kernel builds warn about declarations after statements, and pv-linux compiles this file
 * unchanged: declarations come first in each block. */

/*
 * Shared-memory access and ordering. ring_load/ring_store are single, untorn 32-bit
 * accesses the compiler may neither repeat nor merge (a snapshot stays a snapshot).
 * ring_rmb orders earlier loads before later loads, ring_wmb earlier stores before later
 * stores, ring_mb everything before everything (ARM ARM A3.8.3 for DMB).
 */
#if defined(__KERNEL__)
static inline uint32_t ring_load(const uint32_t *p)
{
	return READ_ONCE(*p);
}

static inline void ring_store(uint32_t *p, uint32_t v)
{
	WRITE_ONCE(*p, v);
}

static inline void ring_mb(void)
{
	smp_mb();
}

static inline void ring_rmb(void)
{
	smp_rmb();
}

static inline void ring_wmb(void)
{
	smp_wmb();
}
#elif defined(__arm__) && !__STDC_HOSTED__
/* A cell: inner-shareable barriers, as channel memory is Normal inner-shareable in both. */
static inline uint32_t ring_load(const uint32_t *p)
{
	return *(const volatile uint32_t *)p;
}

static inline void ring_store(uint32_t *p, uint32_t v)
{
	*(volatile uint32_t *)p = v;
}

static inline void ring_mb(void)
{
	__asm__ __volatile__("dmb ish" ::: "memory");
}

static inline void ring_rmb(void)
{
	__asm__ __volatile__("dmb ish" ::: "memory");
}

static inline void ring_wmb(void)
{
	__asm__ __volatile__("dmb ishst" ::: "memory");
}
#else
/* Hosted builds (the unit tests): C11 atomics and fences, the compiler's own barriers. */
static inline uint32_t ring_load(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void ring_store(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline void ring_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void ring_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline void ring_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}
#endif

/*
 * Payload copies. The library builds without libc (the cells have none), so everything but
 * the kernel copies by hand: words when both ends are aligned, else bytes.
 */
#ifdef __KERNEL__
static void ring_copy(void *dst, const void *src, uint32_t n)
{
	memcpy(dst, src, n);
}
#else
typedef uint32_t __attribute__((may_alias)) ring_word_t;

static void ring_copy(void *dst, const void *src, uint32_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
		for (; n >= 4; n -= 4, d += 4, s += 4)
			*(ring_word_t *)d = *(const ring_word_t *)s;
	}
	for (; n; n--)
		*d++ = *s++;
}
#endif

/* Distance from index `from` forward to index `to`, modulo W. */
static uint32_t ring_dist(const struct mv_ring *r, uint32_t to, uint32_t from)
{
	return to >= from ? to - from : to + (r->wrap - from);
}

/* Index i moved n bytes forward (i < W, n <= W). */
static uint32_t ring_forward(const struct mv_ring *r, uint32_t i, uint32_t n)
{
	return n < r->wrap - i ? i + n : n - (r->wrap - i);
}

/* Index i moved n bytes back (i < W, n <= W). */
static uint32_t ring_back(const struct mv_ring *r, uint32_t i, uint32_t n)
{
	return i >= n ? i - n : i + (r->wrap - n);
}

/* Does event index ev name a byte in [old, now)? A value of ev beyond W names none. */
static bool ring_event_in(const struct mv_ring *r, uint32_t ev, uint32_t old, uint32_t now)
{
	return ev < r->wrap && ring_dist(r, ev, old) < ring_dist(r, now, old);
}

/* Bytes a record with a payload of len bytes takes (len <= MV_RING_MAX_PAYLOAD). */
static uint32_t ring_record_bytes(uint32_t len)
{
	return (MV_RING_LEN_BYTES + len + MV_RING_ALIGN - 1u) & ~(MV_RING_ALIGN - 1u);
}

/* Is p a valid snapshot of the peer's index? Checked against this side's own index. */
static bool ring_peer_ok(const struct mv_ring *r, uint32_t p)
{
	if (p >= r->wrap || p % MV_RING_ALIGN)
		return false;
	if (r->producer)
		return ring_dist(r, r->index, p) <= r->size;
	return ring_dist(r, p, r->index) <= r->size;
}

static int ring_fail(struct mv_ring *r)
{
	r->broken = true;
	return MV_RING_E_CORRUPT;
}

/* This side's index and data offset moved past a record of rec bytes. */
static void ring_advance(struct mv_ring *r, uint32_t rec)
{
	r->index = ring_forward(r, r->index, rec);
	r->offset = rec < r->size - r->offset ? r->offset + rec : rec - (r->size - r->offset);
}

/* Copies n (< D) bytes into the data area at offset pos (< D), wrapping; returns the offset
 * after them. */
static uint32_t ring_copy_in(struct mv_ring *r, uint32_t pos, const void *src, uint32_t n)
{
	uint32_t first = n < r->size - pos ? n : r->size - pos;

	ring_copy(r->data + pos, src, first);
	if (n == first)
		return pos + n < r->size ? pos + n : 0;
	ring_copy(r->data, (const uint8_t *)src + first, n - first);
	return n - first;
}

static void ring_copy_out(const struct mv_ring *r, uint32_t pos, void *dst, uint32_t n)
{
	uint32_t first = n < r->size - pos ? n : r->size - pos;

	ring_copy(dst, r->data + pos, first);
	if (n > first)
		ring_copy((uint8_t *)dst + first, r->data, n - first);
}

/* Field by field: a struct assignment may become a call to memset, which cells lack. */
static void ring_reset(struct mv_ring *r, bool producer)
{
	r->hdr = NULL;
	r->data = NULL;
	r->size = r->wrap = r->max_payload = 0;
	r->index = r->offset = r->peer = 0;
	r->next_len = 0;
	r->next_known = false;
	r->producer = producer;
	r->broken = true;
}

int mv_ring_init(struct mv_ring *r, void *mem, uint32_t bytes, bool producer)
{
	struct mv_ring_shared *hdr = mem;
	uint32_t size = bytes - MV_RING_HEADER_BYTES;
	uint32_t prod, cons;

	ring_reset(r, producer);
	if (!mem || (uintptr_t)mem % MV_RING_ALIGN || bytes % MV_RING_ALIGN ||
	    bytes < MV_RING_MIN_BYTES || bytes > MV_RING_MAX_BYTES)
		return MV_RING_E_INVALID;

	r->hdr = hdr;
	r->data = (uint8_t *)mem + MV_RING_HEADER_BYTES;
	r->size = size;
	r->wrap = size * (0x80000000u / size);
	r->max_payload = MV_RING_MAX_PAYLOAD(size);

	/* Both indices are checked as the peer's would be: after a restart, ours is no safer. */
	prod = ring_load(&hdr->prod);
	cons = ring_load(&hdr->cons);
	if (prod >= r->wrap || cons >= r->wrap || prod % MV_RING_ALIGN || cons % MV_RING_ALIGN ||
	    ring_dist(r, prod, cons) > size)
		return MV_RING_E_CORRUPT;
	r->index = producer ? prod : cons;
	r->offset = r->index % size;
	r->peer = producer ? cons : prod;
	ring_mb();

	/* The producer parks its event behind the consumer (no wake-up until it asks for one);
	 * the consumer arms its own, so the first record wakes it. */
	if (producer)
		ring_store(&hdr->producer_event, ring_back(r, cons, MV_RING_ALIGN));
	else
		ring_store(&hdr->consumer_event, cons);
	r->broken = false;
	return MV_RING_OK;
}

int mv_ring_init_channel(struct mv_ring *tx, struct mv_ring *rx, void *mem, uint32_t bytes,
			 uint32_t end)
{
	uint8_t *first = mem;
	int err_tx, err_rx;

	ring_reset(tx, true);
	ring_reset(rx, false);
	if (!mem || end > 1 || bytes % (2 * MV_RING_ALIGN))
		return MV_RING_E_INVALID;

	err_tx = mv_ring_init(tx, end ? first + bytes / 2 : first, bytes / 2, true);
	err_rx = mv_ring_init(rx, end ? first : first + bytes / 2, bytes / 2, false);
	return err_tx ? err_tx : err_rx;
}

uint32_t mv_ring_max_payload(const struct mv_ring *r)
{
	return r->max_payload;
}

uint32_t mv_ring_index(const struct mv_ring *r)
{
	return r->index;
}

/*
 * Producer: makes sure rec bytes are free. The cached consumer index is re-read only when
 * it shows too little room. When the room is still missing, producer_event asks for a
 * wake-up once room for the largest record is free (half the ring, not just this record's
 * bytes, so that one wake-up is worth many records), and the index is read once more, so
 * that a consumer that freed the room in between is not waited for.
 */
static int ring_reserve(struct mv_ring *r, uint32_t rec)
{
	uint32_t cons;

	if (r->size - ring_dist(r, r->index, r->peer) >= rec)
		return MV_RING_OK;

	cons = ring_load(&r->hdr->cons);
	if (!ring_peer_ok(r, cons))
		return ring_fail(r);
	r->peer = cons;
	if (r->size - ring_dist(r, r->index, cons) < rec) {
		uint32_t room_at = ring_forward(r, r->index, MV_RING_MAX_RECORD(r->size));
		ring_store(&r->hdr->producer_event, ring_back(r, room_at, r->size + 1));
		ring_mb();
		cons = ring_load(&r->hdr->cons);
		if (!ring_peer_ok(r, cons))
			return ring_fail(r);
		r->peer = cons;
		if (r->size - ring_dist(r, r->index, cons) < rec)
			return MV_RING_E_FULL;
	}
	/* The consumer is done with the bytes about to be overwritten. */
	ring_mb();
	return MV_RING_OK;
}

/* Producer: writes the length word, then publishes the record it heads. */
static void ring_publish(struct mv_ring *r, uint32_t len)
{
	ring_store((uint32_t *)(void *)(r->data + r->offset), len);
	ring_wmb();
	ring_advance(r, ring_record_bytes(len));
	ring_store(&r->hdr->prod, r->index);
}

int mv_ring_writev(struct mv_ring *r, const struct mv_ring_iov *iov, uint32_t n)
{
	uint32_t len = 0, pos;
	int err;

	if (r->broken)
		return MV_RING_E_CORRUPT;
	if (!r->producer)
		return MV_RING_E_INVALID;
	for (uint32_t i = 0; i < n; i++) {
		if (iov[i].len > r->max_payload - len)
			return MV_RING_E_TOO_BIG;
		len += iov[i].len;
	}
	err = ring_reserve(r, ring_record_bytes(len));
	if (err)
		return err;

	/* The payload starts 4 bytes into the record; D is a multiple of 8, so before D. */
	pos = r->offset + MV_RING_LEN_BYTES;
	for (uint32_t i = 0; i < n; i++)
		pos = ring_copy_in(r, pos, iov[i].base, iov[i].len);
	ring_publish(r, len);
	return MV_RING_OK;
}

int mv_ring_write(struct mv_ring *r, const void *buf, uint32_t len)
{
	struct mv_ring_iov iov = { .base = buf, .len = len };

	return mv_ring_writev(r, &iov, 1);
}

int mv_ring_check_room(struct mv_ring *r, uint32_t len)
{
	if (r->broken)
		return MV_RING_E_CORRUPT;
	if (!r->producer)
		return MV_RING_E_INVALID;
	if (len > r->max_payload)
		return MV_RING_E_TOO_BIG;
	return ring_reserve(r, ring_record_bytes(len));
}

bool mv_ring_need_notify_after_write(struct mv_ring *r, uint32_t old_index)
{
	if (r->broken || !r->producer)
		return false;
	/* prod was stored before consumer_event is read: pairs with mv_ring_enable_notify. */
	ring_mb();
	return ring_event_in(r, ring_load(&r->hdr->consumer_event), old_index, r->index);
}

/*
 * Consumer: the length of the next record, checked against what the producer published.
 * The producer index is re-read only once the cached snapshot is used up. The length word
 * is read once per record: the checked value is kept until the record is consumed, so a
 * peer that rewrites it after a peek cannot make the read take more (or less) than what
 * was checked, and what the caller sized its buffer for.
 */
static int ring_next(struct mv_ring *r, uint32_t *len)
{
	uint32_t avail, n;

	if (r->broken)
		return MV_RING_E_CORRUPT;
	if (r->producer)
		return MV_RING_E_INVALID;
	if (r->next_known) {
		*len = r->next_len;
		return MV_RING_OK;
	}
	if (r->peer == r->index) {
		uint32_t prod = ring_load(&r->hdr->prod);
		if (!ring_peer_ok(r, prod))
			return ring_fail(r);
		if (prod == r->index)
			return MV_RING_E_EMPTY;
		/* The records are read after the index that published them. */
		ring_rmb();
		r->peer = prod;
	}
	avail = ring_dist(r, r->peer, r->index);
	n = ring_load((const uint32_t *)(const void *)(r->data + r->offset));
	if (n > r->max_payload || ring_record_bytes(n) > avail)
		return ring_fail(r);
	r->next_len = n;
	r->next_known = true;
	*len = n;
	return MV_RING_OK;
}

int mv_ring_peek_len(struct mv_ring *r, uint32_t *len)
{
	return ring_next(r, len);
}

int mv_ring_read(struct mv_ring *r, void *buf, uint32_t cap, uint32_t *len)
{
	uint32_t n;
	int err = ring_next(r, &n);

	if (err)
		return err;
	*len = n;
	if (n > cap)
		return MV_RING_E_TOO_BIG;

	ring_copy_out(r, r->offset + MV_RING_LEN_BYTES, buf, n);
	/* The record is read before the producer may reuse its bytes. */
	ring_mb();
	ring_advance(r, ring_record_bytes(n));
	r->next_known = false;
	ring_store(&r->hdr->cons, r->index);
	return MV_RING_OK;
}

bool mv_ring_enable_notify(struct mv_ring *r)
{
	if (r->broken || r->producer || r->peer != r->index)
		return true;
	ring_store(&r->hdr->consumer_event, r->index);
	/* consumer_event is stored before prod is read: pairs with need_notify_after_write. */
	ring_mb();
	return ring_load(&r->hdr->prod) != r->index;
}

bool mv_ring_need_notify_after_read(struct mv_ring *r, uint32_t old_index)
{
	if (r->broken || r->producer)
		return false;
	ring_mb();
	return ring_event_in(r, ring_load(&r->hdr->producer_event), old_index, r->index);
}
