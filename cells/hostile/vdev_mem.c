/* SPDX-License-Identifier: MIT */
/* The provider of the MMIO fuzzer's vdev window: 4 KiB of byte-addressed memory. It
 * refuses one request in 16 (the consumer's access aborts), returns loads with random bits
 * above the access size (the microvisor must truncate them), and completes stale and
 * repeated tags, which must be refused. A word store of STOP at 0xffc ends it. */
#include <cell/runtime.h>

#include "fuzz.h"

#define STOP_OFFSET 0xffcu
#define STOP_MAGIC 0x53544f50u

static uint8_t mem[HOSTILE_VDEV_SIZE];
static uint32_t served, loads, stores, refused, unaligned, bad_requests, stale_ok, stale_bad;

static void on_request(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
}

static void bad_request(const char *what, const struct mv_result *q, uint32_t r0)
{
	if (bad_requests++ < 8)
		cell_printf("bad request (%s): tag %08x access %08x value %08x -> %08x\n", what,
			    q->r1, q->r2, q->r3, r0);
}

static void complete(const struct mv_result *q, uint32_t value, uint32_t abort)
{
	uint32_t r0 = mv_hvc(MV_CALL_VDEV_COMPLETE, 0, q->r1, value, abort, 0, 0).r0;
	if (r0 != MV_OK)
		bad_request("completion refused", q, r0);
}

/* Tags that name no outstanding request: the one just completed, and its neighbour. */
static void stale_tags(struct fuzz_rng *r, uint32_t tag)
{
	uint32_t t = fuzz_below(r, 2) ? tag : tag + 0x100u;
	int32_t st = (int32_t)mv_hvc(MV_CALL_VDEV_COMPLETE, 0, t, 0, fuzz_below(r, 2), 0, 0).r0;
	int32_t bad = (int32_t)mv_hvc(MV_CALL_VDEV_COMPLETE, 0, tag, 0, 2, 0, 0).r0;
	if (st == MV_E_NOT_PRESENT && bad == MV_E_INVALID_PARAMETERS)
		stale_ok++;
	else
		stale_bad++;
}

/* Serves one request; returns true when it was the stop word. */
static bool serve(struct fuzz_rng *r, const struct mv_result *q)
{
	uint32_t off = MV_VDEV_ACCESS_OFFSET(q->r2), size = MV_VDEV_ACCESS_SIZE(q->r2);
	bool write = MV_VDEV_ACCESS_WRITE(q->r2);
	served++;
	unaligned += off % size != 0; /* QEMU does not fault unaligned Device accesses */
	if ((size != 1 && size != 2 && size != 4) || off + size > HOSTILE_VDEV_SIZE) {
		bad_request("malformed", q, 0);
		complete(q, 0, 1);
		return false;
	}
	if (write && off == STOP_OFFSET && size == 4 && q->r3 == STOP_MAGIC) {
		complete(q, 0, 0);
		return true;
	}
	if (fuzz_one_in(r, 16)) {
		refused++;
		complete(q, 0, 1);
	} else if (write) {
		stores++;
		for (uint32_t i = 0; i < size; i++)
			mem[off + i] = (uint8_t)(q->r3 >> (8 * i));
		complete(q, 0, 0);
	} else {
		loads++;
		uint32_t v = size == 4 ? 0 : fuzz_next(r) << (8 * size);
		for (uint32_t i = 0; i < size; i++)
			v |= (uint32_t)mem[off + i] << (8 * i);
		complete(q, v, 0);
	}
	if (fuzz_one_in(r, 32))
		stale_tags(r, q->r1);
	return false;
}

int main(void)
{
	struct fuzz_rng r;
	fuzz_seed(&r, FUZZ_SEED ^ 0x76646576u);
	struct mv_result info = mv_hvc(MV_CALL_VDEV_INFO, 0, 0, 0, 0, 0, 0);
	CHECK(info.r0 == MV_OK && info.r1 == HOSTILE_VDEV_SIZE);
	gic_init();
	irq_enable(info.r2, on_request, 0x80);
	irqs_on();
	for (;;) {
		struct mv_result q = mv_hvc(MV_CALL_VDEV_GET, 0, 0, 0, 0, 0, 0);
		if (q.r0 == (uint32_t)MV_E_NOT_PRESENT) {
			irqs_off();
			q = mv_hvc(MV_CALL_VDEV_GET, 0, 0, 0, 0, 0, 0);
			if (q.r0 == (uint32_t)MV_E_NOT_PRESENT)
				wfi();
			irqs_on();
			if (q.r0 == (uint32_t)MV_E_NOT_PRESENT)
				continue;
		}
		if (q.r0 != MV_OK) {
			bad_request("VDEV_GET failed", &q, q.r0);
			break;
		}
		if (serve(&r, &q))
			break;
	}
	cell_printf("served %u requests: %u loads, %u stores, %u refused, %u unaligned\n", served,
		    loads, stores, refused, unaligned);
	cell_printf("stale tags refused %u times, accepted %u times; %u bad requests\n", stale_ok,
		    stale_bad, bad_requests);
	CHECK(served > 0 && bad_requests == 0 && stale_bad == 0);
	test_report();
	return 0;
}
