/* SPDX-License-Identifier: MIT */
/* The system description (docs/system-description.md) parsed from a DTB and validated. */
#include "sysdesc.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <libfdt.h>

#define COMPATIBLE_V1 "mv,system-v1"
#define FOUR_GIB 0x100000000ull

/* What a property lookup found; a malformed property has already been reported. */
enum prop_status { PROP_ABSENT, PROP_BAD, PROP_OK };

struct parser {
	const void *fdt;
	struct sysdesc *sd;
	struct diag *d;
	bool pcpus_known;       /* /microvisor cpus was valid, so `cpus` entries can be checked */
	bool regions_exhausted; /* "too many regions" is reported once, not once per cell */
};

/* The regions of one cell, gathered before they are appended to the system's table. */
struct cell_regions {
	uint32_t num_ram;
	uint32_t num;
	struct sysdesc_region r[MV_BOOT_MAX_REGIONS];
};

static const char *const root_props[] = { "compatible", NULL };
static const char *const microvisor_props[] = { "memory", "cpus", NULL };
static const char *const no_props[] = { NULL };
static const char *const cell_props[] = {
	"image", "memory", "devices", "load-address", "entry", "vcpus", "cpus", "priority",
	"time-slice-us", "budget-us", "period-us", NULL,
};

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++) {
		if (strcmp(name, *list) == 0)
			return true;
	}
	return false;
}

/* dtc's own bookkeeping, present in any tree whether the author wrote it or not. */
static bool is_bookkeeping(const char *name)
{
	static const char *const names[] = { "name", "phandle", "linux,phandle", NULL };

	return in_list(name, names);
}

static void join_path(char *out, const char *parent, const char *name)
{
	snprintf(out, SYSDESC_PATH_MAX, "%s/%s", strcmp(parent, "/") == 0 ? "" : parent, name);
}

static void check_properties(struct parser *p, int node, const char *path,
			     const char *const *known)
{
	int prop;

	fdt_for_each_property_offset(prop, p->fdt, node) {
		const char *name = NULL;

		if (!fdt_getprop_by_offset(p->fdt, prop, &name, NULL) || !name)
			continue;
		if (!in_list(name, known) && !is_bookkeeping(name))
			diag_error(p->d, path, name, "unknown property");
	}
}

/* Report each subnode of `node` whose name is not in `known`. */
static void check_subnodes(struct parser *p, int node, const char *path,
			   const char *const *known)
{
	int sub;

	fdt_for_each_subnode(sub, p->fdt, node) {
		const char *name = fdt_get_name(p->fdt, sub, NULL);
		char sub_path[SYSDESC_PATH_MAX];

		if (!name || in_list(name, known))
			continue;
		join_path(sub_path, path, name);
		diag_error(p->d, sub_path, DIAG_NO_PROPERTY, "unknown node");
	}
}

static enum prop_status read_u32(struct parser *p, int node, const char *path,
				 const char *prop, uint32_t *val)
{
	int len;
	const fdt32_t *v = fdt_getprop(p->fdt, node, prop, &len);

	if (!v)
		return PROP_ABSENT;
	if (len != (int)sizeof(*v)) {
		diag_error(p->d, path, prop, "length %d, expected 4 (one cell)", len);
		return PROP_BAD;
	}
	*val = fdt32_ld(v);
	return PROP_OK;
}

/* An optional one-cell property in [min, max]; `*val` keeps `def` unless it is valid. */
static enum prop_status read_u32_range(struct parser *p, int node, const char *path,
				       const char *prop, uint32_t def, uint32_t min,
				       uint32_t max, uint32_t *val)
{
	uint32_t v = def;
	enum prop_status st = read_u32(p, node, path, prop, &v);

	*val = def;
	if (st != PROP_OK)
		return st;
	if (v < min || v > max) {
		diag_error(p->d, path, prop, "%" PRIu32 " is out of range %" PRIu32 "..%" PRIu32,
			   v, min, max);
		return PROP_BAD;
	}
	*val = v;
	return PROP_OK;
}

/* Checks shared by every region: page alignment, non-empty, inside the 32-bit space. */
static void check_range(struct parser *p, const char *path, const char *prop,
			const char *what, const char *kind, uint32_t base, uint32_t size)
{
	if (base % MV_BOOT_ALIGN)
		diag_error(p->d, path, prop, "%s%s 0x%08" PRIx32 " is not 4 KiB aligned", what,
			   kind, base);
	if ((uint64_t)base + size > FOUR_GIB)
		diag_error(p->d, path, prop,
			   "%s%s 0x%08" PRIx32 " + size 0x%08" PRIx32 " is beyond 4 GiB", what,
			   kind, base, size);
}

