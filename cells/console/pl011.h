/* SPDX-License-Identifier: MIT */
/* ARM PrimeCell PL011 UART (ARM DDI 0183G) for the console cell: polled transmit,
 * interrupt-driven receive. */
#ifndef CONSOLE_PL011_H
#define CONSOLE_PL011_H

#include <stddef.h>
#include <stdint.h>

/* FIFOs, transmitter and receiver on; every interrupt masked and cleared. */
void pl011_init(uintptr_t base);
/* Unmasks the receive and receive-timeout interrupts. */
void pl011_rx_irq_enable(uintptr_t base);
/* Clears the receive interrupts; call before draining with pl011_getc, so that a byte
 * arriving after the drain raises the interrupt again. */
void pl011_rx_ack(uintptr_t base);
/* The next received byte, or -1 when the receive FIFO is empty. Bytes received with a
 * framing error or as part of a break are line noise and skipped. */
int pl011_getc(uintptr_t base);
/* Transmits n bytes, waiting whenever the transmit FIFO is full. */
void pl011_write(uintptr_t base, const char *s, size_t n);
/* Waits until everything written has left the UART. */
void pl011_flush(uintptr_t base);

#endif
