/* SPDX-License-Identifier: MIT */
/* Board data: ARM Versatile Express with the CoreTile Express A15x2 (QEMU vexpress-a15). */
/* MV_LOAD_ADDR 0x80010000: link and load address (QEMU's -kernel: RAM base + 64 KiB) */
#include <arch/cpu.h>
#include <arch/plat.h>
#include <mv/gicv2.h>

/* Motherboard system registers (ARM DUI 0447J, "Versatile Express Motherboard", 4.3). */
#define V2M_SYSREGS 0x1c010000u
#define SYS_FLAGSSET (V2M_SYSREGS + 0x30u)
#define SYS_FLAGSCLR (V2M_SYSREGS + 0x34u)
#define SYS_CFGCTRL (V2M_SYSREGS + 0xa4u)
#define SYS_CFGCTRL_START (1u << 31)
#define SYS_CFGCTRL_WRITE (1u << 30)
#define SYS_CFG_SHUTDOWN (8u << 20)

#define GICD_BASE 0x2c001000u
#define GICD_SGIR_ALL_BUT_SELF (1u << 24)

/*
 * The boot loader (QEMU's secondary stub, or a board's firmware) parks secondary CPUs in
 * WFI and, when woken by an SGI, jumps to the address in SYS_FLAGS.
 */
static void vexpress_release_secondaries(uint32_t entry)
{
	mmio_write32(SYS_FLAGSCLR, 0xffffffffu);
	mmio_write32(SYS_FLAGSSET, entry);
	mmio_write32(GICD_BASE + GICD_CTLR, mmio_read32(GICD_BASE + GICD_CTLR) | 1u);
	mmio_write32(GICD_BASE + GICD_SGIR, GICD_SGIR_ALL_BUT_SELF);
}

static void vexpress_system_off(void)
{
	mmio_write32(SYS_CFGCTRL, SYS_CFGCTRL_START | SYS_CFGCTRL_WRITE | SYS_CFG_SHUTDOWN);
}

const struct plat plat = {
	.board = {
		.magic = MV_BOARD_MAGIC,
		.name = "vexpress-a15",
		.ram = { 0x80000000u, 0x40000000u },
		.uart = { 0x1c090000u, 0x1000u }, /* UART0, PL011 */
		.gicd = { GICD_BASE, 0x1000u },
		.gicc = { 0x2c002000u, 0x2000u },
		.gich = { 0x2c004000u, 0x2000u },
		.gicv = { 0x2c006000u, 0x2000u },
		.num_reserved = 2,
		.reserved = {
			{ "the system registers (power, reset)", { V2M_SYSREGS, 0x1000u } },
			{ "the SP810 system controller", { 0x1c020000u, 0x1000u } },
		},
	},
	.timer_freq = 62500000u,
	.turn_us = 1000u, /* QEMU: -icount runs CPUs in turns (plat.h) */
	.devices = { { 0x1c000000u, 0x00200000u }, { 0x2c000000u, 0x00200000u } },
	.release_secondaries = vexpress_release_secondaries,
	.system_off = vexpress_system_off,
	.uart_putc = pl011_putc,
};
