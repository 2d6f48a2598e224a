/* SPDX-License-Identifier: MIT */
/* Physical placement: the RAM a description sizes but does not locate, put in the board's
 * RAM by mvimage (docs/system-description.md, "Placement"). */
#ifndef MVIMAGE_PLACE_H
#define MVIMAGE_PLACE_H

#include <stdint.h>

#include "diag.h"
#include "sysdesc.h"

#define PLACE_BLOCK 0x200000u /* a stage-2 block (LPAE level 2) */

/*
 * Give a physical address to what `sd` leaves to the board: /microvisor memory given as
 * `<size>` goes where the microvisor runs (from `mv_load`, its load address, rounded down
 * to 2 MiB but not below the RAM), and then every `placed-memory` region that passed its own
 * checks (placeable) goes to the lowest free address of the board's RAM, clear of the
 * microvisor's memory, of what the board keeps (board.h) and of every region with a
 * physical address, at PLACE_BLOCK congruence with its IPA when it is a block or larger
 * (so stage-2 maps its whole blocks as blocks), else at 4 KiB. Regions of PLACE_BLOCK or
 * more are placed first, each set in description order, so the layout depends on nothing
 * but the description and the board. A region that finds no room is reported through `d`
 * at its cell's `placed-memory` and keeps has_pa false. Returns the number of errors.
 */
unsigned int place_memory(struct sysdesc *sd, const struct mv_board *board, uint32_t mv_load,
			  struct diag *d);

#endif
