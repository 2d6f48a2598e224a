/* SPDX-License-Identifier: MIT */
/* A vdev provider that answers every access SLOW_US after it was made, sleeping on its
 * virtual timer in between (hostile-budget-vdev.dts): its consumer spends that time
 * blocked in the microvisor. A write to REG_DONE is answered, then it powers off. */
#include <cell/runtime.h>

#define SLOW_US 100u
#define REG_DONE 0xffcu
#define REG_VALUE 0x123u

static void on_request(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
}

int main(void)
{
	const uint64_t us = timer_freq() / 1000000u;
	struct mv_result info = mv_hvc(MV_CALL_VDEV_INFO, 0, 0, 0, 0, 0, 0);
	uint32_t served = 0, refused = 0;

	CHECK(info.r0 == MV_OK);
	gic_init();
	irq_enable(info.r2, on_request, 0x80);
	irqs_on();
	for (;;) {
		struct mv_result r = mv_hvc(MV_CALL_VDEV_GET, 0, 0, 0, 0, 0, 0);
		if ((int32_t)r.r0 == MV_E_NOT_PRESENT) {
			wfi();
			continue;
		}
		timer_sleep_until(timer_now() + SLOW_US * us);
		uint32_t offset = MV_VDEV_ACCESS_OFFSET(r.r2);
		bool write = MV_VDEV_ACCESS_WRITE(r.r2);
		refused += mv_hvc(MV_CALL_VDEV_COMPLETE, 0, r.r1, write ? 0 : REG_VALUE ^ offset, 0,
				  0, 0)
				   .r0 != MV_OK;
		served++;
		if (write && offset == REG_DONE)
			break;
	}
	cell_printf("answered %u accesses, each after %u us\n", served, SLOW_US);
	CHECK(refused == 0);
	test_report();
	return 0;
}
