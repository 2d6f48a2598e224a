/* SPDX-License-Identifier: MIT */
/* PSCI reset race (hostile-psci-race.dts): vCPU 0 asks for SYSTEM_RESET while vCPU 1, on
 * the other physical CPU, keeps asking CPU_ON for vCPU 0. Whatever the interleaving, the
 * microvisor must restart the cell every time and stay up; after RESETS restarts (counted
 * by the microvisor, CELL_INFO item 5) the cell powers itself off. */
#include "hostile.h"

#define RESETS 10000u
#define PROGRESS_EVERY 1000u

extern char _start[];
static volatile uint32_t hammering;

/* vCPU 1: CPU_ON of vCPU 0 in a loop. vCPU 0 is on (-4) except while the cell is being
 * stopped and restarted, which is the window this aims at. */
static void hammer(uint32_t arg)
{
	(void)arg;
	hammering = 1;
	for (;;)
		(void)mv_call3(MV_PSCI_CPU_ON, 0, (uint32_t)(uintptr_t)_start, 0);
}

int main(void)
{
	uint32_t resets = mv_cell_info(MV_INFO_RESET_COUNT);
	uint64_t us = timer_freq() / 1000000u;

	if (resets >= RESETS) {
		cell_printf("survived %u resets with CPU_ON racing them\n", resets);
		CHECK(resets == RESETS);
		test_report();
		announce_done(0); /* to the bystander */
		return 0;         /* SYSTEM_OFF: vCPU 1 goes down with the cell */
	}
	if (resets % PROGRESS_EVERY == 0)
		cell_printf("%u resets so far\n", resets);
	CHECK(cell_cpu_on(1, hammer, 0) == MV_OK);
	/* Reset once vCPU 1 hammers, after a delay that varies from boot to boot so that the
	 * reset meets CPU_ON at different points of its path. The bound only keeps a broken
	 * CPU_ON from hanging the test: QEMU's CPU threads run in real time, and on a loaded
	 * host the other one may not run for a good part of a second. */
	uint64_t start = timer_now();
	while (!hammering && timer_now() - start < 5000000u * us)
		;
	CHECK(hammering);
	for (volatile uint32_t i = 0; i < (resets * 7u) % 64u; i++)
		;
	if (test_failed)
		test_report();
	mv_system_reset();
}
