/* SPDX-License-Identifier: MIT */
/* vdev provider: emulates a 4 KiB register file for the consumer cell. Writing the
 * RESTART register makes it restart itself without answering (the consumer's access
 * must then abort); writing DONE is answered, then it powers itself off. */
#include <cell/runtime.h>

#define REG_MAGIC 0x800u
#define REG_IGNORED 0xff0u /* taken and never answered: the microvisor times it out */
#define REG_DONE 0xff8u
#define REG_RESTART 0xffcu

static uint32_t regs[1024];
static volatile uint32_t doorbells;

static void on_request(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
	doorbells++;
}

static uint32_t read_reg(uint32_t offset, uint32_t size, uint32_t resets)
{
	if ((offset & ~3u) == REG_MAGIC)
		return 0x12345678u ^ resets;
	uint32_t word = regs[offset / 4u] >> (8u * (offset & 3u));
	return size == 4 ? word : word & ((1u << (8u * size)) - 1u);
}

static void write_reg(uint32_t offset, uint32_t size, uint32_t value)
{
	uint32_t shift = 8u * (offset & 3u);
	uint32_t mask = (size == 4 ? 0xffffffffu : (1u << (8u * size)) - 1u) << shift;
	regs[offset / 4u] = (regs[offset / 4u] & ~mask) | ((value << shift) & mask);
}

int main(void)
{
	uint32_t resets = mv_cell_info(MV_INFO_RESET_COUNT);
	struct mv_result info = mv_hvc(MV_CALL_VDEV_INFO, 0, 0, 0, 0, 0, 0);
	CHECK(info.r0 == MV_OK && info.r1 == 0x1000u);
	CHECK(mv_call3(MV_CALL_VDEV_INFO, 1, 0, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(mv_call3(MV_CALL_VDEV_COMPLETE, 0, 0xdead00u, 0) == MV_E_NOT_PRESENT);
	CHECK((int32_t)mv_hvc(MV_CALL_VDEV_COMPLETE, 0, 0, 0, 7, 0, 0).r0 ==
	      MV_E_INVALID_PARAMETERS);
	gic_init();
	irq_enable(info.r2, on_request, 0x80);
	irqs_on();
	uint32_t ignored_tag = 0;
	for (uint32_t served = 0;;) {
		struct mv_result r = mv_hvc(MV_CALL_VDEV_GET, 0, 0, 0, 0, 0, 0);
		if ((int32_t)r.r0 == MV_E_NOT_PRESENT) {
			wfi();
			continue;
		}
		uint32_t offset = MV_VDEV_ACCESS_OFFSET(r.r2), size = MV_VDEV_ACCESS_SIZE(r.r2);
		uint32_t value = 0;
		if (ignored_tag) { /* the consumer gave up on it: a late answer is refused */
			CHECK(mv_hvc(MV_CALL_VDEV_COMPLETE, 0, ignored_tag, 0, 0, 0, 0).r0 ==
			      (uint32_t)MV_E_NOT_PRESENT);
			ignored_tag = 0;
		}
		if (!MV_VDEV_ACCESS_WRITE(r.r2) && offset == REG_IGNORED) {
			ignored_tag = r.r1;
			continue;
		}
		if (MV_VDEV_ACCESS_WRITE(r.r2) && offset == REG_RESTART) {
			cell_printf("restarting with a request outstanding (served %u)\n", served);
			mv_system_reset();
		}
		if (MV_VDEV_ACCESS_WRITE(r.r2))
			write_reg(offset, size, r.r3);
		else
			value = read_reg(offset, size, resets);
		CHECK(mv_hvc(MV_CALL_VDEV_COMPLETE, 0, r.r1, value, 0, 0, 0).r0 == MV_OK);
		served++;
		if (MV_VDEV_ACCESS_WRITE(r.r2) && offset == REG_DONE) {
			cell_printf("served %u requests after %u restart(s), %u doorbells\n",
				    served, resets, doorbells);
			test_report();
			return 0;
		}
	}
}
