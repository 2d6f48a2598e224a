/* SPDX-License-Identifier: MIT */
/* The system description (docs/system-description.md) parsed from a DTB and validated. */
#ifndef MVIMAGE_SYSDESC_H
#define MVIMAGE_SYSDESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microvisor/boot_table.h>

#include "diag.h"

#define SYSDESC_PATH_MAX 256u /* node paths and image file names */
#define SYSDESC_MAX_PCPUS 8u

#define SYSDESC_DEFAULT_TIME_SLICE_US 10000u
#define SYSDESC_MIN_TIME_SLICE_US 100u
#define SYSDESC_MAX_TIME_SLICE_US 1000000u
#define SYSDESC_MAX_PRIORITY 31u

/* Every cell's virtual GIC (distributor and GICV, at the vexpress addresses) sits here in
 * its IPA space, so nothing else may. */
#define SYSDESC_VGIC_IPA MV_BOOT_VGIC_IPA
#define SYSDESC_VGIC_SIZE MV_BOOT_VGIC_SIZE

#define SYSDESC_CHANNEL_ALIGN 0x2000u /* channel sizes: two rings of whole pages */
#define SYSDESC_MAX_VDEV_SIZE 0x100000u

#define SYSDESC_BOOTARGS_MAX 1024u /* bytes of a Linux cell's bootargs, with the NUL */

/* `devices-compatible`: one device-tree compatible string per `devices` region. */
#define SYSDESC_MAX_DEVICE_COMPAT 8u
#define SYSDESC_COMPAT_MAX 64u /* bytes of one, with the NUL */

/* What runs in a cell: `os` absent is a plain binary; "linux" gets a generated device
 * tree (tools/mvimage/linuxdt.c, docs/linux.md). */
enum sysdesc_os { SYSDESC_OS_NONE = 0, SYSDESC_OS_LINUX };

/* /channels/<name> `type`: which Linux driver binds to a channel (compatible
 * "mv,channel-<type>"); ignored by other cells. */
enum sysdesc_channel_type {
	SYSDESC_CHANNEL_RAW = 0,
	SYSDESC_CHANNEL_NET,
	SYSDESC_CHANNEL_CONSOLE,
};

/* A reference to a cell that did not resolve; the error has been reported. */
#define SYSDESC_NO_CELL UINT32_MAX

/* One `<ipa pa size>` triple of a cell's `memory` or `devices`, or one `<ipa size>` pair of
 * its `placed-memory`, whose pa mvimage chooses (place.h). */
struct sysdesc_region {
	uint32_t ipa;
	uint32_t pa;
	uint32_t size;
	uint32_t flags; /* MV_REGION_RAM (`memory`, `placed-memory`) or MV_REGION_DEVICE */
	uint32_t cell;  /* owner, an index into sysdesc.cells */
	uint32_t index; /* position in the owner's `memory`, `placed-memory` or `devices` */
	bool placed;    /* from `placed-memory` */
	bool placeable; /* placed, and its ipa and size passed their checks */
	bool has_pa;    /* pa is known: given, or placed; the physical checks skip the rest */
};

struct sysdesc_cell {
	char name[MV_BOOT_NAME_LEN];
	char path[SYSDESC_PATH_MAX];  /* node path, to name the cell in later errors */
	char image[SYSDESC_PATH_MAX]; /* file name relative to the image directory */
	/* The cell's regions are consecutive in sysdesc.regions: RAM first (`memory`, then
	 * `placed-memory`), then devices. */
	uint32_t first_region;
	uint32_t num_ram;
	uint32_t num_devices;
	uint32_t load_ipa;
	uint32_t entry_ipa;
	uint32_t num_vcpus;
	uint8_t vcpu_pcpu[MV_BOOT_MAX_VCPUS]; /* unused entries are 0 */
	uint32_t priority;
	uint32_t time_slice_us;
	uint32_t budget_us; /* 0 with period_us 0: unlimited */
	uint32_t period_us;
	enum sysdesc_os os;
	char bootargs[SYSDESC_BOOTARGS_MAX]; /* Linux cells: the kernel command line */
	/* What each `devices` region is, for the cell's device tree: 0 (the property is
	 * absent) or num_devices entries. */
	uint32_t num_device_compat;
	char device_compat[SYSDESC_MAX_DEVICE_COMPAT][SYSDESC_COMPAT_MAX];
};

