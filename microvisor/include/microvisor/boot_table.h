/* SPDX-License-Identifier: MIT */
/* The boot table: the compact, versioned form of a system description that the image
 * builder (tools/mvimage) writes and the microvisor reads at boot. Freestanding. */
#ifndef MICROVISOR_BOOT_TABLE_H
#define MICROVISOR_BOOT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <mv/abi.h>

#include <microvisor/board.h>

/*
 * Image layout (all little-endian, every offset relative to the boot header):
 *
 *   +---------------------------+ <- load address of the microvisor (board data)
 *   | microvisor .text/.data    |
 *   | (BSS, stacks: zeros)      |
 *   +---------------------------+ <- __payload_start = load + payload_offset
 *   | struct mv_boot_header     |
 *   | struct mv_boot_cell [n]   | <- cells_offset
 *   | struct mv_boot_region [m] | <- regions_offset
 *   | struct mv_boot_channel [] | <- channels_offset
 *   | struct mv_boot_vdev []    | <- vdevs_offset
 *   | struct mv_boot_irq []     | <- irqs_offset
 *   | cell images, each 4 KiB   | <- image_offset of each cell
 *   |   aligned                 |
 *   +---------------------------+ <- header + total_size
 *
 * The payload stays in the microvisor's own memory (hyp_mem_*), never mapped into a cell,
 * so that SYSTEM_RESET can reload a cell's pristine image.
 */

/*
 * The microvisor binary starts with this header (arch/arm/boot.S): the image builder
 * reads where the payload must start (after the microvisor's BSS and stacks, which are
 * not in the binary) and pads the binary with zeros up to there.
 */
#define MV_IMAGE_MAGIC 0x4849564du /* "MVIH" */
struct mv_image_header {
	uint32_t branch;         /* the first instruction: a branch over this header */
	uint32_t magic;          /* MV_IMAGE_MAGIC */
	uint32_t payload_offset; /* from the start of the binary, 4 KiB aligned */
	uint32_t load_address;   /* physical address the binary is linked and loaded at */
	uint32_t board_offset;   /* of its struct mv_board (board.h), from the start */
};
_Static_assert(sizeof(struct mv_image_header) == 20, "image header layout");

#define MV_BOOT_MAGIC 0x5442564du /* "MVBT" */
#define MV_BOOT_VERSION 3u

#define MV_BOOT_MAX_CELLS 16u
#define MV_BOOT_MAX_VCPUS 8u     /* per cell */
#define MV_BOOT_MAX_REGIONS 64u  /* whole system */
#define MV_BOOT_NAME_LEN 32u     /* including the terminating NUL */
#define MV_BOOT_MAX_CHANNELS 32u /* whole system */
#define MV_BOOT_MAX_VDEVS 16u    /* whole system */
#define MV_BOOT_MAX_IRQS 64u     /* pass-through interrupts, whole system */
#define MV_BOOT_FIRST_SPI 32u    /* vIRQ and pass-through IDs are GIC SPIs: 32.. */
#define MV_BOOT_MAX_VIRQ 127u    /* highest vIRQ ID a cell can be given */
#define MV_BOOT_ALIGN 4096u
#define MV_BOOT_CELL_MAX_CHANNELS 8u /* channel ends in one cell */
#define MV_BOOT_CELL_MAX_VDEVS 4u    /* vdevs one cell provides */

/* Every cell's virtual GIC (the emulated distributor and the GICV mapping) sits in this
 * window of its IPA space, at the vexpress addresses whatever the board: no region,
 * channel or vdev of the cell may overlap it. */
#define MV_BOOT_VGIC_IPA MV_GUEST_VGIC_WINDOW_IPA
#define MV_BOOT_VGIC_SIZE MV_GUEST_VGIC_WINDOW_SIZE

/* Region kinds (mv_boot_region.flags). */
#define MV_REGION_RAM 0x1u    /* normal memory, write-back, read/write/execute */
#define MV_REGION_DEVICE 0x2u /* device memory (nGnRE), read/write, never executed */

struct mv_boot_header {
	uint32_t magic;
	uint16_t version;
	uint16_t header_size; /* sizeof(struct mv_boot_header) */
	uint32_t total_size;  /* header, tables and images, bytes */
	uint32_t checksum;    /* two's complement: 32-bit words of total_size sum to 0 */
	/* Physical memory of the microvisor: its image (from its load address), the boot table
	 * right after it, then the channels' memory. Inside the board's RAM; no region may
	 * overlap it. */
	uint32_t hyp_mem_base;
	uint32_t hyp_mem_size;
	uint32_t num_pcpus; /* physical CPUs to bring up */
	uint32_t num_cells;
	uint32_t cells_offset;
	uint32_t num_regions;
	uint32_t regions_offset;
	uint32_t num_channels;
	uint32_t channels_offset;
	uint32_t num_vdevs;
	uint32_t vdevs_offset;
	uint32_t num_irqs;
	uint32_t irqs_offset;
};

