/* SPDX-License-Identifier: MIT */
/* Boot-table validation: the microvisor trusts nothing it did not check, not even the
 * image builder's output (a corrupted flash image must stop boot with a clear message). */
#include <microvisor/cell.h>
#include <microvisor/string.h>

static bool overlaps(uint32_t a, uint32_t asize, uint32_t b, uint32_t bsize)
{
	return (uint64_t)a < (uint64_t)b + bsize && (uint64_t)b < (uint64_t)a + asize;
}

static bool beyond_4g(uint32_t base, uint32_t size)
{
	return (uint64_t)base + size > 0x100000000ull;
}

static const struct mv_boot_region *region_table(const struct mv_boot_header *h)
{
	return (const struct mv_boot_region *)((const uint8_t *)h + h->regions_offset);
}

/* RAM only in the board's RAM; device memory never in RAM. */
static const char *check_region(const struct mv_boot_header *h, const struct boot_env *env,
				const struct mv_boot_region *r)
{
	if (!is_aligned(r->ipa | r->pa | r->size, PAGE_SIZE) || r->size == 0)
		return "region not 4 KiB aligned";
	if (beyond_4g(r->ipa, r->size) || beyond_4g(r->pa, r->size))
		return "region beyond 4 GiB";
	if (r->flags != MV_REGION_RAM && r->flags != MV_REGION_DEVICE)
		return "region kind unknown";
	if (overlaps(r->pa, r->size, h->hyp_mem_base, h->hyp_mem_size))
		return "region overlaps microvisor memory";
	if (r->flags == MV_REGION_RAM && !mv_board_in_ram(env->board, r->pa, r->size))
		return "RAM region outside the board's RAM";
	if (r->flags == MV_REGION_DEVICE &&
	    overlaps(r->pa, r->size, env->board->ram.base, env->board->ram.size))
		return "device region overlaps the board's RAM";
	return NULL;
}

/* [ipa, ipa + size) lies inside one RAM region of the cell. */
static bool in_ram(const struct mv_boot_header *h, const struct mv_boot_cell *c, uint32_t ipa,
		   uint32_t size)
{
	const struct mv_boot_region *r = region_table(h) + c->first_region;
	for (uint32_t i = 0; i < c->num_regions; i++)
		if (r[i].flags == MV_REGION_RAM && range_contains(r[i].ipa, r[i].size, ipa) &&
		    size <= r[i].size - (ipa - r[i].ipa))
			return true;
	return false;
}

/* [ipa, ipa + size) overlaps one of the cell's regions in IPA space. */
static bool over_regions(const struct mv_boot_header *h, const struct mv_boot_cell *c, uint32_t ipa,
			 uint32_t size)
{
	const struct mv_boot_region *r = region_table(h) + c->first_region;
	for (uint32_t i = 0; i < c->num_regions; i++)
		if (overlaps(r[i].ipa, r[i].size, ipa, size))
			return true;
	return false;
}

/* The board's GIC, its system controllers and the microvisor's UART are the microvisor's
 * (board.h); the UART only passes to the console cell, which the microvisor leaves it to. */
static bool denied(const struct mv_board *b, const struct mv_boot_cell *c,
		   const struct mv_boot_region *r)
{
	bool console = !memcmp(c->name, MV_CONSOLE_CELL, sizeof(MV_CONSOLE_CELL));
	for (uint32_t i = 0; i < mv_board_num_denied(b); i++) {
		struct mv_board_denied d = mv_board_denied(b, i);
		if (overlaps(r->pa, r->size, d.range.base, d.range.size) &&
		    !(d.console_may_own && console))
			return true;
	}
	return false;
}

/* The cell's regions, which start at `first` in the region table: each one the cell's
 * own, none overlapping another or the vGIC in IPA space, no device the board keeps. */
