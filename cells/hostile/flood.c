/* SPDX-License-Identifier: MIT */
/* Interrupt floods toward the other CPU (hostile-flood.dts). vCPU 0, alone on CPU 1,
 * loops for FLOOD_MS on three ways to make the microvisor interrupt CPU 0: an SGI to the
 * cell's own vCPU 1 (GICD_SGIR), an SPI routed to vCPU 1 set pending (GICD_ISPENDR), and
 * CHANNEL_NOTIFY to the peer of its channel 0, on CPU 0. vCPU 1 and the peer sit below
 * the RTOS on CPU 0; the RTOS must miss no deadline. */
#include "hostile.h"
#include <mv/gicv2.h>

#define FLOOD_MS 3000u
#define SGI_FLOOD 3u
#define SPI_FLOOD 100u
#define SINK_CHANNEL 0u
#define WATCH_CHANNEL 1u /* the RTOS's */
#define QUIET_MS 500u    /* before the flood: the RTOS calibrates its work */

static volatile uint32_t target_up, sgis_taken, spis_taken;

static void on_flood_irq(uint32_t id, uint32_t source)
{
	(void)source;
	if (id == SGI_FLOOD)
		sgis_taken++;
	else
		spis_taken++;
}

/* vCPU 1, on CPU 0: takes whatever arrives when the RTOS leaves it the CPU. */
static void target(uint32_t arg)
{
	(void)arg;
	gic_cpu_init();
	irq_set_handler(SGI_FLOOD, on_flood_irq);
	irqs_on();
	target_up = 1;
	for (;;)
		wfi();
}

int main(void)
{
	const uint64_t ms = timer_freq() / 1000u;
	uint32_t rounds = 0, notify_ok = 0;

	gic_init();
	/* ITARGETSR is a byte per interrupt: SPI_FLOOD goes to vCPU 1 (bit 1). */
	gicd_write(GICD_ITARGETSR + SPI_FLOOD, 1u << 1);
	irq_enable(SPI_FLOOD, on_flood_irq, 0x80);
	CHECK(cell_cpu_on(1, target, 0) == MV_OK);
	uint64_t start = timer_now();
	while (!target_up && timer_now() - start < 1000u * ms)
		;
	CHECK(target_up);
	timer_sleep_until(start + QUIET_MS * ms);

	start = timer_now();
	while (timer_now() - start < FLOOD_MS * ms) {
		gicd_write(GICD_SGIR, (1u << (16 + 1)) | SGI_FLOOD);
		gicd_write(GICD_ISPENDR + 4u * (SPI_FLOOD / 32u), 1u << (SPI_FLOOD % 32u));
		notify_ok += mv_call3(MV_CALL_CHANNEL_NOTIFY, SINK_CHANNEL, 0, 0) == MV_OK;
		rounds++;
	}
	cell_printf("flooded for %u ms: %u rounds of SGI + ISPENDR + notify; vCPU 1 took %u SGIs, "
		    "%u SPIs\n",
		    FLOOD_MS, rounds, sgis_taken, spis_taken);
	CHECK(rounds > 1000);
	CHECK(notify_ok == rounds);
	test_report();
	announce_done(SINK_CHANNEL);
	announce_done(WATCH_CHANNEL);
	return 0;
}
