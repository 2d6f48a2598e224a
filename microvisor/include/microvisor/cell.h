/* SPDX-License-Identifier: MIT */
/* Cells: isolated protection domains built from the boot table, their lifecycle
 * (start, stop, restart) and their debug console line buffers. */
#ifndef MICROVISOR_CELL_H
#define MICROVISOR_CELL_H

#include <microvisor/boot_table.h>
#include <microvisor/types.h>
#include <vcpu/vcpu.h>
#include <vmmu/vmmu.h>
#include <arch/cell_arch.h>

#define CELL_MAX_CHANNELS MV_BOOT_CELL_MAX_CHANNELS
#define CELL_MAX_VDEVS MV_BOOT_CELL_MAX_VDEVS

struct channel;
struct vdev;

enum cell_state {
	CELL_RUNNING,
	CELL_STOPPING, /* waiting for its vCPUs to acknowledge a stop */
	CELL_OFF,
};

#define CELL_LINE_MAX 120u

struct cell {
	const struct mv_boot_cell *boot;
	const uint8_t *image; /* pristine image in the payload */
	uint32_t id;
	volatile uint32_t state;             /* enum cell_state */
	volatile uint32_t stops_outstanding; /* vCPUs that have not yet stopped */
	volatile uint32_t restart_after_stop;
	volatile uint32_t life_lock; /* orders CPU_ON against a stop of the cell */
	uint32_t load_done;          /* bytes of image and device tree copied by this start */
	uint32_t reset_count;
	uint64_t cntvoff; /* virtual counter offset: the cell's time starts at 0 */
	struct vmmu vmmu;
	struct vcpu *vcpus; /* num_vcpus entries */
	uint32_t num_vcpus;
	struct channel *channels[CELL_MAX_CHANNELS]; /* this cell's channels, cell-local order */
	uint32_t num_channels;
	struct vdev *vdevs[CELL_MAX_VDEVS]; /* vdevs it provides, cell-local order */
	uint32_t num_vdevs;
	struct cell_arch arch;    /* the emulated GIC distributor */
	char line[CELL_LINE_MAX]; /* debug console line being assembled */
	uint32_t line_len;
	volatile uint32_t line_lock;
};

extern struct cell cells[CONFIG_MAX_CELLS];
extern uint32_t num_cells;

/* Builds every cell from a validated boot table. */
void cells_create(const struct mv_boot_header *hdr);
/* Starts vCPU 0 of a cell to load its image and run it (boot, and after a restart). */
void cell_start(struct cell *c);
/* One step of loading the cell of `v` (its vCPU 0, current on this CPU): copies at most
 * CONFIG_CELL_LOAD_CHUNK bytes of the image or device tree; once all is copied, resets `v`
 * to the cell's entry and clears v->loading. */
void cell_load_step(struct vcpu *v);
/* PSCI CPU_ON of `target`: MV_E_DENIED unless its cell is running, else as vcpu_start. A
 * start can thus never be claimed once a stop of the cell has begun. */
MV_MUST_CHECK enum mv_status cell_vcpu_start(struct vcpu *target, uint32_t entry, uint32_t context);
/* Stops every vCPU of the cell; with `restart`, the last one to stop restarts the cell. */
void cell_stop(struct cell *c, bool restart);
/* The vCPU `v` turned itself off (PSCI CPU_OFF): if it was the last one on, the cell is
 * stopped, as SYSTEM_OFF would, so that it does not count as running forever. */
void cell_vcpu_off(struct vcpu *v);
/* A vCPU of a stopping cell acknowledged the stop (called on its own CPU). */
void cell_vcpu_stopped(struct cell *c);
/* Appends debug-console bytes of a cell, printing complete lines with its name. */
void cell_console_write(struct cell *c, const char *bytes, uint32_t n);

/* Guest-fault report, rate-limited per cell so a hostile cell cannot flood the console. */
void cell_report_fault(struct cell *c, const char *what, uint32_t addr, uint32_t pc);

/* What a boot table is checked against: the microvisor's own board data and where the
 * microvisor really is. */
struct boot_env {
	const struct mv_board *board;
	uint32_t image_pa;  /* the microvisor's load address */
	uint32_t table_pa;  /* the boot header (after the microvisor's BSS and stacks) */
	uint32_t available; /* bytes from the boot header to the end of RAM */
	uint32_t max_pcpus;
};

/* Checks a boot table in memory: magic, version, sizes, checksum, every offset and index
 * in bounds, every vCPU's CPU < num_pcpus <= max_pcpus, every region, window and limit as
 * the microvisor needs them to build the cells without failing, and nothing of the board's
 * that is not the cells' to have (board.h). Returns NULL if valid, else a description of
 * the first problem. */
const char *boot_table_check(const struct mv_boot_header *hdr, const struct boot_env *env);

#endif
