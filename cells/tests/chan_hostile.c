/* SPDX-License-Identifier: MIT */
/* A hostile channel peer. End 0 publishes a few good records on each of its two channels,
 * then breaks them: on channel 0 a producer index far beyond the ring, on channel 1 a
 * record length larger than the ring. End 1 must read the good records, then get
 * MV_RING_E_CORRUPT (never bad data, never a crash) and carry on. Built as
 * test_net_hostile (CHAN_HOSTILE_NET = 1), end 0 also sends Linux's mv_net, on channel 0
 * before breaking it, frames whose header (mv/net.h) breaks one rule each, and two good
 * ones. */
#include <cell/runtime.h>
#include <mv/net.h>
#include <mv/ring.h>

#ifndef CHAN_HOSTILE_NET
#define CHAN_HOSTILE_NET 0
#endif

#define GOOD 5u
#define FRAME 60u /* Ethernet bytes of each frame record */

/* flags, csum_start, csum_offset, reserved: the bad ones first, then two good ones. */
static const struct mv_net_hdr frames[] = {
	{ 4u, 0, 0, 0 },                                                 /* unknown flag */
	{ MV_NET_HDR_F_NEEDS_CSUM | MV_NET_HDR_F_DATA_VALID, 34, 6, 0 }, /* both flags */
	{ MV_NET_HDR_F_DATA_VALID, 34, 0, 0 },                           /* start, no NEEDS */
	{ 0, 0, 6, 0 },                                                  /* offset, no NEEDS */
	{ MV_NET_HDR_F_NEEDS_CSUM, 10, 6, 0 },                           /* in the MAC header */
	{ MV_NET_HDR_F_NEEDS_CSUM, 34, FRAME - 34 - 1, 0 },              /* 1 byte beyond */
	{ MV_NET_HDR_F_NEEDS_CSUM, 0xffff, 0xffff, 0 },                  /* far beyond */
	{ 0, 0, 0, 1 },                                                  /* reserved */
	{ MV_NET_HDR_F_NEEDS_CSUM, 34, FRAME - 34 - 2, 0 }, /* good: the last 2 bytes */
	{ MV_NET_HDR_F_DATA_VALID, 0, 0, 0 },               /* good */
};
#define BAD_FRAMES 8u
_Static_assert(sizeof(frames) / sizeof(frames[0]) == BAD_FRAMES + 2, "two good frames");

/* Every frame goes to a unicast address nobody has, so Linux's stack drops the good ones. */
static void send_frames(struct mv_ring *tx)
{
	uint8_t rec[sizeof(struct mv_net_hdr) + FRAME] = { 0 };

	rec[sizeof(struct mv_net_hdr)] = 0x02; /* locally administered 02:00:00:00:00:00 */
	for (uint32_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		const uint8_t *h = (const uint8_t *)&frames[i];

		for (uint32_t b = 0; b < sizeof(frames[i]); b++)
			rec[b] = h[b];
		CHECK(mv_ring_write(tx, rec, sizeof(rec)) == MV_RING_OK);
	}
}

static volatile uint32_t doorbells;

static void on_doorbell(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
	doorbells++;
}

static void open_channel(uint32_t n, struct mv_ring *tx, struct mv_ring *rx, uint32_t *end,
			 struct mv_ring_shared **tx_hdr)
{
	struct mv_result info = mv_hvc(MV_CALL_CHANNEL_INFO, n, 0, 0, 0, 0, 0);
	CHECK(info.r0 == MV_OK);
	*end = MV_CHANNEL_INFO_END(info.r3);
	CHECK(mv_ring_init_channel(tx, rx, (void *)(uintptr_t)info.r1, info.r2, *end) ==
	      MV_RING_OK);
	*tx_hdr = (struct mv_ring_shared *)(uintptr_t)(info.r1 + (*end ? info.r2 / 2u : 0));
	irq_enable(MV_CHANNEL_INFO_VIRQ(info.r3), on_doorbell, 0x80);
}

static void attack(void)
{
	struct mv_ring tx[2], rx[2];
	struct mv_ring_shared *hdr[2];
	uint32_t end;
	for (uint32_t n = 0; n < 2; n++) {
		open_channel(n, &tx[n], &rx[n], &end, &hdr[n]);
		for (uint32_t i = 0; i < GOOD; i++)
			CHECK(mv_ring_write(&tx[n], &i, sizeof(i)) == MV_RING_OK);
		if (CHAN_HOSTILE_NET && n == 0)
			send_frames(&tx[n]);
	}
	while (!doorbells)
		wfi(); /* the victim says it has attached to both channels */
	hdr[0]->prod = hdr[0]->prod + 0x100000u; /* far beyond the ring */
	/* A record claiming more bytes than the ring holds, published properly. */
	uint32_t *data = (uint32_t *)((uint8_t *)hdr[1] + MV_RING_HEADER_BYTES);
	data[hdr[1]->prod / 4u] = 0x7ffffff0u;
	__asm__ volatile("dmb ish" ::: "memory");
	hdr[1]->prod += 16u;
	CHECK(mv_call3(MV_CALL_CHANNEL_NOTIFY, 0, 0, 0) == MV_OK);
	CHECK(mv_call3(MV_CALL_CHANNEL_NOTIFY, 1, 0, 0) == MV_OK);
	cell_printf("rings corrupted\n");
}

static void survive(void)
{
	struct mv_ring tx[2], rx[2];
	struct mv_ring_shared *hdr[2];
	uint32_t end, good[2] = { 0, 0 }, v, len;
	int last[2] = { 0, 0 };
	for (uint32_t n = 0; n < 2; n++)
		open_channel(n, &tx[n], &rx[n], &end, &hdr[n]);
	CHECK(mv_call3(MV_CALL_CHANNEL_NOTIFY, 0, 0, 0) == MV_OK); /* ready */
	for (int round = 0;
	     round < 10000 && (last[0] != MV_RING_E_CORRUPT || last[1] != MV_RING_E_CORRUPT);
	     round++) {
		for (uint32_t n = 0; n < 2; n++) {
			while ((last[n] = mv_ring_read(&rx[n], &v, sizeof(v), &len)) ==
			       MV_RING_OK) {
				CHECK(len == sizeof(v) && v == good[n]);
				good[n]++;
			}
		}
		irqs_off();
		if (!mv_ring_enable_notify(&rx[0]) && !mv_ring_enable_notify(&rx[1]))
			wfi();
		irqs_on();
	}
	cell_printf("channel 0: %u good records then %s; channel 1: %u good records then %s\n",
		    good[0], last[0] == MV_RING_E_CORRUPT ? "corrupt ring detected" : "no error",
		    good[1], last[1] == MV_RING_E_CORRUPT ? "corrupt ring detected" : "no error");
	CHECK(last[0] == MV_RING_E_CORRUPT && last[1] == MV_RING_E_CORRUPT);
	CHECK(good[0] <= GOOD && good[1] == GOOD);
	/* The broken rings stay broken; the cell itself carries on. */
	CHECK(mv_ring_read(&rx[0], &v, sizeof(v), &len) == MV_RING_E_CORRUPT);
	CHECK(mv_ring_write(&tx[0], &v, sizeof(v)) == MV_RING_E_CORRUPT ||
	      mv_ring_write(&tx[0], &v, sizeof(v)) == MV_RING_OK);
}

int main(void)
{
	gic_init();
	irqs_on();
	if (mv_cell_info(MV_INFO_CELL_ID) == 0)
		attack();
	else
		survive();
	test_report();
	return 0;
}
