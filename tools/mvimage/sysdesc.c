/* SPDX-License-Identifier: MIT */
/* The system description (docs/system-description.md) parsed from a DTB and validated. */
#include "sysdesc.h"

#include <assert.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <libfdt.h>

#include "place.h"

#define COMPATIBLE_V1 "mv,system-v1"
#define FOUR_GIB 0x100000000ull

/* What a property lookup found; a malformed property has already been reported. */
enum prop_status { PROP_ABSENT, PROP_BAD, PROP_OK };

struct parser {
	const void *fdt;
	const struct mv_board *board; /* NULL: not known, its checks are skipped */
	struct sysdesc *sd;
	struct diag *d;
	bool pcpus_known;       /* /microvisor cpus was valid, so `cpus` entries can be checked */
	bool regions_exhausted; /* "too many regions" is reported once, not once per cell */
	bool irqs_exhausted;    /* likewise "too many pass-through interrupts" */
	int cells_node;         /* offset of /cells, or negative */
	int cell_node[MV_BOOT_MAX_CELLS];          /* offset of the node of each of sd->cells */
	bool channel_ipa_ok[MV_BOOT_MAX_CHANNELS]; /* `ipa` was read: windows can be checked */
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
	"image",
	"memory",
	"placed-memory",
	"devices",
	"load-address",
	"entry",
	"vcpus",
	"cpus",
	"priority",
	"time-slice-us",
	"budget-us",
	"period-us",
	"interrupts",
	"os",
	"bootargs",
	"devices-compatible",
	NULL,
};
static const char *const channel_props[] = { "ends", "ipa", "interrupts", "size", "type", NULL };
static const char *const vdev_props[] = { "consumer", "provider", "reg", "interrupt", NULL };

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

static void check_properties(struct parser *p, int node, const char *path, const char *const *known)
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
static void check_subnodes(struct parser *p, int node, const char *path, const char *const *known)
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

static enum prop_status read_u32(struct parser *p, int node, const char *path, const char *prop,
				 uint32_t *val)
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
				       const char *prop, uint32_t def, uint32_t min, uint32_t max,
				       uint32_t *val)
{
	uint32_t v = def;
	enum prop_status st = read_u32(p, node, path, prop, &v);

	*val = def;
	if (st != PROP_OK)
		return st;
	if (v < min || v > max) {
		diag_error(p->d, path, prop, "%" PRIu32 " is out of range %" PRIu32 "..%" PRIu32, v,
			   min, max);
		return PROP_BAD;
	}
	*val = v;
	return PROP_OK;
}

/* Checks shared by every region: page alignment, non-empty, inside the 32-bit space. */
static void check_range(struct parser *p, const char *path, const char *prop, const char *what,
			const char *kind, uint32_t base, uint32_t size)
{
	if (base % MV_BOOT_ALIGN)
		diag_error(p->d, path, prop, "%s%s 0x%08" PRIx32 " is not 4 KiB aligned", what,
			   kind, base);
	if ((uint64_t)base + size > FOUR_GIB)
		diag_error(p->d, path, prop,
			   "%s%s 0x%08" PRIx32 " + size 0x%08" PRIx32 " is beyond 4 GiB", what,
			   kind, base, size);
}

static void check_size(struct parser *p, const char *path, const char *prop, const char *what,
		       uint32_t size)
{
	if (size == 0)
		diag_error(p->d, path, prop, "%ssize is 0", what);
	else if (size % MV_BOOT_ALIGN)
		diag_error(p->d, path, prop, "%ssize 0x%08" PRIx32 " is not a multiple of 4 KiB",
			   what, size);
}

/* An empty range (a size already reported as 0) overlaps nothing. */
static bool overlaps(uint32_t a, uint32_t a_size, uint32_t b, uint32_t b_size)
{
	return a_size && b_size && (uint64_t)a < (uint64_t)b + b_size &&
	       (uint64_t)b < (uint64_t)a + a_size;
}

static bool overlaps_vgic(uint32_t ipa, uint32_t size)
{
	return overlaps(ipa, size, SYSDESC_VGIC_IPA, SYSDESC_VGIC_SIZE);
}

static void describe_vgic(char *out, size_t size)
{
	snprintf(out, size, "the vGIC window [0x%08" PRIx32 ", 0x%08" PRIx32 ")", SYSDESC_VGIC_IPA,
		 SYSDESC_VGIC_IPA + SYSDESC_VGIC_SIZE);
}

/* Exactly `n` cells of `prop` into `out`; absent (required) or another length is reported.
 * `form` names what the cells are, for the message. */
static enum prop_status read_cells(struct parser *p, int node, const char *path, const char *prop,
				   uint32_t n, const char *form, uint32_t *out)
{
	int len;
	const fdt32_t *v = fdt_getprop(p->fdt, node, prop, &len);

	if (!v) {
		diag_error(p->d, path, prop, "missing required property");
		return PROP_ABSENT;
	}
	if (len != (int)(n * sizeof(*v))) {
		diag_error(p->d, path, prop, "length %d, expected %zu (%s)", len, n * sizeof(*v),
			   form);
		return PROP_BAD;
	}
	for (uint32_t i = 0; i < n; i++)
		out[i] = fdt32_ld(&v[i]);
	return PROP_OK;
}

/* vIRQs, and the physical SPIs passed through as the same IDs, are GIC SPIs the vGIC has. */
static bool check_virq(struct parser *p, const char *path, const char *prop, const char *what,
		       uint32_t virq)
{
	if (virq >= MV_BOOT_FIRST_SPI && virq <= MV_BOOT_MAX_VIRQ)
		return true;
	diag_error(p->d, path, prop, "%s%" PRIu32 " is out of range %u..%u", what, virq,
		   MV_BOOT_FIRST_SPI, MV_BOOT_MAX_VIRQ);
	return false;
}

