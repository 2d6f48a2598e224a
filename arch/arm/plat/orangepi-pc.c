/* SPDX-License-Identifier: MIT */
/* Board data: Xunlong Orange Pi PC / Plus (Allwinner H3: 4x Cortex-A7, GIC-400, 16550
 * UARTs; H3 datasheet memory map), QEMU `orangepi-pc`. Booted by U-Boot from an SD card;
 * U-Boot's resident PSCI (SMC conduit) starts the CPUs and powers off. */
/* MV_LOAD_ADDR 0x40010000: link and load address (U-Boot's bootm of tools/mkboot's FIT) */
#include <arch/plat.h>

const struct plat plat = {
	.board = {
		.magic = MV_BOARD_MAGIC,
		.name = "orangepi-pc",
		.ram = { 0x40000000u, 0x40000000u },
		.uart = { 0x01c28000u, 0x1000u }, /* UART0 */
		.gicd = { 0x01c81000u, 0x1000u },
		.gicc = { 0x01c82000u, 0x2000u },
		.gich = { 0x01c84000u, 0x2000u },
		.gicv = { 0x01c86000u, 0x2000u },
		.num_reserved = 3,
		.reserved = {
			{ "the system control block", { 0x01c00000u, 0x1000u } },
			{ "the CCU, PIO and watchdog (resets)", { 0x01c20000u, 0x1000u } },
			{ "R_PRCM and R_CPUCFG (CPU power, PSCI)", { 0x01f01000u, 0x1000u } },
		},
	},
	.timer_freq = 24000000u,
	.turn_us = 0u, /* hardware runs its CPUs in parallel */
	.devices = { { 0x01c00000u, 0x00200000u } },
	.release_secondaries = psci_firmware_release_secondaries,
	.system_off = psci_firmware_system_off,
	.uart_putc = ns16550_putc,
};
