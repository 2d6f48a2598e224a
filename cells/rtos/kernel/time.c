/* SPDX-License-Identifier: MIT */
/* Time: the deadline-ordered timeout list behind a tickless one-shot timer, delays,
 * periodic activation and software timers. */
#include "internal.h"

/* ---- Conversions ------------------------------------------------------------------------ */

/* v * mul / div rounded down, saturating at RTOS_FOREVER; no 128-bit arithmetic. */
static uint64_t scale(uint64_t v, uint64_t mul, uint64_t div)
{
	uint64_t q = v / div, r = v % div, hi, lo;

	if (q && mul > UINT64_MAX / q)
		return RTOS_FOREVER;
	hi = q * mul;
	lo = r * mul / div; /* r < div <= 2^32 and mul <= 2^32: no overflow */
	return lo > UINT64_MAX - hi ? RTOS_FOREVER : hi + lo;
}

uint32_t rtos_tick_hz(void)
{
	return rtos_arch_tick_hz();
}

rtos_tick_t rtos_now(void)
{
	return rtos_arch_now();
}

rtos_tick_t rtos_us_to_ticks(uint64_t us)
{
	return scale(us, rtos_arch_tick_hz(), 1000000u);
}

rtos_tick_t rtos_ms_to_ticks(uint64_t ms)
{
	return scale(ms, rtos_arch_tick_hz(), 1000u);
}

uint64_t rtos_ticks_to_ns(rtos_tick_t ticks)
{
	return scale(ticks, 1000000000u, rtos_arch_tick_hz());
}

rtos_tick_t rtos_last_timer_irq(void)
{
	return k.timer_irq_at;
}

/* ---- The timeout list and the timer ----------------------------------------------------- */

/* The absolute deadline `timeout` ticks from now; RTOS_FOREVER stays (and saturates). */
rtos_tick_t k_deadline_after(rtos_tick_t timeout)
{
	rtos_tick_t now;

	if (timeout == RTOS_FOREVER)
		return RTOS_FOREVER;
	now = rtos_arch_now();
	return timeout > RTOS_FOREVER - 1u - now ? RTOS_FOREVER - 1u : now + timeout;
}

static rtos_tick_t next_deadline(void)
{
	rtos_tick_t d = RTOS_FOREVER;

	if (!list_empty(&k.timeouts))
		d = container_of(k.timeouts.next, struct rtos_timeout, node)->expires;
	return k.slice_end < d ? k.slice_end : d;
}

static void timer_program(rtos_tick_t d)
{
	k.programmed = d;
	if (d == RTOS_FOREVER)
		rtos_arch_timer_stop();
	else
		rtos_arch_timer_set(d);
}

/* Tickless: the timer is programmed for the earliest thing due, or off. */
void k_timer_update(void)
{
	rtos_tick_t d = next_deadline();

	if (d != k.programmed)
		timer_program(d);
}

/* Arms (or re-arms) `to` for `expires`, after any timeout due at the same time. */
void k_timeout_arm(struct rtos_timeout *to, rtos_tick_t expires)
{
	bool was_first = k.timeouts.next == &to->node;
	struct rtos_node *pos;

	if (node_linked(&to->node))
		list_remove(&to->node);
	to->expires = expires;
	pos = k.timeouts.next;
	while (pos != &k.timeouts &&
	       container_of(pos, struct rtos_timeout, node)->expires <= expires)
		pos = pos->next;
	list_insert_before(pos, &to->node);
	if (was_first || k.timeouts.next == &to->node)
		k_timer_update();
}

void k_timeout_disarm(struct rtos_timeout *to)
{
	bool first;

	if (!node_linked(&to->node))
		return;
	first = k.timeouts.next == &to->node;
	list_remove(&to->node);
	if (first)
		k_timer_update();
}

/*
 * The timer interrupt: fires every timeout that is due (waking tasks, running software
 * timer callbacks), ends the running task's slice if it is over, and programs the timer
 * for what is next. The timer is always written here, even with an unchanged deadline:
 * the microvisor delivered the interrupt with CNTV_CTL.IMASK set, and writing it clears
 * the mask. Callbacks may arm timeouts that are due already, hence the loop.
 */
