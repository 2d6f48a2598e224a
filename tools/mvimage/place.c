/* SPDX-License-Identifier: MIT */
/* Physical placement of the memory a system description sizes but does not locate. */
#include "place.h"

#include <assert.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#define MIB 0x100000u

/* [base, end) of physical memory; 64-bit so that a range may end at 4 GiB. */
struct span {
	uint64_t base;
	uint64_t end;
};

/* What of the board's RAM is taken: sorted by base, disjoint and not touching, all inside
 * `ram`. Room for the microvisor, every range the board keeps and every region. */
struct taken {
	struct span ram;
	uint32_t num;
	struct span s[1u + 5u + MV_BOARD_MAX_RESERVED + MV_BOOT_MAX_REGIONS];
};

/* What is left, for a message about a region that finds no room. */
struct room {
	uint64_t free;    /* bytes of RAM not taken */
	uint64_t largest; /* bytes of the largest free range */
};

/* Mark [base, base + size) taken, as far as it lies in RAM, merging it with its
 * neighbours. */
static void take(struct taken *t, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	uint32_t i = 0, j;

	base = base < t->ram.base ? t->ram.base : base;
	end = end > t->ram.end ? t->ram.end : end;
	if (base >= end)
		return;
	while (i < t->num && t->s[i].end < base)
		i++;
	for (j = i; j < t->num && t->s[j].base <= end; j++) {
		base = t->s[j].base < base ? t->s[j].base : base;
		end = t->s[j].end > end ? t->s[j].end : end;
	}
	/* s[i, j) merge into the new span, which takes s[i]'s place; there is a slot for
	 * everything ever taken. */
	assert(j > i || t->num < sizeof(t->s) / sizeof(t->s[0]));
	memmove(&t->s[i + 1], &t->s[j], (t->num - j) * sizeof(t->s[0]));
	t->num = t->num + 1 - (j - i);
	t->s[i] = (struct span){ base, end };
}

/* The free range between taken span k - 1 and taken span k (k = 0..num). */
static struct span free_range(const struct taken *t, uint32_t k)
{
	uint64_t base = k == 0 ? t->ram.base : t->s[k - 1].end;
	uint64_t end = k == t->num ? t->ram.end : t->s[k].base;

	return (struct span){ base, end };
}

/* [ipa, ipa + size) holds a whole stage-2 block, which a PA at the same offset in its
 * block lets lpae map with one descriptor. */
static bool holds_block(uint32_t ipa, uint32_t size)
{
	uint64_t first = ((uint64_t)ipa + PLACE_BLOCK - 1) / PLACE_BLOCK * PLACE_BLOCK;

	return first + PLACE_BLOCK <= (uint64_t)ipa + size;
}

/* The lowest free address for region `r`, or false with `room` filled in. */
static bool find(const struct taken *t, const struct sysdesc_region *r, uint64_t *pa,
		 struct room *room)
{
	bool block = holds_block(r->ipa, r->size);

	memset(room, 0, sizeof(*room));
	for (uint32_t k = 0; k <= t->num; k++) {
		struct span f = free_range(t, k);
		uint64_t at = f.base;

		if (block)
			at += ((uint64_t)r->ipa % PLACE_BLOCK + PLACE_BLOCK -
			       f.base % PLACE_BLOCK) %
			      PLACE_BLOCK;
		if (at + r->size <= f.end) {
			*pa = at;
			return true;
		}
		room->free += f.end - f.base;
		if (f.end - f.base > room->largest)
			room->largest = f.end - f.base;
	}
	return false;
}

/* "512 MiB", or "20 KiB" for what is not whole MiB (placed sizes are whole pages). */
static void format_size(char *out, size_t size, uint64_t bytes)
{
	if (bytes % MIB == 0)
		snprintf(out, size, "%" PRIu64 " MiB", bytes / MIB);
	else
		snprintf(out, size, "%" PRIu64 " KiB", bytes / 1024u);
}

