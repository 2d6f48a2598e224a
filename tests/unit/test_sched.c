/* SPDX-License-Identifier: MIT */
/* Unit test of the per-CPU scheduler and vCPU requests (vcpu/src) on the fake arch:
 * priority order, FIFO among equals, round-robin on slice expiry, preemption, WFI sleepers
 * woken by their virtual timer, yield, start/stop requests and PSCI state answers. */
#include <microvisor/cell.h>
#include <vcpu/vcpu.h>

#include "check.h"
#include "fake/fake_arch.h"

static struct cell cell_a, cell_b;
static struct vcpu va[2], vb[2];
static uint32_t stopped_acks;

/* cell.c is not linked: count stop acknowledgements instead. */
void cell_vcpu_stopped(struct cell *c)
{
	(void)c;
	stopped_acks++;
}

/* vdev.c is not linked either. */
void vdev_cancel(struct vcpu *v)
{
	(void)v;
}

bool vdev_timeout(struct vcpu *v)
{
	(void)v;
	return true;
}

void cell_load_step(struct vcpu *v)
{
	v->loading = false;
}

static void make_on(struct vcpu *v, struct cell *c, uint32_t index, uint32_t prio, uint32_t pcpu)
{
	v->cell = c;
	v->index = index;
	v->pcpu = pcpu;
	v->priority = prio;
	v->slice_ticks = 1000; /* 1 ms with the fake 1 MHz counter */
	v->state = VCPU_OFF;
	v->wake_at = UINT64_MAX;
	sched_pin(v);
}

static void make(struct vcpu *v, struct cell *c, uint32_t index, uint32_t prio)
{
	make_on(v, c, index, prio, 0);
}

static struct vcpu *run(struct sched *s)
{
	return sched_exit_path(s);
}

/* Time passes to `now` and the HYP timer interrupt raises the reschedule hazard. */
static struct vcpu *tick(struct sched *s, uint64_t now)
{
	fake.now = now;
	s->pending |= SCHED_PENDING_RESCHED;
	return run(s);
}

static void test_queue_order(void)
{
	struct sched q = { 0 };
	struct vcpu x = { .priority = 3 }, y = { .priority = 3 }, z = { .priority = 7 };
	sched_enqueue(&q, &x);
	sched_enqueue(&q, &y);
	sched_enqueue(&q, &z);
	CHECK(sched_dequeue_best(&q) == &z);
	CHECK(sched_dequeue_best(&q) == &x);
	sched_enqueue(&q, &x);
	x.state = y.state = VCPU_READY;
	sched_remove(&q, &y); /* from the head */
	CHECK(sched_dequeue_best(&q) == &x);
	CHECK(sched_dequeue_best(&q) == NULL);
	CHECK(q.rq_bitmap == 0 && q.rq_tail[3] == NULL);
}

