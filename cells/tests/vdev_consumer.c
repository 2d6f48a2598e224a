/* SPDX-License-Identifier: MIT */
/* vdev consumer: plain loads and stores of every size to a window emulated by the
 * provider cell, including one that is outstanding when the provider restarts. */
#include <cell/runtime.h>

#define WINDOW 0x40000000u
#define REG_MAGIC 0x800u
#define REG_IGNORED 0xff0u
#define REG_DONE 0xff8u
#define REG_RESTART 0xffcu

static volatile uint32_t aborts, abort_far;

static uint32_t on_fault(const struct cell_fault *f)
{
	if (f->kind != CELL_FAULT_DABT)
		mv_system_off();
	aborts++;
	abort_far = f->far;
	return f->pc + 4;
}

static int32_t load_signed_byte(uint32_t off)
{
	int32_t v;
	__asm__ volatile("ldrsb %0, [%1]" : "=r"(v) : "r"(WINDOW + off) : "memory");
	return v;
}

static int32_t load_signed_half(uint32_t off)
{
	int32_t v;
	__asm__ volatile("ldrsh %0, [%1]" : "=r"(v) : "r"(WINDOW + off) : "memory");
	return v;
}

static void check_accesses(void)
{
	for (uint32_t i = 0; i < 64; i++)
		mmio_write32(WINDOW + 4 * i, 0x01010101u * i ^ 0xa5a5a5a5u);
	uint32_t good = 0;
	for (uint32_t i = 0; i < 64; i++)
		good += mmio_read32(WINDOW + 4 * i) == (0x01010101u * i ^ 0xa5a5a5a5u);
	CHECK(good == 64);
	mmio_write8(WINDOW + 0x101, 0x80);
	CHECK(mmio_read8(WINDOW + 0x101) == 0x80);
	CHECK(load_signed_byte(0x101) == -128);
	mmio_write16(WINDOW + 0x202, 0x8001);
	CHECK(mmio_read16(WINDOW + 0x202) == 0x8001);
	CHECK(load_signed_half(0x202) == (int32_t)0xffff8001);
	CHECK(mmio_read32(WINDOW + 0x200) == 0x80010000u);
	CHECK(mmio_read32(WINDOW + REG_MAGIC) == 0x12345678u);
}

int main(void)
{
	cell_fault_hook = on_fault;
	check_accesses();

	mmio_write32(WINDOW + REG_RESTART, 1); /* the provider restarts instead of answering */
	CHECK(aborts == 1 && abort_far == WINDOW + REG_RESTART);

	uint32_t magic = 0;
	for (int i = 0; i < 100 && magic != (0x12345678u ^ 1u); i++)
		magic = mmio_read32(WINDOW + REG_MAGIC); /* aborts until the provider is back */
	CHECK(magic == (0x12345678u ^ 1u));
	CHECK(mmio_read32(WINDOW + 0x10) == 0); /* a fresh register file */

	/* A provider that takes a request and never answers: the access aborts once the
	 * microvisor's bound on the wait (CONFIG_VDEV_TIMEOUT_US, 100 ms) passes, and the
	 * provider's late answer is refused. */
	uint32_t before = aborts;
	uint64_t start = timer_now();
	(void)mmio_read32(WINDOW + REG_IGNORED);
	uint64_t waited_ms = (timer_now() - start) / (timer_freq() / 1000u);
	CHECK(aborts == before + 1 && abort_far == WINDOW + REG_IGNORED);
	cell_printf("unanswered access aborted after %u ms\n", (uint32_t)waited_ms);
	CHECK(waited_ms >= 100 && waited_ms < 1000);
	CHECK(mmio_read32(WINDOW + REG_MAGIC) == (0x12345678u ^ 1u));
	before = aborts;
	mmio_write32(WINDOW + REG_DONE, 1);
	CHECK(aborts == before);
	for (int i = 0; i < 10000 && aborts == before; i++)
		(void)mmio_read32(WINDOW); /* the provider powered off: the access aborts at once */
	CHECK(aborts == before + 1);
	cell_printf("%u aborts\n", aborts);
	test_report();
	return 0;
}
