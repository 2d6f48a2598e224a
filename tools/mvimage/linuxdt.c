/* SPDX-License-Identifier: MIT */
/* The device tree of a Linux cell (docs/linux.md), or of any cell whose pass-through devices
 * are described (`devices-compatible`, docs/system-description.md), written with libfdt's
 * sequential-write API: memory, vCPUs started by PSCI over HVC, the GIC and the arch timer
 * at the addresses every cell sees, /chosen, one node per described device, and one node per
 * channel for the pv-linux drivers. */
#include "linuxdt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#define DT_MAX (64u << 10)
#define GIC_PPI 1u
#define GIC_SPI 0u
#define IRQ_EDGE_RISING 1u
#define IRQ_LEVEL_HIGH 4u
#define IRQ_LEVEL_LOW 8u
#define GIC_PHANDLE 1u

static const char *const channel_compat[] = {
	[SYSDESC_CHANNEL_RAW] = "mv,channel-raw",
	[SYSDESC_CHANNEL_NET] = "mv,channel-net",
	[SYSDESC_CHANNEL_CONSOLE] = "mv,channel-console",
};

/* Every libfdt call of one tree goes through here; the first error sticks. */
struct dtw {
	void *fdt;
	int err;
};

static void w_check(struct dtw *w, int err)
{
	if (err && !w->err)
		w->err = err;
}

static void w_begin(struct dtw *w, const char *name)
{
	w_check(w, fdt_begin_node(w->fdt, name));
}

static void w_end(struct dtw *w)
{
	w_check(w, fdt_end_node(w->fdt));
}

static void w_u32(struct dtw *w, const char *name, uint32_t v)
{
	w_check(w, fdt_property_u32(w->fdt, name, v));
}

static void w_string(struct dtw *w, const char *name, const char *v)
{
	/* fdt_property_string() is a macro that narrows strlen() to int. */
	w_check(w, fdt_property(w->fdt, name, v, (int)strlen(v) + 1));
}

static void w_empty(struct dtw *w, const char *name)
{
	w_check(w, fdt_property(w->fdt, name, NULL, 0));
}

/* The longest property written: /memory `reg`, an <ipa size> pair per RAM region. */
#define DT_MAX_CELLS (2u * MV_BOOT_MAX_REGIONS)