/* The node's path under `parent` into `path`, and its name into `name` (a boot table
 * field, so at most MV_BOOT_NAME_LEN - 1 characters). */
static void parse_name(struct parser *p, int node, const char *parent, char *path, char *name)
{
	const char *n = fdt_get_name(p->fdt, node, NULL);

	n = n ? n : "";
	snprintf(path, SYSDESC_PATH_MAX, "%s/%s", parent, n);
	snprintf(name, MV_BOOT_NAME_LEN, "%s", n);
	if (strlen(n) >= MV_BOOT_NAME_LEN)
		diag_error(p->d, path, "name", "longer than %u characters", MV_BOOT_NAME_LEN - 1);
}

const char *sysdesc_region_prop(const struct sysdesc_region *r)
{
	if (r->flags != MV_REGION_RAM)
		return "devices";
	return r->placed ? "placed-memory" : "memory";
}

/* The string property `prop`, NUL-terminated and non-empty, or NULL (reported). */
static const char *read_string(struct parser *p, int node, const char *path, const char *prop)
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
	static const char *const top_nodes[] = { "microvisor", "cells", "channels", "vdevs", NULL };
	const char *compat;

	check_properties(p, root, "/", root_props);
	check_subnodes(p, root, "/", top_nodes);
	compat = read_string(p, root, "/", "compatible");
	if (compat && strcmp(compat, COMPATIBLE_V1) != 0)
		diag_error(p->d, "/", "compatible", "\"%s\" must be \"" COMPATIBLE_V1 "\"", compat);
}

/* `<pa size>`, or `<size>` for memory where the microvisor runs (place_memory()). */
static void parse_microvisor_memory(struct parser *p, int node)
{
	int len;
	const fdt32_t *v = fdt_getprop(p->fdt, node, "memory", &len);
	uint32_t base = 0, size;
	unsigned int before = p->d->errors;

	if (!v) {
		diag_error(p->d, "/microvisor", "memory", "missing required property");
		return;
	}
	if (len != (int)sizeof(*v) && len != 2 * (int)sizeof(*v)) {
		diag_error(p->d, "/microvisor", "memory",
			   "length %d, expected 4 (<size>) or 8 (<pa size>)", len);
		return;
	}
	p->sd->hyp_mem_placed = len == (int)sizeof(*v);
	if (!p->sd->hyp_mem_placed)
		base = fdt32_ld(v++);
	size = fdt32_ld(v);
	if (!p->sd->hyp_mem_placed)
		check_range(p, "/microvisor", "memory", "", "pa", base, size);
	check_size(p, "/microvisor", "memory", "", size);
	p->sd->hyp_mem_base = base;
	p->sd->hyp_mem_size = size;
	p->sd->hyp_mem_has_pa = !p->sd->hyp_mem_placed;
	/* A bad size is not placed: it has been reported. */
	if (p->sd->hyp_mem_placed && p->d->errors != before)
		p->sd->hyp_mem_size = 0;
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
	p->pcpus_known = read_u32_range(p, node, "/microvisor", "cpus", 1, 1, SYSDESC_MAX_PCPUS,
					&p->sd->num_pcpus) != PROP_BAD;
}

/* Validate one `<ipa pa size>` triple or `<ipa size>` pair, then add it to the cell's
 * list. A pair that passes is placeable (place_memory()). */
static void add_region(struct parser *p, const char *path, const char *prop,
		       struct cell_regions *cr, struct sysdesc_region *r)
{
	unsigned int before = p->d->errors;
	char what[32];

	snprintf(what, sizeof(what), "region %" PRIu32 ": ", r->index);
	check_range(p, path, prop, what, "ipa", r->ipa, r->size);
	if (!r->placed)
		check_range(p, path, prop, what, "pa", r->pa, r->size);
	check_size(p, path, prop, what, r->size);
	r->placeable = r->placed && p->d->errors == before;
	r->has_pa = !r->placed;
	if (cr->num == MV_BOOT_MAX_REGIONS) {
		if (!p->regions_exhausted)
			diag_error(p->d, path, prop, "%sthe whole system has more than %u regions",
				   what, MV_BOOT_MAX_REGIONS);
		p->regions_exhausted = true;
		return;
	}
	cr->r[cr->num++] = *r;
}

/* Parse the triples of `memory` or `devices`, or the pairs of `placed-memory` (`placed`),
 * into `cr`. */
static void parse_regions(struct parser *p, int node, const char *path, uint32_t cell,
			  uint32_t flags, bool placed, struct cell_regions *cr)
{
	const char *prop = flags != MV_REGION_RAM ? "devices" : placed ? "placed-memory" : "memory";
	uint32_t cells = placed ? 2u : 3u;
	int len;
	const fdt32_t *v = fdt_getprop(p->fdt, node, prop, &len);
	uint32_t n;

	if (!v)
		return;
	if (len <= 0 || len % (int)(4u * cells) != 0) {
		diag_error(p->d, path, prop, "length %d is not a whole, non-zero number of %s", len,
			   placed ? "<ipa size> pairs" : "<ipa pa size> triples");
		return;
	}
	n = (uint32_t)len / (4u * cells);
	for (uint32_t i = 0; i < n; i++) {
		struct sysdesc_region r = {
			.ipa = fdt32_ld(&v[cells * i]),
			.pa = placed ? 0 : fdt32_ld(&v[cells * i + 1]),
			.size = fdt32_ld(&v[cells * i + cells - 1]),
			.flags = flags,
			.cell = cell,
			.index = i,
			.placed = placed,
		};
		add_region(p, path, prop, cr, &r);
	}
}

