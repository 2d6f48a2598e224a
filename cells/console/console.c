/* SPDX-License-Identifier: MIT */
/* The console cell (docs/console.md): owns the physical UART by pass-through (a PL011 or a
 * 16550, as its device tree says), prints each client cell's output line by line as
 * "[<client>] <line>", routes typed input to one client at a time, and powers itself off
 * once every client has stopped. */
#include <cell/console.h>
#include <cell/dtb.h>
#include <cell/runtime.h>
#include <mv/ring.h>

#include "uart.h"

#define VTIMER_IRQ 27u

#define MAX_CLIENTS 16u
#define LINE_MAX 128u     /* characters of a client's line; longer ones go out in pieces */
#define PROBE_MS 50u      /* how often the clients are checked for having stopped */
#define GONE_ROUNDS 2u    /* probes in a row that must find every client stopped */
#define BATCH_RECORDS 16u /* per client per pass: a chatty client cannot starve the rest */
#define RX_BUF 256u       /* typed bytes between the UART interrupt and the main loop */
#define SAY_MAX 512u      /* a line as it goes to the UART, prefix included */

/*
 * One client: a channel of the console cell, in channel order (Ctrl-A n selects the n-th).
 * `out` is the ring the client writes its output to, `in` the one its input goes on.
 */
struct client {
	char name[MV_CELL_NAME_MAX];
	uint32_t channel;
	struct mv_ring out, in;
	char line[LINE_MAX];
	uint32_t len;
	bool broken;        /* the client broke the ring format: no longer served */
	bool input_dropped; /* its input ring was full: said so once */
};

static struct client clients[MAX_CLIENTS];
static uint32_t num_clients, input_target;
static bool escape_pending;

/* Written by the UART interrupt handler only (head) and the main loop only (tail). */
static volatile uint8_t rx_buf[RX_BUF];
static volatile uint32_t rx_head, rx_tail;

static uint8_t record[CONSOLE_OUTPUT_RECORD_MAX];

/* The console's own lines: built whole, then written in one go. */
struct say {
	char buf[SAY_MAX];
	uint32_t len;
};

static void say_str(struct say *s, const char *str)
{
	while (*str && s->len < SAY_MAX - 2u)
		s->buf[s->len++] = *str++;
}

static void say_char(struct say *s, char c)
{
	if (s->len < SAY_MAX - 2u)
		s->buf[s->len++] = c;
}

static void say_uint(struct say *s, uint32_t v)
{
	char d[10];
	uint32_t n = 0;
	do {
		d[n++] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v);
	while (n)
		say_char(s, d[--n]);
}

/* Ends the line and writes it: one burst, so the microvisor's own messages, which go
 * straight to the same UART, can only fall between lines on this CPU. */
static void say_end(struct say *s)
{
	s->buf[s->len++] = '\r';
	s->buf[s->len++] = '\n';
	uart_write(s->buf, s->len);
	s->len = 0;
}

static void say3(const char *a, const char *b, const char *c)
{
	struct say s = { .len = 0 };
	say_str(&s, a);
	say_str(&s, b);
	say_str(&s, c);
	say_end(&s);
}

/* A client's line as the microvisor's debug console prints one: "[name] text". */
static void client_flush_line(struct client *c)
{
	struct say s = { .len = 0 };
	say_char(&s, '[');
	say_str(&s, c->name);
	say_str(&s, "] ");
	for (uint32_t i = 0; i < c->len; i++)
		say_char(&s, c->line[i]);
	say_end(&s);
	c->len = 0;
}

/* Bytes of a client's output: lines end at '\n', '\r' is dropped, and anything a
 * terminal would act on becomes '?', as in the microvisor's console. */
static void client_feed(struct client *c, const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		char ch = (char)p[i];
		if (ch == '\n') {
			client_flush_line(c);
			continue;
		}
		if (ch == '\r')
			continue;
		if (c->len == LINE_MAX)
			client_flush_line(c);
		c->line[c->len++] = (p[i] >= 0x20 && p[i] < 0x7f) || ch == '\t' ? ch : '?';
	}
}

static void client_broken(struct client *c)
{
	if (c->broken)
		return;
	if (c->len)
		client_flush_line(c); /* it came from records that were still well-formed */
	c->broken = true;
	say3("console: ", c->name, ": channel broken");
}

static int32_t client_notify(const struct client *c)
{
	return mv_call3(MV_CALL_CHANNEL_NOTIFY, c->channel, 0, 0);
}

