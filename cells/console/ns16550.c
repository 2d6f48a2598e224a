/* SPDX-License-Identifier: MIT */
/* 16550-compatible UART, 32-bit registers at a 4-byte stride (PC16550D data sheet for the
 * registers; Synopsys DW_apb_uart and the Allwinner H3 manual, 8.3, for the USR and the
 * busy-detect interrupt). Accesses are single 32-bit LDR/STR (mmio_*), as for any
 * pass-through device. */
#include <stdbool.h>

#include <cell/runtime.h>

#include "ns16550.h"

#define UART_RBR 0x00u /* read: receive buffer */
#define UART_THR 0x00u /* write: transmit holding */
#define UART_IER 0x04u
#define UART_IIR 0x08u /* read: interrupt identification */
#define UART_FCR 0x08u /* write: FIFO control */
#define UART_LSR 0x14u
#define UART_MSR 0x18u
#define UART_USR 0x7cu /* DesignWare: UART status; reading it ends a busy detect */

#define IER_ERBFI (1u << 0) /* received data and character timeout */
#define IER_ETBEI (1u << 1) /* transmit holding register empty */
#define IIR_ID 0xfu
#define IIR_MODEM 0x0u
#define IIR_NONE 0x1u
#define IIR_THRE 0x2u
#define IIR_RDA 0x4u
#define IIR_LINE 0x6u
#define IIR_BUSY 0x7u /* DesignWare: LCR written while busy */
#define IIR_TIMEOUT 0xcu
#define FCR_FIFOE (1u << 0)
#define FCR_RFIFOR (1u << 1)
#define FCR_RT_QUARTER (1u << 6) /* receive interrupt at a quarter full (16550A: 4 bytes) */
#define LSR_DR (1u << 0)
#define LSR_FE (1u << 3)
#define LSR_BI (1u << 4)
#define LSR_THRE (1u << 5)
#define LSR_TEMT (1u << 6)

/* More sources than a 16550 has: a stuck IIR cannot keep the handler looping. */
#define IRQ_ROUNDS 8u

void ns16550_init(uintptr_t base)
{
	mmio_write32(base + UART_IER, 0);
	/* Without the FIFO the receiver holds one byte, which a burst of typing overruns while
	 * the interrupt goes through the microvisor. The transmit FIFO is not reset: it may
	 * still hold the end of the microvisor's boot messages. */
	mmio_write32(base + UART_FCR, FCR_FIFOE | FCR_RFIFOR | FCR_RT_QUARTER);
	(void)mmio_read32(base + UART_LSR);
	(void)mmio_read32(base + UART_MSR);
	(void)mmio_read32(base + UART_IIR);
}

void ns16550_irq_enable(uintptr_t base, bool tx)
{
	mmio_write32(base + UART_IER, IER_ERBFI | (tx ? IER_ETBEI : 0u));
}

void ns16550_irq_ack(uintptr_t base)
{
	for (uint32_t k = 0; k < IRQ_ROUNDS; k++) {
		switch (mmio_read32(base + UART_IIR) & IIR_ID) {
		case IIR_NONE:
		case IIR_RDA:
		case IIR_TIMEOUT:
			return;
		case IIR_THRE:
			/* Reading IIR cleared it; the waiter turns it on again if it must. */
			mmio_write32(base + UART_IER, mmio_read32(base + UART_IER) & ~IER_ETBEI);
			break;
		case IIR_LINE:
			(void)mmio_read32(base + UART_LSR);
			break;
		case IIR_MODEM:
			(void)mmio_read32(base + UART_MSR);
			break;
		case IIR_BUSY:
			(void)mmio_read32(base + UART_USR);
			break;
		default:
			return;
		}
	}
}

int ns16550_getc(uintptr_t base)
{
	uint32_t lsr;

	/* LSR's error bits are those of the byte at the head of the receive FIFO. */
	while ((lsr = mmio_read32(base + UART_LSR)) & LSR_DR) {
		uint32_t c = mmio_read32(base + UART_RBR);
		if (!(lsr & (LSR_FE | LSR_BI)))
			return (int)(c & 0xffu);
	}
	return -1;
}

size_t ns16550_tx_fill(uintptr_t base, const char *s, size_t n)
{
	size_t k = n < NS16550_TX_FIFO ? n : NS16550_TX_FIFO;

	if (!ns16550_tx_empty(base))
		return 0;
	for (size_t i = 0; i < k; i++)
		mmio_write32(base + UART_THR, (uint32_t)(unsigned char)s[i]);
	return k;
}

bool ns16550_tx_empty(uintptr_t base)
{
	return mmio_read32(base + UART_LSR) & LSR_THRE;
}

bool ns16550_tx_done(uintptr_t base)
{
	return (mmio_read32(base + UART_LSR) & (LSR_THRE | LSR_TEMT)) == (LSR_THRE | LSR_TEMT);
}
