/* SPDX-License-Identifier: MIT */
/* Board data: QEMU `virt` with virtualization=on and a Cortex-A15 (hw/arm/virt.c memory
 * map), booted by U-Boot (Debian's u-boot-qemu, qemu_arm). QEMU's built-in PSCI (SMC
 * conduit) starts the CPUs and powers off. */
/* MV_LOAD_ADDR 0x80010000: link and load address (U-Boot's bootm of tools/mkboot's FIT) */
#include <arch/plat.h>

/* No system or reset controller to reserve: QEMU's PSCI firmware powers off and resets. */
const struct plat plat = {
	.board = {
		.magic = MV_BOARD_MAGIC,
		.name = "virt",
		.ram = { 0x40000000u, 0x80000000u },
		.uart = { 0x09000000u, 0x1000u }, /* PL011 */
		.gicd = { 0x08000000u, 0x10000u },
		.gicc = { 0x08010000u, 0x10000u },
		.gich = { 0x08030000u, 0x10000u },
		.gicv = { 0x08040000u, 0x10000u },
	},
	.timer_freq = 62500000u,
	.turn_us = 1000u, /* QEMU (plat.h) */
	.devices = { { 0x08000000u, 0x00200000u }, { 0x09000000u, 0x00200000u } },
	.release_secondaries = psci_firmware_release_secondaries,
	.system_off = psci_firmware_system_off,
	.uart_putc = pl011_putc,
};
