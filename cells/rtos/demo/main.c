/* SPDX-License-Identifier: MIT */
/* The RTOS cell: kernel start-up, the demo's supervisor task and its report. With a
 * control channel (any channel but the console's) it serves requests until told to stop;
 * without one it runs DEMO_RUN_MS and stops. Either way it ends with its checks and
 * powers its cell off. */
#include <cell/runtime.h>

#include "demo.h"

struct demo demo;

static struct rtos_task control_task, stats_task, server_task, supervisor_task;
static uint64_t control_stack[2048 / 8], stats_stack[2048 / 8];
static uint64_t server_stack[4096 / 8], supervisor_stack[4096 / 8];
static struct sample samples_storage[64];
static uint64_t periods_storage[1];
static struct rtos_timer run_timer;

static uint32_t ns(uint64_t ticks)
{
	uint64_t v = rtos_ticks_to_ns(ticks);
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

void demo_fill_reply(struct rtos_ctl_reply *r)
{
	(void)rtos_mutex_lock(&demo.stats_lock, RTOS_FOREVER);
	r->samples = demo.stats.samples;
	r->missed = demo.stats.missed;
	r->mean_ns = ns(lat_stats_mean(&demo.stats));
	r->p999_ns = ns(lat_stats_percentile(&demo.stats, 99900));
	r->worst_ns = ns(demo.stats.worst);
	(void)rtos_mutex_unlock(&demo.stats_lock);
	r->period_us = demo.period_us;
	r->counter_hz = rtos_tick_hz();
	r->dropped = demo.dropped;
}

void demo_report(const char *why)
{
	struct rtos_ctl_reply r;
	uint32_t isr_mean, isr_worst;

	demo_fill_reply(&r);
	(void)rtos_mutex_lock(&demo.stats_lock, RTOS_FOREVER);
	isr_mean = ns(demo.isr.n ? demo.isr.sum / demo.isr.n : 0);
	isr_worst = ns(demo.isr.worst);
	(void)rtos_mutex_unlock(&demo.stats_lock);
	/* Console lines are at most 119 characters. */
	rtos_printf("latency report (%s): %llu samples at %u us, missed deadlines %llu\n", why,
		    r.samples, r.period_us, r.missed);
	rtos_printf("latency report (%s): mean %u ns, p99.9 %u ns, worst %u ns\n", why, r.mean_ns,
		    r.p999_ns, r.worst_ns);
	rtos_printf("latency report (%s): to the kernel's timer handler mean %u ns, worst %u ns\n",
		    why, isr_mean, isr_worst);
	rtos_printf("rtos-latency: samples=%llu period_us=%u mean_ns=%u p999_ns=%u worst_ns=%u "
		    "missed=%llu dropped=%u\n",
		    r.samples, r.period_us, r.mean_ns, r.p999_ns, r.worst_ns, r.missed, r.dropped);
}

/*
 * The latency histogram as one console line for scripts (bench/run): "rtos-histogram:
 * n=N tick_ns=T log2=c0,c1,..,c11,over", where ci counts the releases late by 2^i to
 * 2^(i+1) - 1 counter ticks of T ns (c0 also those on time) and over those of
 * LAT_BUCKETS ticks or more. N numbers the lines from 1, one per statistics request.
 */
void demo_print_histogram(void)
{
	static uint32_t n;
	uint64_t b[LAT_LOG2_BUCKETS];
	char line[112];
	uint32_t len = 0;

	(void)rtos_mutex_lock(&demo.stats_lock, RTOS_FOREVER);
	lat_stats_log2(&demo.stats, b);
	(void)rtos_mutex_unlock(&demo.stats_lock);
	for (uint32_t i = 0; i < LAT_LOG2_BUCKETS; i++) {
		char digits[20];
		uint32_t d = 0;
		uint64_t v = b[i];

		do {
			digits[d++] = (char)('0' + v % 10u);
			v /= 10u;
		} while (v && d < sizeof(digits));
		if (len + d + 2 > sizeof(line))
			break; /* cannot happen below 10^7 samples a bucket; the line stays whole */
		if (i)
			line[len++] = ',';
		while (d)
			line[len++] = digits[--d];
	}
	line[len] = '\0';
	rtos_printf("rtos-histogram: n=%u tick_ns=%u log2=%s\n", ++n, ns(1), line);
}

static void on_run_timer(struct rtos_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	(void)rtos_sem_give(&demo.stop);
}

/* Waits for the stop, stops the control loop, reports, checks, powers the cell off. */
static void supervisor_main(void *arg)
{
	uint64_t expected;
	int stopped;

	(void)arg;
	if (demo.channel < 0)
		(void)rtos_timer_start(&run_timer, rtos_ms_to_ticks(DEMO_RUN_MS), 0);
	(void)rtos_sem_take(&demo.stop, RTOS_FOREVER);
	demo.stopping = true;
	stopped = rtos_sem_take(&demo.control_done, rtos_ms_to_ticks(2000));
	demo_report("final");
	rtos_printf("control: %u of %u setpoint steps settled, %u context switches\n", demo.settled,
		    demo.steps, rtos_context_switches());
	rtos_printf("stack unused: control %u, stats %u, server %u, supervisor %u bytes\n",
		    (uint32_t)rtos_task_stack_unused(&control_task),
		    (uint32_t)rtos_task_stack_unused(&stats_task),
		    (uint32_t)(demo.channel >= 0 ? rtos_task_stack_unused(&server_task) : 0),
		    (uint32_t)rtos_task_stack_unused(&supervisor_task));

	expected = (uint64_t)DEMO_RUN_MS * 1000u / DEMO_PERIOD_US;
	CHECK(stopped == RTOS_OK);
	CHECK(demo.stats.samples > 0);
	if (demo.channel < 0)
		CHECK(demo.stats.samples + 2 >= expected && demo.stats.samples <= expected + 2);
	/* With a control channel the client judges the deadline figures it asked for: the
	 * demo in real time only reports them (a busy host delays every guest), its -icount
	 * variant fails on a miss (docs/rtos.md). */
	if (demo.channel < 0)
		CHECK(demo.stats.missed == 0);
	CHECK(demo.dropped == 0);
	CHECK(demo.settled == demo.steps);
	CHECK(demo.ring_errors == 0);
	CHECK(rtos_task_stack_unused(&control_task) >= 256);
	CHECK(rtos_task_stack_unused(&stats_task) >= 256);
	CHECK(rtos_task_stack_unused(&supervisor_task) >= 256);
	test_report();
	mv_system_off();
}

/* The control channel: the first channel that is not the console's. */
static int32_t find_control_channel(void)
{
	uint32_t n = mv_cell_info(MV_INFO_NUM_CHANNELS);
	int32_t console = cell_console_channel();

	for (uint32_t ch = 0; n != 0xffffffffu && ch < n; ch++) {
		if ((int32_t)ch != console)
			return (int32_t)ch;
	}
	return -1;
}

int main(void)
{
	int r;

	rtos_init();
	demo.period_us = DEMO_PERIOD_US;
	(void)rtos_queue_init(&demo.samples, samples_storage, sizeof(struct sample), 64);
	(void)rtos_queue_init(&demo.periods, periods_storage, sizeof(uint64_t), 1);
	rtos_mutex_init(&demo.stats_lock);
	lat_stats_reset(&demo.stats);
	(void)rtos_sem_init(&demo.stop, 0, 1);
	(void)rtos_sem_init(&demo.control_done, 0, 1);
	rtos_timer_init(&run_timer, on_run_timer, NULL);

	demo.channel = find_control_channel();
	if (demo.channel >= 0 && (r = server_init(demo.channel)) != 0) {
		rtos_printf("control channel %d unusable (%d): running without it\n", demo.channel,
			    r);
		demo.channel = -1;
	}
	if (demo.channel >= 0)
		rtos_printf("rtos: control task every %u us, counter %u Hz, serving requests on "
			    "channel %d\n",
			    demo.period_us, rtos_tick_hz(), demo.channel);
	else
		rtos_printf("rtos: control task every %u us, counter %u Hz, timed run of %u ms\n",
			    demo.period_us, rtos_tick_hz(), DEMO_RUN_MS);

	(void)rtos_task_create(&control_task, "control", control_main, NULL, PRIO_CONTROL,
			       control_stack, sizeof(control_stack));
	(void)rtos_task_create(&stats_task, "stats", stats_main, NULL, PRIO_STATS, stats_stack,
			       sizeof(stats_stack));
	if (demo.channel >= 0)
		(void)rtos_task_create(&server_task, "server", server_main, NULL, PRIO_SERVER,
				       server_stack, sizeof(server_stack));
	(void)rtos_task_create(&supervisor_task, "supervisor", supervisor_main, NULL,
			       PRIO_SUPERVISOR, supervisor_stack, sizeof(supervisor_stack));
	rtos_start();
	return 0;
}
