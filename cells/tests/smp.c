/* SPDX-License-Identifier: MIT */
/* SMP: vCPU 1, pinned to physical CPU 1, is started and stopped with PSCI CPU_ON and
 * CPU_OFF by vCPU 0 on physical CPU 0, and runs truly in parallel with it. */
#include <cell/runtime.h>

static volatile uint32_t counter, stop, seen_pcpu, seen_vcpu;

static void secondary(uint32_t arg)
{
	(void)arg;
	seen_pcpu = mv_cell_info(MV_INFO_PCPU_ID);
	seen_vcpu = mv_cell_info(MV_INFO_VCPU_ID);
	while (!stop)
		counter++;
}

static bool wait_for_off(uint64_t ms)
{
	uint64_t start = timer_now();
	while (timer_now() - start < 1000 * ms)
		if (mv_call3(MV_PSCI_AFFINITY_INFO, 1, 0, 0) == MV_PSCI_AFFINITY_OFF)
			return true;
	return false;
}

static void run_secondary_once(uint64_t ms)
{
	counter = 0;
	stop = 0;
	CHECK(cell_cpu_on(1, secondary, 0) == MV_OK);
	int32_t again = cell_cpu_on(1, secondary, 0);
	CHECK(again == MV_E_ALREADY_ON || again == MV_E_ON_PENDING);
	/* We never yield: the counter only moves if vCPU 1 runs on another physical CPU. */
	uint64_t start = timer_now();
	while (counter < 100000 && timer_now() - start < 2000 * ms)
		;
	CHECK(counter >= 100000);
	CHECK(seen_pcpu == 1 && seen_vcpu == 1);
	CHECK(mv_call3(MV_PSCI_AFFINITY_INFO, 1, 0, 0) == MV_PSCI_AFFINITY_ON);
	stop = 1;
	CHECK(wait_for_off(ms));
}

int main(void)
{
	uint64_t ms = timer_freq() / 1000u;
	CHECK(mv_cell_info(MV_INFO_NUM_VCPUS) == 2);
	CHECK(mv_cell_info(MV_INFO_PCPU_ID) == 0);
	CHECK(mv_call3(MV_PSCI_AFFINITY_INFO, 1, 0, 0) == MV_PSCI_AFFINITY_OFF);
	CHECK(mv_call3(MV_PSCI_CPU_ON, 1, 0x10u, 0) == MV_E_INVALID_ADDRESS);
	CHECK(mv_call3(MV_PSCI_CPU_ON, 2, 0x80000000u, 0) == MV_E_INVALID_PARAMETERS);
	run_secondary_once(ms);
	run_secondary_once(ms); /* a vCPU that was turned off can be started again */
	test_report();
	return 0;
}