static void check_size(struct parser *p, const char *path, const char *prop,
		       const char *what, uint32_t size)
{
	if (size == 0)
		diag_error(p->d, path, prop, "%ssize is 0", what);
	else if (size % MV_BOOT_ALIGN)
		diag_error(p->d, path, prop,
			   "%ssize 0x%08" PRIx32 " is not a multiple of 4 KiB", what, size);
}

static bool overlaps(uint32_t a, uint32_t a_size, uint32_t b, uint32_t b_size)
{
	return (uint64_t)a < (uint64_t)b + b_size && (uint64_t)b < (uint64_t)a + a_size;
}

static const char *region_prop(const struct sysdesc_region *r)
{
	return r->flags == MV_REGION_RAM ? "memory" : "devices";
}

/* The string property `prop`, NUL-terminated and non-empty, or NULL (reported). */
static const char *read_string(struct parser *p, int node, const char *path,
			       const char *prop)
{
	int len;
	const char *v = fdt_getprop(p->fdt, node, prop, &len);

	if (!v) {
		diag_error(p->d, path, prop, "missing required property");
		return NULL;
	}
	if (len <= 0 || v[len - 1] != '\0' || memchr(v, '\0', (size_t)len) != v + len - 1) {
		diag_error(p->d, path, prop, "not a single string");
		return NULL;
	}
	if (len == 1) {
		diag_error(p->d, path, prop, "empty string");
		return NULL;
	}
	return v;
}

static void parse_root(struct parser *p, int root)
{
	static const char *const top_nodes[] = { "microvisor", "cells", NULL };
	const char *compat;

	check_properties(p, root, "/", root_props);
	check_subnodes(p, root, "/", top_nodes);
	compat = read_string(p, root, "/", "compatible");
	if (compat && strcmp(compat, COMPATIBLE_V1) != 0)
		diag_error(p->d, "/", "compatible", "\"%s\" must be \"" COMPATIBLE_V1 "\"",
			   compat);
}

static void parse_microvisor_memory(struct parser *p, int node)
{
	int len;
	const fdt32_t *v = fdt_getprop(p->fdt, node, "memory", &len);
	uint32_t base, size;

	if (!v) {
		diag_error(p->d, "/microvisor", "memory", "missing required property");
		return;
	}
	if (len != 2 * (int)sizeof(*v)) {
		diag_error(p->d, "/microvisor", "memory", "length %d, expected 8 (<pa size>)",
			   len);
		return;
	}
	base = fdt32_ld(&v[0]);
	size = fdt32_ld(&v[1]);
	check_range(p, "/microvisor", "memory", "", "pa", base, size);
	check_size(p, "/microvisor", "memory", "", size);
	p->sd->hyp_mem_base = base;
	p->sd->hyp_mem_size = size;
}

static void parse_microvisor(struct parser *p)
{
	int node = fdt_path_offset(p->fdt, "/microvisor");

	if (node < 0) {
		diag_error(p->d, "/microvisor", DIAG_NO_PROPERTY, "missing node");
		return;
	}
	check_properties(p, node, "/microvisor", microvisor_props);
	check_subnodes(p, node, "/microvisor", no_props);
	parse_microvisor_memory(p, node);
	p->pcpus_known = read_u32_range(p, node, "/microvisor", "cpus", 1, 1,
					SYSDESC_MAX_PCPUS, &p->sd->num_pcpus) != PROP_BAD;
}

/* Validate one `<ipa pa size>` triple, then add it to the cell's list. */
static void add_region(struct parser *p, const char *path, const char *prop,
		       struct cell_regions *cr, const struct sysdesc_region *r)
{
	char what[32];

	snprintf(what, sizeof(what), "region %" PRIu32 ": ", r->index);
	check_range(p, path, prop, what, "ipa", r->ipa, r->size);
	check_range(p, path, prop, what, "pa", r->pa, r->size);
	check_size(p, path, prop, what, r->size);
	if (cr->num == MV_BOOT_MAX_REGIONS) {
		if (!p->regions_exhausted)
			diag_error(p->d, path, prop,
				   "%sthe whole system has more than %u regions", what,
				   MV_BOOT_MAX_REGIONS);
		p->regions_exhausted = true;
		return;
	}
	cr->r[cr->num++] = *r;
}

