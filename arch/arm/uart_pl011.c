/* SPDX-License-Identifier: MIT */
/* ARM PrimeCell PL011 UART transmit (ARM DDI 0183G, 3.3): the microvisor's debug output. */
#include <arch/cpu.h>
#include <arch/plat.h>

#define UART_DR 0x00u
#define UART_FR 0x18u
#define UART_FR_TXFF (1u << 5)

bool pl011_putc(uint32_t base, char c)
{
	if (mmio_read32(base + UART_FR) & UART_FR_TXFF)
		return false;
	mmio_write32(base + UART_DR, (uint32_t)(unsigned char)c);
	return true;
}
