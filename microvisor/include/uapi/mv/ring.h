/* SPDX-License-Identifier: MIT */
/* Channel rings: the shared-memory message FIFO of a channel, its layout and the library API,
 * shared verbatim by the cells (freestanding), pv-linux (__KERNEL__) and the host tests. */
#ifndef MV_UAPI_RING_H
#define MV_UAPI_RING_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stdint.h>
#endif

/*
 * Channel memory (MV_CALL_CHANNEL_INFO gives its IPA and size S, a multiple of 8 KiB, and
 * which end the caller is). It holds two rings of R = S/2 bytes, one per direction; the
 * microvisor zeroes it at boot and never touches it again, and an all-zero ring is empty.
 *
 *   0                           S/2                          S
 *   +----------------------------+----------------------------+
 *   | ring 0: end 0 -> end 1     | ring 1: end 1 -> end 0     |
 *   +----------------------------+----------------------------+
 *
 * One ring of R bytes: a 128-byte header, then the data area of D = R - 128 bytes. The
 * producer and the consumer each write one 64-byte cache line of the header and only read
 * the other's, so the two sides never write to the same line.
 *
 *   0              64             128                                          R
 *   +--------------+--------------+--------------------------------------------+
 *   | producer     | consumer     | data area: D bytes of records              |
 *   | line         | line         |                                            |
 *   +--------------+--------------+--------------------------------------------+
 *
 *   byte  field           written by  meaning
 *   0     prod            producer    index just past the last published record
 *   4     producer_event  producer    wake the producer once the byte at this index is consumed
 *   8     reserved                    56 bytes, zero, ignored
 *   64    cons            consumer    index just past the last consumed record
 *   68    consumer_event  consumer    wake the consumer once the byte at this index is produced
 *   72    reserved                    56 bytes, zero, ignored
 *
 * All fields are u32 in the CPUs' byte order (little-endian on every supported machine).
 *
 * Indices are byte counts modulo W, the largest multiple of D not above 2^31: a byte with
 * index i lives at data offset i % D. They are not plain u32 counters because D is not a
 * power of two (R - 128), and 2^32 is then no multiple of D; with W a multiple of D, a side
 * that restarts recomputes its data offset from its index alone. W > 2^30 keeps batch
 * comparisons unambiguous. prod - cons (mod W) is the number of bytes in use, 0..D: prod ==
 * cons means empty, and no index ever runs D bytes ahead of the other.
 *
 * A record starts at an index that is a multiple of MV_RING_ALIGN (8):
 *
 *   +---------+---------------------------+---------+
 *   | len u32 | payload: len bytes        | padding |   4 + len, rounded up to 8
 *   +---------+---------------------------+---------+
 *
 * D and every record start are multiples of 8, so the length word is always 4-byte aligned
 * and contiguous; the payload wraps around, continuing at data offset 0 when it reaches D
 * (no padding records). A payload is at most MV_RING_MAX_PAYLOAD(D) bytes: the whole record
 * fits in half the data area, so a writer waiting for room for the largest record waits
 * for at most half the ring to drain. Padding bytes are unspecified.
 *
 * Publication: the producer writes a record's bytes, then (barrier) prod; the consumer reads
 * prod, then (barrier) the record, then (barrier) advances cons past it.
 *
 * Notification suppression, after virtio's VIRTIO_F_EVENT_IDX. An event index names one
 * byte; a side that moves its index from old to new notifies the peer (hypercall
 * MV_CALL_CHANNEL_NOTIFY) only if the peer's event index lies in [old, new) modulo W. So:
 * - a consumer about to sleep sets consumer_event = cons: the next record produced wakes
 *   it, once, however many records follow before it runs again;
 * - a producer that finds no room for a record sets producer_event to the last byte that
 *   must be consumed before room for the largest record, MV_RING_MAX_RECORD(D), is free
 *   (prod + MV_RING_MAX_RECORD(D) - D - 1): the read that frees half the ring wakes it,
 *   once, and it then has room for several records, not just the one that waited.
 * Both sides set their event index, then (full barrier) re-read the peer's index, so a
 * wake-up is never lost. Zeroed memory has consumer_event = 0, and mv_ring_init arms the
 * consumer's event anyway: the first record written wakes the consumer. The producer's
 * init parks producer_event behind the consumer, so reads wake nobody until it asks. Event
 * indices are hints: a wrong one can only delay or add wake-ups.
 *
 * Trust: neither side trusts anything in the shared memory. Each side keeps its own index,
 * the ring size and its data offset in its private struct mv_ring. It reads the peer's
 * index into one snapshot per check (a write that finds the ring full checks twice) and
 * checks it: below W, a multiple of 8, and 0..D bytes ahead of the consumer index. It reads
 * each record length once and checks it against the bytes published and
 * MV_RING_MAX_PAYLOAD; the consumer keeps the checked length in struct mv_ring until the
 * record is consumed, so mv_ring_peek_len and the mv_ring_read after it see the same length
 * however the peer rewrites the word in between. Nothing outside the data area is ever read
 * or written. On a
 * violation the call returns MV_RING_E_CORRUPT and this side's descriptor stays broken
 * (every later call returns MV_RING_E_CORRUPT): a hostile peer can stall the channel, never
 * make this side overrun.
 */
