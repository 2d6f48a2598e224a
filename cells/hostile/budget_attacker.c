/* SPDX-License-Identifier: MIT */
/* A cell that tries to run past its CPU budget (hostile-budget-*.dts: priority 30, 1 ms
 * per 10 ms), above a victim on the same CPU that measures what it is left with. It burns
 * the CPU in stretches of BURN_US, each shorter than its budget, separated by one of
 * (ATTACK, fixed at build time):
 *   ATTACK_RESET   PSCI SYSTEM_RESET of the cell: a fresh start every stretch;
 *   ATTACK_CPU_OFF the stretch runs on vCPU 1, which turns itself off (PSCI CPU_OFF) and
 *                  is started again (CPU_ON) by vCPU 0, on the same CPU;
 *   ATTACK_VDEV    a load from a vdev whose provider answers slowly: a block in the
 *                  microvisor that is not WFI.
 * None of them may earn it more than its budget. It stops once the victim (its channel 0
 * peer) has stopped, or after a bound of its own should the victim never get to run. */
#include "hostile.h"
#include <mv/gicv2.h>

#define ATTACK_RESET 1
#define ATTACK_CPU_OFF 2
#define ATTACK_VDEV 3
#ifndef ATTACK
#error "ATTACK must be defined"
#endif

#define BURN_US 800u
#define MAX_RESETS 2000u    /* ATTACK_RESET: about 1.6 s should every reset refill the budget */
#define MAX_RUN_MS 3000u    /* the others: guest time */
#define MIN_ROUNDS 50u      /* the attack really ran: about 125 rounds in the victim's 1 s */
#define MAX_START_US 20000u /* a restart waits for no one but its budget (two periods) */
#define VICTIM_CHANNEL 0u

#define VDEV_IPA 0x90100000u
#define VDEV_REG_DONE 0xffcu
#define VDEV_VALUE 0x123u

#define SGI_BURNT 1u

static uint64_t us;
static volatile uint32_t burnt;

static void burn_from(uint64_t start)
{
	while (timer_now() - start < BURN_US * us)
		;
}

static void finish(uint32_t rounds, const char *why)
{
	cell_printf("%u rounds of %u us, stopping: %s\n", rounds, BURN_US, why);
	CHECK(rounds >= MIN_ROUNDS);
	test_report();
	mv_system_off();
}

/* What the attacker keeps across its restarts, in its channel's memory (which a restart
 * leaves as it was): the longest time a restart took to run its first instruction. */
struct across_resets {
	uint64_t worst_start;
};

/* The counter restarts at 0 with the cell: it reads how long the restart took to reach
 * main (which must not wait behind the victim, a lower priority), then burns from 0 to
 * BURN_US. */
static void attack_reset(void)
{
	uint64_t started = timer_now();
	uint32_t resets = mv_cell_info(MV_INFO_RESET_COUNT);
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, VICTIM_CHANNEL, 0, 0, 0, 0, 0);
	struct across_resets *kept = (void *)(uintptr_t)info.r1;
	bool victim_done = !peer_running(VICTIM_CHANNEL);

	if (resets && started > kept->worst_start)
		kept->worst_start = started;
	if (victim_done || resets >= MAX_RESETS) {
		cell_printf("slowest restart reached main after %u us\n",
			    (uint32_t)(kept->worst_start / us));
		CHECK(kept->worst_start < MAX_START_US * us);
		finish(resets, victim_done ? "the victim has finished" : "bound reached");
	}
	burn_from(0);
	mv_system_reset();
}

/* vCPU 1: one stretch, tell vCPU 0, then CPU_OFF (cell_secondary_main). */
static void burner(uint32_t arg)
{
	(void)arg;
	burn_from(timer_now());
	burnt = 1;
	gicd_write(GICD_SGIR, (1u << 16) | SGI_BURNT); /* to vCPU 0 */
}

static void on_sgi(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
}

/* vCPU 0 only restarts vCPU 1 and sleeps in WFI until it has burnt its stretch. */
static void attack_cpu_off(void)
{
	uint64_t start = timer_now();
	uint32_t rounds = 0, refused = 0;

	gic_init();
	irq_enable(SGI_BURNT, on_sgi, 0x80);
	irqs_on();
	for (;; rounds++) {
		bool victim_done = !peer_running(VICTIM_CHANNEL);
		if (victim_done || timer_now() - start >= MAX_RUN_MS * 1000u * us) {
			CHECK(refused == 0);
			finish(rounds, victim_done ? "the victim has finished" : "bound reached");
		}
		burnt = 0;
		int32_t r;
		while ((r = cell_cpu_on(1, burner, 0)) == MV_E_ALREADY_ON || r == MV_E_ON_PENDING)
			mv_yield(); /* vCPU 1 is still on its way to CPU_OFF */
		refused += r != MV_OK;
		irqs_off();
		while (!burnt) {
			wfi();
			irqs_on();
			irqs_off();
		}
		irqs_on();
	}
}

static void attack_vdev(void)
{
	uint64_t start = timer_now();
	uint32_t rounds = 0, good = 0;

	for (;; rounds++) {
		bool victim_done = !peer_running(VICTIM_CHANNEL);
		if (victim_done || timer_now() - start >= MAX_RUN_MS * 1000u * us) {
			mmio_write32(VDEV_IPA + VDEV_REG_DONE, 1); /* the provider stops too */
			CHECK(good == rounds);
			finish(rounds, victim_done ? "the victim has finished" : "bound reached");
		}
		burn_from(timer_now());
		good += mmio_read32(VDEV_IPA) == VDEV_VALUE; /* blocks until the provider answers */
	}
}

int main(void)
{
	us = timer_freq() / 1000000u;
	if (ATTACK == ATTACK_RESET)
		attack_reset();
	else if (ATTACK == ATTACK_CPU_OFF)
		attack_cpu_off();
	else
		attack_vdev();
	return 0;
}