static const char *check_cell_regions(const struct mv_boot_header *h, const struct boot_env *env,
				      const struct mv_boot_cell *c, uint32_t first)
{
	if (c->num_regions == 0 || c->first_region != first ||
	    c->num_regions > h->num_regions - c->first_region)
		return "cell region range out of bounds or shared with another cell";
	const struct mv_boot_region *r = region_table(h) + c->first_region;
	for (uint32_t i = 0; i < c->num_regions; i++) {
		if (overlaps(r[i].ipa, r[i].size, MV_BOOT_VGIC_IPA, MV_BOOT_VGIC_SIZE))
			return "cell region overlaps the vGIC window";
		if (r[i].flags == MV_REGION_DEVICE && denied(env->board, c, &r[i]))
			return "device region overlaps the GIC, the microvisor's UART or a system "
			       "controller";
		for (uint32_t j = 0; j < i; j++)
			if (overlaps(r[i].ipa, r[i].size, r[j].ipa, r[j].size))
				return "cell regions overlap in IPA space";
	}
	return NULL;
}

static const char *check_cell(const struct mv_boot_header *h, const struct boot_env *env,
			      const struct mv_boot_cell *c, uint32_t first_region)
{
	if (strnlen(c->name, MV_BOOT_NAME_LEN) == MV_BOOT_NAME_LEN)
		return "cell name not terminated";
	if (c->num_vcpus == 0 || c->num_vcpus > MV_BOOT_MAX_VCPUS)
		return "cell vCPU count out of range";
	for (uint32_t i = 0; i < c->num_vcpus; i++)
		if (c->vcpu_pcpu[i] >= h->num_pcpus || c->vcpu_pcpu[i] >= env->max_pcpus)
			return "vCPU pinned to a CPU that does not exist";
	if (c->priority > 31)
		return "cell priority out of range";
	if (c->time_slice_us == 0 || (c->budget_us && c->budget_us > c->period_us))
		return "cell time slice or budget invalid";
	const char *e = check_cell_regions(h, env, c, first_region);
	if (e)
		return e;
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

static const struct mv_boot_cell *cell_of(const struct mv_boot_header *h, uint32_t i)
{
	return (const struct mv_boot_cell *)((const uint8_t *)h + h->cells_offset) + i;
}

static const struct mv_boot_channel *channel_table(const struct mv_boot_header *h)
{
	return (const void *)((const uint8_t *)h + h->channels_offset);
}

static const struct mv_boot_vdev *vdev_table(const struct mv_boot_header *h)
{
	return (const void *)((const uint8_t *)h + h->vdevs_offset);
}

/* A window of cell `cell` that the microvisor maps (a channel end) or traps (a vdev): clear
 * of the vGIC, the cell's regions, and the channel ends before `num_ch` in the table. */
static bool window_free(const struct mv_boot_header *h, uint32_t cell, uint32_t ipa, uint32_t size,
			uint32_t num_ch)
{
	if (beyond_4g(ipa, size) || overlaps(ipa, size, MV_BOOT_VGIC_IPA, MV_BOOT_VGIC_SIZE) ||
	    over_regions(h, cell_of(h, cell), ipa, size))
		return false;
	const struct mv_boot_channel *ch = channel_table(h);
	for (uint32_t i = 0; i < num_ch; i++)
		for (uint32_t e = 0; e < 2; e++)
			if (ch[i].cell[e] == cell && overlaps(ch[i].ipa[e], ch[i].size, ipa, size))
				return false;
	return true;
}

static bool channel_ok(const struct mv_boot_header *h, const struct mv_boot_channel *ch,
		       uint32_t index)
{
	if (ch->cell[0] >= h->num_cells || ch->cell[1] >= h->num_cells ||
	    ch->cell[0] == ch->cell[1] || !is_aligned(ch->ipa[0] | ch->ipa[1], PAGE_SIZE) ||
	    ch->size == 0 || !is_aligned(ch->size, 2 * PAGE_SIZE) || !virq_ok(ch->virq[0]) ||
	    !virq_ok(ch->virq[1]) || strnlen(ch->name, MV_BOOT_NAME_LEN) == MV_BOOT_NAME_LEN)
		return false;
	return window_free(h, ch->cell[0], ch->ipa[0], ch->size, index) &&
	       window_free(h, ch->cell[1], ch->ipa[1], ch->size, index);
}

static bool vdev_ok(const struct mv_boot_header *h, const struct mv_boot_vdev *vd, uint32_t index)
{
	if (vd->consumer >= h->num_cells || vd->provider >= h->num_cells ||
	    vd->consumer == vd->provider || !is_aligned(vd->ipa | vd->size, PAGE_SIZE) ||
	    vd->size == 0 || vd->size > 0x100000u || !virq_ok(vd->provider_virq) ||
	    strnlen(vd->name, MV_BOOT_NAME_LEN) == MV_BOOT_NAME_LEN ||
	    !window_free(h, vd->consumer, vd->ipa, vd->size, h->num_channels))
		return false;
	const struct mv_boot_vdev *other = vdev_table(h);
	for (uint32_t i = 0; i < index; i++)
		if (other[i].consumer == vd->consumer &&
		    overlaps(other[i].ipa, other[i].size, vd->ipa, vd->size))
			return false;
	return true;
}

/* What channels_create() and vdevs_create() would otherwise run out of: a cell's channel
 * and vdev slots, and the microvisor memory after the boot table (channels are taken from
 * it page aligned, in table order). */
static const char *check_capacity(const struct mv_boot_header *h, const struct boot_env *env)
{
	const struct mv_boot_channel *ch = channel_table(h);
	const struct mv_boot_vdev *vd = vdev_table(h);
	for (uint32_t c = 0; c < h->num_cells; c++) {
		uint32_t ends = 0, provides = 0;
		for (uint32_t i = 0; i < h->num_channels; i++)
			ends += (ch[i].cell[0] == c ? 1u : 0u) + (ch[i].cell[1] == c ? 1u : 0u);
		for (uint32_t i = 0; i < h->num_vdevs; i++)
			provides += vd[i].provider == c ? 1u : 0u;
		if (ends > MV_BOOT_CELL_MAX_CHANNELS)
			return "a cell has more than MV_BOOT_CELL_MAX_CHANNELS channels";
		if (provides > MV_BOOT_CELL_MAX_VDEVS)
			return "a cell provides more than MV_BOOT_CELL_MAX_VDEVS vdevs";
	}
	uint64_t next = (uint64_t)env->table_pa + h->total_size + PAGE_SIZE - 1u;
	next &= ~(uint64_t)(PAGE_SIZE - 1u);
	for (uint32_t i = 0; i < h->num_channels; i++)
		next += ch[i].size;
	if (next > (uint64_t)h->hyp_mem_base + h->hyp_mem_size)
		return "channel memory does not fit in microvisor memory";
	return NULL;
}

static const char *check_links(const struct mv_boot_header *h, const struct boot_env *env)
{
	if (!table_ok(h, h->channels_offset, h->num_channels, sizeof(struct mv_boot_channel),
		      MV_BOOT_MAX_CHANNELS) ||
	    !table_ok(h, h->vdevs_offset, h->num_vdevs, sizeof(struct mv_boot_vdev),
		      MV_BOOT_MAX_VDEVS) ||
	    !table_ok(h, h->irqs_offset, h->num_irqs, sizeof(struct mv_boot_irq), MV_BOOT_MAX_IRQS))
		return "channel, vdev or interrupt table out of bounds";
	for (uint32_t i = 0; i < h->num_channels; i++)
		if (!channel_ok(h, &channel_table(h)[i], i))
			return "invalid channel";
	for (uint32_t i = 0; i < h->num_vdevs; i++)
		if (!vdev_ok(h, &vdev_table(h)[i], i))
			return "invalid vdev";
	const struct mv_boot_irq *irq = (const void *)((const uint8_t *)h + h->irqs_offset);
	for (uint32_t i = 0; i < h->num_irqs; i++) {
		if (irq[i].cell >= h->num_cells || !virq_ok(irq[i].pirq) ||
		    irq[i].virq != irq[i].pirq)
			return "invalid pass-through interrupt";
		for (uint32_t j = 0; j < i; j++)
			if (irq[j].pirq == irq[i].pirq)
				return "pass-through interrupt given twice";
	}
	return check_capacity(h, env);
}

/* The microvisor's memory holds the microvisor where it really is and its boot table, and
 * lies in the board's RAM. */
static const char *check_hyp_mem(const struct mv_boot_header *h, const struct boot_env *env)
{
	uint64_t end = (uint64_t)h->hyp_mem_base + h->hyp_mem_size;
	if (!is_aligned(h->hyp_mem_base | h->hyp_mem_size, PAGE_SIZE) || h->hyp_mem_size == 0 ||
	    !mv_board_in_ram(env->board, h->hyp_mem_base, h->hyp_mem_size))
		return "microvisor memory not 4 KiB aligned or outside the board's RAM";
	if (env->image_pa < h->hyp_mem_base || env->table_pa < env->image_pa ||
	    (uint64_t)env->table_pa + h->total_size > end)
		return "microvisor memory does not hold the microvisor and its boot table";
	return NULL;
}

static const char *check_tables(const struct mv_boot_header *h)
{
	if (h->num_pcpus == 0)
		return "boot table CPU count not supported";
	if (h->num_cells == 0 || h->num_cells > MV_BOOT_MAX_CELLS ||
	    h->num_cells > CONFIG_MAX_CELLS || h->num_regions > MV_BOOT_MAX_REGIONS)
		return "boot table counts out of range";
	/* Tables are checked before any cell is: check_cell reads the region table. */
	if (h->cells_offset % 4 || h->cells_offset > h->total_size ||
	    h->num_cells * sizeof(struct mv_boot_cell) > h->total_size - h->cells_offset)
		return "cell table out of bounds";
	if (h->regions_offset % 4 || h->regions_offset > h->total_size ||
	    h->num_regions * sizeof(struct mv_boot_region) > h->total_size - h->regions_offset)
		return "region table out of bounds";
	return NULL;
}

const char *boot_table_check(const struct mv_boot_header *h, const struct boot_env *env)
{
	if (env->available < sizeof(*h) || h->magic != MV_BOOT_MAGIC)
		return "no boot table (bad magic)";
	if (h->version != MV_BOOT_VERSION || h->header_size != sizeof(*h))
		return "boot table version not supported";
	if (h->total_size > env->available || h->total_size < sizeof(*h) ||
	    !is_aligned(h->total_size, 4))
		return "boot table size out of bounds";
	if (mv_boot_sum(h, h->total_size) != 0)
		return "boot table checksum mismatch";
	if (h->num_pcpus > env->max_pcpus)
		return "boot table CPU count not supported";
	const char *e = check_tables(h);
	if (!e)
		e = check_hyp_mem(h, env);
	const struct mv_boot_region *regions = region_table(h);
	for (uint32_t i = 0; !e && i < h->num_regions; i++) {
		e = check_region(h, env, &regions[i]);
		for (uint32_t j = 0; !e && j < i; j++)
			if (overlaps(regions[i].pa, regions[i].size, regions[j].pa,
				     regions[j].size))
				e = "regions overlap physically";
	}
	uint32_t vcpus = 0, owned = 0;
	for (uint32_t i = 0; !e && i < h->num_cells; i++) {
		e = check_cell(h, env, cell_of(h, i), owned);
		owned += cell_of(h, i)->num_regions;
		vcpus += cell_of(h, i)->num_vcpus;
	}
	if (e)
		return e;
	if (owned != h->num_regions)
		return "regions not owned by any cell";
	if (vcpus > CONFIG_MAX_VCPUS)
		return "more vCPUs than CONFIG_MAX_VCPUS";
	return check_links(h, env);
}
