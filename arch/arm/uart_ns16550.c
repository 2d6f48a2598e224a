/* SPDX-License-Identifier: MIT */
/* 16550-compatible UART transmit, 32-bit register stride (as on Allwinner SoCs). */
#include <arch/cpu.h>
#include <arch/plat.h>

#define UART_THR 0x00u
#define UART_LSR 0x14u /* register 5, reg-shift 2 */
#define UART_LSR_THRE (1u << 5)

bool ns16550_putc(uint32_t base, char c)
{
	if (!(mmio_read32(base + UART_LSR) & UART_LSR_THRE))
		return false;
	mmio_write32(base + UART_THR, (uint32_t)(unsigned char)c);
	return true;
}
