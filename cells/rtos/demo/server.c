/* SPDX-License-Identifier: MIT */
/* The request server of the RTOS demo: requests arrive as ring records on the control
 * channel (rtos/proto.h) and are answered in order. It runs below the control and
 * statistics tasks, so a peer flooding it, or not reading its replies, delays only it. */
#include <cell/runtime.h>
#include <mv/ring.h>

#include "demo.h"

#define RECORD_MAX 2048u /* longer records cannot be consumed: the channel is given up */
/*
 * The server shares the RTOS cell's CPU budget with the control loop: a peer flooding it
 * with requests must not exhaust that budget and get the whole cell throttled. So it
 * answers at most BURST requests, then pauses PAUSE_US before reading more.
 */
#define BURST 4u
#define PAUSE_US 1000u

static struct mv_ring tx, rx;
static struct rtos_sem doorbell;
static uint8_t record[RECORD_MAX];
/* The next statistics request prints the histogram (demo_print_histogram): set by a reset. */
static bool histogram_due;

static void on_doorbell(uint32_t id, void *arg)
{
	(void)id;
	(void)arg;
	(void)rtos_sem_give(&doorbell); /* at most one pending: the count saturates at 1 */
}

static void notify(void)
{
	(void)mv_call3(MV_CALL_CHANNEL_NOTIFY, (uint32_t)demo.channel, 0, 0);
}

int server_init(int32_t channel)
{
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, (uint32_t)channel, 0, 0, 0, 0, 0);
	int r;

	if (info.r0 != MV_OK)
		return (int)info.r0;
	r = mv_ring_init_channel(&tx, &rx, (void *)(uintptr_t)info.r1, info.r2,
				 MV_CHANNEL_INFO_END(info.r3));
	if (r != MV_RING_OK)
		return r;
	(void)rtos_sem_init(&doorbell, 0, 1);
	return rtos_irq_attach(MV_CHANNEL_INFO_VIRQ(info.r3), on_doorbell, NULL);
}

/* Writes one reply, waiting for room while the peer does not read. -> 0 or a ring error. */
static int send_reply(const struct rtos_ctl_reply *rep)
{
	for (;;) {
		uint32_t old = mv_ring_index(&tx);
		int st = mv_ring_write(&tx, rep, sizeof(*rep));

		if (st == MV_RING_OK) {
			if (mv_ring_need_notify_after_write(&tx, old))
				notify();
			return 0;
		}
		if (st != MV_RING_E_FULL)
			return st;
		/* producer_event is armed: the peer's reads ring our doorbell once there is room.
		 * The timeout covers a peer that reads without notifying. */
		(void)rtos_sem_take(&doorbell, rtos_ms_to_ticks(100));
	}
}

static uint32_t word(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Applies one request; fills the reply. -> whether it was STOP. */
static bool handle(const uint8_t *buf, uint32_t len, struct rtos_ctl_reply *rep)
{
	struct rtos_ctl_request req;
	uint64_t ticks;

	*rep = (struct rtos_ctl_reply){ 0 };
	if (len >= 8) {
		rep->type = word(buf);
		rep->seq = word(buf + 4);
	}
	if (len != sizeof(req)) {
		rep->status = RTOS_CTL_E_LENGTH;
		demo_fill_reply(rep);
		return false;
	}
	req.type = word(buf);
	req.arg = word(buf + 8);
	switch (req.type) {
	case RTOS_CTL_STATS:
		/* Once per reset: a client polling the figures would otherwise spend the RTOS's
		 * budget on console lines. */
		if (histogram_due)
			demo_print_histogram();
		histogram_due = false;
		break;
	case RTOS_CTL_SET_PERIOD:
		if (req.arg < RTOS_CTL_PERIOD_MIN_US || req.arg > RTOS_CTL_PERIOD_MAX_US) {
			rep->status = RTOS_CTL_E_ARG;
			break;
		}
		ticks = rtos_us_to_ticks(req.arg);
		if (rtos_queue_send(&demo.periods, &ticks, RTOS_NO_WAIT) != RTOS_OK) {
			rep->status = RTOS_CTL_E_BUSY;
			break;
		}
		demo.period_us = req.arg;
		break;
	case RTOS_CTL_RESET:
		histogram_due = true;
		(void)rtos_mutex_lock(&demo.stats_lock, RTOS_FOREVER);
		lat_stats_reset(&demo.stats);
		demo.isr.sum = demo.isr.n = demo.isr.worst = 0;
		demo.dropped = 0;
		(void)rtos_mutex_unlock(&demo.stats_lock);
		break;
	case RTOS_CTL_REPORT:
		demo_report("requested");
		break;
	case RTOS_CTL_STOP:
		demo_fill_reply(rep);
		return true;
	default:
		rep->status = RTOS_CTL_E_TYPE;
		break;
	}
	demo_fill_reply(rep);
	return false;
}

/*
 * Reads every request there is, answers each, then sleeps on the doorbell semaphore with
 * the ring's consumer event armed, so the peer notifies only when we sleep. The server
 * only gets the CPU the control loop leaves, and takes at most BURST requests at a time.
 */
void server_main(void *arg)
{
	bool stop = false;

	(void)arg;
	while (!stop) {
		uint32_t old = mv_ring_index(&rx), len, n = 0;
		int st = MV_RING_OK;

		while (!stop && n < BURST &&
		       (st = mv_ring_read(&rx, record, sizeof(record), &len)) == MV_RING_OK) {
			struct rtos_ctl_reply rep;
			stop = handle(record, len, &rep);
			if (send_reply(&rep))
				st = MV_RING_E_CORRUPT;
			n++;
		}
		if (mv_ring_need_notify_after_read(&rx, old))
			notify();
		if (st != MV_RING_OK && st != MV_RING_E_EMPTY) {
			demo.ring_errors++;
			rtos_printf("server: channel unusable (ring error %d), no more requests\n",
				    st);
			break;
		}
		if (n == BURST)
			(void)rtos_delay(rtos_us_to_ticks(PAUSE_US));
		else if (!stop && !mv_ring_enable_notify(&rx))
			(void)rtos_sem_take(&doorbell, RTOS_FOREVER);
	}
	if (stop)
		(void)rtos_sem_give(&demo.stop);
}
