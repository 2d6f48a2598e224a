/* SPDX-License-Identifier: MIT */
/* Guest-physical address spaces: build each cell's stage-2 tables from its regions, and
 * answer which region an IPA falls in (the stage-2 fault path and image loading use it). */
#include <microvisor/arch.h>
#include <microvisor/string.h>
#include <vmmu/vmmu.h>

static uint8_t page_pool[CONFIG_STAGE2_POOL_PAGES][PAGE_SIZE] MV_ALIGNED(PAGE_SIZE);
static uint32_t page_pool_used;

void *pagepool_alloc(void)
{
	if (page_pool_used == CONFIG_STAGE2_POOL_PAGES)
		return NULL;
	void *p = page_pool[page_pool_used++];
	memset(p, 0, PAGE_SIZE);
	return p;
}

uint32_t pagepool_free_pages(void)
{
	return CONFIG_STAGE2_POOL_PAGES - page_pool_used;
}

enum mv_status vmmu_init(struct vmmu *m, uint32_t vmid, const struct mv_boot_region *regions,
			 uint32_t n)
{
	m->vmid = vmid;
	m->regions = regions;
	m->num_regions = n;
	enum mv_status st = arch_stage2_init(m);
	for (uint32_t i = 0; i < n && st == MV_OK; i++)
		st = arch_stage2_map(m, ipa_init(regions[i].ipa), pa_init(regions[i].pa),
				     regions[i].size, regions[i].flags);
	return st;
}

const struct mv_boot_region *vmmu_find_region(const struct vmmu *m, struct ipa ipa)
{
	for (uint32_t i = 0; i < m->num_regions; i++)
		if (range_contains(m->regions[i].ipa, m->regions[i].size, ipa.bits))
			return &m->regions[i];
	return NULL;
}

bool vmmu_ram_range(const struct vmmu *m, struct ipa ipa, uint32_t size, struct pa *pa)
{
	const struct mv_boot_region *r = vmmu_find_region(m, ipa);
	if (!r || !(r->flags & MV_REGION_RAM) || size > r->size - (ipa.bits - r->ipa))
		return false;
	*pa = pa_init(r->pa + (ipa.bits - r->ipa));
	return true;
}
