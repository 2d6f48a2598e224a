/* SPDX-License-Identifier: MIT */
/* Unit test of the LPAE stage-2 table builder (arch/arm/lpae.c) through vmmu_init, walked
 * back with lpae_lookup: block and page choice, attributes, overlaps, misalignment, pool
 * exhaustion. */
#include <arch/lpae.h>
#include <vmmu/vmmu.h>

#include "check.h"

static void test_blocks_and_pages(void)
{
	const struct mv_boot_region regions[] = {
		{ 0x80000000u, 0x81000000u, 0x00400000u, MV_REGION_RAM }, /* two 2 MiB blocks */
		{ 0x80400000u, 0x81401000u, 0x00003000u, MV_REGION_RAM }, /* PA unaligned: pages */
		{ 0x1c090000u, 0x1c090000u, 0x00001000u, MV_REGION_DEVICE }, /* a UART page */
	};
	struct vmmu m;
	CHECK(vmmu_init(&m, 3, regions, 3) == MV_OK);
	unsigned level;
	uint64_t d = lpae_lookup(m.arch.root, 0x80000000u, &level);
	CHECK(level == 2 && (d & LPAE_TYPE_MASK) == LPAE_BLOCK);
	CHECK((d & LPAE_ADDR_MASK) == 0x81000000u);
	CHECK((d & LPAE_AF) && (d & LPAE_S2AP_RW) == LPAE_S2AP_RW);
	CHECK((d & (0xfull << 2)) == LPAE_S2_MEMATTR_NORMAL_WB && !(d & LPAE_XN));
	d = lpae_lookup(m.arch.root, 0x80200000u, &level);
	CHECK(level == 2 && (d & LPAE_ADDR_MASK) == 0x81200000u);
	d = lpae_lookup(m.arch.root, 0x80402000u, &level);
	CHECK(level == 3 && (d & LPAE_TYPE_MASK) == LPAE_PAGE &&
	      (d & LPAE_ADDR_MASK) == 0x81403000u);
	CHECK(lpae_lookup(m.arch.root, 0x80403000u, &level) == 0); /* just past the region */
	d = lpae_lookup(m.arch.root, 0x1c090000u, &level);
	CHECK(level == 3 && (d & LPAE_ADDR_MASK) == 0x1c090000u);
	CHECK((d & (0xfull << 2)) == LPAE_S2_MEMATTR_DEVICE && (d & LPAE_XN));
	CHECK(lpae_lookup(m.arch.root, 0x90000000u, &level) == 0);

	struct pa pa;
	CHECK(vmmu_ram_range(&m, ipa_init(0x80100000u), 0x1000, &pa) && pa.bits == 0x81100000u);
	CHECK(!vmmu_ram_range(&m, ipa_init(0x803ff000u), 0x2000, &pa)); /* crosses region end */
	CHECK(!vmmu_ram_range(&m, ipa_init(0x1c090000u), 4, &pa));      /* device, not RAM */
	CHECK(vmmu_find_region(&m, ipa_init(0x7fffffffu)) == NULL);
}

static void test_rejects(void)
{
	const struct mv_boot_region overlap[] = {
		{ 0x80000000u, 0x81000000u, 0x00200000u, MV_REGION_RAM },
		{ 0x80100000u, 0x82000000u, 0x00001000u, MV_REGION_RAM }, /* inside the block */
	};
	struct vmmu m;
	CHECK(vmmu_init(&m, 4, overlap, 2) == MV_E_INVALID_PARAMETERS);
	const struct mv_boot_region misaligned[] = {
		{ 0x80000800u, 0x81000000u, 0x00001000u, MV_REGION_RAM },
	};
	CHECK(vmmu_init(&m, 5, misaligned, 1) == MV_E_INVALID_PARAMETERS);
	const struct mv_boot_region wraps[] = {
		{ 0xfffff000u, 0x81000000u, 0x00002000u, MV_REGION_RAM },
	};
	CHECK(vmmu_init(&m, 6, wraps, 1) == MV_E_INVALID_PARAMETERS);
}

static void test_pool_exhaustion(void)
{
	/* 4 KiB pages scattered one per 2 MiB each need their own level-3 table. */
	struct mv_boot_region r = { 0, 0x81001000u, 0x1000u, MV_REGION_RAM };
	struct vmmu m;
	enum mv_status st = MV_OK;
	for (uint32_t i = 0; i < 1000 && st == MV_OK; i++) {
		r.ipa = 0x40000000u + i * BLOCK_2M + 0x1000u;
		st = vmmu_init(&m, 7, &r, 1);
	}
	CHECK(st == MV_E_NO_MEMORY);
	CHECK(pagepool_free_pages() <= 1);
}

int main(void)
{
	test_blocks_and_pages();
	test_rejects();
	test_pool_exhaustion();
	return check_exit("test_lpae");
}
