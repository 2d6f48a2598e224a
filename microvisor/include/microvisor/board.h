/* SPDX-License-Identifier: MIT */
/* The facts of a board that decide what a system description may hand out: its RAM and the
 * physical ranges no cell may be given. Freestanding: shared by the microvisor and mvimage. */
#ifndef MICROVISOR_BOARD_H
#define MICROVISOR_BOARD_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Each board file (arch/arm/plat/<board>.c) defines its `struct mv_board` once, as the first
 * member of its `struct plat`. The microvisor drives the hardware from it and checks the boot
 * table against it (boot_table_check()); the microvisor binary's image header points at it
 * (mv_image_header.board_offset), so mvimage validates a system description against the very
 * board the microvisor it packs was built for.
 */
#define MV_BOARD_MAGIC 0x4452424du /* "MBRD" */
#define MV_BOARD_NAME_LEN 16u      /* including the terminating NUL */
#define MV_BOARD_MAX_RESERVED 4u
#define MV_BOARD_RANGE_NAME_LEN 40u

struct mv_board_range {
	uint32_t base; /* physical, 4 KiB aligned */
	uint32_t size; /* bytes, a multiple of 4 KiB */
};

/* A board range no cell may own (a system controller, a reset or power controller). */
struct mv_board_reserved {
	char name[MV_BOARD_RANGE_NAME_LEN]; /* for messages: "the system registers" */
	struct mv_board_range range;
};

struct mv_board {
	uint32_t magic; /* MV_BOARD_MAGIC */
	char name[MV_BOARD_NAME_LEN];
	struct mv_board_range ram;  /* all of the board's RAM; every RAM region lies inside */
	struct mv_board_range uart; /* the microvisor's debug UART */
	struct mv_board_range gicd, gicc, gich, gicv; /* GICv2 distributor and CPU, hyp and
						       * virtual CPU interfaces */
	uint32_t num_reserved;
	struct mv_board_reserved reserved[MV_BOARD_MAX_RESERVED];
};
_Static_assert(sizeof(struct mv_board) == 72 + MV_BOARD_MAX_RESERVED * 48, "board layout");

/*
 * The ranges of the board no cell's `devices` may overlap, numbered 0 ..
 * mv_board_num_denied() - 1: the four GIC interfaces, the microvisor's UART, then the
 * reserved ranges. The UART alone may go to the console cell (the cell named "console"),
 * which takes the UART over from the microvisor (log_quiet()).
 */
struct mv_board_denied {
	const char *name;
	struct mv_board_range range;
	bool console_may_own;
};

/* The cell that owns the console UART: the microvisor leaves the UART to it (log_quiet()). */
#define MV_CONSOLE_CELL "console"

static inline uint32_t mv_board_num_denied(const struct mv_board *b)
{
	uint32_t n =
		b->num_reserved < MV_BOARD_MAX_RESERVED ? b->num_reserved : MV_BOARD_MAX_RESERVED;

	return 5u + n;
}

static inline struct mv_board_denied mv_board_denied(const struct mv_board *b, uint32_t i)
{
	switch (i) {
	case 0:
		return (struct mv_board_denied){ "the GIC distributor", b->gicd, false };
	case 1:
		return (struct mv_board_denied){ "the GIC CPU interface", b->gicc, false };
	case 2:
		return (struct mv_board_denied){ "the GIC hyp interface", b->gich, false };
	case 3:
		return (struct mv_board_denied){ "the GIC virtual CPU interface", b->gicv, false };
	case 4:
		return (struct mv_board_denied){ "the microvisor's UART", b->uart, true };
	default:
		return (struct mv_board_denied){ b->reserved[i - 5u].name,
						 b->reserved[i - 5u].range, false };
	}
}

/* [base, base + size) lies inside the board's RAM. */
static inline bool mv_board_in_ram(const struct mv_board *b, uint32_t base, uint32_t size)
{
	return base >= b->ram.base && (uint64_t)base + size <= (uint64_t)b->ram.base + b->ram.size;
}

#endif
