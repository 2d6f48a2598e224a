/* SPDX-License-Identifier: MIT */
/* The control task and the statistics task of the RTOS demo. */
#include "demo.h"

/*
 * The control law: a PI controller holding a simulated first-order plant (time constant
 * 8 samples) on a setpoint that steps between 0 and 1.0 (Q16) every STEP_RELEASES. Each
 * step must settle within 1% before the next: a check that the loop really ran at its
 * rate, in order, with nothing lost.
 */
#define STEP_RELEASES 250u
#define ONE (1 << 16)

static struct {
	int32_t x, integ, setpoint;
	uint32_t n;
} plant;

static int32_t clamp(int64_t v, int32_t limit)
{
	return v > limit ? limit : v < -limit ? -limit : (int32_t)v;
}

static void control_step(void)
{
	int32_t e = plant.setpoint - plant.x, u;

	plant.integ = clamp((int64_t)plant.integ + e, 1 << 28);
	u = clamp((int64_t)e + (plant.integ >> 3), 1 << 20);
	plant.x += (u - plant.x) >> 3;
	if (++plant.n % STEP_RELEASES == 0) {
		int32_t err = plant.setpoint - plant.x;
		demo.steps++;
		demo.settled += err < ONE / 100 && err > -ONE / 100;
		plant.setpoint = plant.setpoint ? 0 : ONE;
	}
}

void control_main(void *arg)
{
	rtos_tick_t period = rtos_us_to_ticks(demo.period_us);
	struct rtos_periodic p;

	(void)arg;
	plant.setpoint = ONE;
	(void)rtos_periodic_init(&p, rtos_now() + period, period);
	while (!demo.stopping) {
		uint32_t skipped = 0;
		rtos_tick_t late, irq;
		uint64_t next_period;
		struct sample s;

		(void)rtos_periodic_wait(&p, &skipped);
		late = rtos_now() - p.release;
		irq = rtos_last_timer_irq();
		s.latency = late > UINT32_MAX ? UINT32_MAX : (uint32_t)late;
		/* Released by this release's own interrupt, not found late without blocking. */
		s.to_isr = irq >= p.release && irq - p.release <= late ? (uint32_t)(irq - p.release)
								       : NO_ISR;
		s.missed = skipped + (late >= p.period);
		if (rtos_queue_send(&demo.samples, &s, RTOS_NO_WAIT) != RTOS_OK)
			demo.dropped++;
		control_step();
		if (rtos_queue_recv(&demo.periods, &next_period, RTOS_NO_WAIT) == RTOS_OK)
			(void)rtos_periodic_set_period(&p, next_period);
	}
	(void)rtos_sem_give(&demo.control_done);
}

void stats_main(void *arg)
{
	struct sample s;

	(void)arg;
	for (;;) {
		if (rtos_queue_recv(&demo.samples, &s, RTOS_FOREVER) != RTOS_OK)
			continue;
		(void)rtos_mutex_lock(&demo.stats_lock, RTOS_FOREVER);
		lat_stats_add(&demo.stats, s.latency);
		demo.stats.missed += s.missed;
		if (s.to_isr != NO_ISR) {
			demo.isr.sum += s.to_isr;
			demo.isr.n++;
			if (s.to_isr > demo.isr.worst)
				demo.isr.worst = s.to_isr;
		}
		(void)rtos_mutex_unlock(&demo.stats_lock);
	}
}