/* Prints what the client wrote, a bounded batch at a time. -> whether there was any. */
static bool client_drain(struct client *c)
{
	uint32_t old, len;
	bool any = false;

	if (c->broken)
		return false;
	old = mv_ring_index(&c->out);
	for (uint32_t k = 0; k < BATCH_RECORDS; k++) {
		int st = mv_ring_read(&c->out, record, sizeof(record), &len);
		if (st == MV_RING_E_EMPTY)
			break;
		if (st != MV_RING_OK) {
			/* Corrupt, or a record above CONSOLE_OUTPUT_RECORD_MAX: either way the
			 * client broke the protocol, and the record would stay stuck. */
			client_broken(c);
			return true;
		}
		client_feed(c, record, len);
		any = true;
	}
	/* A client that found the ring full polls, but may also sleep on its doorbell. */
	if (mv_ring_need_notify_after_read(&c->out, old))
		(void)client_notify(c);
	return any;
}

/* Input for the selected client: one record; dropped when its ring is full (a client that
 * does not read input must not make the console buffer without bound). */
static void send_input(const uint8_t *p, uint32_t n)
{
	struct client *c;
	uint32_t old;
	int st;

	if (!n || input_target >= num_clients)
		return;
	c = &clients[input_target];
	if (c->broken)
		return;
	old = mv_ring_index(&c->in);
	st = mv_ring_write(&c->in, p, n);
	if (st == MV_RING_OK) {
		c->input_dropped = false;
		if (mv_ring_need_notify_after_write(&c->in, old))
			(void)client_notify(c);
	} else if (st == MV_RING_E_FULL) {
		if (!c->input_dropped)
			say3("console: ", c->name, ": not reading input, dropping it");
		c->input_dropped = true;
	} else {
		client_broken(c);
	}
}

static void say_clients(void)
{
	struct say s = { .len = 0 };
	say_str(&s, "console: ");
	say_uint(&s, num_clients);
	say_str(&s, " clients:");
	for (uint32_t i = 0; i < num_clients; i++) {
		say_char(&s, ' ');
		say_uint(&s, i + 1u);
		say_char(&s, ' ');
		say_str(&s, clients[i].name);
	}
	say_str(&s, "; Ctrl-A n selects input, Ctrl-A Ctrl-A sends Ctrl-A");
	say_end(&s);
}

static void select_input(uint32_t n)
{
	if (n >= num_clients) {
		struct say s = { .len = 0 };
		say_str(&s, "console: no client ");
		say_uint(&s, n + 1u);
		say_end(&s);
		return;
	}
	input_target = n;
	say3("console: input -> ", clients[n].name, "");
}

/*
 * Typed bytes, through the escape sequence (CONSOLE_ESCAPE, docs/console.md). Bytes for
 * the client are gathered into records; a switch sends what came before it first.
 * -> whether there were any.
 */
static bool route_input(void)
{
	uint8_t batch[CONSOLE_INPUT_RECORD_MAX];
	uint32_t n = 0;
	bool any = false;

	while (rx_tail != rx_head) {
		uint8_t b = rx_buf[rx_tail % RX_BUF];
		rx_tail++;
		any = true;
		if (escape_pending) {
			escape_pending = false;
			if (b == CONSOLE_ESCAPE) {
				batch[n++] = b;
			} else if (b >= '1' && b <= '9') {
				send_input(batch, n);
				n = 0;
				select_input((uint32_t)(b - '1'));
			} else if (b == '?' || b == 'h') {
				say_clients();
				select_input(input_target);
			}
			/* Anything else after Ctrl-A is dropped with it. */
		} else if (b == CONSOLE_ESCAPE) {
			escape_pending = true;
		} else {
			batch[n++] = b;
		}
		if (n == sizeof(batch)) {
			send_input(batch, n);
			n = 0;
		}
	}
	send_input(batch, n);
	return any;
}

/* A typed byte, in the UART's interrupt handler. A full buffer drops the newest bytes: the
 * main loop runs before the handler can fill it unless the console is starved. */
static void on_rx(uint8_t b)
{
	if (rx_head - rx_tail < RX_BUF) {
		rx_buf[rx_head % RX_BUF] = b;
		rx_head++;
	}
}

/* The virtual timer comes with CNTV_CTL.IMASK set by the microvisor: turning the timer
 * off clears it; the main loop arms it again before it next sleeps. */
static void on_vtimer(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
	timer_disarm();
}

/* Doorbells need no handling: taking one is what wakes the main loop from WFI. */
static void on_doorbell(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
}

static void read_name(uint32_t cell, char *name)
{
	for (uint32_t chunk = 0; chunk < 3; chunk++) {
		struct mv_result r = mv_hvc(MV_CALL_CELL_NAME, cell, chunk, 0, 0, 0, 0);
		uint32_t w[3] = { r.r1, r.r2, r.r3 };
		for (uint32_t i = 0; i < 12; i++) {
			uint32_t at = 12u * chunk + i;
			if (at < MV_CELL_NAME_MAX - 1u)
				name[at] = r.r0 == MV_OK ? (char)(w[i / 4] >> (8 * (i % 4))) : '\0';
		}
	}
	name[MV_CELL_NAME_MAX - 1u] = '\0';
	if (!name[0]) {
		name[0] = '?';
		name[1] = '\0';
	}
}

