/* SPDX-License-Identifier: MIT */
/* The racer of hostile-ring-race.dts, alone on CPU 1: end 0 of channel 0, producing on its
 * first ring word by word while the victim (ring_victim.c, CPU 0) reads it with the ring
 * library. While records are published it flips the length word at the victim's consumer
 * index between the small length every slot holds and the largest one the victim's
 * snapshot of prod admits (now and then a huge one), and at every other refill flips prod
 * between valid and invalid values. Every HOLD_EVERY-th refill it leaves an impossible
 * length at the consumer index until the victim reports, on the other ring, a corrupt
 * ring at that index: the victim must notice corruption that stays, and re-attach. It
 * stops when the victim says it is done. */
#include "ring_race.h"

#define PAYLOAD 0x72616365u /* "ecar": the payload word of every small record */
#define FLIPS 2u            /* length flips between two looks at the consumer index */
#define REPORTS_EVERY 64u   /* looks at the consumer index between two looks at the reports */
#define PROD_FLIPS 32u      /* invalid producer indices per refill that flips prod */
#define HOLD_EVERY 8u
#define HUGE_EVERY 4u        /* refills whose records get a huge length flipped in */
#define REPORT_WAIT_MS 5000u /* guest time: the victim never noticed a held length */
#define MAX_RUN_MS 50000u    /* guest time: the victim never finished */

static struct race race;
static struct mv_ring reports;
static uint32_t corrupt_at = ~0u; /* the consumer index of the last corrupt report */
static uint32_t corrupt_reports, victim_reads, bad_reports;
static bool victim_done;
static uint64_t held_ticks; /* time spent waiting for the victim to notice */

static void read_reports(void)
{
	struct race_report rep;
	uint32_t len;
	int st;

	while ((st = mv_ring_read(&reports, &rep, sizeof(rep), &len)) == MV_RING_OK) {
		if (len != sizeof(rep))
			continue;
		if (rep.kind == RACE_REPORT_CORRUPT) {
			corrupt_reports++;
			corrupt_at = rep.value;
		} else if (rep.kind == RACE_REPORT_DONE) {
			victim_reads = rep.value;
			victim_done = true;
		}
	}
	if (st != MV_RING_E_EMPTY) {
		bad_reports++; /* the victim writes its reports properly: this fails below */
		victim_done = true;
	}
}

/* Publishes the ring with an impossible length at c and keeps it there until the victim
 * reports the corruption at c. -> 1 if it did in time, 0 if not, and -1 if the victim
 * finished its reads first without reaching c (its consumer index still there): such a
 * hold proves nothing either way, it only met the victim's last record. */
static int hold_until_reported(uint32_t c)
{
	uint64_t start = timer_now();
	uint64_t deadline = start + (uint64_t)timer_freq() * REPORT_WAIT_MS / 1000u;

	race_hold(&race, c, RACE_HUGE);
	race_publish(&race, c, race.size, 0);
	corrupt_at = ~0u;
	while (corrupt_at != c && !victim_done && timer_now() < deadline)
		read_reports();
	bool reported = corrupt_at == c;
	bool never_reached = !reported && victim_done && *(volatile uint32_t *)&race.hdr->cons == c;
	race_release(&race);
	held_ticks += timer_now() - start;
	return reported ? 1 : never_reached ? -1 : 0;
}

int main(void)
{
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, 0, 0, 0, 0, 0, 0);
	uint64_t end = timer_now() + (uint64_t)timer_freq() * MAX_RUN_MS / 1000u;
	uint32_t held = 0, held_reported = 0, loops = 0;

	CHECK(info.r0 == MV_OK && MV_CHANNEL_INFO_END(info.r3) == 0);
	/* The victim produces its reports on the second ring, with the library. */
	CHECK(mv_ring_init(&reports, (uint8_t *)(uintptr_t)info.r1 + info.r2 / 2u, info.r2 / 2u,
			   false) == MV_RING_OK);
	race_open(&race, 0, PAYLOAD);
	cell_printf("racing the victim's reads on CPU 1\n");
	while (!victim_done && timer_now() < end) {
		uint32_t c = race_follow(&race), n;

		if (++loops % REPORTS_EVERY == 0)
			read_reports();
		if (c == ~0u)
			continue;
		if (c != race.pub) {
			race_flip(&race, c, race.refills % HUGE_EVERY == HUGE_EVERY - 1u, false,
				  FLIPS);
			continue;
		}
		n = race.refills + 1u;
		if (n % HOLD_EVERY == 0) {
			int r = hold_until_reported(c);
			held += r >= 0;
			held_reported += r > 0;
		} else {
			race_publish(&race, c, race.size, n % 2u ? PROD_FLIPS : 0);
		}
	}
	cell_printf("%u refills, %u length flips, %u prod flips, %u corrupt reports\n",
		    race.refills, race.len_flips, race.prod_flips, corrupt_reports);
	cell_printf("the victim took %llu bytes in %u moves and read %u records\n",
		    (unsigned long long)race.consumed, race.moves, victim_reads);
	cell_printf("%u impossible lengths held, %u reported by the victim, in %u ms in all\n",
		    held, held_reported, (uint32_t)(held_ticks / (timer_freq() / 1000u)));
	CHECK(victim_done);
	CHECK(held > 0 && held_reported == held);
	CHECK(race.bad_cons == 0);
	CHECK(bad_reports == 0);
	test_report();
	return 0;
}