/* Parse the triples of `memory` or `devices` into `cr`. */
static void parse_regions(struct parser *p, int node, const char *path, uint32_t cell,
			  uint32_t flags, struct cell_regions *cr)
{
	const char *prop = flags == MV_REGION_RAM ? "memory" : "devices";
	int len;
	const fdt32_t *v = fdt_getprop(p->fdt, node, prop, &len);
	uint32_t n;

	if (!v) {
		if (flags == MV_REGION_RAM)
			diag_error(p->d, path, prop, "missing required property");
		return;
	}
	if (len <= 0 || len % 12 != 0) {
		diag_error(p->d, path, prop,
			   "length %d is not a whole, non-zero number of <ipa pa size> triples",
			   len);
		return;
	}
	n = (uint32_t)len / 12u;
	for (uint32_t i = 0; i < n; i++) {
		struct sysdesc_region r = {
			.ipa = fdt32_ld(&v[3 * i]),
			.pa = fdt32_ld(&v[3 * i + 1]),
			.size = fdt32_ld(&v[3 * i + 2]),
			.flags = flags,
			.cell = cell,
			.index = i,
		};
		add_region(p, path, prop, cr, &r);
	}
}

static const struct sysdesc_region *ram_at(const struct sysdesc_region *r, uint32_t n,
					   uint32_t ipa)
{
	for (uint32_t i = 0; i < n; i++) {
		if (r[i].flags == MV_REGION_RAM && ipa >= r[i].ipa &&
		    (uint64_t)ipa < (uint64_t)r[i].ipa + r[i].size)
			return &r[i];
	}
	return NULL;
}

const struct sysdesc_region *sysdesc_ram_at(const struct sysdesc *sd,
					    const struct sysdesc_cell *c, uint32_t ipa)
{
	if (c->first_region + c->num_ram > sd->num_regions)
		return NULL;
	return ram_at(&sd->regions[c->first_region], c->num_ram, ipa);
}

/* Regions of one cell share one stage-2 table, so they must be disjoint in IPA space. */
static void check_ipa_overlaps(struct parser *p, const struct sysdesc_cell *c,
			       const struct cell_regions *cr)
{
	for (uint32_t j = 1; j < cr->num; j++) {
		const struct sysdesc_region *b = &cr->r[j];

		for (uint32_t i = 0; i < j; i++) {
			const struct sysdesc_region *a = &cr->r[i];

			if (!overlaps(a->ipa, a->size, b->ipa, b->size))
				continue;
			diag_error(p->d, c->path, region_prop(b),
				   "region %" PRIu32 " overlaps %s %s region %" PRIu32
				   " in IPA space (ipa 0x%08" PRIx32 ", size 0x%08" PRIx32 ")",
				   b->index, c->path, region_prop(a), a->index, b->ipa, b->size);
		}
	}
}

static void parse_image(struct parser *p, int node, struct sysdesc_cell *c)
{
	const char *image = read_string(p, node, c->path, "image");

	if (!image)
		return;
	if (strlen(image) >= SYSDESC_PATH_MAX) {
		diag_error(p->d, c->path, "image", "file name longer than %u characters",
			   SYSDESC_PATH_MAX - 1);
		return;
	}
	memcpy(c->image, image, strlen(image) + 1);
}

/* load-address defaults to the first RAM region; entry defaults to load-address. */
static void parse_load_entry(struct parser *p, int node, struct sysdesc_cell *c,
			     const struct cell_regions *cr)
{
	uint32_t load = cr->num_ram ? cr->r[0].ipa : 0;
	enum prop_status st = read_u32(p, node, c->path, "load-address", &load);

	if (st == PROP_OK && cr->num_ram && !ram_at(cr->r, cr->num_ram, load))
		diag_error(p->d, c->path, "load-address",
			   "0x%08" PRIx32 " is not inside a memory region of the cell", load);
	c->load_ipa = load;
	c->entry_ipa = load;
	read_u32(p, node, c->path, "entry", &c->entry_ipa);
}

