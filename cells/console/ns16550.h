/* SPDX-License-Identifier: MIT */
/* 16550-compatible UART with 32-bit registers at a 4-byte stride (reg-shift 2), as the
 * Synopsys DesignWare APB UART of Allwinner SoCs has them, for the console cell: transmit
 * and receive driven by the THRE and RDA interrupts. Register-level logic only: the
 * waiting is the caller's (uart.c). */
#ifndef CONSOLE_NS16550_H
#define CONSOLE_NS16550_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The transmit FIFO depth every 16550A has (the DesignWare one may have more). */
#define NS16550_TX_FIFO 16u

/* FIFOs on with the receive FIFO emptied, every interrupt off; the line settings (baud
 * rate, 8N1) the firmware made are kept. */
void ns16550_init(uintptr_t base);
/* The interrupts wanted: received data (RDA and character timeout) always, the transmit
 * holding register empty (THRE) too while `tx` (someone waits to transmit). */
void ns16550_irq_enable(uintptr_t base, bool tx);
/* The interrupt handler's part: reads IIR until nothing is pending (bounded), clearing
 * each source that reading it, LSR, MSR or the DesignWare USR clears, and turning THRE off
 * once it has fired. Returns when received data is pending, which only draining it with
 * ns16550_getc clears. */
void ns16550_irq_ack(uintptr_t base);
/* The next received byte, or -1 when there is none. Bytes received with a framing error
 * or as part of a break are line noise and skipped. */
int ns16550_getc(uintptr_t base);
/* If the transmit FIFO is empty (LSR.THRE), writes up to NS16550_TX_FIFO of the n bytes;
 * returns how many it wrote (0: the FIFO is not empty yet). */
size_t ns16550_tx_fill(uintptr_t base, const char *s, size_t n);
/* The transmit FIFO is empty (LSR.THRE). */
bool ns16550_tx_empty(uintptr_t base);
/* Everything written has left the UART: FIFO and shift register empty (LSR.TEMT). */
bool ns16550_tx_done(uintptr_t base);

#endif
