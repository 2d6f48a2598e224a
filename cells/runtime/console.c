/* SPDX-License-Identifier: MIT */
/* The cell's console (docs/console.md): ring records on the channel to the cell named
 * "console" when the cell has one, else the microvisor's debug write. */
#include <cell/console.h>
#include <cell/runtime.h>
#include <mv/ring.h>

/* A console that takes no byte for this long is given up on (it stopped, or it marked
 * this cell's channel broken and no longer reads it): output is worth more late and
 * unprefixed by the console than not at all. */
#define CONSOLE_STALL_MS 2000u

enum console_state {
	CONSOLE_UNPROBED = 0, /* BSS: the channels have not been looked at yet */
	CONSOLE_DEBUG,        /* no usable console channel: MV_CALL_DEBUG_WRITE */
	CONSOLE_CHANNEL,      /* output and input go over console.channel */
};

static struct {
	volatile uint32_t state;
	uint32_t channel;
	uint32_t record_max; /* bytes per output record */
	struct mv_ring out;  /* this cell -> console */
	struct mv_ring in;   /* console -> this cell */
	bool in_broken;
	uint32_t staged_len, staged_off;
	uint8_t staged[CONSOLE_INPUT_RECORD_MAX]; /* an input record not yet handed out */
} console;

static uint32_t console_lock;

/*
 * Each ring has one producer and one consumer, but a cell may print from several vCPUs,
 * so they take turns. IRQs stay masked while the lock is held: an interrupt handler that
 * prints on the same vCPU would otherwise spin on a lock its own vCPU holds.
 */
static uint32_t console_lock_take(void)
{
	uint32_t cpsr;
	__asm__ volatile("mrs %0, cpsr; cpsid i" : "=r"(cpsr) : : "memory");
	while (__atomic_exchange_n(&console_lock, 1u, __ATOMIC_ACQUIRE))
		;
	return cpsr;
}

static void console_lock_give(uint32_t cpsr)
{
	__atomic_store_n(&console_lock, 0u, __ATOMIC_RELEASE);
	__asm__ volatile("msr cpsr_c, %0" : : "r"(cpsr) : "memory");
}

/* The fallback: 20 bytes per hypercall, line-buffered and prefixed by the microvisor;
 * refused (MV_E_DENIED) in a system with a console cell, and then the output is lost. */
static void debug_write(const char *s, size_t n)
{
	while (n) {
		uint32_t w[5] = { 0 };
		size_t chunk = n < MV_DEBUG_WRITE_MAX ? n : MV_DEBUG_WRITE_MAX;
		for (size_t i = 0; i < chunk; i++)
			w[i / 4] |= (uint32_t)(unsigned char)s[i] << (8 * (i % 4));
		if (mv_hvc(MV_CALL_DEBUG_WRITE, (uint32_t)chunk, w[0], w[1], w[2], w[3], w[4]).r0 ==
		    (uint32_t)MV_E_DENIED)
			return;
		s += chunk;
		n -= chunk;
	}
}

/* Is cell `peer` named CONSOLE_CELL_NAME? The name fits in the first 12-byte chunk. */
static bool peer_is_console(uint32_t peer)
{
	static const char want[] = CONSOLE_CELL_NAME;
	struct mv_result r = mv_hvc(MV_CALL_CELL_NAME, peer, 0, 0, 0, 0, 0);
	uint32_t w[3] = { r.r1, r.r2, r.r3 };

	_Static_assert(sizeof(want) <= 12, "the console's name fits in one CELL_NAME chunk");
	if (r.r0 != MV_OK)
		return false;
	for (uint32_t i = 0; i < sizeof(want); i++) {
		if ((char)(w[i / 4] >> (8 * (i % 4))) != want[i])
			return false;
	}
	return true;
}

/* Finds the console channel once, on first use, so that cells which never print pay
 * nothing and test cells keep their hypercall counts. */