/* A property of n big-endian cells. */
static void w_cells(struct dtw *w, const char *name, const uint32_t *v, uint32_t n)
{
	fdt32_t be[DT_MAX_CELLS];

	if (n > DT_MAX_CELLS) {
		w_check(w, -FDT_ERR_NOSPACE);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	w_check(w, fdt_property(w->fdt, name, be, (int)(n * sizeof(be[0]))));
}

/* A string list: the strings one after another, each with its NUL. */
static void w_strings(struct dtw *w, const char *name, const char *a, const char *b)
{
	char buf[128];
	size_t la = strlen(a) + 1, lb = strlen(b) + 1;

	memcpy(buf, a, la);
	memcpy(buf + la, b, lb);
	w_check(w, fdt_property(w->fdt, name, buf, (int)(la + lb)));
}

static void write_memory(struct dtw *w, const struct sysdesc *sd, const struct sysdesc_cell *c)
{
	const struct sysdesc_region *r = &sd->regions[c->first_region];
	uint32_t reg[2 * MV_BOOT_MAX_REGIONS];
	char name[32];

	for (uint32_t i = 0; i < c->num_ram; i++) {
		reg[2 * i] = r[i].ipa;
		reg[2 * i + 1] = r[i].size;
	}
	snprintf(name, sizeof(name), "memory@%" PRIx32, r[0].ipa);
	w_begin(w, name);
	w_string(w, "device_type", "memory");
	w_cells(w, "reg", reg, 2 * c->num_ram);
	w_end(w);
}

/* vCPU n has MPIDR Aff0 = n (docs/hypercalls.md); all but vCPU 0 start by PSCI CPU_ON. */
static void write_cpus(struct dtw *w, const struct sysdesc_cell *c)
{
	w_begin(w, "cpus");
	w_u32(w, "#address-cells", 1);
	w_u32(w, "#size-cells", 0);
	for (uint32_t i = 0; i < c->num_vcpus; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%" PRIu32, i);
		w_begin(w, name);
		w_string(w, "device_type", "cpu");
		w_string(w, "compatible", "arm,cortex-a15");
		w_u32(w, "reg", i);
		w_string(w, "enable-method", "psci");
		w_end(w);
	}
	w_end(w);

	w_begin(w, "psci");
	w_strings(w, "compatible", "arm,psci-1.0", "arm,psci-0.2");
	w_string(w, "method", "hvc");
	w_end(w);
}

static void write_gic_timer(struct dtw *w, const struct sysdesc_cell *c)
{
	const uint32_t gic_reg[] = { LINUXDT_GICD_IPA, LINUXDT_GICD_SIZE, LINUXDT_GICC_IPA,
				     LINUXDT_GICC_SIZE };
	/* Secure physical, non-secure physical, virtual, hypervisor timer PPIs (13, 14, 11,
	 * 10 = IDs 29, 30, 27, 26), level low, to every vCPU. Linux in a cell uses the
	 * virtual one; the order is what the binding fixes. */
	uint32_t cpu_mask = ((1u << c->num_vcpus) - 1u) << 8;
	const uint32_t ppis[] = { 13, 14, 11, 10 };
	uint32_t timer[12];
	char name[48];

	for (uint32_t i = 0; i < 4; i++) {
		timer[3 * i] = GIC_PPI;
		timer[3 * i + 1] = ppis[i];
		timer[3 * i + 2] = cpu_mask | IRQ_LEVEL_LOW;
	}
	snprintf(name, sizeof(name), "interrupt-controller@%" PRIx32, LINUXDT_GICD_IPA);
	w_begin(w, name);
	w_string(w, "compatible", "arm,cortex-a15-gic");
	w_u32(w, "#interrupt-cells", 3);
	w_u32(w, "#address-cells", 0);
	w_empty(w, "interrupt-controller");
	w_cells(w, "reg", gic_reg, 4);
	w_u32(w, "phandle", GIC_PHANDLE);
	w_end(w);

	w_begin(w, "timer");
	w_string(w, "compatible", "arm,armv7-timer");
	w_cells(w, "interrupts", timer, 12);
	w_end(w);
}

/* The end of channel ch that is cell `cell` (the caller knows it is one). */
static uint32_t channel_end(const struct sysdesc_channel *ch, uint32_t cell)
{
	return ch->cell[0] == cell ? 0u : 1u;
}

/*
 * /hypervisor: the microvisor's node, a simple bus whose children are the cell's
 * channels in the order the microvisor numbers them (the system description's).
 */
static void write_channels(struct dtw *w, const struct sysdesc *sd, uint32_t cell)
{
	uint32_t n = 0;

	w_begin(w, "hypervisor");
	w_strings(w, "compatible", "mv,microvisor", "simple-bus");
	w_u32(w, "#address-cells", 1);
	w_u32(w, "#size-cells", 1);
	w_empty(w, "ranges");
	for (uint32_t i = 0; i < sd->num_channels; i++) {
		const struct sysdesc_channel *ch = &sd->channels[i];
		uint32_t e, reg[2], irq[3];
		char name[48];

		if (ch->cell[0] != cell && ch->cell[1] != cell)
			continue;
		e = channel_end(ch, cell);
		reg[0] = ch->ipa[e];
		reg[1] = ch->size;
		irq[0] = GIC_SPI;
		irq[1] = ch->virq[e] - MV_BOOT_FIRST_SPI;
		irq[2] = IRQ_EDGE_RISING;
		snprintf(name, sizeof(name), "channel@%" PRIx32, reg[0]);
		w_begin(w, name);
		w_string(w, "compatible", channel_compat[ch->type]);
		w_cells(w, "reg", reg, 2);
		w_cells(w, "interrupts", irq, 3);
		w_u32(w, "mv,channel", n++);
		w_u32(w, "mv,end", e);
		w_string(w, "mv,peer", sd->cells[ch->cell[1 - e]].name);
		w_string(w, "label", ch->name);
		w_end(w);
	}
	w_end(w);
}

/*
 * One node per `devices` region of the cell, in description order: the compatible string
 * the description gives it, `reg` = <ipa size>, and the cell's `interrupts` entry of the
 * same index, if there is one, as a level-high SPI (what the SoC peripherals a cell is
 * given raise).
 */
static void write_devices(struct dtw *w, const struct sysdesc *sd, uint32_t cell)
{
	const struct sysdesc_cell *c = &sd->cells[cell];
	const struct sysdesc_region *r = &sd->regions[c->first_region + c->num_ram];

	for (uint32_t i = 0; i < c->num_device_compat; i++) {
		uint32_t reg[2] = { r[i].ipa, r[i].size };
		uint32_t pirq = sysdesc_cell_irq(sd, cell, i);
		char name[32];

		snprintf(name, sizeof(name), "device@%" PRIx32, r[i].ipa);
		w_begin(w, name);
		w_string(w, "compatible", c->device_compat[i]);
		w_cells(w, "reg", reg, 2);
		if (pirq) {
			uint32_t irq[3] = { GIC_SPI, pirq - MV_BOOT_FIRST_SPI, IRQ_LEVEL_HIGH };

			w_cells(w, "interrupts", irq, 3);
		}
		w_end(w);
	}
}

int linuxdt_build(const struct sysdesc *sd, uint32_t cell, struct image_blob *out, struct diag *d)
{
	const struct sysdesc_cell *c = &sd->cells[cell];
	struct dtw w = { .fdt = calloc(1, DT_MAX), .err = 0 };
	char model[64];

	out->data = NULL;
	out->size = 0;
	if (!w.fdt) {
		diag_error(d, c->path, DIAG_NO_PROPERTY, "out of memory for the device tree");
		return -1;
	}
	w_check(&w, fdt_create(w.fdt, DT_MAX));
	w_check(&w, fdt_finish_reservemap(w.fdt));
	w_begin(&w, "");
	w_u32(&w, "#address-cells", 1);
	w_u32(&w, "#size-cells", 1);
	if (c->os == SYSDESC_OS_LINUX)
		w_strings(&w, "compatible", "mv,linux-cell", "linux,dummy-virt");
	else
		w_string(&w, "compatible", "mv,cell");
	snprintf(model, sizeof(model), "microvisor cell %s", c->name);
	w_string(&w, "model", model);
	w_u32(&w, "interrupt-parent", GIC_PHANDLE);

	w_begin(&w, "chosen");
	if (c->os == SYSDESC_OS_LINUX)
		w_string(&w, "bootargs", c->bootargs);
	w_string(&w, "mv,cell-name", c->name);
	w_end(&w);
	write_memory(&w, sd, c);
	write_cpus(&w, c);
	write_gic_timer(&w, c);
	write_devices(&w, sd, cell);
	write_channels(&w, sd, cell);
	w_end(&w);
	w_check(&w, fdt_finish(w.fdt));
	if (w.err) {
		diag_error(d, c->path, c->os == SYSDESC_OS_LINUX ? "os" : "devices-compatible",
			   "cannot build the device tree: %s", fdt_strerror(w.err));
		free(w.fdt);
		return -1;
	}
	out->data = w.fdt;
	out->size = fdt_totalsize(w.fdt);
	return 0;
}

unsigned int linuxdt_place(const struct sysdesc *sd, uint32_t cell, uint64_t image_size,
			   uint32_t dtb_size, uint32_t *ipa, struct diag *d)
{
	const struct sysdesc_cell *c = &sd->cells[cell];
	const struct sysdesc_region *r = &sd->regions[c->first_region];
	uint64_t room = r->size < LINUXDT_LOWMEM ? r->size : LINUXDT_LOWMEM;
	uint64_t size = image_align_up(dtb_size, MV_BOOT_ALIGN);
	uint64_t at = (uint64_t)r->ipa + room - size;
	uint64_t img_end = (uint64_t)c->load_ipa + image_size;

	*ipa = 0;
	if (c->num_ram == 0 || size > room || (c->load_ipa < at + size && img_end > at)) {
		const char *prop = c->num_ram ? sysdesc_region_prop(r) : "memory";

		diag_error(d, c->path, prop,
			   "no room for the %" PRIu32 "-byte device tree at the end of the first"
			   " %" PRIu64 " bytes of %s region 0 (the image ends at 0x%08" PRIx64 ")",
			   dtb_size, room, prop, img_end);
		return 1;
	}
	*ipa = (uint32_t)at;
	return 0;
}
