/* SPDX-License-Identifier: MIT */
/* The console's UART (uart.h): the device the system description says it owns, driven by
 * pl011.c or ns16550.c. The PL011's transmit polls its FIFO; the 16550's sleeps in WFI
 * until the THRE interrupt says the FIFO is empty, so that on a real board the console
 * does not spin for the ~1.4 ms a FIFO of 16 bytes takes at 115200 baud. */
#include <cell/dtb.h>
#include <cell/runtime.h>

#include "ns16550.h"
#include "pl011.h"
#include "uart.h"

enum uart_kind { UART_PL011, UART_NS16550 };

static const struct {
	const char *compatible;
	enum uart_kind kind;
} drivers[] = {
	{ "arm,pl011", UART_PL011 },
	{ "snps,dw-apb-uart", UART_NS16550 },
};

#define NUM_DRIVERS (sizeof(drivers) / sizeof(drivers[0]))
#define GIC_SPI 0u        /* the first cell of a GIC `interrupts` specifier */
#define GIC_FIRST_SPI 32u /* SPI n is interrupt ID 32 + n (IHI 0048B, 2.2.1) */

static struct {
	enum uart_kind kind;
	const char *compatible;
	uintptr_t base;
	uint32_t irq;
	void (*rx)(uint8_t byte);
} uart;

/* `node` describes a UART this console can use: its first `reg` entry and its SPI. */
static bool probe_node(const void *fdt, int32_t node, uint32_t d)
{
	uint32_t len;
	const void *reg = dtb_prop(fdt, node, "reg", &len);
	const void *irq;

	if (!reg || len < 8u)
		return false;
	uart.base = dtb_cell(reg, 0);
	irq = dtb_prop(fdt, node, "interrupts", &len);
	if (!irq || len < 12u || dtb_cell(irq, 0) != GIC_SPI ||
	    dtb_cell(irq, 1) >= GIC_NUM_IRQS - GIC_FIRST_SPI)
		return false;
	uart.irq = dtb_cell(irq, 1) + GIC_FIRST_SPI;
	uart.kind = drivers[d].kind;
	uart.compatible = drivers[d].compatible;
	return true;
}

bool uart_probe(const void *fdt)
{
	if (!fdt)
		return false;
	/* Every step moves on in the tree, and dtb_next_node ends at its end. */
	for (int32_t node = dtb_next_node(fdt, -1); node >= 0; node = dtb_next_node(fdt, node)) {
		for (uint32_t d = 0; d < NUM_DRIVERS; d++) {
			if (dtb_is_compatible(fdt, node, drivers[d].compatible))
				return probe_node(fdt, node, d);
		}
	}
	return false;
}

const char *uart_compatible(void)
{
	return uart.compatible;
}

uintptr_t uart_base(void)
{
	return uart.base;
}

uint32_t uart_irq(void)
{
	return uart.irq;
}

static void on_uart(uint32_t id, uint32_t source)
{
	int b;

	(void)id;
	(void)source;
	if (uart.kind == UART_PL011) {
		pl011_rx_ack(uart.base);
		while ((b = pl011_getc(uart.base)) >= 0)
			uart.rx((uint8_t)b);
	} else {
		ns16550_irq_ack(uart.base);
		while ((b = ns16550_getc(uart.base)) >= 0)
			uart.rx((uint8_t)b);
	}
}

void uart_start(void (*rx)(uint8_t byte))
{
	uart.rx = rx;
	if (uart.kind == UART_PL011)
		pl011_init(uart.base);
	else
		ns16550_init(uart.base);
	irq_enable(uart.irq, on_uart, 0x80);
	if (uart.kind == UART_PL011)
		pl011_rx_irq_enable(uart.base);
	else
		ns16550_irq_enable(uart.base, false);
}

/*
 * Sleeps until the 16550's transmit FIFO is empty: THRE on, then WFI, which a pending
 * interrupt ends even with IRQs masked; the handler turns THRE off again. Any other
 * interrupt ends the WFI too, and the caller looks at the FIFO again.
 */
static void ns16550_wait_thre(void)
{
	irqs_off();
	ns16550_irq_enable(uart.base, true);
	wfi();
	irqs_on();
}

void uart_write(const char *s, size_t n)
{
	if (uart.kind == UART_PL011) {
		pl011_write(uart.base, s, n);
		return;
	}
	while (n) {
		size_t k = ns16550_tx_fill(uart.base, s, n);
		s += k;
		n -= k;
		if (n && !k)
			ns16550_wait_thre();
	}
}

void uart_flush(void)
{
	if (uart.kind == UART_PL011) {
		pl011_flush(uart.base);
		return;
	}
	/* The FIFO by interrupt, then the last byte's few bit times in the shift register. */
	while (!ns16550_tx_done(uart.base)) {
		if (!ns16550_tx_empty(uart.base))
			ns16550_wait_thre();
	}
}
