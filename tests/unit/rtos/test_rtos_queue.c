/* SPDX-License-Identifier: MIT */
/* RTOS message queues on the host port: FIFO order across the ring's wrap, full and empty
 * without waiting, direct hand-over to a waiting receiver, blocked senders resumed in
 * order, timeouts, sends from interrupts, receivers served by priority. */
#include "rtos_test.h"

struct msg {
	uint32_t seq;
	uint8_t pad[9]; /* an odd size: copies are bytewise */
};

static struct rtos_queue q;
static struct msg storage[3];

static struct msg make(uint32_t seq)
{
	struct msg m;
	m.seq = seq;
	for (uint32_t i = 0; i < sizeof(m.pad); i++)
		m.pad[i] = (uint8_t)(seq + i);
	return m;
}

static bool intact(const struct msg *m)
{
	for (uint32_t i = 0; i < sizeof(m->pad); i++) {
		if (m->pad[i] != (uint8_t)(m->seq + i))
			return false;
	}
	return true;
}

static void test_init_and_nowait(void)
{
	test_reset();
	CHECK(rtos_queue_init(&q, storage, 0, 3) == RTOS_E_INVALID);
	CHECK(rtos_queue_init(&q, storage, sizeof(struct msg), 0) == RTOS_E_INVALID);
	CHECK(rtos_queue_init(&q, NULL, sizeof(struct msg), 3) == RTOS_E_INVALID);
	CHECK(rtos_queue_init(&q, storage, sizeof(struct msg), 3) == RTOS_OK);

	/* Outside tasks (here: before rtos_start) only RTOS_NO_WAIT works. */
	struct msg m = make(0), out;
	uint32_t next_in = 0, next_out = 0;
	CHECK(rtos_queue_recv(&q, &out, RTOS_NO_WAIT) == RTOS_E_WOULD_BLOCK);
	CHECK(rtos_queue_recv(&q, &out, 10) == RTOS_E_CONTEXT);
	for (int round = 0; round < 5; round++) { /* the ring wraps several times */
		for (int i = 0; i < 3; i++) {
			m = make(next_in++);
			CHECK(rtos_queue_send(&q, &m, RTOS_NO_WAIT) == RTOS_OK);
		}
		CHECK(rtos_queue_count(&q) == 3);
		CHECK(rtos_queue_send(&q, &m, RTOS_NO_WAIT) == RTOS_E_WOULD_BLOCK);
		CHECK(rtos_queue_send(&q, &m, 10) == RTOS_E_CONTEXT);
		for (int i = 0; i < 2 + (round & 1); i++) {
			CHECK(rtos_queue_recv(&q, &out, RTOS_NO_WAIT) == RTOS_OK);
			CHECK(out.seq == next_out++ && intact(&out));
		}
		while (rtos_queue_recv(&q, &out, RTOS_NO_WAIT) == RTOS_OK)
			CHECK(out.seq == next_out++ && intact(&out));
	}
	CHECK(next_out == next_in);
}

/* A receiver already waiting gets the message straight from the sender, and being more
 * urgent, runs before the send returns. */
static void receiver(void *arg)
{
	struct msg out;

	for (int i = 0; i < 3; i++) {
		CHECK(rtos_queue_recv(&q, &out, RTOS_FOREVER) == RTOS_OK);
		CHECK(intact(&out));
		test_log("%s%u", (const char *)arg, out.seq);
	}
}

static void sender(void *arg)
{
	(void)arg;
	for (uint32_t i = 0; i < 6; i++) {
		struct msg m = make(i);
		CHECK(rtos_queue_send(&q, &m, RTOS_FOREVER) == RTOS_OK);
		test_log("s%u", i);
	}
	CHECK(rtos_queue_count(&q) == 0);
}

static void test_handover_and_priority(void)
{
	test_reset();
	CHECK(rtos_queue_init(&q, storage, sizeof(struct msg), 3) == RTOS_OK);
	test_spawn(0, "low-rx", receiver, "lo", 6);
	test_spawn(1, "high-rx", receiver, "hi", 9);
	test_spawn(2, "tx", sender, NULL, 3);
	rtos_start();
	/* The more urgent receiver is served first, whichever waited longer. */
	CHECK_LOG("hi0 s0 hi1 s1 hi2 s2 lo3 s3 lo4 s4 lo5 s5");
}