static void report(const struct sysdesc *sd, const struct mv_board *b,
		   const struct sysdesc_region *r, const struct room *room, struct diag *d)
{
	const char *path = sd->cells[r->cell].path;
	char ram[64], size[32], total[32], unused[32], largest[32];

	snprintf(ram, sizeof(ram), "[0x%08" PRIx32 ", 0x%08" PRIx64 ")", b->ram.base,
		 (uint64_t)b->ram.base + b->ram.size);
	format_size(size, sizeof(size), r->size);
	format_size(total, sizeof(total), b->ram.size);
	format_size(unused, sizeof(unused), room->free);
	format_size(largest, sizeof(largest), room->largest);
	if (r->size > room->free)
		diag_error(d, path, "placed-memory",
			   "region %" PRIu32 ": %s does not fit in the RAM %s of board %s (%s,"
			   " %s free)",
			   r->index, size, ram, b->name, total, unused);
	else if (r->size > room->largest)
		diag_error(d, path, "placed-memory",
			   "region %" PRIu32 ": %s does not fit in one free range of the RAM %s of"
			   " board %s (%s free, the largest free range %s)",
			   r->index, size, ram, b->name, unused, largest);
	else
		diag_error(d, path, "placed-memory",
			   "region %" PRIu32 ": no free range of the RAM %s of board %s holds %s"
			   " with its pa at the 2 MiB offset of ipa 0x%08" PRIx32 " (for stage-2"
			   " blocks; the largest free range is %s)",
			   r->index, ram, b->name, size, r->ipa, largest);
}

/* Where the microvisor runs: from its load address, rounded down to a block for the
 * regions around it, inside RAM. The checks of an explicit /microvisor memory then apply. */
static void place_hyp_mem(struct sysdesc *sd, const struct mv_board *b, uint32_t mv_load)
{
	uint32_t base = mv_load / PLACE_BLOCK * PLACE_BLOCK;

	if (base < b->ram.base && mv_load >= b->ram.base)
		base = b->ram.base;
	sd->hyp_mem_base = base;
	sd->hyp_mem_has_pa = true;
}

/* Place the placeable regions that do (`blocks`) or do not hold a whole stage-2 block. */
static unsigned int place_pass(struct sysdesc *sd, const struct mv_board *b, struct taken *t,
			       bool blocks, struct diag *d)
{
	unsigned int errors = 0;

	for (uint32_t i = 0; i < sd->num_regions; i++) {
		struct sysdesc_region *r = &sd->regions[i];
		struct room room;
		uint64_t pa;

		if (!r->placed || !r->placeable || r->has_pa ||
		    holds_block(r->ipa, r->size) != blocks)
			continue;
		if (!find(t, r, &pa, &room)) {
			report(sd, b, r, &room, d);
			errors++;
			continue;
		}
		r->pa = (uint32_t)pa;
		r->has_pa = true;
		take(t, pa, r->size);
	}
	return errors;
}

unsigned int place_memory(struct sysdesc *sd, const struct mv_board *board, uint32_t mv_load,
			  struct diag *d)
{
	struct taken t;
	unsigned int errors;

	if (!board)
		return 0;
	if (sd->hyp_mem_placed && sd->hyp_mem_size)
		place_hyp_mem(sd, board, mv_load);
	memset(&t, 0, sizeof(t));
	t.ram = (struct span){ board->ram.base, (uint64_t)board->ram.base + board->ram.size };
	if (sd->hyp_mem_has_pa)
		take(&t, sd->hyp_mem_base, sd->hyp_mem_size);
	for (uint32_t i = 0; i < mv_board_num_denied(board); i++) {
		struct mv_board_denied dn = mv_board_denied(board, i);

		take(&t, dn.range.base, dn.range.size);
	}
	for (uint32_t i = 0; i < sd->num_regions; i++) {
		if (sd->regions[i].has_pa)
			take(&t, sd->regions[i].pa, sd->regions[i].size);
	}
	errors = place_pass(sd, board, &t, true, d);
	return errors + place_pass(sd, board, &t, false, d);
}
