/* SPDX-License-Identifier: MIT */
/* Boot-table validation: the microvisor trusts nothing it did not check, not even the
 * image builder's output (a corrupted flash image must stop boot with a clear message). */
#include <microvisor/cell.h>
#include <microvisor/string.h>

static bool overlaps(uint32_t a, uint32_t asize, uint32_t b, uint32_t bsize)
{
	return (uint64_t)a < (uint64_t)b + bsize && (uint64_t)b < (uint64_t)a + asize;
}

static const char *check_region(const struct mv_boot_header *h, const struct mv_boot_region *r)
{
	if (!is_aligned(r->ipa | r->pa | r->size, PAGE_SIZE) || r->size == 0)
		return "region not 4 KiB aligned";
	if ((uint64_t)r->ipa + r->size > 0x100000000ull || (uint64_t)r->pa + r->size > 0x100000000ull)
		return "region beyond 4 GiB";
	if (r->flags != MV_REGION_RAM && r->flags != MV_REGION_DEVICE)
		return "region kind unknown";
	if (overlaps(r->pa, r->size, h->hyp_mem_base, h->hyp_mem_size))
		return "region overlaps microvisor memory";
	return NULL;
}

/* [ipa, ipa + size) lies inside one RAM region of the cell. */
static bool in_ram(const struct mv_boot_header *h, const struct mv_boot_cell *c, uint32_t ipa,
		   uint32_t size)
{
	const struct mv_boot_region *r =
		(const struct mv_boot_region *)((const uint8_t *)h + h->regions_offset) +
		c->first_region;
	for (uint32_t i = 0; i < c->num_regions; i++)
		if (r[i].flags == MV_REGION_RAM && range_contains(r[i].ipa, r[i].size, ipa) &&
		    size <= r[i].size - (ipa - r[i].ipa))
			return true;
	return false;
}

static const char *check_cell(const struct mv_boot_header *h, const struct mv_boot_cell *c,
			      uint32_t max_pcpus)
{
	if (strnlen(c->name, MV_BOOT_NAME_LEN) == MV_BOOT_NAME_LEN)
		return "cell name not terminated";
	if (c->num_vcpus == 0 || c->num_vcpus > MV_BOOT_MAX_VCPUS)
		return "cell vCPU count out of range";
	for (uint32_t i = 0; i < c->num_vcpus; i++)
		if (c->vcpu_pcpu[i] >= h->num_pcpus || c->vcpu_pcpu[i] >= max_pcpus)
			return "vCPU pinned to a CPU that does not exist";
	if (c->priority > 31)
		return "cell priority out of range";
	if (c->time_slice_us == 0 || (c->budget_us && c->budget_us > c->period_us))
		return "cell time slice or budget invalid";
	if (c->num_regions == 0 || c->first_region > h->num_regions ||
	    c->num_regions > h->num_regions - c->first_region)
		return "cell region range out of bounds";
	if (!is_aligned(c->image_offset, MV_BOOT_ALIGN) || c->image_offset > h->total_size ||
	    c->image_size > h->total_size - c->image_offset)
		return "cell image out of bounds";
	if (c->entry_ipa - c->load_ipa >= c->image_size)
		return "cell entry outside its image";
	if (c->dtb_size && (c->dtb_offset % 8 || c->dtb_ipa % 8 || c->dtb_offset > h->total_size ||
			    c->dtb_size > h->total_size - c->dtb_offset))
		return "cell device tree out of bounds";
	if (c->dtb_size && !in_ram(h, c, c->dtb_ipa, c->dtb_size))
		return "cell device tree does not fit in a RAM region";
	if (!in_ram(h, c, c->load_ipa, c->image_size))
		return "cell image does not fit in a RAM region";
	return NULL;
}

static bool virq_ok(uint32_t virq)
{
	return virq >= MV_BOOT_FIRST_SPI && virq <= MV_BOOT_MAX_VIRQ;
}

/* Offset and count of a table of `size`-byte records, inside the boot table. */
static bool table_ok(const struct mv_boot_header *h, uint32_t offset, uint32_t n, uint32_t size,
		     uint32_t max)
{
	return n <= max && offset % 4 == 0 && offset <= h->total_size &&
	       n * size <= h->total_size - offset;
}