/* Every channel of the console cell leads to a client. */
static void discover_clients(void)
{
	uint32_t n = mv_cell_info(MV_INFO_NUM_CHANNELS);

	if (n == 0xffffffffu)
		n = 0;
	for (uint32_t ch = 0; ch < n && num_clients < MAX_CLIENTS; ch++) {
		struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, ch, 0, 0, 0, 0, 0);
		struct client *c = &clients[num_clients];
		if (info.r0 != MV_OK)
			continue;
		num_clients++;
		c->channel = ch;
		read_name(MV_CHANNEL_INFO_PEER(info.r3), c->name);
		/* Takes over the indices found there: a restarted console goes on where the
		 * last one stopped. */
		if (mv_ring_init_channel(&c->in, &c->out, (void *)(uintptr_t)info.r1, info.r2,
					 MV_CHANNEL_INFO_END(info.r3)) != MV_RING_OK)
			c->broken = true;
		irq_enable(MV_CHANNEL_INFO_VIRQ(info.r3), on_doorbell, 0x80);
	}
	say_clients();
	if (n > MAX_CLIENTS) {
		struct say s = { .len = 0 };
		say_str(&s, "console: serving the first ");
		say_uint(&s, MAX_CLIENTS);
		say_str(&s, " of ");
		say_uint(&s, n);
		say_str(&s, " channels");
		say_end(&s);
	}
	for (uint32_t i = 0; i < num_clients; i++) {
		if (clients[i].broken) {
			clients[i].broken = false;
			client_broken(&clients[i]);
		}
	}
	if (num_clients)
		select_input(0);
}

/*
 * There is no "peer stopped" event, so the console asks: a notify to a stopped cell is
 * refused with MV_E_DENIED. The doorbell it rings in a live client is a spurious wake-up,
 * which ring users tolerate anyway. -> whether every client is stopped.
 */
static bool all_clients_gone(void)
{
	bool all = true;
	for (uint32_t i = 0; i < num_clients; i++)
		all = client_notify(&clients[i]) == MV_E_DENIED && all;
	return all;
}

/* Prints what the stopped clients left behind, then stops the console cell; the
 * microvisor powers the board off once it is the last cell. */
static __attribute__((noreturn)) void shut_down(void)
{
	bool any = true;
	while (any) {
		any = false;
		for (uint32_t i = 0; i < num_clients; i++)
			any = client_drain(&clients[i]) || any;
	}
	for (uint32_t i = 0; i < num_clients; i++) {
		if (clients[i].len)
			client_flush_line(&clients[i]);
	}
	say3("console: every client has stopped, stopping", "", "");
	uart_flush();
	mv_system_off();
}

/* WFI until a doorbell, typed input or the deadline, unless work arrived meanwhile: IRQs
 * are masked from the last check to the WFI, which wakes on a pending vIRQ anyway. */
static void sleep_until(uint64_t deadline)
{
	bool wake;

	irqs_off();
	wake = rx_head != rx_tail || timer_now() >= deadline;
	for (uint32_t i = 0; i < num_clients && !wake; i++) {
		if (!clients[i].broken)
			wake = mv_ring_enable_notify(&clients[i].out);
	}
	if (!wake) {
		timer_arm(deadline);
		wfi();
	}
	irqs_on();
}

static __attribute__((noreturn)) void serve(void)
{
	uint64_t period = (uint64_t)timer_freq() * PROBE_MS / 1000u;
	uint64_t next_probe = timer_now() + period;
	uint32_t gone_rounds = 0;

	for (;;) {
		bool busy = false;
		for (uint32_t i = 0; i < num_clients; i++)
			busy = client_drain(&clients[i]) || busy;
		busy = route_input() || busy;
		if (timer_now() >= next_probe) {
			/* Twice in a row, so that a client caught in the middle of restarting
			 * itself on another CPU is not taken for stopped. */
			gone_rounds = all_clients_gone() ? gone_rounds + 1u : 0u;
			if (gone_rounds >= GONE_ROUNDS)
				shut_down();
			next_probe = timer_now() + period;
		}
		if (!busy)
			sleep_until(next_probe);
	}
}

/* Without a UART it can drive there is nowhere to print, not even why: the microvisor
 * prints nothing for cells once a console cell exists. mvimage makes a console cell with
 * devices describe them, so this is a tree without a known UART in it. */
int main(void)
{
	if (!uart_probe(cell_device_tree()))
		mv_system_off();
	gic_init();
	uart_start(on_rx);
	irqs_on();
	discover_clients();
	irq_enable(VTIMER_IRQ, on_vtimer, 0x80);
	serve();
}
