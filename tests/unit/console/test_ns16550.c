/* SPDX-License-Identifier: MIT */
/*
 * The console's 16550 driver (cells/console/ns16550.c) against a fake register file that
 * behaves like a 16550A with FIFOs at a 4-byte stride, plus the DesignWare USR: IIR
 * reports the highest-priority pending source and reading it clears a THRE interrupt,
 * LSR describes the byte at the head of the receive FIFO, and THR writes fill a 16-byte
 * transmit FIFO that the test drains as the line would.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <cell/runtime.h>

#include "check.h"
#include "ns16550.h"

#define BASE 0x01c28000u

#define IER_ERBFI 0x1u
#define IER_ETBEI 0x2u
#define IER_ELSI 0x4u
#define IER_EDSSI 0x8u

static struct fake {
	uint8_t rx[64], rx_lsr[64]; /* received bytes, and the LSR error bits of each */
	unsigned rx_head, rx_n;
	char tx[256];           /* every byte written to THR, in order */
	unsigned tx_n, tx_fifo; /* ... and how many of them are still in the FIFO */
	bool shifting;          /* the last byte is still in the shift register */
	bool tx_overflow;       /* a THR write to a full FIFO */
	bool thr_ipending;
	uint32_t ier;
	bool line_pending, modem_pending, busy_pending;
	bool busy_stuck; /* USR reads do not end the busy detect */
	unsigned iir_reads, lsr_reads, msr_reads, usr_reads;
	unsigned fcr_writes, lcr_writes, other_writes;
	uint32_t fcr;
} f;

static void fake_reset(void)
{
	memset(&f, 0, sizeof(f));
}

static void fake_receive(uint8_t b, uint8_t lsr_err)
{
	unsigned at = (f.rx_head + f.rx_n) % 64u;

	f.rx[at] = b;
	f.rx_lsr[at] = lsr_err;
	f.rx_n++;
}

/* The line sends n bytes of the transmit FIFO. */
static void fake_send(unsigned n)
{
	f.tx_fifo -= n < f.tx_fifo ? n : f.tx_fifo;
	if (!f.tx_fifo && (f.ier & IER_ETBEI))
		f.thr_ipending = true;
}

static uint32_t fake_lsr(void)
{
	uint32_t lsr = 0;

	if (f.rx_n)
		lsr |= 0x1u | f.rx_lsr[f.rx_head];
	if (!f.tx_fifo)
		lsr |= 0x20u;
	if (!f.tx_fifo && !f.shifting)
		lsr |= 0x40u;
	return lsr;
}

/* IIR: PC16550D table 4 priority order, DesignWare busy detect last; FIFOs-on bits 7:6. */
static uint32_t fake_iir(void)
{
	f.iir_reads++;
	if ((f.ier & IER_ELSI) && f.line_pending)
		return 0xc6u;
	if ((f.ier & IER_ERBFI) && f.rx_n >= 4u)
		return 0xc4u;
	if ((f.ier & IER_ERBFI) && f.rx_n)
		return 0xccu;
	if ((f.ier & IER_ETBEI) && f.thr_ipending) {
		f.thr_ipending = false;
		return 0xc2u;
	}
	if ((f.ier & IER_EDSSI) && f.modem_pending)
		return 0xc0u;
	if (f.busy_pending)
		return 0xc7u;
	return 0xc1u;
}

uint32_t mmio_read32(uintptr_t a)
{
	uint32_t v;

	switch (a - BASE) {
	case 0x00:
		if (!f.rx_n)
			return 0;
		v = f.rx[f.rx_head];
		f.rx_head = (f.rx_head + 1u) % 64u;
		f.rx_n--;
		return v;
	case 0x04:
		return f.ier;
	case 0x08:
		return fake_iir();
	case 0x14:
		f.lsr_reads++;
		f.line_pending = false;
		return fake_lsr();
	case 0x18:
		f.msr_reads++;
		f.modem_pending = false;
		return 0;
	case 0x7c:
		f.usr_reads++;
		if (!f.busy_stuck)
			f.busy_pending = false;
		return 0;
	default:
		return 0;
	}
}

void mmio_write32(uintptr_t a, uint32_t v)
{
	switch (a - BASE) {
	case 0x00:
		if (f.tx_fifo == 16u)
			f.tx_overflow = true;
		if (f.tx_n < sizeof(f.tx))
			f.tx[f.tx_n++] = (char)v;
		f.tx_fifo++;
		f.thr_ipending = false;
		break;
	case 0x04:
		/* Turning ETBEI on with the FIFO empty raises THRE at once. */
		if ((v & IER_ETBEI) && !(f.ier & IER_ETBEI) && !f.tx_fifo)
			f.thr_ipending = true;
		f.ier = v;
		break;
	case 0x08:
		f.fcr_writes++;
		f.fcr = v;
		if (v & 0x2u)
			f.rx_n = 0;
		if (v & 0x4u)
			f.tx_fifo = 0;
		break;
	case 0x0c:
		f.lcr_writes++;
		break;
	default:
		f.other_writes++;
		break;
	}
}

/* FIFOs on, stale input dropped, but the microvisor's last bytes still in the transmit
 * FIFO are kept, and the line settings (LCR, the divisor behind it) are not touched. */