#define MV_RING_ALIGN 8u
#define MV_RING_HEADER_BYTES 128u
#define MV_RING_MIN_BYTES 256u        /* smallest ring the library accepts */
#define MV_RING_MAX_BYTES 0x40000000u /* largest: 1 GiB */
#define MV_RING_LEN_BYTES 4u          /* the length word of a record */
/* Of a data area of d bytes (R - MV_RING_HEADER_BYTES): 1980 bytes of payload in 4 KiB. */
#define MV_RING_MAX_RECORD(d) (((d) / 2u) & ~(MV_RING_ALIGN - 1u))
#define MV_RING_MAX_PAYLOAD(d) (MV_RING_MAX_RECORD(d) - MV_RING_LEN_BYTES)

/* The shared header, as laid out at the start of each ring. */
struct mv_ring_shared {
	uint32_t prod;
	uint32_t producer_event;
	uint32_t reserved_producer[14];
	uint32_t cons;
	uint32_t consumer_event;
	uint32_t reserved_consumer[14];
};

_Static_assert(sizeof(struct mv_ring_shared) == MV_RING_HEADER_BYTES, "ring header size");
_Static_assert(__builtin_offsetof(struct mv_ring_shared, producer_event) == 4, "ring layout");
_Static_assert(__builtin_offsetof(struct mv_ring_shared, cons) == 64, "ring layout");
_Static_assert(__builtin_offsetof(struct mv_ring_shared, consumer_event) == 68, "ring layout");

/*
 * Results of the ring calls: 0 or one of these. They are disjoint from enum mv_status, so
 * a caller may pass either through one int.
 */
enum mv_ring_status {
	MV_RING_OK = 0,
	MV_RING_E_EMPTY = -32,   /* read: no record published */
	MV_RING_E_FULL = -33,    /* write: no room now; producer_event is set */
	MV_RING_E_TOO_BIG = -34, /* write: above the maximum; read: buffer too small */
	MV_RING_E_CORRUPT = -35, /* the peer broke the format; this side stays broken */
	MV_RING_E_INVALID = -36, /* init: bad size, alignment or end; a call for the other side */
};

/*
 * One side of one ring: private to that side, never in shared memory. Fields are the
 * library's; callers use the functions below.
 */
struct mv_ring {
	struct mv_ring_shared *hdr;
	uint8_t *data;
	uint32_t size; /* D */
	uint32_t wrap; /* W */
	uint32_t max_payload;
	uint32_t index;    /* this side's index: prod or cons */
	uint32_t offset;   /* index % D */
	uint32_t peer;     /* last checked snapshot of the peer's index */
	uint32_t next_len; /* consumer: the checked length of the record at index, */
	bool next_known;   /* once read: the shared length word is not read again */
	bool producer;
	bool broken;
};

/* A piece of a gathered record (mv_ring_writev). */
struct mv_ring_iov {
	const void *base;
	uint32_t len;
};

/*
 * Use, with notify() standing for MV_CALL_CHANNEL_NOTIFY and wait() for sleeping until the
 * doorbell vIRQ:
 *
 *   producer:                                  consumer:
 *     old = mv_ring_index(tx);                   for (;;) {
 *     for each record to send:                     old = mv_ring_index(rx);
 *       while (mv_ring_write(tx, ..) == FULL) {    while (mv_ring_read(rx, ..) == 0) {
 *         if (need_notify_after_write(tx, old))      use the record;
 *           notify();  (before waiting: the          if (need_notify_after_read(rx, old))
 *                       consumer may be asleep)        notify();
 *         wait();                                    old = mv_ring_index(rx);
 *         old = mv_ring_index(tx);                 }
 *       }                                          (E_CORRUPT: stop using the channel)
 *     if (need_notify_after_write(tx, old))        if (!mv_ring_enable_notify(rx))
 *       notify();                                    wait();
 *                                                }
 */
