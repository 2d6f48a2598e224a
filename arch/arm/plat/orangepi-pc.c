/* SPDX-License-Identifier: MIT */
/* Board data: Xunlong Orange Pi PC / Plus (Allwinner H3: 4x Cortex-A7, GIC-400, 16550
 * UARTs; H3 datasheet memory map), QEMU `orangepi-pc`. Booted by U-Boot from an SD card;
 * U-Boot's resident PSCI (SMC conduit) starts the CPUs and powers off. */
#include <arch/plat.h>

const struct plat plat = {
	.name = "orangepi-pc",
	.uart_base = 0x01c28000u, /* UART0 */
	.gicd_base = 0x01c81000u,
	.gicc_base = 0x01c82000u,
	.gich_base = 0x01c84000u,
	.gicv_base = 0x01c86000u,
	.timer_freq = 24000000u,
	.ram_base = 0x40000000u,
	.ram_size = 0x40000000u,
	.devices = { { 0x01c00000u, 0x00200000u } },
	.release_secondaries = psci_firmware_release_secondaries,
	.system_off = psci_firmware_system_off,
	.uart_putc = ns16550_putc,
};
