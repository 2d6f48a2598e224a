/* SPDX-License-Identifier: MIT */
/* The racing ring producer of tests/hostile/rings.cmake: a peer on another CPU that writes
 * a ring's shared words directly while the consumer reads them (ring_race.c). */
#ifndef RING_RACE_H
#define RING_RACE_H

#include <cell/runtime.h>
#include <mv/ring.h>

/* Every 8-byte slot of the data area holds a record of this length, so that wherever the
 * consumer stands it finds a well-formed one. */
#define RACE_SMALL 4u
/* A length no ring admits: larger than any data area. */
#define RACE_HUGE 0x7ffffff0u

/*
 * One ring this cell produces on, driven word by word. Only prod = pub is ever valid: the
 * consumer re-reads prod only once it has used up its snapshot (mv/ring.h), so when its
 * index is not pub, its snapshot is pub, and the largest length it admits at index c is
 * pub - c - 4 (capped by the largest payload). The length word at the consumer index is
 * the one flipped; it gets RACE_SMALL back once the consumer has moved on.
 */
struct race {
	uint32_t channel;
	struct mv_ring_shared *hdr;
	volatile uint32_t *data; /* the data area, as 32-bit words */
	uint32_t size, wrap, max_payload;
	uint32_t pub;             /* the producer index published last */
	uint32_t last_cons;       /* the consumer index seen last */
	volatile uint32_t *aimed; /* the length word being rewritten, or NULL */
	uint32_t refills, len_flips, prod_flips, bad_cons, moves, bursts;
	uint64_t consumed; /* bytes the consumer took */
};

/* The victim of hostile-ring-race.dts tells its racer what it saw on the other ring of
 * their channel, one record each: a corrupt ring (value: the consumer index it was found
 * at), and the end (value: the records it read). */
#define RACE_REPORT_CORRUPT 1u
#define RACE_REPORT_DONE 2u

struct race_report {
	uint32_t kind;
	uint32_t value;
};

/* Takes over the ring this cell produces on in its channel `channel`: every slot a small
 * record whose payload is the word `payload`, nothing published. */
void race_open(struct race *r, uint32_t channel, uint32_t payload);

/* The consumer index, if it is one a consumer could have written (else counted in
 * bad_cons, and ~0u); notes how far the consumer moved since the last call. */
uint32_t race_follow(struct race *r);

/* With the ring empty at c: publishes prod = c + bytes (a multiple of 8, at most D), after
 * `flips` rounds of invalid values alternating with it, and rings the doorbell. */
void race_publish(struct race *r, uint32_t c, uint32_t bytes, uint32_t flips);

/* With records published at c: `flips` times the length word at c becomes the largest
 * admissible length (huge: RACE_HUGE) and RACE_SMALL again, and every other call leaves
 * it at the former; with prod_too, prod also becomes invalid and pub again each time, and
 * ends valid. */
void race_flip(struct race *r, uint32_t c, bool huge, bool prod_too, uint32_t flips);

/* With the ring empty at c (prod = c): `flips` times prod becomes invalid and c again. */
void race_flip_prod(struct race *r, uint32_t c, uint32_t flips);

/* The length word at c becomes len and stays so until race_release. */
void race_hold(struct race *r, uint32_t c, uint32_t len);
void race_release(struct race *r);

#endif
