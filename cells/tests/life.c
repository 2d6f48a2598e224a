/* SPDX-License-Identifier: MIT */
/* Cell lifecycle: the first boot asks for SYSTEM_RESET; the restarted cell must see a
 * reset count of 1 and a fresh image (its BSS and data as built), then SYSTEM_OFF. */
#include <cell/runtime.h>

static uint32_t bss_marker;
static uint32_t data_marker = 0x1234u;

int main(void)
{
	uint32_t resets = mv_cell_info(MV_INFO_RESET_COUNT);
	if (resets == 0) {
		CHECK(bss_marker == 0 && data_marker == 0x1234u);
		bss_marker = 1;
		data_marker = 0xdeadu;
		cell_printf("first boot: asking for SYSTEM_RESET\n");
		mv_system_reset();
	}
	CHECK(resets == 1);
	CHECK(bss_marker == 0);
	CHECK(data_marker == 0x1234u);
	CHECK(timer_now() < 5ull * timer_freq()); /* the cell's virtual time restarted too */
	cell_printf("restarted: asking for SYSTEM_OFF\n");
	test_report();
	return 0; /* start.S turns this into SYSTEM_OFF */
}