/* /channels/<name>: shared memory between cell[0] and cell[1], a doorbell in each. */
struct sysdesc_channel {
	char name[MV_BOOT_NAME_LEN];
	char path[SYSDESC_PATH_MAX];
	uint32_t cell[2]; /* indices into sysdesc.cells, or SYSDESC_NO_CELL */
	uint32_t ipa[2];
	uint32_t virq[2];               /* 0 if invalid (reported) */
	uint32_t size;                  /* 0 if invalid (reported) */
	enum sysdesc_channel_type type; /* default: console if an end is named "console" */
};

/* /vdevs/<name>: a window of the consumer's IPA space that the provider emulates. */
struct sysdesc_vdev {
	char name[MV_BOOT_NAME_LEN];
	char path[SYSDESC_PATH_MAX];
	uint32_t consumer; /* indices into sysdesc.cells, or SYSDESC_NO_CELL */
	uint32_t provider;
	uint32_t ipa;
	uint32_t size;          /* 0 if invalid (reported) */
	uint32_t provider_virq; /* 0 if invalid (reported) */
};

/* One entry of a cell's `interrupts`: a physical SPI, delivered as the same vIRQ. */
struct sysdesc_irq {
	uint32_t cell; /* index into sysdesc.cells */
	uint32_t pirq;
	uint32_t index; /* position in the cell's `interrupts` property */
};

struct sysdesc {
	uint32_t hyp_mem_base;
	uint32_t hyp_mem_size; /* 0 if invalid (reported) */
	bool hyp_mem_placed;   /* given as `<size>`: the base is where the microvisor runs */
	bool hyp_mem_has_pa;   /* the base is known: given, or placed */
	uint32_t num_pcpus;
	uint32_t num_cells;
	struct sysdesc_cell cells[MV_BOOT_MAX_CELLS];
	uint32_t num_regions;
	struct sysdesc_region regions[MV_BOOT_MAX_REGIONS];
	uint32_t num_channels;
	struct sysdesc_channel channels[MV_BOOT_MAX_CHANNELS];
	uint32_t num_vdevs;
	struct sysdesc_vdev vdevs[MV_BOOT_MAX_VDEVS];
	uint32_t num_irqs; /* in description order: by cell, then by entry */
	struct sysdesc_irq irqs[MV_BOOT_MAX_IRQS];
};

/*
 * Fill `out` from the DTB `fdt` (`fdt_size` bytes, as read from the file), place in the
 * board's RAM what the description leaves to it (place.h; `mv_load` is the microvisor's
 * load address) and check everything that can be checked without the cell images, against
 * `board` (the board the microvisor was built for, board.h; NULL skips placement and those
 * checks, for when the microvisor binary could not be read and that has been reported).
 * Every error found is reported through `d`, naming the node and property; returns the
 * number of errors, so 0 means `out` is a valid system, every region with its pa. `out` is
 * always initialised, even on errors.
 */
unsigned int sysdesc_parse(const void *fdt, size_t fdt_size, const struct mv_board *board,
			   uint32_t mv_load, struct sysdesc *out, struct diag *d);

/* The cell gets a device tree generated by mvimage (tools/mvimage/linuxdt.c): a Linux
 * cell, or one whose devices are described by `devices-compatible`. */
static inline int sysdesc_cell_has_dt(const struct sysdesc_cell *c)
{
	return c->os == SYSDESC_OS_LINUX || c->num_device_compat != 0;
}

/* The `interrupts` entry `index` of cell `cell`: its physical SPI, or 0 if it has none. */
uint32_t sysdesc_cell_irq(const struct sysdesc *sd, uint32_t cell, uint32_t index);

static inline uint32_t sysdesc_cell_regions(const struct sysdesc_cell *c)
{
	return c->num_ram + c->num_devices;
}

/* The property region `r` comes from: "memory", "placed-memory" or "devices". */
const char *sysdesc_region_prop(const struct sysdesc_region *r);

/* The RAM region of cell `c` that contains `ipa`, or NULL. */
const struct sysdesc_region *sysdesc_ram_at(const struct sysdesc *sd, const struct sysdesc_cell *c,
					    uint32_t ipa);

#endif
