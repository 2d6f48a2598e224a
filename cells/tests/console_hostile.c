/* SPDX-License-Identifier: MIT */
/* A client that breaks the console protocol: one good line, then a producer index no
 * producer could publish on its output ring, and a doorbell. The console must say the
 * channel is broken, once, and go on serving its other clients. This cell's runtime,
 * whose output the console no longer reads, falls back to the debug console, which the
 * microvisor refuses in a system with a console cell (it never prints a cell's bytes on
 * the console's UART). With no way left to print, the verdict is the cell's life: it
 * stops only if every check passed, and the console says it is done only once every
 * client stopped. */
#include <cell/runtime.h>
#include <mv/ring.h>

#define FLOOD_MAX 1000u

int main(void)
{
	int32_t ch = cell_console_channel();
	struct mv_result info;
	struct mv_ring_shared *out;
	uint32_t tx, n;

	CHECK(ch >= 0);
	cell_printf("about to corrupt the console ring\n");
	if (ch < 0) {
		test_report();
		return 0;
	}
	info = mv_hvc(MV_CALL_CHANNEL_INFO, (uint32_t)ch, 0, 0, 0, 0, 0);
	/* End 0 produces on the first ring, end 1 on the second (mv/ring.h). */
	tx = info.r1 + (MV_CHANNEL_INFO_END(info.r3) ? info.r2 / 2u : 0u);
	out = (struct mv_ring_shared *)(uintptr_t)tx;
	*(volatile uint32_t *)&out->prod = 3; /* not a multiple of MV_RING_ALIGN */
	CHECK(mv_call3(MV_CALL_CHANNEL_NOTIFY, (uint32_t)ch, 0, 0) == MV_OK);

	/* The ring fills up, the runtime waits for the console, then gives up on it. */
	for (n = 0; n < FLOOD_MAX && cell_console_channel() >= 0; n++)
		cell_printf("flood %u: nobody reads this line any more\n", n);
	CHECK(cell_console_channel() < 0);
	CHECK(mv_hvc(MV_CALL_DEBUG_WRITE, 3, 0x0a6968u, 0, 0, 0, 0).r0 == (uint32_t)MV_E_DENIED);
	test_report(); /* to nobody */
	while (test_failed)
		mv_yield();
	return 0;
}