static void test_round_robin_and_preemption(void)
{
	struct sched *s = sched_of(0);
	sched_init(0);
	make(&va[0], &cell_a, 0, 5);
	make(&va[1], &cell_a, 1, 5);
	make(&vb[0], &cell_b, 0, 9);
	cell_a.state = cell_b.state = CELL_RUNNING;
	cell_a.vcpus = va;
	cell_a.num_vcpus = 2;

	CHECK(vcpu_start(&va[0], 0x80000000u, 11, false) == MV_OK);
	CHECK(vcpu_start(&va[0], 0x80000000u, 11, false) == MV_E_ON_PENDING);
	CHECK(vcpu_start(&va[1], 0x80000000u, 12, false) == MV_OK);
	CHECK(fake.ipis[0] == 0); /* same CPU: no IPI */
	CHECK(run(s) == &va[0]);
	CHECK(va[0].arch.regs.r[0] == 11 && va[0].state == VCPU_RUNNING);
	CHECK(vcpu_start(&va[0], 0, 0, false) == MV_E_ALREADY_ON);
	CHECK(fake.timer == 1000); /* an equal-priority peer waits: slice end armed */

	fake.now = 500; /* no hazard: the fast path keeps the decision */
	CHECK(run(s) == &va[0] && fake.switches == 1);
	CHECK(tick(s, 600) == &va[0]);  /* mid-slice: no switch */
	CHECK(tick(s, 1000) == &va[1]); /* slice over: round robin */
	CHECK(tick(s, 2000) == &va[0]);

	CHECK(vcpu_start(&vb[0], 0x80000000u, 0, false) == MV_OK); /* higher priority: preempts */
	fake.now = 2100;
	CHECK(run(s) == &vb[0]);
	CHECK(fake.timer == UINT64_MAX); /* alone at its priority, nothing asleep */
	sched_yield(s);                  /* nobody at its level: keeps running */
	CHECK(run(s) == &vb[0]);

	/* vb sleeps in WFI until its virtual timer at 5000: the lower cell runs meanwhile. */
	vb[0].arch.vtimer_deadline = 5000;
	sched_block_wfi(s, &vb[0], fake.now);
	CHECK(vb[0].state == VCPU_WFI);
	struct vcpu *next = run(s);
	CHECK(next == &va[0] || next == &va[1]);
	CHECK(fake.timer == 2100 + 1000); /* slice end comes before the wake-up */
	CHECK(tick(s, 5000) == &vb[0] && vb[0].arch.vtimer_fired == 1);

	/* WFI with a vIRQ pending does not block; a kick wakes a blocked vCPU. */
	vb[0].arch.vtimer_deadline = UINT64_MAX;
	vb[0].arch.virq_pending = 1;
	sched_block_wfi(s, &vb[0], fake.now);
	CHECK(vb[0].state == VCPU_RUNNING);
	vb[0].arch.virq_pending = 0;
	sched_block_wfi(s, &vb[0], fake.now);
	CHECK(vb[0].state == VCPU_WFI && run(s) != &vb[0]);
	vcpu_kick(&vb[0]);
	CHECK(run(s) == &vb[0]);

	/* WFI with the timer already expired completes at once. */
	vb[0].arch.vtimer_deadline = 4000;
	sched_block_wfi(s, &vb[0], fake.now);
	CHECK(vb[0].state == VCPU_RUNNING && run(s) == &vb[0]);
}

static void test_stop_requests(void)
{
	struct sched *s = sched_of(0);
	stopped_acks = 0;
	make(&vb[1], &cell_b, 1, 1);
	CHECK(vcpu_start(&vb[1], 0x80000000u, 0, false) == MV_OK); /* keeps the CPU from idling */

	vcpu_post_request(&vb[0], VCPU_REQ_STOP);
	struct vcpu *next = run(s);
	CHECK(next == &va[0] || next == &va[1]);
	CHECK(vb[0].state == VCPU_OFF && stopped_acks == 1 && s->loaded != &vb[0]);
	CHECK(fake.unloads == 1); /* its timer and list registers were quieted */

	/* The whole cell stops; a start racing with it is dropped on the owner CPU. */
	cell_a.state = CELL_STOPPING;
	vcpu_post_request(&va[0], VCPU_REQ_STOP);
	vcpu_post_request(&va[1], VCPU_REQ_STOP);
	CHECK(run(s) == &vb[1]);
	CHECK(stopped_acks == 3 && va[0].state == VCPU_OFF && va[1].state == VCPU_OFF);
	CHECK(vcpu_start(&va[0], 0x80000000u, 0, false) == MV_OK);
	CHECK(run(s) == &vb[1]);
	CHECK(va[0].state == VCPU_OFF);

	/* A vCPU pinned elsewhere gets an IPI with its request. */
	vb[0].pcpu = 1;
	CHECK(vcpu_start(&vb[0], 0x80000000u, 0, false) == MV_OK);
	CHECK(fake.ipis[1] == 1 && sched_of(1)->pending == SCHED_PENDING_REQUESTS);
}

