/* SPDX-License-Identifier: MIT */
/* Two-thread stress test of the channel ring: a producer and a consumer thread move
 * 1,000,000 random-size records, doorbells are semaphores, every byte is checked, and the
 * doorbells rung must be far fewer than the records, whichever thread runs faster. */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mv/ring.h>

#include "../check.h"

#define RECORDS 1000000u
#define RING_BYTES 16384u /* per ring, a 32 KiB channel; argv[1] may give another */

struct stress {
	struct mv_ring tx;
	struct mv_ring rx;
	sem_t data_bell;  /* the consumer's doorbell vIRQ */
	sem_t space_bell; /* the producer's */
	unsigned data_notifies, space_notifies, full, sleeps, bad;
	int stop; /* set by a thread that gave up, so that the other does not wait forever */
};

static uint32_t next_rand(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* Mostly small records, like RTOS messages, a quarter up to an Ethernet frame, and now and
 * then the largest a record may be. */
static uint32_t record_len(uint32_t *state, uint32_t max)
{
	uint32_t r = next_rand(state);
	uint32_t len = r % 4 ? (r >> 2) % 64 : (r >> 2) % 1515;
	return r % 1024 == 3 || len > max ? max : len;
}

static uint8_t pattern(uint32_t seq, uint32_t i)
{
	return (uint8_t)((seq * 2654435761u) >> 24) ^ (uint8_t)(i * 7u + (i >> 8));
}

/* Rings the consumer's doorbell if it asked for one among the records since old. */
static void notify_data(struct stress *s, uint32_t old)
{
	if (mv_ring_need_notify_after_write(&s->tx, old)) {
		s->data_notifies++;
		sem_post(&s->data_bell);
	}
}

/*
 * Writes the records in bursts of 1..64, as a driver sends what it has queued, and checks
 * for a notify once per burst, and before it waits for room: the records written so far
 * must not wait with it.
 */
static void *producer(void *arg)
{
	struct stress *s = arg;
	uint32_t state = 0x9e3779b9u, burst_state = 12345u, max = mv_ring_max_payload(&s->tx);
	uint8_t *buf = malloc(max);
	uint32_t seq = 0;

	while (seq < RECORDS) {
		uint32_t burst = 1 + next_rand(&burst_state) % 64;
		uint32_t old = mv_ring_index(&s->tx);
		for (uint32_t end = seq + burst; seq < end && seq < RECORDS; seq++) {
			uint32_t len = record_len(&state, max);
			for (uint32_t i = 0; i < len; i++)
				buf[i] = pattern(seq, i);
			int err;
			while ((err = mv_ring_write(&s->tx, buf, len)) == MV_RING_E_FULL) {
				notify_data(s, old);
				old = mv_ring_index(&s->tx);
				s->full++;
				sem_wait(&s->space_bell);
				if (__atomic_load_n(&s->stop, __ATOMIC_SEQ_CST))
					goto out;
			}
			if (err) {
				s->bad++;
				__atomic_store_n(&s->stop, 1, __ATOMIC_SEQ_CST);
				sem_post(&s->data_bell);
				goto out;
			}
		}
		notify_data(s, old);
	}
out:
	free(buf);
	return NULL;
}

static void consume(struct stress *s)
{
	uint32_t state = 0x9e3779b9u, max = mv_ring_max_payload(&s->rx);
	uint8_t *buf = malloc(max);

	for (uint32_t seq = 0; seq < RECORDS;) {
		uint32_t old = mv_ring_index(&s->rx), len;
		int err = mv_ring_read(&s->rx, buf, max, &len);
		if (err == MV_RING_E_EMPTY) {
			if (!mv_ring_enable_notify(&s->rx)) {
				s->sleeps++;
				sem_wait(&s->data_bell);
				if (__atomic_load_n(&s->stop, __ATOMIC_SEQ_CST))
					break;
			}
			continue;
		}
		if (err != 0 || len != record_len(&state, max)) {
			s->bad++;
			__atomic_store_n(&s->stop, 1, __ATOMIC_SEQ_CST);
			sem_post(&s->space_bell);
			break;
		}
		for (uint32_t i = 0; i < len; i++)
			if (buf[i] != pattern(seq, i)) {
				s->bad++;
				break;
			}
		if (mv_ring_need_notify_after_read(&s->rx, old)) {
			s->space_notifies++;
			sem_post(&s->space_bell);
		}
		seq++;
	}
	free(buf);
}

int main(int argc, char **argv)
{
	static struct stress s;
	uint32_t ring_bytes = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : RING_BYTES;
	uint8_t *mem = calloc(1, 2 * (size_t)ring_bytes);
	struct mv_ring unused_tx, unused_rx;
	struct timespec t0, t1;
	pthread_t thread;

	/* A real channel: end 0 sends, end 1 receives. */
	CHECK(mv_ring_init_channel(&s.tx, &unused_rx, mem, 2 * ring_bytes, 0) == 0);
	CHECK(mv_ring_init_channel(&unused_tx, &s.rx, mem, 2 * ring_bytes, 1) == 0);
	sem_init(&s.data_bell, 0, 0);
	sem_init(&s.space_bell, 0, 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(pthread_create(&thread, NULL, producer, &s) == 0);
	consume(&s);
	pthread_join(thread, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	unsigned notifies = s.data_notifies + s.space_notifies;
	printf("stress: %u records through %u-byte rings in %.2f s: %u notifies (%u data, %u space), "
	       "%u consumer sleeps, %u writes found the ring full\n",
	       RECORDS, ring_bytes,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, notifies,
	       s.data_notifies, s.space_notifies, s.sleeps, s.full);
	CHECK(s.bad == 0);
	CHECK(mv_ring_index(&s.tx) == mv_ring_index(&s.rx));
	CHECK(notifies < RECORDS / 10);
	free(mem);
	return check_exit("test_ring_stress");
}