struct mv_boot_cell {
	char name[MV_BOOT_NAME_LEN];
	uint32_t image_offset; /* from the header; 4 KiB aligned */
	uint32_t image_size;   /* bytes */
	uint32_t load_ipa;     /* the image is copied to this IPA, inside a RAM region */
	uint32_t entry_ipa;    /* vCPU 0 starts here, in SVC mode, MMU off */
	/* The cells' regions follow one another in the region table, in cell order: cell 0
	 * owns the first num_regions entries, cell 1 the next, and so on, each entry one cell's. */
	uint32_t first_region; /* index into the region table */
	uint32_t num_regions;
	uint32_t num_vcpus;     /* 1..MV_BOOT_MAX_VCPUS; only vCPU 0 starts, others via PSCI */
	uint32_t priority;      /* 0..31, higher runs first */
	uint32_t time_slice_us; /* round-robin slice among equal priorities */
	uint32_t budget_us;     /* CPU time per period, 0 = unlimited */
	uint32_t period_us;
	uint8_t vcpu_pcpu[MV_BOOT_MAX_VCPUS]; /* physical CPU of each vCPU */
	/* A device tree for the cell (Linux cells), copied to dtb_ipa at every start; vCPU 0
	 * then starts with r0 = 0, r1 = 0xffffffff, r2 = dtb_ipa (Linux ARM boot protocol,
	 * Documentation/arm/booting.rst). dtb_size 0: none, and r0-r2 = 0. */
	uint32_t dtb_offset; /* from the header; 8-byte aligned */
	uint32_t dtb_size;
	uint32_t dtb_ipa; /* inside a RAM region of the cell, 8-byte aligned */
};

struct mv_boot_region {
	uint32_t ipa;   /* guest-physical base, 4 KiB aligned */
	uint32_t pa;    /* physical base, 4 KiB aligned */
	uint32_t size;  /* bytes, multiple of 4 KiB */
	uint32_t flags; /* MV_REGION_* */
};

/*
 * A channel joins two cells (ends 0 and 1). Its memory (`size` bytes, two rings of
 * size / 2: end 0 -> end 1 first, then end 1 -> end 0) is allocated by the microvisor at
 * boot from the free part of its own memory range (after the payload), zeroed, and mapped
 * at ipa[e] in cell[e] as normal memory. Notifying from end e raises virq[1 - e] in
 * cell[1 - e].
 */
struct mv_boot_channel {
	char name[MV_BOOT_NAME_LEN];
	uint32_t cell[2];
	uint32_t ipa[2];  /* 4 KiB aligned, no overlap with the end's other regions */
	uint32_t virq[2]; /* doorbell vIRQ (an SPI ID) raised in each end */
	uint32_t size;    /* multiple of 8 KiB */
	uint32_t flags;   /* 0 */
};

/* A vdev: loads and stores of `consumer` in [ipa, ipa + size) trap and are answered by
 * `provider`, which gets vIRQ `provider_virq` when requests are queued. */
struct mv_boot_vdev {
	char name[MV_BOOT_NAME_LEN];
	uint32_t consumer;
	uint32_t provider;
	uint32_t ipa;  /* 4 KiB aligned window in the consumer's space, no overlap */
	uint32_t size; /* multiple of 4 KiB, at most 1 MiB */
	uint32_t provider_virq;
	uint32_t flags; /* 0 */
};

/* A physical interrupt (SPI) given to a cell, delivered as vIRQ `virq` (== pirq). */
struct mv_boot_irq {
	uint32_t cell;
	uint32_t pirq;
	uint32_t virq;
	uint32_t flags; /* 0 */
};

_Static_assert(sizeof(struct mv_boot_header) == 68, "boot header layout");
_Static_assert(sizeof(struct mv_boot_channel) == 64, "boot channel layout");
_Static_assert(sizeof(struct mv_boot_vdev) == 56, "boot vdev layout");
_Static_assert(sizeof(struct mv_boot_irq) == 16, "boot irq layout");
_Static_assert(sizeof(struct mv_boot_cell) == 96, "boot cell layout");
_Static_assert(sizeof(struct mv_boot_region) == 16, "boot region layout");
_Static_assert(offsetof(struct mv_boot_cell, vcpu_pcpu) == 76, "boot cell layout");

/* Sum of the 32-bit words of a table of `bytes` bytes (a multiple of 4). */
static inline uint32_t mv_boot_sum(const void *table, uint32_t bytes)
{
	const uint32_t *w = (const uint32_t *)table;
	uint32_t sum = 0;
	for (uint32_t i = 0; i < bytes / 4u; i++)
		sum += w[i];
	return sum;
}

#endif