#ifdef __KERNEL__
#define MV_RING_MUST_CHECK __must_check
#else
#define MV_RING_MUST_CHECK __attribute__((warn_unused_result))
#endif

/*
 * Attaches r to the ring of `bytes` bytes at mem (8-byte aligned; bytes a multiple of 8 in
 * MV_RING_MIN_BYTES..MV_RING_MAX_BYTES) as its producer or consumer, taking over the indices
 * found there (zero for a fresh channel, the old ones after this side restarted). Writes
 * only this side's event index. -> 0, MV_RING_E_INVALID, or MV_RING_E_CORRUPT (the shared
 * indices are inconsistent: r is broken).
 */
MV_RING_MUST_CHECK int mv_ring_init(struct mv_ring *r, void *mem, uint32_t bytes, bool producer);

/*
 * Attaches tx and rx to the channel memory of `bytes` bytes (both rings) at mem, for the
 * given end (MV_CHANNEL_INFO_END): tx is the ring this end produces on. -> as mv_ring_init.
 */
MV_RING_MUST_CHECK int mv_ring_init_channel(struct mv_ring *tx, struct mv_ring *rx, void *mem,
					    uint32_t bytes, uint32_t end);

/* Largest payload one record may carry. */
uint32_t mv_ring_max_payload(const struct mv_ring *r);

/* This side's index (prod or cons), to pass to the need_notify calls after a batch. */
uint32_t mv_ring_index(const struct mv_ring *r);

/*
 * Producer: appends one record of len bytes and publishes it. -> 0, MV_RING_E_FULL (nothing
 * written; producer_event asks the consumer to notify once half the ring is free, room for
 * any record), MV_RING_E_TOO_BIG (len > mv_ring_max_payload), MV_RING_E_CORRUPT.
 */
MV_RING_MUST_CHECK int mv_ring_write(struct mv_ring *r, const void *buf, uint32_t len);

/* Producer: as mv_ring_write, the payload gathered from n pieces. */
MV_RING_MUST_CHECK int mv_ring_writev(struct mv_ring *r, const struct mv_ring_iov *iov, uint32_t n);

/*
 * Producer: is there room now for a record of len bytes? Writes no record. -> 0,
 * MV_RING_E_FULL (no room; producer_event is set as by a write that found the ring full,
 * so the consumer notifies once half the ring is free), MV_RING_E_TOO_BIG,
 * MV_RING_E_CORRUPT. A transmitter asks after each write for room for its largest
 * record, and stops taking work while there is none, instead of failing the next write.
 */
MV_RING_MUST_CHECK int mv_ring_check_room(struct mv_ring *r, uint32_t len);

/*
 * Producer, after one or more writes: true if the consumer asked to be notified for a byte
 * in [old_index, now), old_index being mv_ring_index() before the first write of the batch.
 */
bool mv_ring_need_notify_after_write(struct mv_ring *r, uint32_t old_index);

/*
 * Consumer: copies the next record's payload into buf and consumes it; *len gets its
 * length. cap must be the real size of buf: nothing beyond cap bytes is ever written, and
 * *len <= cap on success. -> 0, MV_RING_E_EMPTY, MV_RING_E_TOO_BIG (cap too small: the
 * record stays, *len says how much room it needs), MV_RING_E_CORRUPT.
 */
MV_RING_MUST_CHECK int mv_ring_read(struct mv_ring *r, void *buf, uint32_t cap, uint32_t *len);

/*
 * Consumer: *len = the next record's length without consuming it. -> as mv_ring_read. The
 * length is fixed from then on: later peeks and the mv_ring_read that consumes the record
 * return this same length (checked once, never read from shared memory again), so a
 * caller may size its buffer from a peek.
 */
MV_RING_MUST_CHECK int mv_ring_peek_len(struct mv_ring *r, uint32_t *len);

/*
 * Consumer, before sleeping: asks to be notified when the next record is produced. Returns
 * true if the caller must not sleep: a record arrived meanwhile, or the ring is broken (the
 * next mv_ring_read says which).
 */
bool mv_ring_enable_notify(struct mv_ring *r);

/*
 * Consumer, after one or more reads: true if the producer waits for room freed in
 * [old_index, now), old_index being mv_ring_index() before the first read of the batch.
 */
bool mv_ring_need_notify_after_read(struct mv_ring *r, uint32_t old_index);

#endif
