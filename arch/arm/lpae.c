/* SPDX-License-Identifier: MIT */
/* LPAE table builder and walker (ARM ARM B3.6), shared by HYP stage 1 and stage 2. */
#include <arch/lpae.h>
#include <microvisor/arch.h>
#include <microvisor/boot_table.h>

static uint64_t *table_of(uint64_t desc)
{
	return arch_phys_to_virt(pa_init((uint32_t)(desc & LPAE_ADDR_MASK)));
}

/* The next-level table behind `*slot`, allocating it when the slot is empty. */
static uint64_t *next_table(uint64_t *slot, lpae_alloc_fn_t alloc, enum mv_status *st)
{
	if ((*slot & LPAE_TYPE_MASK) == LPAE_TABLE)
		return table_of(*slot);
	if (*slot != LPAE_INVALID) {
		*st = MV_E_INVALID_PARAMETERS; /* a block already covers this range */
		return NULL;
	}
	uint64_t *t = alloc();
	if (!t) {
		*st = MV_E_NO_MEMORY;
		return NULL;
	}
	*slot = (uint64_t)arch_virt_to_phys(t) | LPAE_TABLE;
	return t;
}

enum mv_status lpae_map(uint64_t *l1, uint32_t va, uint32_t pa, uint32_t size, uint64_t attrs,
			lpae_alloc_fn_t alloc)
{
	if (!is_aligned(va | pa | size, PAGE_SIZE) || size == 0 ||
	    (uint64_t)va + size > 0x100000000ull || (uint64_t)pa + size > 0x100000000ull)
		return MV_E_INVALID_PARAMETERS;

	enum mv_status st = MV_OK;
	uint64_t off = 0;
	while (off < size) {
		uint32_t v = va + (uint32_t)off, p = pa + (uint32_t)off;
		uint64_t *l2 = next_table(&l1[v >> LPAE_L1_SHIFT], alloc, &st);
		if (!l2)
			return st;
		uint64_t *slot2 = &l2[(v >> LPAE_L2_SHIFT) & (LPAE_ENTRIES - 1u)];
		if (is_aligned(v | p, BLOCK_2M) && size - off >= BLOCK_2M) {
			if (*slot2 != LPAE_INVALID)
				return MV_E_INVALID_PARAMETERS;
			*slot2 = (uint64_t)p | attrs | LPAE_BLOCK;
			off += BLOCK_2M;
			continue;
		}
		uint64_t *l3 = next_table(slot2, alloc, &st);
		if (!l3)
			return st;
		uint64_t *slot3 = &l3[(v >> LPAE_L3_SHIFT) & (LPAE_ENTRIES - 1u)];
		if (*slot3 != LPAE_INVALID)
			return MV_E_INVALID_PARAMETERS;
		*slot3 = (uint64_t)p | attrs | LPAE_PAGE;
		off += PAGE_SIZE;
	}
	return MV_OK;
}

uint64_t lpae_lookup(const uint64_t *l1, uint32_t va, unsigned *level)
{
	uint64_t d = l1[va >> LPAE_L1_SHIFT];
	*level = 1;
	if ((d & LPAE_TYPE_MASK) != LPAE_TABLE)
		return (d & LPAE_TYPE_MASK) == LPAE_BLOCK ? d : 0;
	d = table_of(d)[(va >> LPAE_L2_SHIFT) & (LPAE_ENTRIES - 1u)];
	*level = 2;
	if ((d & LPAE_TYPE_MASK) != LPAE_TABLE)
		return (d & LPAE_TYPE_MASK) == LPAE_BLOCK ? d : 0;
	d = table_of(d)[(va >> LPAE_L3_SHIFT) & (LPAE_ENTRIES - 1u)];
	*level = 3;
	return (d & LPAE_TYPE_MASK) == LPAE_PAGE ? d : 0;
}

uint64_t lpae_stage2_attrs(uint32_t region_flags)
{
	if (region_flags & MV_REGION_DEVICE)
		return LPAE_AF | LPAE_S2AP_RW | LPAE_S2_MEMATTR_DEVICE | LPAE_XN;
	return LPAE_AF | LPAE_S2AP_RW | LPAE_SH_INNER | LPAE_S2_MEMATTR_NORMAL_WB;
}