static void console_probe(void)
{
	uint32_t cpsr, n, state = CONSOLE_DEBUG;

	if (console.state != CONSOLE_UNPROBED)
		return;
	cpsr = console_lock_take();
	if (console.state != CONSOLE_UNPROBED) {
		console_lock_give(cpsr);
		return;
	}
	n = mv_cell_info(MV_INFO_NUM_CHANNELS);
	for (uint32_t ch = 0; n != 0xffffffffu && ch < n; ch++) {
		struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, ch, 0, 0, 0, 0, 0);
		if (info.r0 != MV_OK || !peer_is_console(MV_CHANNEL_INFO_PEER(info.r3)))
			continue;
		/* Takes over the indices found there, so a restarted cell goes on where it
		 * stopped. A channel that cannot be attached leaves the debug write. */
		if (mv_ring_init_channel(&console.out, &console.in, (void *)(uintptr_t)info.r1,
					 info.r2, MV_CHANNEL_INFO_END(info.r3)) == MV_RING_OK) {
			uint32_t max = mv_ring_max_payload(&console.out);
			console.channel = ch;
			console.record_max =
				max < CONSOLE_OUTPUT_RECORD_MAX ? max : CONSOLE_OUTPUT_RECORD_MAX;
			state = CONSOLE_CHANNEL;
		}
		break;
	}
	console.state = state;
	console_lock_give(cpsr);
}

static int32_t console_notify(void)
{
	return mv_call3(MV_CALL_CHANNEL_NOTIFY, console.channel, 0, 0);
}

/*
 * One output record of len bytes. -> MV_OK (written, the console notified if it asked),
 * MV_RING_E_FULL (nothing written), MV_E_DENIED (written, but the console cell is
 * stopped), or another error (nothing written, the channel is unusable).
 */
static int32_t console_put(const char *s, uint32_t len)
{
	uint32_t cpsr = console_lock_take(), old;
	int32_t st;

	if (console.state != CONSOLE_CHANNEL) {
		console_lock_give(cpsr);
		return MV_E_DENIED;
	}
	old = mv_ring_index(&console.out);
	st = mv_ring_write(&console.out, s, len);
	if (st == MV_RING_OK && mv_ring_need_notify_after_write(&console.out, old))
		st = console_notify();
	console_lock_give(cpsr);
	return st;
}

int32_t cell_console_channel(void)
{
	console_probe();
	return console.state == CONSOLE_CHANNEL ? (int32_t)console.channel : -1;
}

void cell_write(const char *s, size_t n)
{
	uint64_t stalled_since = 0;
	bool stalled = false;

	console_probe();
	while (n && console.state == CONSOLE_CHANNEL) {
		uint32_t len = n < console.record_max ? (uint32_t)n : console.record_max;
		int32_t st = console_put(s, len);

		if (st == MV_OK) {
			s += len;
			n -= len;
			stalled = false;
			continue;
		}
		if (st == MV_RING_E_FULL) {
			/*
			 * The write armed producer_event, so the console notifies once half the
			 * ring is free; this side takes no interrupts of its own, so it polls,
			 * giving its time slice away. The first wait also rings the doorbell, in
			 * case the console is asleep on a wake-up that was never sent.
			 */
			uint64_t now = timer_now();
			if (!stalled) {
				stalled = true;
				stalled_since = now;
				(void)console_notify();
			} else if (now - stalled_since >
				   (uint64_t)timer_freq() * CONSOLE_STALL_MS / 1000u) {
				console.state = CONSOLE_DEBUG;
				break;
			}
			mv_yield();
			continue;
		}
		/* The console is stopped (the record just written would never be read, so it
		 * is written again below) or the ring is broken: fall back for good. */
		console.state = CONSOLE_DEBUG;
	}
	debug_write(s, n);
}

/* Next input record into console.staged. -> whether there is one. Lock held. */
static bool console_stage_input(void)
{
	uint32_t len;
	int st;

	if (console.in_broken)
		return false;
	st = mv_ring_read(&console.in, console.staged, sizeof(console.staged), &len);
	if (st == MV_RING_E_EMPTY)
		return false;
	if (st != MV_RING_OK) {
		/* Corrupt, or a record above CONSOLE_INPUT_RECORD_MAX, which stays stuck at the
		 * head of the ring: input is over, output goes on on the other ring. */
		console.in_broken = true;
		return false;
	}
	console.staged_len = len;
	console.staged_off = 0;
	return true;
}

size_t cell_read_input(char *buf, size_t cap)
{
	uint32_t cpsr, old;
	size_t got = 0;

	console_probe();
	if (console.state != CONSOLE_CHANNEL || !cap)
		return 0;
	cpsr = console_lock_take();
	old = mv_ring_index(&console.in);
	while (got < cap) {
		if (console.staged_off == console.staged_len && !console_stage_input())
			break;
		while (got < cap && console.staged_off < console.staged_len)
			buf[got++] = (char)console.staged[console.staged_off++];
	}
	/* The console drops input it has no room for; tell it when room is back. */
	if (mv_ring_need_notify_after_read(&console.in, old))
		(void)console_notify();
	console_lock_give(cpsr);
	return got;
}
