/* SPDX-License-Identifier: MIT */
/* Channel ping-pong: end 0 sends 100,000 records of random sizes, end 1 echoes each one,
 * both check every byte. Notifications are suppressed by event indices, so far fewer
 * notify hypercalls than messages are made. Both ends sleep in WFI on the doorbell. */
#include <cell/runtime.h>
#include <mv/ring.h>

#define MESSAGES 100000u
#define MAX_LEN 512u

static struct mv_ring tx, rx;
static uint8_t buf[MAX_LEN], expect[MAX_LEN];
static uint32_t notifies, doorbells, bad_records;

static void on_doorbell(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
	doorbells++;
}

/* Deterministic size and contents of message `seq`. */
static uint32_t message(uint32_t seq, uint8_t *out)
{
	uint32_t x = seq * 2654435761u + 12345u;
	x ^= x >> 13;
	uint32_t len = 4u + x % (MAX_LEN - 4u);
	for (uint32_t k = 0; k < len; k++)
		out[k] = (uint8_t)(seq * 31u + k * 7u + (k >> 8));
	out[0] = (uint8_t)seq;
	out[1] = (uint8_t)(seq >> 8);
	out[2] = (uint8_t)(seq >> 16);
	out[3] = (uint8_t)(seq >> 24);
	return len;
}

static void notify(void)
{
	notifies++;
	bad_records += mv_call3(MV_CALL_CHANNEL_NOTIFY, 0, 0, 0) != MV_OK;
}

/* Sleeps until the doorbell rings, unless a record is already waiting. */
static void wait_for_peer(void)
{
	irqs_off();
	if (!mv_ring_enable_notify(&rx))
		wfi();
	irqs_on();
}

static void check_record(uint32_t seq, uint32_t len)
{
	uint32_t want = message(seq, expect);
	uint32_t same = len == want;
	for (uint32_t k = 0; same && k < len; k++)
		same = buf[k] == expect[k];
	bad_records += !same;
}

static void pinger(void)
{
	uint32_t sent = 0, received = 0;
	uint64_t t0 = timer_now();
	while (received < MESSAGES) {
		bool progress = false;
		uint32_t old = mv_ring_index(&tx);
		while (sent < MESSAGES) {
			uint32_t len = message(sent, buf);
			int st = mv_ring_write(&tx, buf, len);
			if (st == MV_RING_E_FULL)
				break;
			bad_records += st != MV_RING_OK;
			sent++;
			progress = true;
		}
		if (mv_ring_need_notify_after_write(&tx, old))
			notify();
		old = mv_ring_index(&rx);
		uint32_t len;
		while (mv_ring_read(&rx, buf, sizeof(buf), &len) == MV_RING_OK) {
			check_record(received++, len);
			progress = true;
		}
		if (mv_ring_need_notify_after_read(&rx, old))
			notify();
		if (!progress)
			wait_for_peer();
	}
	uint64_t ticks = timer_now() - t0;
	cell_printf("%u messages echoed, %u bad, %u notifies, %u doorbells\n", received,
		    bad_records, notifies, doorbells);
	cell_printf("bench: channel_pingpong_msgs_per_s=%u\n",
		    (uint32_t)((uint64_t)MESSAGES * timer_freq() / (ticks ? ticks : 1)));
}

static void ponger(void)
{
	uint32_t echoed = 0, len = 0;
	bool holding = false;
	while (echoed < MESSAGES) {
		bool progress = false;
		uint32_t old_rx = mv_ring_index(&rx), old_tx = mv_ring_index(&tx);
		for (;;) {
			if (!holding && mv_ring_read(&rx, buf, sizeof(buf), &len) != MV_RING_OK)
				break;
			holding = true;
			if (mv_ring_write(&tx, buf, len) != MV_RING_OK)
				break; /* full: keep the record, producer_event is armed */
			check_record(echoed++, len);
			holding = false;
			progress = true;
		}
		if (mv_ring_need_notify_after_write(&tx, old_tx))
			notify();
		if (mv_ring_need_notify_after_read(&rx, old_rx))
			notify();
		if (!progress)
			wait_for_peer();
	}
	cell_printf("%u messages echoed, %u bad, %u notifies, %u doorbells\n", echoed, bad_records,
		    notifies, doorbells);
}

int main(void)
{
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, 0, 0, 0, 0, 0, 0);
	CHECK(info.r0 == MV_OK);
	CHECK(mv_call3(MV_CALL_CHANNEL_INFO, 1, 0, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(mv_call3(MV_CALL_CHANNEL_NOTIFY, 7, 0, 0) == MV_E_INVALID_PARAMETERS);
	uint32_t end = MV_CHANNEL_INFO_END(info.r3);
	CHECK(mv_ring_init_channel(&tx, &rx, (void *)(uintptr_t)info.r1, info.r2, end) ==
	      MV_RING_OK);
	gic_init();
	irq_enable(MV_CHANNEL_INFO_VIRQ(info.r3), on_doorbell, 0x80);
	irqs_on();
	if (end == 0)
		pinger();
	else
		ponger();
	CHECK(bad_records == 0);
	CHECK(notifies * 10u < MESSAGES); /* suppression: far fewer notifies than messages */
	test_report();
	return 0;
}