/* A high-priority vCPU with a budget of 300 ticks per 1000 cannot starve a lower one. */
static void test_budget(void)
{
	static struct cell cell_c;
	static struct vcpu hog, low;
	struct sched *s = sched_of(2);
	sched_init(2);
	fake.pcpu = 2;
	fake.now = 100000;
	cell_c.state = CELL_RUNNING;
	hog.budget = 300; /* set before it is pinned and started */
	make_on(&hog, &cell_c, 0, 20, 2);
	make_on(&low, &cell_c, 1, 1, 2);
	hog.budget = 300;
	hog.period = 1000;
	CHECK(vcpu_start(&hog, 0x80000000u, 0, false) == MV_OK);
	CHECK(vcpu_start(&low, 0x80000000u, 0, false) == MV_OK);
	CHECK(run(s) == &hog);
	CHECK(fake.timer == 100300); /* armed for the end of its budget */
	CHECK(tick(s, 100300) == &low && hog.throttled);
	CHECK(fake.timer == 101000); /* its next period */
	CHECK(tick(s, 101000) == &hog && !hog.throttled && hog.remaining == 300);
	/* Blocking keeps the unused budget; waking later in the same period does not refill. */
	hog.arch.vtimer_deadline = 101150;
	fake.now = 101100;
	sched_block_wfi(s, &hog, fake.now);
	CHECK(run(s) == &low);
	CHECK(tick(s, 101150) == &hog && hog.remaining == 200);
	CHECK(tick(s, 101350) == &low && hog.throttled);
	fake.pcpu = 0;
}

/* A kick on the vCPU's own CPU wakes it at once, with no request posted: a higher
 * priority one runs on this exit, a lower one waits, one out of budget stays parked. */
static void test_kick_same_cpu(void)
{
	static struct cell cell_d;
	static struct vcpu cur, high, low;
	struct sched *s = sched_of(3);
	sched_init(3);
	fake.pcpu = 3;
	fake.now = 200000;
	cell_d.state = CELL_RUNNING;
	make_on(&cur, &cell_d, 0, 5, 3);
	make_on(&high, &cell_d, 1, 10, 3);
	make_on(&low, &cell_d, 2, 1, 3);
	CHECK(vcpu_start(&high, 0x80000000u, 0, false) == MV_OK);
	CHECK(vcpu_start(&low, 0x80000000u, 0, false) == MV_OK);
	CHECK(run(s) == &high);
	high.arch.vtimer_deadline = UINT64_MAX;
	sched_block_wfi(s, &high, fake.now);
	CHECK(run(s) == &low);
	CHECK(vcpu_start(&cur, 0x80000000u, 0, false) == MV_OK);
	CHECK(run(s) == &cur);
	low.arch.vtimer_deadline = UINT64_MAX;
	/* low is READY, not in WFI: the kick changes nothing. */
	vcpu_kick(&low);
	CHECK(low.state == VCPU_READY && !(low.hazards & VCPU_REQ_KICK));

	s->pending = 0;
	vcpu_kick(&high);
	CHECK(high.state == VCPU_READY && !(high.hazards & VCPU_HZ_REQUESTS));
	CHECK(s->pending == SCHED_PENDING_RESCHED && fake.ipis[3] == 0);
	CHECK(sched_exit(s) == &high && cur.state == VCPU_READY);

	/* Out of budget when kicked: parked until its next period, not run. */
	high.budget = 100;
	high.period = 1000;
	high.remaining = 0;
	high.replenish_at = fake.now + 500;
	sched_block_wfi(s, &high, fake.now);
	CHECK(run(s) == &cur);
	vcpu_kick(&high);
	CHECK(high.throttled && sched_exit(s) == &cur);
	CHECK(tick(s, fake.now + 500) == &high);
	fake.pcpu = 0;
}

int main(void)
{
	test_queue_order();
	test_round_robin_and_preemption();
	test_stop_requests();
	test_budget();
	test_kick_same_cpu();
	return check_exit("test_sched");
}