void rtos_kernel_timer_isr(void)
{
	rtos_tick_t now = rtos_arch_now(), d;

	k.timer_irq_at = now;
	for (;;) {
		while (!list_empty(&k.timeouts)) {
			struct rtos_timeout *to =
				container_of(k.timeouts.next, struct rtos_timeout, node);
			if (to->expires > now)
				break;
			list_remove(&to->node);
			to->fire(to);
		}
		if (k.slice_end <= now) {
			k.slice_end = RTOS_FOREVER;
			k.rotate = true;
			k.need_resched = true;
		}
		d = next_deadline();
		if (d > now)
			break;
		now = rtos_arch_now();
	}
	timer_program(d);
}

/* ---- Delays and periodic activation ------------------------------------------------------ */

int rtos_delay(rtos_tick_t ticks)
{
	uint32_t s;

	if (!k_can_block())
		return RTOS_E_CONTEXT;
	if (!ticks) {
		rtos_yield();
		return RTOS_OK;
	}
	s = rtos_arch_irq_save();
	(void)k_block(NULL, k_deadline_after(ticks));
	rtos_arch_irq_restore(s);
	return RTOS_OK;
}

int rtos_delay_until(rtos_tick_t deadline)
{
	uint32_t s;

	if (!k_can_block())
		return RTOS_E_CONTEXT;
	s = rtos_arch_irq_save();
	if (deadline > rtos_arch_now())
		(void)k_block(NULL, deadline);
	rtos_arch_irq_restore(s);
	return RTOS_OK;
}

int rtos_periodic_init(struct rtos_periodic *p, rtos_tick_t first_release, rtos_tick_t period)
{
	if (!p || !period)
		return RTOS_E_INVALID;
	p->period = period;
	p->next = first_release;
	p->release = first_release - period; /* modular: next = release + period holds */
	return RTOS_OK;
}

int rtos_periodic_wait(struct rtos_periodic *p, uint32_t *skipped)
{
	rtos_tick_t now, next;
	uint64_t late = 0;
	uint32_t s;

	if (!k_can_block())
		return RTOS_E_CONTEXT;
	s = rtos_arch_irq_save();
	now = rtos_arch_now();
	next = p->next;
	if (now > next && now - next >= p->period) {
		late = (now - next) / p->period; /* releases wholly in the past */
		next += late * p->period;
	}
	p->release = next;
	p->next = next + p->period;
	if (now < next)
		(void)k_block(NULL, next);
	rtos_arch_irq_restore(s);
	if (skipped)
		*skipped = late > UINT32_MAX ? UINT32_MAX : (uint32_t)late;
	return RTOS_OK;
}

int rtos_periodic_set_period(struct rtos_periodic *p, rtos_tick_t period)
{
	if (!p || !period)
		return RTOS_E_INVALID;
	p->period = period;
	p->next = p->release + period;
	return RTOS_OK;
}

/* ---- Software timers -------------------------------------------------------------------- */

/* Re-arms a periodic timer for its next expiry (skipping any already wholly past, counted
 * as overruns) before its callback runs, so the callback may stop or restart it. */
static void timer_fire(struct rtos_timeout *to)
{
	struct rtos_timer *t = container_of(to, struct rtos_timer, timeout);

	if (t->period) {
		rtos_tick_t next = to->expires + t->period, now = rtos_arch_now();
		if (next <= now) {
			uint64_t n = (now - next) / t->period + 1u;
			t->overruns += n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
			next += n * t->period;
		}
		k_timeout_arm(to, next);
	}
	t->fn(t, t->arg);
}

void rtos_timer_init(struct rtos_timer *t, rtos_timer_fn fn, void *arg)
{
	t->timeout.node.next = t->timeout.node.prev = NULL;
	t->timeout.expires = 0;
	t->timeout.fire = timer_fire;
	t->period = 0;
	t->fn = fn;
	t->arg = arg;
	t->overruns = 0;
}

int rtos_timer_start(struct rtos_timer *t, rtos_tick_t delay, rtos_tick_t period)
{
	uint32_t s;

	if (!t || !t->fn)
		return RTOS_E_INVALID;
	s = rtos_arch_irq_save();
	t->period = period;
	k_timeout_arm(&t->timeout, k_deadline_after(delay));
	rtos_arch_irq_restore(s);
	return RTOS_OK;
}

void rtos_timer_stop(struct rtos_timer *t)
{
	uint32_t s = rtos_arch_irq_save();

	k_timeout_disarm(&t->timeout);
	rtos_arch_irq_restore(s);
}

bool rtos_timer_active(const struct rtos_timer *t)
{
	return node_linked(&t->timeout.node);
}
