/* SPDX-License-Identifier: MIT */
/* Board data: QEMU `virt` with virtualization=on and a Cortex-A15 (hw/arm/virt.c memory
 * map), booted by U-Boot (Debian's u-boot-qemu, qemu_arm). QEMU's built-in PSCI (SMC
 * conduit) starts the CPUs and powers off. */
#include <arch/plat.h>

const struct plat plat = {
	.name = "virt",
	.uart_base = 0x09000000u,
	.gicd_base = 0x08000000u,
	.gicc_base = 0x08010000u,
	.gich_base = 0x08030000u,
	.gicv_base = 0x08040000u,
	.timer_freq = 62500000u,
	.ram_base = 0x40000000u,
	.ram_size = 0x80000000u,
	.devices = { { 0x08000000u, 0x00200000u }, { 0x09000000u, 0x00200000u } },
	.release_secondaries = psci_firmware_release_secondaries,
	.system_off = psci_firmware_system_off,
	.uart_putc = pl011_putc,
};
