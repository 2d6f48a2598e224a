/* SPDX-License-Identifier: MIT */
/* The RTOS demo application (docs/rtos.md): a 1 kHz control task measuring its own
 * release latency, a statistics task, a request server on a channel, a supervisor. */
#ifndef RTOS_DEMO_H
#define RTOS_DEMO_H

#include <rtos/proto.h>
#include <rtos/rtos.h>

#include "stats.h"

#define DEMO_PERIOD_US 1000u /* the control period at start */
#define DEMO_RUN_MS 3000u    /* without a control channel: run this long, then stop */

/* Task priorities: the control loop above everything, the supervisor below all. */
#define PRIO_CONTROL 30u
#define PRIO_STATS 20u
#define PRIO_SERVER 10u
#define PRIO_SUPERVISOR 5u

/* What the control task hands the statistics task after each release. */
struct sample {
	uint32_t latency; /* ticks from the release's timer deadline to the task running */
	uint32_t to_isr;  /* of which before the kernel's timer handler; NO_ISR if none ran */
	uint32_t missed;  /* releases this one stands for that missed their deadline */
};

#define NO_ISR UINT32_MAX

struct demo {
	struct rtos_queue samples;    /* control -> statistics */
	struct rtos_queue periods;    /* server -> control: new period in ticks (u64) */
	struct rtos_mutex stats_lock; /* statistics task vs. server (priority inheritance) */
	struct lat_stats stats;
	struct {
		uint64_t sum, n, worst; /* the to_isr part of the latencies */
	} isr;
	struct rtos_sem stop; /* given by the server's STOP or the run timer */
	struct rtos_sem control_done;
	volatile bool stopping;
	volatile uint32_t dropped;   /* samples the statistics task had no room for */
	volatile uint32_t period_us; /* configured (the control task applies it) */
	int32_t channel;             /* the control channel, -1 without one */
	uint32_t settled, steps;     /* control quality: setpoint steps reached in time */
	uint32_t ring_errors;        /* the peer broke the channel's ring format */
};

extern struct demo demo;

/* A consistent snapshot of the statistics as a reply (status, type, seq left to the
 * caller). Takes demo.stats_lock. */
void demo_fill_reply(struct rtos_ctl_reply *r);
/* Prints the latency report; `why` says what asked for it. */
void demo_report(const char *why);
/* Prints the latency histogram in powers of two as one "rtos-histogram:" line. */
void demo_print_histogram(void);

void control_main(void *arg);
void stats_main(void *arg);
/* Sets up the channel's rings and doorbell; -> 0, or an error (the server does not run). */
int server_init(int32_t channel);
void server_main(void *arg);

#endif