static void parse_cpus(struct parser *p, int node, struct sysdesc_cell *c, bool vcpus_ok)
{
	int len;
	const fdt32_t *v = fdt_getprop(p->fdt, node, "cpus", &len);
	uint32_t n;

	if (!v)
		return;
	if (len <= 0 || len % 4 != 0) {
		diag_error(p->d, c->path, "cpus",
			   "length %d is not a whole, non-zero number of cells", len);
		return;
	}
	n = (uint32_t)len / 4u;
	if (n > MV_BOOT_MAX_VCPUS) {
		diag_error(p->d, c->path, "cpus", "%" PRIu32 " entries, at most %u", n,
			   MV_BOOT_MAX_VCPUS);
		return;
	}
	if (vcpus_ok && n != c->num_vcpus)
		diag_error(p->d, c->path, "cpus",
			   "%" PRIu32 " entries, but vcpus is %" PRIu32 " (one entry per vCPU)", n,
			   c->num_vcpus);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t pcpu = fdt32_ld(&v[i]);

		if (p->pcpus_known && pcpu >= p->sd->num_pcpus)
			diag_error(p->d, c->path, "cpus",
				   "entry %" PRIu32 " names physical CPU %" PRIu32
				   ", but /microvisor cpus is %" PRIu32,
				   i, pcpu, p->sd->num_pcpus);
		else if (pcpu >= SYSDESC_MAX_PCPUS)
			diag_error(p->d, c->path, "cpus",
				   "entry %" PRIu32 " names physical CPU %" PRIu32
				   ", at most %u exist",
				   i, pcpu, SYSDESC_MAX_PCPUS);
		else
			c->vcpu_pcpu[i] = (uint8_t)pcpu;
	}
}

/* budget-us and period-us go together: a budget without its period means nothing. */
static void parse_budget(struct parser *p, int node, struct sysdesc_cell *c)
{
	uint32_t budget = 0, period = 0;
	enum prop_status b = read_u32(p, node, c->path, "budget-us", &budget);
	enum prop_status t = read_u32(p, node, c->path, "period-us", &period);

	if (b != PROP_ABSENT && t == PROP_ABSENT)
		diag_error(p->d, c->path, "period-us", "missing; required with budget-us");
	if (t != PROP_ABSENT && b == PROP_ABSENT)
		diag_error(p->d, c->path, "budget-us", "missing; required with period-us");
	if (b != PROP_OK || t != PROP_OK)
		return;
	if (budget == 0)
		diag_error(p->d, c->path, "budget-us", "must not be 0");
	if (period == 0)
		diag_error(p->d, c->path, "period-us", "must not be 0");
	if (budget > period)
		diag_error(p->d, c->path, "budget-us",
			   "%" PRIu32 " is greater than period-us %" PRIu32, budget, period);
	c->budget_us = budget;
	c->period_us = period;
}

static void parse_schedule(struct parser *p, int node, struct sysdesc_cell *c)
{
	bool vcpus_ok = read_u32_range(p, node, c->path, "vcpus", 1, 1, MV_BOOT_MAX_VCPUS,
				       &c->num_vcpus) != PROP_BAD;

	parse_cpus(p, node, c, vcpus_ok);
	read_u32_range(p, node, c->path, "priority", 0, 0, SYSDESC_MAX_PRIORITY, &c->priority);
	read_u32_range(p, node, c->path, "time-slice-us", SYSDESC_DEFAULT_TIME_SLICE_US,
		       SYSDESC_MIN_TIME_SLICE_US, SYSDESC_MAX_TIME_SLICE_US, &c->time_slice_us);
	parse_budget(p, node, c);
}

/* Append a cell's regions to the system table, RAM first, so the cell can name them by
 * first_region and a count. */
static void store_regions(struct parser *p, struct sysdesc_cell *c,
			  const struct cell_regions *cr)
{
	struct sysdesc *sd = p->sd;

	c->first_region = sd->num_regions;
	if (sd->num_regions + cr->num > MV_BOOT_MAX_REGIONS) {
		if (!p->regions_exhausted)
			diag_error(p->d, c->path, "memory",
				   "the whole system has more than %u regions",
				   MV_BOOT_MAX_REGIONS);
		p->regions_exhausted = true;
		return;
	}
	memcpy(&sd->regions[sd->num_regions], cr->r, cr->num * sizeof(cr->r[0]));
	sd->num_regions += cr->num;
	c->num_ram = cr->num_ram;
	c->num_devices = cr->num - cr->num_ram;
}