static const char *check_links(const struct mv_boot_header *h)
{
	const uint8_t *base = (const uint8_t *)h;
	if (!table_ok(h, h->channels_offset, h->num_channels, sizeof(struct mv_boot_channel),
		      MV_BOOT_MAX_CHANNELS) ||
	    !table_ok(h, h->vdevs_offset, h->num_vdevs, sizeof(struct mv_boot_vdev), MV_BOOT_MAX_VDEVS) ||
	    !table_ok(h, h->irqs_offset, h->num_irqs, sizeof(struct mv_boot_irq), MV_BOOT_MAX_IRQS))
		return "channel, vdev or interrupt table out of bounds";
	const struct mv_boot_channel *ch = (const void *)(base + h->channels_offset);
	for (uint32_t i = 0; i < h->num_channels; i++)
		if (ch[i].cell[0] >= h->num_cells || ch[i].cell[1] >= h->num_cells ||
		    ch[i].cell[0] == ch[i].cell[1] || !is_aligned(ch[i].ipa[0] | ch[i].ipa[1], PAGE_SIZE) ||
		    ch[i].size == 0 || !is_aligned(ch[i].size, 2 * PAGE_SIZE) || !virq_ok(ch[i].virq[0]) ||
		    !virq_ok(ch[i].virq[1]) || strnlen(ch[i].name, MV_BOOT_NAME_LEN) == MV_BOOT_NAME_LEN)
			return "invalid channel";
	const struct mv_boot_vdev *vd = (const void *)(base + h->vdevs_offset);
	for (uint32_t i = 0; i < h->num_vdevs; i++)
		if (vd[i].consumer >= h->num_cells || vd[i].provider >= h->num_cells ||
		    vd[i].consumer == vd[i].provider || !is_aligned(vd[i].ipa | vd[i].size, PAGE_SIZE) ||
		    vd[i].size == 0 || vd[i].size > 0x100000u || !virq_ok(vd[i].provider_virq) ||
		    strnlen(vd[i].name, MV_BOOT_NAME_LEN) == MV_BOOT_NAME_LEN)
			return "invalid vdev";
	const struct mv_boot_irq *irq = (const void *)(base + h->irqs_offset);
	for (uint32_t i = 0; i < h->num_irqs; i++) {
		if (irq[i].cell >= h->num_cells || !virq_ok(irq[i].pirq) || irq[i].virq != irq[i].pirq)
			return "invalid pass-through interrupt";
		for (uint32_t j = 0; j < i; j++)
			if (irq[j].pirq == irq[i].pirq)
				return "pass-through interrupt given twice";
	}
	return NULL;
}

const char *boot_table_check(const struct mv_boot_header *h, uint32_t available, uint32_t max_pcpus)
{
	if (available < sizeof(*h) || h->magic != MV_BOOT_MAGIC)
		return "no boot table (bad magic)";
	if (h->version != MV_BOOT_VERSION || h->header_size != sizeof(*h))
		return "boot table version not supported";
	if (h->total_size > available || h->total_size < sizeof(*h) || !is_aligned(h->total_size, 4))
		return "boot table size out of bounds";
	if (mv_boot_sum(h, h->total_size) != 0)
		return "boot table checksum mismatch";
	if (h->num_pcpus == 0 || h->num_pcpus > max_pcpus)
		return "boot table CPU count not supported";
	if (h->num_cells == 0 || h->num_cells > MV_BOOT_MAX_CELLS || h->num_cells > CONFIG_MAX_CELLS ||
	    h->num_regions > MV_BOOT_MAX_REGIONS)
		return "boot table counts out of range";
	/* Tables are checked before any cell is: check_cell reads the region table. */
	if (h->cells_offset % 4 || h->cells_offset > h->total_size ||
	    h->num_cells * sizeof(struct mv_boot_cell) > h->total_size - h->cells_offset)
		return "cell table out of bounds";
	if (h->regions_offset % 4 || h->regions_offset > h->total_size ||
	    h->num_regions * sizeof(struct mv_boot_region) > h->total_size - h->regions_offset)
		return "region table out of bounds";

	const uint8_t *base = (const uint8_t *)h;
	const struct mv_boot_region *regions = (const void *)(base + h->regions_offset);
	const struct mv_boot_cell *cell_table = (const void *)(base + h->cells_offset);
	for (uint32_t i = 0; i < h->num_regions; i++) {
		const char *e = check_region(h, &regions[i]);
		if (e)
			return e;
		for (uint32_t j = 0; j < i; j++)
			if (overlaps(regions[i].pa, regions[i].size, regions[j].pa, regions[j].size))
				return "regions overlap physically";
	}
	uint32_t vcpus = 0;
	for (uint32_t i = 0; i < h->num_cells; i++) {
		const char *e = check_cell(h, &cell_table[i], max_pcpus);
		if (e)
			return e;
		vcpus += cell_table[i].num_vcpus;
	}
	if (vcpus > CONFIG_MAX_VCPUS)
		return "more vCPUs than CONFIG_MAX_VCPUS";
	return check_links(h);
}