static const struct sysdesc_region *ram_at(const struct sysdesc_region *r, uint32_t n, uint32_t ipa)
{
	for (uint32_t i = 0; i < n; i++) {
		if (r[i].flags == MV_REGION_RAM && ipa >= r[i].ipa &&
		    (uint64_t)ipa < (uint64_t)r[i].ipa + r[i].size)
			return &r[i];
	}
	return NULL;
}

const struct sysdesc_region *sysdesc_ram_at(const struct sysdesc *sd, const struct sysdesc_cell *c,
					    uint32_t ipa)
{
	if (c->first_region + c->num_ram > sd->num_regions)
		return NULL;
	return ram_at(&sd->regions[c->first_region], c->num_ram, ipa);
}

/* Regions of one cell share one stage-2 table, so they must be disjoint in IPA space, and
 * keep clear of the vGIC that every cell gets. */
static void check_ipa_overlaps(struct parser *p, const struct sysdesc_cell *c,
			       const struct cell_regions *cr)
{
	char vgic[64];

	describe_vgic(vgic, sizeof(vgic));
	for (uint32_t j = 0; j < cr->num; j++) {
		const struct sysdesc_region *b = &cr->r[j];

		if (overlaps_vgic(b->ipa, b->size))
			diag_error(p->d, c->path, sysdesc_region_prop(b),
				   "region %" PRIu32 " overlaps %s in IPA space (ipa 0x%08" PRIx32
				   ", size 0x%08" PRIx32 ")",
				   b->index, vgic, b->ipa, b->size);
		for (uint32_t i = 0; i < j; i++) {
			const struct sysdesc_region *a = &cr->r[i];

			if (!overlaps(a->ipa, a->size, b->ipa, b->size))
				continue;
			diag_error(p->d, c->path, sysdesc_region_prop(b),
				   "region %" PRIu32 " overlaps %s %s region %" PRIu32
				   " in IPA space (ipa 0x%08" PRIx32 ", size 0x%08" PRIx32 ")",
				   b->index, c->path, sysdesc_region_prop(a), a->index, b->ipa,
				   b->size);
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
static void store_regions(struct parser *p, struct sysdesc_cell *c, const struct cell_regions *cr)
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

/* `os` says what the image is; a Linux cell may have `bootargs`, nothing else may. */
static void parse_os(struct parser *p, int node, struct sysdesc_cell *c)
{
	const char *os = NULL, *args = NULL;

	if (fdt_getprop(p->fdt, node, "os", NULL))
		os = read_string(p, node, c->path, "os");
	if (os && strcmp(os, "linux") == 0)
		c->os = SYSDESC_OS_LINUX;
	else if (os)
		diag_error(p->d, c->path, "os", "\"%s\" is not a known OS (\"linux\")", os);

	if (!fdt_getprop(p->fdt, node, "bootargs", NULL))
		return;
	if (!os) {
		diag_error(p->d, c->path, "bootargs", "only for a cell with os = \"linux\"");
		return;
	}
	args = read_string(p, node, c->path, "bootargs");
	if (args && strlen(args) >= SYSDESC_BOOTARGS_MAX)
		diag_error(p->d, c->path, "bootargs", "longer than %u characters",
			   SYSDESC_BOOTARGS_MAX - 1);
	else if (args)
		memcpy(c->bootargs, args, strlen(args) + 1);
}

/*
 * `devices-compatible`: a string list, one device-tree compatible string per `devices`
 * region, which the cell's generated device tree gives the region's node
 * (docs/system-description.md).
 */
static void parse_device_compat(struct parser *p, int node, struct sysdesc_cell *c,
				uint32_t num_devices)
{
	const char *prop = "devices-compatible";
	int len;
	const char *v = fdt_getprop(p->fdt, node, prop, &len);
	uint32_t n = 0;

	if (!v) {
		/* The console cell finds the UART it owns in its device tree (docs/console.md),
		 * and without one it could not even say that it has none. */
		if (num_devices && strcmp(c->name, MV_CONSOLE_CELL) == 0)
			diag_error(p->d, c->path, prop,
				   "missing: the console cell must say which UART its devices"
				   " are (\"arm,pl011\", \"snps,dw-apb-uart\")");
		return;
	}
	if (len <= 0 || v[len - 1] != '\0') {
		diag_error(p->d, c->path, prop, "not a list of strings");
		return;
	}
	for (const char *s = v; s < v + len; s += strlen(s) + 1)
		n++;
	if (n != num_devices) {
		diag_error(p->d, c->path, prop,
			   "%" PRIu32 " strings for %" PRIu32 " `devices` regions; give one"
			   " compatible string per region",
			   n, num_devices);
		return;
	}
	if (n > SYSDESC_MAX_DEVICE_COMPAT) {
		diag_error(p->d, c->path, prop, "more than %u devices described",
			   SYSDESC_MAX_DEVICE_COMPAT);
		return;
	}
	n = 0;
	for (const char *s = v; s < v + len; s += strlen(s) + 1, n++) {
		if (!*s || strlen(s) >= SYSDESC_COMPAT_MAX) {
			if (*s)
				diag_error(p->d, c->path, prop,
					   "entry %" PRIu32 ": longer than %u characters", n,
					   SYSDESC_COMPAT_MAX - 1u);
			else
				diag_error(p->d, c->path, prop, "entry %" PRIu32 ": empty string",
					   n);
			return;
		}
	}
	n = 0;
	for (const char *s = v; s < v + len; s += strlen(s) + 1, n++)
		memcpy(c->device_compat[n], s, strlen(s) + 1);
	c->num_device_compat = n;
}

uint32_t sysdesc_cell_irq(const struct sysdesc *sd, uint32_t cell, uint32_t index)
{
	for (uint32_t i = 0; i < sd->num_irqs; i++) {
		if (sd->irqs[i].cell == cell && sd->irqs[i].index == index)
			return sd->irqs[i].pirq;
	}
	return 0;
}

/* The cell's pass-through SPIs join the system's table, keeping description order. */
static void parse_interrupts(struct parser *p, int node, uint32_t idx, const struct sysdesc_cell *c,
			     bool store)
{
	struct sysdesc *sd = p->sd;
	int len;
	const fdt32_t *v = fdt_getprop(p->fdt, node, "interrupts", &len);

	if (!v)
		return;
	if (len <= 0 || len % 4 != 0) {
		diag_error(p->d, c->path, "interrupts",
			   "length %d is not a whole, non-zero number of cells", len);
		return;
	}
	for (uint32_t i = 0; i < (uint32_t)len / 4u; i++) {
		uint32_t pirq = fdt32_ld(&v[i]);
		char what[32];

		snprintf(what, sizeof(what), "entry %" PRIu32 ": ", i);
		if (!check_virq(p, c->path, "interrupts", what, pirq) || !store)
			continue;
		if (sd->num_irqs == MV_BOOT_MAX_IRQS) {
			if (!p->irqs_exhausted)
				diag_error(p->d, c->path, "interrupts",
					   "%sthe whole system has more than %u pass-through"
					   " interrupts",
					   what, MV_BOOT_MAX_IRQS);
			p->irqs_exhausted = true;
			continue;
		}
		sd->irqs[sd->num_irqs++] = (struct sysdesc_irq){ idx, pirq, i };
	}
}

/* Parse /cells/<name> into `c`; its regions and interrupts join the system only if
 * `store`. */
static void parse_cell(struct parser *p, int node, uint32_t idx, struct sysdesc_cell *c, bool store)
{
	struct cell_regions cr = { 0 };

	parse_name(p, node, "/cells", c->path, c->name);
	check_properties(p, node, c->path, cell_props);
	check_subnodes(p, node, c->path, no_props);
	parse_image(p, node, c);
	if (!fdt_getprop(p->fdt, node, "memory", NULL) &&
	    !fdt_getprop(p->fdt, node, "placed-memory", NULL))
		diag_error(p->d, c->path, "memory", "missing required property (or placed-memory)");
	parse_regions(p, node, c->path, idx, MV_REGION_RAM, false, &cr);
	parse_regions(p, node, c->path, idx, MV_REGION_RAM, true, &cr);
	cr.num_ram = cr.num;
	parse_regions(p, node, c->path, idx, MV_REGION_DEVICE, false, &cr);
	check_ipa_overlaps(p, c, &cr);
	parse_load_entry(p, node, c, &cr);
	parse_schedule(p, node, c);
	parse_os(p, node, c);
	parse_device_compat(p, node, c, cr.num - cr.num_ram);
	parse_interrupts(p, node, idx, c, store);
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
	p->cells_node = cells;
	check_properties(p, cells, "/cells", no_props);
	fdt_for_each_subnode(node, p->fdt, cells) {
		struct sysdesc_cell extra = { 0 };
		struct sysdesc_cell *c = &extra;

		if (seen < MV_BOOT_MAX_CELLS) {
			p->cell_node[p->sd->num_cells] = node;
			c = &p->sd->cells[p->sd->num_cells++];
		}
		parse_cell(p, node, seen, c, c != &extra);
		if (c == &extra)
			diag_error(p->d, c->path, DIAG_NO_PROPERTY, "too many cells, at most %u",
				   MV_BOOT_MAX_CELLS);
		seen++;
	}
	if (seen == 0)
		diag_error(p->d, "/cells", DIAG_NO_PROPERTY, "no cells");
}

/* The cell that phandle `ph` (in `prop` of `path`) names, or SYSDESC_NO_CELL (reported). */
static uint32_t resolve_cell(struct parser *p, const char *path, const char *prop, uint32_t ph)
{
	int node = fdt_node_offset_by_phandle(p->fdt, ph);

	for (uint32_t i = 0; node >= 0 && i < p->sd->num_cells; i++) {
		if (p->cell_node[i] == node)
			return i;
	}
	/* A cell past MV_BOOT_MAX_CELLS: "too many cells" has been reported already. */
	if (node >= 0 && p->cells_node >= 0 && fdt_parent_offset(p->fdt, node) == p->cells_node)
		return SYSDESC_NO_CELL;
	diag_error(p->d, path, prop, "phandle 0x%" PRIx32 " is not a cell", ph);
	return SYSDESC_NO_CELL;
}

static void parse_ends(struct parser *p, int node, struct sysdesc_channel *ch)
{
	uint32_t ph[2];

	if (read_cells(p, node, ch->path, "ends", 2, "<&cell0 &cell1>", ph) != PROP_OK)
		return;
	for (uint32_t e = 0; e < 2; e++)
		ch->cell[e] = resolve_cell(p, ch->path, "ends", ph[e]);
	if (ch->cell[0] != SYSDESC_NO_CELL && ch->cell[0] == ch->cell[1])
		diag_error(p->d, ch->path, "ends", "both ends are %s",
			   p->sd->cells[ch->cell[0]].path);
}

/* Each ring (one per direction) takes half of the channel, in whole pages. */
static void parse_channel_size(struct parser *p, int node, struct sysdesc_channel *ch)
{
	uint32_t size;

	if (read_cells(p, node, ch->path, "size", 1, "one cell", &size) != PROP_OK)
		return;
	if (size == 0)
		diag_error(p->d, ch->path, "size", "size is 0");
	else if (size % SYSDESC_CHANNEL_ALIGN)
		diag_error(p->d, ch->path, "size",
			   "size 0x%08" PRIx32 " is not a multiple of 8 KiB", size);
	else
		ch->size = size;
}

/* `type`, or by default "console" when an end is the cell named "console", else "raw". */
static void parse_channel_type(struct parser *p, int node, struct sysdesc_channel *ch)
{
	static const char *const names[] = { "raw", "net", "console" };
	const char *type;

	ch->type = SYSDESC_CHANNEL_RAW;
	for (uint32_t e = 0; e < 2; e++) {
		if (ch->cell[e] != SYSDESC_NO_CELL &&
		    strcmp(p->sd->cells[ch->cell[e]].name, "console") == 0)
			ch->type = SYSDESC_CHANNEL_CONSOLE;
	}
	if (!fdt_getprop(p->fdt, node, "type", NULL))
		return;
	type = read_string(p, node, ch->path, "type");
	if (!type)
		return;
	for (uint32_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(type, names[i]) == 0) {
			ch->type = (enum sysdesc_channel_type)i;
			return;
		}
	}
	diag_error(p->d, ch->path, "type", "\"%s\" is not \"raw\", \"net\" or \"console\"", type);
}

/* Parse /channels/<name> into `ch`; `*ipa_ok` says whether its windows can be checked. */
static void parse_channel(struct parser *p, int node, struct sysdesc_channel *ch, bool *ipa_ok)
{
	uint32_t virq[2];

	memset(ch, 0, sizeof(*ch));
	ch->cell[0] = ch->cell[1] = SYSDESC_NO_CELL;
	parse_name(p, node, "/channels", ch->path, ch->name);
	check_properties(p, node, ch->path, channel_props);
	check_subnodes(p, node, ch->path, no_props);
	parse_ends(p, node, ch);
	parse_channel_size(p, node, ch);
	*ipa_ok = read_cells(p, node, ch->path, "ipa", 2, "<ipa0 ipa1>", ch->ipa) == PROP_OK;
	for (uint32_t e = 0; *ipa_ok && e < 2; e++) {
		char what[16];

		snprintf(what, sizeof(what), "end %" PRIu32 ": ", e);
		check_range(p, ch->path, "ipa", what, "ipa", ch->ipa[e], ch->size);
	}
	parse_channel_type(p, node, ch);
	if (read_cells(p, node, ch->path, "interrupts", 2, "<virq0 virq1>", virq) != PROP_OK)
		return;
	for (uint32_t e = 0; e < 2; e++) {
		char what[16];

		snprintf(what, sizeof(what), "end %" PRIu32 ": ", e);
		if (check_virq(p, ch->path, "interrupts", what, virq[e]))
			ch->virq[e] = virq[e];
	}
}

static void parse_channels(struct parser *p)
{
	struct sysdesc *sd = p->sd;
	int parent = fdt_path_offset(p->fdt, "/channels");
	int node;
	uint32_t seen = 0;

	if (parent < 0)
		return;
	check_properties(p, parent, "/channels", no_props);
	fdt_for_each_subnode(node, p->fdt, parent) {
		struct sysdesc_channel extra;
		bool extra_ipa_ok;
		struct sysdesc_channel *ch = &extra;
		bool *ipa_ok = &extra_ipa_ok;

		if (seen < MV_BOOT_MAX_CHANNELS) {
			ipa_ok = &p->channel_ipa_ok[sd->num_channels];
			ch = &sd->channels[sd->num_channels++];
		}
		parse_channel(p, node, ch, ipa_ok);
		if (ch == &extra)
			diag_error(p->d, ch->path, DIAG_NO_PROPERTY,
				   "too many channels, at most %u", MV_BOOT_MAX_CHANNELS);
		seen++;
	}
}

/* `consumer` or `provider`: one phandle. */
static uint32_t parse_vdev_cell(struct parser *p, int node, const char *path, const char *prop)
{
	uint32_t ph;

	if (read_cells(p, node, path, prop, 1, "<&cell>", &ph) != PROP_OK)
		return SYSDESC_NO_CELL;
	return resolve_cell(p, path, prop, ph);
}

static void parse_vdev_reg(struct parser *p, int node, struct sysdesc_vdev *vd)
{
	uint32_t reg[2];

	if (read_cells(p, node, vd->path, "reg", 2, "<ipa size>", reg) != PROP_OK)
		return;
	check_range(p, vd->path, "reg", "", "ipa", reg[0], reg[1]);
	check_size(p, vd->path, "reg", "", reg[1]);
	if (reg[1] > SYSDESC_MAX_VDEV_SIZE)
		diag_error(p->d, vd->path, "reg", "size 0x%08" PRIx32 " is larger than 1 MiB",
			   reg[1]);
	vd->ipa = reg[0];
	vd->size = reg[1];
}

/* Parse /vdevs/<name> into `vd`. */
static void parse_vdev(struct parser *p, int node, struct sysdesc_vdev *vd)
{
	uint32_t virq;

	memset(vd, 0, sizeof(*vd));
	parse_name(p, node, "/vdevs", vd->path, vd->name);
	check_properties(p, node, vd->path, vdev_props);
	check_subnodes(p, node, vd->path, no_props);
	vd->consumer = parse_vdev_cell(p, node, vd->path, "consumer");
	vd->provider = parse_vdev_cell(p, node, vd->path, "provider");
	if (vd->provider != SYSDESC_NO_CELL && vd->provider == vd->consumer)
		diag_error(p->d, vd->path, "provider", "%s is the consumer too",
			   p->sd->cells[vd->provider].path);
	parse_vdev_reg(p, node, vd);
	if (read_cells(p, node, vd->path, "interrupt", 1, "<virq>", &virq) == PROP_OK &&
	    check_virq(p, vd->path, "interrupt", "", virq))
		vd->provider_virq = virq;
}

static void parse_vdevs(struct parser *p)
{
	struct sysdesc *sd = p->sd;
	int parent = fdt_path_offset(p->fdt, "/vdevs");
	int node;
	uint32_t seen = 0;

	if (parent < 0)
		return;
	check_properties(p, parent, "/vdevs", no_props);
	fdt_for_each_subnode(node, p->fdt, parent) {
		struct sysdesc_vdev extra;
		struct sysdesc_vdev *vd = &extra;

		if (seen < MV_BOOT_MAX_VDEVS)
			vd = &sd->vdevs[sd->num_vdevs++];
		parse_vdev(p, node, vd);
		if (vd == &extra)
			diag_error(p->d, vd->path, DIAG_NO_PROPERTY, "too many vdevs, at most %u",
				   MV_BOOT_MAX_VDEVS);
		seen++;
	}
}

/* Name the owner of a region for an overlap message: "/cells/a memory region 0". */
static void describe_region(const struct sysdesc *sd, const struct sysdesc_region *r, char *out,
			    size_t size)
{
	snprintf(out, size, "%s %s region %" PRIu32, sd->cells[r->cell].path,
		 sysdesc_region_prop(r), r->index);
}

/* No two regions of the system, nor a region and the microvisor's memory, may share
 * physical memory: partitions are isolated by construction, not by policy. Placed regions
 * are checked too, which place_memory() should make a formality. */
static void check_pa_overlaps(struct parser *p)
{
	const struct sysdesc *sd = p->sd;

	for (uint32_t j = 0; j < sd->num_regions; j++) {
		const struct sysdesc_region *b = &sd->regions[j];
		const char *path = sd->cells[b->cell].path;

		if (!b->has_pa)
			continue;
		if (sd->hyp_mem_has_pa &&
		    overlaps(sd->hyp_mem_base, sd->hyp_mem_size, b->pa, b->size))
			diag_error(p->d, path, sysdesc_region_prop(b),
				   "region %" PRIu32 " overlaps /microvisor memory physically"
				   " (pa 0x%08" PRIx32 ", size 0x%08" PRIx32 ")",
				   b->index, b->pa, b->size);
		for (uint32_t i = 0; i < j; i++) {
			const struct sysdesc_region *a = &sd->regions[i];
			char other[SYSDESC_PATH_MAX + 32];

			if (!a->has_pa || !overlaps(a->pa, a->size, b->pa, b->size))
				continue;
			describe_region(sd, a, other, sizeof(other));
			diag_error(p->d, path, sysdesc_region_prop(b),
				   "region %" PRIu32 " overlaps %s physically"
				   " (pa 0x%08" PRIx32 ", size 0x%08" PRIx32 ")",
				   b->index, other, b->pa, b->size);
		}
	}
}

/* A new window [ipa, ipa + size) in the IPA space of cell `cell`, named by `path`, `prop`
 * and `what` for the messages. */
struct window {
	uint32_t cell;
	uint32_t ipa;
	uint32_t size;
	const char *path;
	const char *prop;
	const char *what; /* "end 1 " or "window " */
};

static void report_window(struct parser *p, const struct window *w, const char *other)
{
	diag_error(p->d, w->path, w->prop,
		   "%soverlaps %s in IPA space (ipa 0x%08" PRIx32 ", size 0x%08" PRIx32 ")",
		   w->what, other, w->ipa, w->size);
}

/* Report everything already in the cell's IPA space that window `w` overlaps: the vGIC,
 * the cell's regions, and the windows of the channels before `num_ch` and of the vdevs
 * before `num_vdev` (each pair is reported once, by the later of the two). */
static void check_window(struct parser *p, const struct window *w, uint32_t num_ch,
			 uint32_t num_vdev)
{
	const struct sysdesc *sd = p->sd;
	const struct sysdesc_cell *c = &sd->cells[w->cell];
	char other[SYSDESC_PATH_MAX + 32];

	if (overlaps_vgic(w->ipa, w->size)) {
		describe_vgic(other, sizeof(other));
		report_window(p, w, other);
	}
	for (uint32_t i = 0; i < sysdesc_cell_regions(c); i++) {
		const struct sysdesc_region *r = &sd->regions[c->first_region + i];

		if (!overlaps(r->ipa, r->size, w->ipa, w->size))
			continue;
		describe_region(sd, r, other, sizeof(other));
		report_window(p, w, other);
	}
	for (uint32_t i = 0; i < num_ch; i++) {
		const struct sysdesc_channel *ch = &sd->channels[i];

		for (uint32_t e = 0; p->channel_ipa_ok[i] && e < 2; e++) {
			if (ch->cell[e] != w->cell ||
			    !overlaps(ch->ipa[e], ch->size, w->ipa, w->size))
				continue;
			snprintf(other, sizeof(other), "%s end %" PRIu32, ch->path, e);
			report_window(p, w, other);
		}
	}
	for (uint32_t i = 0; i < num_vdev; i++) {
		const struct sysdesc_vdev *vd = &sd->vdevs[i];

		if (vd->consumer != w->cell || !overlaps(vd->ipa, vd->size, w->ipa, w->size))
			continue;
		snprintf(other, sizeof(other), "%s window", vd->path);
		report_window(p, w, other);
	}
}

/* Channel and vdev windows share the cell's stage-2 table with its regions. */
static void check_windows(struct parser *p)
{
	const struct sysdesc *sd = p->sd;

	for (uint32_t j = 0; j < sd->num_channels; j++) {
		const struct sysdesc_channel *ch = &sd->channels[j];

		for (uint32_t e = 0; p->channel_ipa_ok[j] && e < 2; e++) {
			char what[16];
			struct window w = {
				ch->cell[e], ch->ipa[e], ch->size, ch->path, "ipa", what
			};

			if (w.cell == SYSDESC_NO_CELL)
				continue;
			snprintf(what, sizeof(what), "end %" PRIu32 " ", e);
			check_window(p, &w, j, 0);
		}
	}
	for (uint32_t j = 0; j < sd->num_vdevs; j++) {
		const struct sysdesc_vdev *vd = &sd->vdevs[j];
		struct window w = { vd->consumer, vd->ipa, vd->size, vd->path, "reg", "window " };

		if (w.cell != SYSDESC_NO_CELL)
			check_window(p, &w, sd->num_channels, j);
	}
}

/* One use of a vIRQ ID in a cell, named for the message about a second use. */
struct virq_use {
	uint32_t virq;
	const char *path;
	const char *prop;
	char what[16]; /* "entry 3", "end 1" or "" */
};

struct virq_uses {
	uint32_t cell;
	uint32_t num;
	struct virq_use u[MV_BOOT_MAX_IRQS + 2 * MV_BOOT_MAX_CHANNELS + MV_BOOT_MAX_VDEVS];
};

/* Record a use of `virq` (0: invalid, already reported), reporting it if it is not the
 * first in the cell. */
static void use_virq(struct parser *p, struct virq_uses *uses, uint32_t virq, const char *path,
		     const char *prop, const char *what)
{
	struct virq_use *u;

	if (virq == 0)
		return;
	for (uint32_t i = 0; i < uses->num; i++) {
		const struct virq_use *o = &uses->u[i];

		if (o->virq != virq)
			continue;
		diag_error(p->d, path, prop,
			   "%s%svIRQ %" PRIu32 " is already used in %s by %s %s%s%s", what,
			   *what ? ": " : "", virq, p->sd->cells[uses->cell].path, o->path, o->prop,
			   *o->what ? " " : "", o->what);
		return;
	}
	assert(uses->num < sizeof(uses->u) / sizeof(uses->u[0]));
	u = &uses->u[uses->num++];
	u->virq = virq;
	u->path = path;
	u->prop = prop;
	snprintf(u->what, sizeof(u->what), "%s", what);
}

/* A cell's vIRQ IDs come from its pass-through interrupts, its channel doorbells and the
 * request interrupts of the vdevs it provides: no ID may mean two things. */
static void check_cell_virqs(struct parser *p, uint32_t c, struct virq_uses *uses)
{
	const struct sysdesc *sd = p->sd;
	char what[16];

	uses->cell = c;
	uses->num = 0;
	for (uint32_t i = 0; i < sd->num_irqs; i++) {
		const struct sysdesc_irq *irq = &sd->irqs[i];

		if (irq->cell != c)
			continue;
		snprintf(what, sizeof(what), "entry %" PRIu32, irq->index);
		use_virq(p, uses, irq->pirq, sd->cells[c].path, "interrupts", what);
	}
	for (uint32_t i = 0; i < sd->num_channels; i++) {
		for (uint32_t e = 0; e < 2; e++) {
			if (sd->channels[i].cell[e] != c)
				continue;
			snprintf(what, sizeof(what), "end %" PRIu32, e);
			use_virq(p, uses, sd->channels[i].virq[e], sd->channels[i].path,
				 "interrupts", what);
		}
	}
	for (uint32_t i = 0; i < sd->num_vdevs; i++) {
		if (sd->vdevs[i].provider == c)
			use_virq(p, uses, sd->vdevs[i].provider_virq, sd->vdevs[i].path,
				 "interrupt", "");
	}
}

static void check_virqs(struct parser *p)
{
	struct virq_uses uses;

	for (uint32_t c = 0; c < p->sd->num_cells; c++)
		check_cell_virqs(p, c, &uses);
}

/* A physical interrupt goes to one cell only (a second entry in the same cell is a vIRQ
 * used twice, reported by check_virqs()). */
static void check_pirqs(struct parser *p)
{
	const struct sysdesc *sd = p->sd;

	for (uint32_t j = 0; j < sd->num_irqs; j++) {
		const struct sysdesc_irq *b = &sd->irqs[j];

		for (uint32_t i = 0; i < j; i++) {
			const struct sysdesc_irq *a = &sd->irqs[i];

			if (a->pirq != b->pirq || a->cell == b->cell)
				continue;
			diag_error(p->d, sd->cells[b->cell].path, "interrupts",
				   "entry %" PRIu32 ": physical interrupt %" PRIu32
				   " is also claimed by %s",
				   b->index, b->pirq, sd->cells[a->cell].path);
			break;
		}
	}
}

/* "[0x80000000, 0xc0000000)", for the messages about board ranges. */
static void describe_range(char *out, size_t size, uint32_t base, uint32_t len)
{
	snprintf(out, size, "[0x%08" PRIx32 ", 0x%08" PRIx64 ")", base, (uint64_t)base + len);
}

/* A device region may not overlap what the board keeps for the microvisor (board.h): its
 * GIC, its system controllers, its UART unless the region is the console cell's. */
static void check_device_denied(struct parser *p, const struct sysdesc_region *r)
{
	const struct sysdesc_cell *c = &p->sd->cells[r->cell];
	bool console = strcmp(c->name, MV_CONSOLE_CELL) == 0;

	for (uint32_t i = 0; i < mv_board_num_denied(p->board); i++) {
		struct mv_board_denied dn = mv_board_denied(p->board, i);
		char range[64];

		if (!overlaps(r->pa, r->size, dn.range.base, dn.range.size) ||
		    (dn.console_may_own && console))
			continue;
		describe_range(range, sizeof(range), dn.range.base, dn.range.size);
		diag_error(p->d, c->path, "devices",
			   "region %" PRIu32 " (pa 0x%08" PRIx32 ", size 0x%08" PRIx32
			   ") overlaps %s %s of board %s%s",
			   r->index, r->pa, r->size, dn.name, range, p->board->name,
			   dn.console_may_own ? "; only the cell named \"" MV_CONSOLE_CELL
						"\" may own it"
					      : "");
	}
}

/* RAM regions lie in the board's RAM, device regions outside it; so does the microvisor. */
static void check_board(struct parser *p)
{
	const struct mv_board *b = p->board;
	const struct sysdesc *sd = p->sd;
	char ram[64];

	if (!b)
		return;
	describe_range(ram, sizeof(ram), b->ram.base, b->ram.size);
	if (sd->hyp_mem_size && sd->hyp_mem_has_pa &&
	    !mv_board_in_ram(b, sd->hyp_mem_base, sd->hyp_mem_size))
		diag_error(p->d, "/microvisor", "memory",
			   "pa 0x%08" PRIx32 ", size 0x%08" PRIx32 " is outside the RAM %s of"
			   " board %s",
			   sd->hyp_mem_base, sd->hyp_mem_size, ram, b->name);
	for (uint32_t i = 0; i < sd->num_regions; i++) {
		const struct sysdesc_region *r = &sd->regions[i];
		const char *path = sd->cells[r->cell].path;

		if (r->size == 0 || !r->has_pa)
			continue;
		if (r->flags == MV_REGION_RAM && !mv_board_in_ram(b, r->pa, r->size))
			diag_error(p->d, path, "memory",
				   "region %" PRIu32 " (pa 0x%08" PRIx32 ", size 0x%08" PRIx32
				   ") is outside the RAM %s of board %s",
				   r->index, r->pa, r->size, ram, b->name);
		if (r->flags == MV_REGION_DEVICE &&
		    overlaps(r->pa, r->size, b->ram.base, b->ram.size))
			diag_error(p->d, path, "devices",
				   "region %" PRIu32 " (pa 0x%08" PRIx32 ", size 0x%08" PRIx32
				   ") overlaps the RAM %s of board %s",
				   r->index, r->pa, r->size, ram, b->name);
		if (r->flags == MV_REGION_DEVICE)
			check_device_denied(p, r);
	}
}

/* The microvisor keeps MV_BOOT_CELL_MAX_CHANNELS channel ends and MV_BOOT_CELL_MAX_VDEVS
 * provided vdevs per cell; each one past that is reported where it is described. */
static void check_cell_limits(struct parser *p)
{
	const struct sysdesc *sd = p->sd;
	uint32_t ends[MV_BOOT_MAX_CELLS] = { 0 }, provides[MV_BOOT_MAX_CELLS] = { 0 };

	for (uint32_t i = 0; i < sd->num_channels; i++) {
		for (uint32_t e = 0; e < 2; e++) {
			uint32_t c = sd->channels[i].cell[e];

			if (c == SYSDESC_NO_CELL || ++ends[c] <= MV_BOOT_CELL_MAX_CHANNELS)
				continue;
			diag_error(p->d, sd->channels[i].path, "ends",
				   "end %" PRIu32 ": %s has more than %u channels", e,
				   sd->cells[c].path, MV_BOOT_CELL_MAX_CHANNELS);
		}
	}
	for (uint32_t i = 0; i < sd->num_vdevs; i++) {
		uint32_t c = sd->vdevs[i].provider;

		if (c == SYSDESC_NO_CELL || ++provides[c] <= MV_BOOT_CELL_MAX_VDEVS)
			continue;
		diag_error(p->d, sd->vdevs[i].path, "provider", "%s provides more than %u vdevs",
			   sd->cells[c].path, MV_BOOT_CELL_MAX_VDEVS);
	}
}

static void sysdesc_init(struct sysdesc *sd)
{
	memset(sd, 0, sizeof(*sd));
	sd->num_pcpus = 1;
}

unsigned int sysdesc_parse(const void *fdt, size_t fdt_size, const struct mv_board *board,
			   uint32_t mv_load, struct sysdesc *out, struct diag *d)
{
	struct parser p = { .fdt = fdt, .board = board, .sd = out, .d = d, .cells_node = -1 };
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
	parse_channels(&p);
	parse_vdevs(&p);
	place_memory(out, board, mv_load, d);
	check_pa_overlaps(&p);
	check_board(&p);
	check_windows(&p);
	check_cell_limits(&p);
	check_virqs(&p);
	check_pirqs(&p);
	return d->errors - before;
}