static void test_init(void)
{
	fake_reset();
	f.ier = IER_ERBFI | IER_ETBEI;
	fake_receive('z', 0);
	f.tx_fifo = 5;
	ns16550_init(BASE);
	CHECK(f.ier == 0);
	CHECK(f.fcr_writes == 1);
	CHECK((f.fcr & 0x1u) && (f.fcr & 0x2u) && !(f.fcr & 0x4u));
	CHECK((f.fcr & 0xc0u) == 0x40u); /* receive interrupt at a quarter full */
	CHECK(f.rx_n == 0);
	CHECK(f.tx_fifo == 5);
	CHECK(f.lcr_writes == 0 && f.other_writes == 0);
}

static void test_irq_enable(void)
{
	fake_reset();
	ns16550_irq_enable(BASE, false);
	CHECK(f.ier == IER_ERBFI);
	ns16550_irq_enable(BASE, true);
	CHECK(f.ier == (IER_ERBFI | IER_ETBEI));
	CHECK(f.thr_ipending); /* the FIFO was empty */
}

/* Bytes with a framing error or a break are skipped; the rest come out in order. */
static void test_getc(void)
{
	fake_reset();
	fake_receive('a', 0);
	fake_receive('x', 0x08u); /* framing error */
	fake_receive('b', 0);
	fake_receive('y', 0x10u); /* break */
	fake_receive('c', 0x02u); /* overrun before it: the byte itself is good */
	CHECK(ns16550_getc(BASE) == 'a');
	CHECK(ns16550_getc(BASE) == 'b');
	CHECK(ns16550_getc(BASE) == 'c');
	CHECK(ns16550_getc(BASE) == -1);
	CHECK(f.rx_n == 0);
	fake_receive('y', 0x10u);
	CHECK(ns16550_getc(BASE) == -1); /* only noise: consumed, nothing returned */
	CHECK(f.rx_n == 0);
}

/* At most a FIFO's worth goes in, and only into an empty FIFO; the bytes keep their order. */
static void test_tx_fill(void)
{
	static const char msg[] = "[client-a] line 1/50 behknqtwzcfilor\r\n";
	size_t n = sizeof(msg) - 1, done = 0, k;
	unsigned rounds = 0;

	fake_reset();
	while (done < n && rounds++ < 100) {
		k = ns16550_tx_fill(BASE, msg + done, n - done);
		CHECK(k <= NS16550_TX_FIFO);
		if (!k) {
			CHECK(f.tx_fifo != 0); /* refused only while the FIFO is not empty */
			fake_send(3);
		}
		done += k;
	}
	CHECK(done == n);
	CHECK(!f.tx_overflow);
	CHECK(f.tx_n == n && memcmp(f.tx, msg, n) == 0);
	CHECK(ns16550_tx_fill(BASE, msg, 0) == 0);
}

static void test_tx_done(void)
{
	fake_reset();
	CHECK(ns16550_tx_done(BASE) && ns16550_tx_empty(BASE));
	f.tx_fifo = 1;
	CHECK(!ns16550_tx_done(BASE) && !ns16550_tx_empty(BASE));
	f.tx_fifo = 0;
	f.shifting = true;
	CHECK(!ns16550_tx_done(BASE) && ns16550_tx_empty(BASE));
}

/* The transmit wait: THRE fires once the FIFO drains, and the handler turns it off again
 * without touching the receive interrupt. */
static void test_irq_thre(void)
{
	fake_reset();
	CHECK(ns16550_tx_fill(BASE, "0123456789abcdefXYZ", 19) == 16);
	ns16550_irq_enable(BASE, true);
	CHECK(!f.thr_ipending);
	fake_send(16);
	CHECK(f.thr_ipending);
	ns16550_irq_ack(BASE);
	CHECK(!f.thr_ipending);
	CHECK(f.ier == IER_ERBFI);
	CHECK(fake_iir() == 0xc1u);
}

/* Received data is left for ns16550_getc (only draining clears it), even with THRE
 * pending behind it: the level interrupt comes back for that. */
static void test_irq_rx(void)
{
	fake_reset();
	ns16550_irq_enable(BASE, true);
	fake_receive('q', 0);
	ns16550_irq_ack(BASE);
	CHECK(f.rx_n == 1);
	CHECK(f.thr_ipending);
	CHECK(ns16550_getc(BASE) == 'q');
	ns16550_irq_ack(BASE);
	CHECK(!f.thr_ipending && f.ier == IER_ERBFI);
}

/* Line status, modem status and the DesignWare busy detect are each cleared by the read
 * that clears them, all in one call. */
static void test_irq_other_sources(void)
{
	fake_reset();
	f.ier = IER_ERBFI | IER_ELSI | IER_EDSSI;
	f.line_pending = f.modem_pending = f.busy_pending = true;
	ns16550_irq_ack(BASE);
	CHECK(!f.line_pending && !f.modem_pending && !f.busy_pending);
	CHECK(f.lsr_reads == 1 && f.msr_reads == 1 && f.usr_reads == 1);
	CHECK(f.iir_reads == 4);
}

/* A source that will not clear cannot keep the handler in its loop. */
static void test_irq_bounded(void)
{
	fake_reset();
	f.busy_pending = f.busy_stuck = true;
	ns16550_irq_ack(BASE);
	CHECK(f.iir_reads == 8);
	CHECK(f.usr_reads == 8);
}

int main(void)
{
	test_init();
	test_irq_enable();
	test_getc();
	test_tx_fill();
	test_tx_done();
	test_irq_thre();
	test_irq_rx();
	test_irq_other_sources();
	test_irq_bounded();
	return check_exit("test_ns16550");
}
