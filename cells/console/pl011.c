/* SPDX-License-Identifier: MIT */
/* ARM PrimeCell PL011 UART (ARM DDI 0183G, section 3.3 for the registers). Accesses are
 * single 32-bit LDR/STR (mmio_*), as for any pass-through device. */
#include <cell/runtime.h>

#include "pl011.h"

#define UART_DR 0x00u
#define UART_FR 0x18u
#define UART_LCR_H 0x2cu
#define UART_CR 0x30u
#define UART_IMSC 0x38u
#define UART_ICR 0x44u

#define DR_FE (1u << 8)  /* framing error */
#define DR_BE (1u << 10) /* break */
#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_TXFE (1u << 7)
#define LCR_H_FEN (1u << 4)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)
#define INT_RX (1u << 4)    /* RXIM / RXIC */
#define INT_RT (1u << 6)    /* RTIM / RTIC */
#define INT_ERR (0xfu << 7) /* framing, parity, break, overrun */
#define INT_ALL 0x7ffu

void pl011_init(uintptr_t base)
{
	uint32_t cr = mmio_read32(base + UART_CR);

	mmio_write32(base + UART_IMSC, 0);
	mmio_write32(base + UART_ICR, INT_ALL);
	/* Without the FIFO the receiver holds one byte, which a burst of typing overruns while
	 * the interrupt goes through the microvisor. LCR_H may only change with the UART
	 * disabled and idle (DDI 0183G 3.3.7); the baud rate set up by the firmware stays. */
	if (!(mmio_read32(base + UART_LCR_H) & LCR_H_FEN)) {
		while (mmio_read32(base + UART_FR) & FR_BUSY)
			;
		mmio_write32(base + UART_CR, cr & ~CR_UARTEN);
		mmio_write32(base + UART_LCR_H, mmio_read32(base + UART_LCR_H) | LCR_H_FEN);
	}
	mmio_write32(base + UART_CR, cr | CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_rx_irq_enable(uintptr_t base)
{
	mmio_write32(base + UART_IMSC, INT_RX | INT_RT);
}

void pl011_rx_ack(uintptr_t base)
{
	mmio_write32(base + UART_ICR, INT_RX | INT_RT | INT_ERR);
}

int pl011_getc(uintptr_t base)
{
	while (!(mmio_read32(base + UART_FR) & FR_RXFE)) {
		uint32_t dr = mmio_read32(base + UART_DR);
		if (!(dr & (DR_FE | DR_BE)))
			return (int)(dr & 0xffu);
	}
	return -1;
}

void pl011_write(uintptr_t base, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		while (mmio_read32(base + UART_FR) & FR_TXFF)
			;
		mmio_write32(base + UART_DR, (uint32_t)(unsigned char)s[i]);
	}
}

void pl011_flush(uintptr_t base)
{
	while ((mmio_read32(base + UART_FR) & (FR_TXFE | FR_BUSY)) != FR_TXFE)
		;
}
