/* SPDX-License-Identifier: MIT */
/* Calls from HYP to the board firmware's PSCI (SMC conduit, ARM DEN 0022D): how boards
 * whose firmware stays resident (U-Boot's PSCI, QEMU virt's built-in PSCI) start CPUs and
 * power off. */
#include <arch/plat.h>
#include <mv/abi.h>

static uint32_t firmware_psci(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3)
{
	register uint32_t r0 __asm__("r0") = fid;
	register uint32_t r1 __asm__("r1") = a1;
	register uint32_t r2 __asm__("r2") = a2;
	register uint32_t r3 __asm__("r3") = a3;
	__asm__ volatile(".arch_extension sec\n\tsmc #0"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 :
			 : "memory");
	return r0;
}

void psci_firmware_release_secondaries(uint32_t entry)
{
	for (uint32_t cpu = 1; cpu < 4; cpu++)
		(void)firmware_psci(MV_PSCI_CPU_ON, cpu, entry, 0); /* absent CPUs just fail */
}

void psci_firmware_system_off(void)
{
	(void)firmware_psci(MV_PSCI_SYSTEM_OFF, 0, 0, 0);
}