/* Parse /cells/<name> into `c`; its regions join the system only if `store`. */
static void parse_cell(struct parser *p, int node, uint32_t idx, struct sysdesc_cell *c,
		       bool store)
{
	const char *name = fdt_get_name(p->fdt, node, NULL);
	struct cell_regions cr = { 0 };

	name = name ? name : "";
	snprintf(c->path, sizeof(c->path), "/cells/%s", name);
	snprintf(c->name, sizeof(c->name), "%s", name);
	if (strlen(name) >= MV_BOOT_NAME_LEN)
		diag_error(p->d, c->path, "name", "longer than %u characters",
			   MV_BOOT_NAME_LEN - 1);
	check_properties(p, node, c->path, cell_props);
	check_subnodes(p, node, c->path, no_props);
	parse_image(p, node, c);
	parse_regions(p, node, c->path, idx, MV_REGION_RAM, &cr);
	cr.num_ram = cr.num;
	parse_regions(p, node, c->path, idx, MV_REGION_DEVICE, &cr);
	check_ipa_overlaps(p, c, &cr);
	parse_load_entry(p, node, c, &cr);
	parse_schedule(p, node, c);
	if (store)
		store_regions(p, c, &cr);
}

static void parse_cells(struct parser *p)
{
	int cells = fdt_path_offset(p->fdt, "/cells");
	int node;
	uint32_t seen = 0;

	if (cells < 0) {
		diag_error(p->d, "/cells", DIAG_NO_PROPERTY, "missing node");
		return;
	}
	check_properties(p, cells, "/cells", no_props);
	fdt_for_each_subnode(node, p->fdt, cells) {
		struct sysdesc_cell extra = { 0 };
		struct sysdesc_cell *c = &extra;

		if (seen < MV_BOOT_MAX_CELLS)
			c = &p->sd->cells[p->sd->num_cells++];
		parse_cell(p, node, seen, c, c != &extra);
		if (c == &extra)
			diag_error(p->d, c->path, DIAG_NO_PROPERTY,
				   "too many cells, at most %u", MV_BOOT_MAX_CELLS);
		seen++;
	}
	if (seen == 0)
		diag_error(p->d, "/cells", DIAG_NO_PROPERTY, "no cells");
}

/* Name the owner of a region for an overlap message: "/cells/a memory region 0". */
static void describe_region(const struct sysdesc *sd, const struct sysdesc_region *r,
			    char *out, size_t size)
{
	snprintf(out, size, "%s %s region %" PRIu32, sd->cells[r->cell].path, region_prop(r),
		 r->index);
}

/* No two regions of the system, nor a region and the microvisor's memory, may share
 * physical memory: partitions are isolated by construction, not by policy. */
static void check_pa_overlaps(struct parser *p)
{
	const struct sysdesc *sd = p->sd;

	for (uint32_t j = 0; j < sd->num_regions; j++) {
		const struct sysdesc_region *b = &sd->regions[j];
		const char *path = sd->cells[b->cell].path;

		if (overlaps(sd->hyp_mem_base, sd->hyp_mem_size, b->pa, b->size))
			diag_error(p->d, path, region_prop(b),
				   "region %" PRIu32 " overlaps /microvisor memory physically"
				   " (pa 0x%08" PRIx32 ", size 0x%08" PRIx32 ")",
				   b->index, b->pa, b->size);
		for (uint32_t i = 0; i < j; i++) {
			const struct sysdesc_region *a = &sd->regions[i];
			char other[SYSDESC_PATH_MAX + 32];

			if (!overlaps(a->pa, a->size, b->pa, b->size))
				continue;
			describe_region(sd, a, other, sizeof(other));
			diag_error(p->d, path, region_prop(b),
				   "region %" PRIu32 " overlaps %s physically"
				   " (pa 0x%08" PRIx32 ", size 0x%08" PRIx32 ")",
				   b->index, other, b->pa, b->size);
		}
	}
}

static void sysdesc_init(struct sysdesc *sd)
{
	memset(sd, 0, sizeof(*sd));
	sd->num_pcpus = 1;
}

unsigned int sysdesc_parse(const void *fdt, size_t fdt_size, struct sysdesc *out,
			   struct diag *d)
{
	struct parser p = { .fdt = fdt, .sd = out, .d = d };
	unsigned int before = d->errors;
	int root;

	sysdesc_init(out);
	if (fdt_check_full(fdt, fdt_size) != 0) {
		diag_error(d, "/", DIAG_NO_PROPERTY, "not a valid device tree blob");
		return d->errors - before;
	}
	root = fdt_path_offset(fdt, "/");
	parse_root(&p, root);
	parse_microvisor(&p);
	parse_cells(&p);
	check_pa_overlaps(&p);
	return d->errors - before;
}