/* Senders blocked on a full queue are resumed in order as room appears; nothing is lost
 * or reordered. */
static void fast_sender(void *arg)
{
	uint32_t base = (uint32_t)(uintptr_t)arg;

	for (uint32_t i = 0; i < 5; i++) {
		struct msg m = make(base + i);
		CHECK(rtos_queue_send(&q, &m, RTOS_FOREVER) == RTOS_OK);
	}
	test_log("tx%u-done", base);
}

static void slow_receiver(void *arg)
{
	struct msg out;
	uint32_t from_a = 0, from_b = 100;

	(void)arg;
	for (int i = 0; i < 10; i++) {
		rtos_delay(100);
		CHECK(rtos_queue_recv(&q, &out, RTOS_FOREVER) == RTOS_OK);
		CHECK(intact(&out));
		if (out.seq < 100)
			CHECK(out.seq == from_a++);
		else
			CHECK(out.seq == from_b++);
	}
	CHECK(from_a == 5 && from_b == 105);
	test_log("rx-done");
}

static void test_blocked_senders(void)
{
	test_reset();
	CHECK(rtos_queue_init(&q, storage, sizeof(struct msg), 3) == RTOS_OK);
	test_spawn(0, "rx", slow_receiver, NULL, 2);
	test_spawn(1, "tx-a", fast_sender, (void *)(uintptr_t)0u, 5);
	test_spawn(2, "tx-b", fast_sender, (void *)(uintptr_t)100u, 5);
	rtos_start();
	CHECK_LOG("tx0-done tx100-done rx-done");
}

static void timeouts(void *arg)
{
	struct msg m = make(7), out;
	rtos_tick_t t0 = rtos_now();

	(void)arg;
	CHECK(rtos_queue_recv(&q, &out, 300) == RTOS_E_TIMEOUT);
	CHECK(rtos_now() - t0 == 300);
	for (int i = 0; i < 3; i++)
		CHECK(rtos_queue_send(&q, &m, RTOS_NO_WAIT) == RTOS_OK);
	t0 = rtos_now();
	CHECK(rtos_queue_send(&q, &m, 400) == RTOS_E_TIMEOUT);
	CHECK(rtos_now() - t0 == 400);
	CHECK(rtos_queue_count(&q) == 3);
}

static void test_timeouts(void)
{
	test_reset();
	CHECK(rtos_queue_init(&q, storage, sizeof(struct msg), 3) == RTOS_OK);
	test_spawn(0, "t", timeouts, NULL, 5);
	rtos_start();
	CHECK(rtos_now() == 700);
}

/* An interrupt handler sends without waiting; the receiver runs when it returns. */
static uint32_t irq_sent;
static void on_irq(uint32_t id, void *arg)
{
	struct msg m = make(irq_sent);

	(void)id;
	(void)arg;
	if (rtos_queue_send(&q, &m, RTOS_NO_WAIT) == RTOS_OK)
		irq_sent++;
	test_log("irq");
}

static void irq_source(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		host_burn(50);
		host_raise_irq(33);
	}
}

static void test_send_from_interrupt(void)
{
	test_reset();
	irq_sent = 0;
	CHECK(rtos_queue_init(&q, storage, sizeof(struct msg), 3) == RTOS_OK);
	CHECK(rtos_irq_attach(33, on_irq, NULL) == RTOS_OK);
	test_spawn(0, "rx", receiver, "r", 9);
	test_spawn(1, "src", irq_source, NULL, 1);
	rtos_start();
	CHECK_LOG("irq r0 irq r1 irq r2");
	CHECK(irq_sent == 3);
}

int main(void)
{
	test_init_and_nowait();
	test_handover_and_priority();
	test_blocked_senders();
	test_timeouts();
	test_send_from_interrupt();
	return check_exit("test_rtos_queue");
}
