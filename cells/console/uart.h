/* SPDX-License-Identifier: MIT */
/* The console cell's UART: which one it owns, and the driver for it, come from the cell's
 * device tree (docs/console.md, "Which UART"). */
#ifndef CONSOLE_UART_H
#define CONSOLE_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Finds the first device node of the tree `fdt` that a driver here knows ("arm,pl011",
 * "snps,dw-apb-uart") and that has a `reg` and an SPI: -> whether there is one. */
bool uart_probe(const void *fdt);
/* The UART's compatible string, IPA and vIRQ, as found. */
const char *uart_compatible(void);
uintptr_t uart_base(void);
uint32_t uart_irq(void);
/* Initialises the UART and takes its interrupt; typed bytes go to `rx`, called in the
 * interrupt handler. Call before the first uart_write: the 16550's transmit waits for its
 * interrupt. */
void uart_start(void (*rx)(uint8_t byte));
/* Transmits n bytes, returning once the last is in the UART. Not from an interrupt
 * handler: waiting for the 16550 unmasks IRQs. */
void uart_write(const char *s, size_t n);
/* Waits until everything written has left the UART. */
void uart_flush(void);

#endif
