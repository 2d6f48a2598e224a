/* SPDX-License-Identifier: MIT */
/* The RTOS control channel's test client, playing the Linux side: statistics, period
 * changes that take effect, a reset, argument and format errors, pipelined requests
 * answered in order, a printed report, and finally STOP. */
#include <cell/runtime.h>
#include <mv/ring.h>
#include <rtos/proto.h>

#define PPI_VTIMER 27u

static struct mv_ring tx, rx;
static uint32_t channel, seq;
static volatile uint32_t doorbells;
static uint64_t ms;

static void on_doorbell(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
	doorbells++;
}

static void on_vtimer(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
	timer_disarm();
}

static void notify(void)
{
	(void)mv_call3(MV_CALL_CHANNEL_NOTIFY, channel, 0, 0);
}

static void send_raw(const void *p, uint32_t len)
{
	uint32_t old = mv_ring_index(&tx);

	CHECK(mv_ring_write(&tx, p, len) == MV_RING_OK);
	if (mv_ring_need_notify_after_write(&tx, old))
		notify();
}

static uint32_t send(uint32_t type, uint32_t arg)
{
	struct rtos_ctl_request r = { .type = type, .seq = ++seq, .arg = arg, .reserved = 0 };

	send_raw(&r, sizeof(r));
	return seq;
}

/* The next reply, waiting up to a second of guest time for it. */
static bool receive(struct rtos_ctl_reply *rep)
{
	uint64_t deadline = timer_now() + 1000u * ms;

	for (;;) {
		uint32_t old = mv_ring_index(&rx), len = 0;
		int st = mv_ring_read(&rx, rep, sizeof(*rep), &len);

		if (st == MV_RING_OK) {
			if (mv_ring_need_notify_after_read(&rx, old))
				notify();
			return len == sizeof(*rep);
		}
		if (st != MV_RING_E_EMPTY || timer_now() >= deadline)
			return false;
		irqs_off();
		if (!mv_ring_enable_notify(&rx)) {
			timer_arm(deadline);
			wfi(); /* the doorbell or the deadline */
			timer_disarm();
		}
		irqs_on();
	}
}

/* One request and its reply, which must carry the same type and seq. */
static struct rtos_ctl_reply ask(uint32_t type, uint32_t arg)
{
	struct rtos_ctl_reply rep = { 0 };
	uint32_t s = send(type, arg);

	CHECK(receive(&rep));
	CHECK(rep.type == type && rep.seq == s);
	return rep;
}

static void sleep_ms(uint32_t n)
{
	timer_sleep_until(timer_now() + n * ms);
}

int main(void)
{
	int32_t console = cell_console_channel();
	uint32_t ch = console == 0 ? 1u : 0u;
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, ch, 0, 0, 0, 0, 0);
	struct rtos_ctl_reply r;

	ms = timer_freq() / 1000u;
	channel = ch;
	CHECK(info.r0 == MV_OK);
	CHECK(mv_ring_init_channel(&tx, &rx, (void *)(uintptr_t)info.r1, info.r2,
				   MV_CHANNEL_INFO_END(info.r3)) == MV_RING_OK);
	gic_init();
	irq_enable(MV_CHANNEL_INFO_VIRQ(info.r3), on_doorbell, 0x80);
	irq_enable(PPI_VTIMER, on_vtimer, 0x80);
	irqs_on();

	/* Statistics after 100 ms at the default 1 kHz. */
	sleep_ms(100);
	r = ask(RTOS_CTL_STATS, 0);
	cell_printf("stats: %u samples at %u us, mean %u ns, p99.9 %u ns, worst %u ns, missed %u\n",
		    (uint32_t)r.samples, r.period_us, r.mean_ns, r.p999_ns, r.worst_ns,
		    (uint32_t)r.missed);
	CHECK(r.status == RTOS_CTL_OK && r.period_us == 1000);
	CHECK(r.samples >= 90 && r.samples <= 110);
	CHECK(r.missed == 0 && r.dropped == 0 && r.counter_hz == timer_freq());
	CHECK(r.worst_ns > 0 && r.mean_ns <= r.p999_ns && r.p999_ns <= r.worst_ns);

	/* A new period takes effect: 100 ms at 500 us are about 200 releases. */
	r = ask(RTOS_CTL_SET_PERIOD, 500);
	CHECK(r.status == RTOS_CTL_OK && r.period_us == 500);
	r = ask(RTOS_CTL_RESET, 0);
	CHECK(r.status == RTOS_CTL_OK && r.samples <= 1);
	sleep_ms(100);
	r = ask(RTOS_CTL_STATS, 0);
	cell_printf("after the period change: %u samples at %u us, worst %u ns\n",
		    (uint32_t)r.samples, r.period_us, r.worst_ns);
	CHECK(r.status == RTOS_CTL_OK && r.period_us == 500);
	CHECK(r.samples >= 190 && r.samples <= 215 && r.missed == 0);

	/* Bad arguments, unknown types, malformed records: an error reply each, nothing
	 * changes. */
	CHECK(ask(RTOS_CTL_SET_PERIOD, 0).status == RTOS_CTL_E_ARG);
	CHECK(ask(RTOS_CTL_SET_PERIOD, RTOS_CTL_PERIOD_MIN_US - 1).status == RTOS_CTL_E_ARG);
	r = ask(RTOS_CTL_SET_PERIOD, RTOS_CTL_PERIOD_MAX_US + 1);
	CHECK(r.status == RTOS_CTL_E_ARG && r.period_us == 500);
	CHECK(ask(99, 0).status == RTOS_CTL_E_TYPE);
	uint32_t short_record[2] = { RTOS_CTL_STATS, 777 };
	send_raw(short_record, sizeof(short_record));
	CHECK(receive(&r) && r.status == RTOS_CTL_E_LENGTH && r.seq == 777);
	uint32_t long_record[10] = { RTOS_CTL_STOP, 778 };
	send_raw(long_record, sizeof(long_record));
	CHECK(receive(&r) && r.status == RTOS_CTL_E_LENGTH && r.seq == 778);
	send_raw(long_record, 3);
	CHECK(receive(&r) && r.status == RTOS_CTL_E_LENGTH && r.seq == 0);

	/* Pipelined: 20 requests written at once, answered in order. */
	uint32_t first = seq + 1, in_order = 0;
	for (int i = 0; i < 20; i++)
		send(RTOS_CTL_STATS, 0);
	for (uint32_t i = 0; i < 20; i++)
		in_order += receive(&r) && r.seq == first + i && r.status == RTOS_CTL_OK;
	CHECK(in_order == 20);

	/* A printed report, back to 1 kHz, and stop. */
	CHECK(ask(RTOS_CTL_REPORT, 0).status == RTOS_CTL_OK);
	CHECK(ask(RTOS_CTL_SET_PERIOD, 1000).status == RTOS_CTL_OK);
	sleep_ms(20);
	r = ask(RTOS_CTL_STOP, 0);
	CHECK(r.status == RTOS_CTL_OK && r.period_us == 1000 && r.missed == 0 && r.dropped == 0);
	cell_printf("%u requests answered, %u doorbells\n", seq, doorbells);
	test_report();
	return 0;
}
