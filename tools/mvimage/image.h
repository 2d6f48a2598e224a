/* SPDX-License-Identifier: MIT */
/* Cell images and the boot payload: boot table plus images, laid out per boot_table.h. */
#ifndef MVIMAGE_IMAGE_H
#define MVIMAGE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "sysdesc.h"

/* A file's contents, owned by whoever holds the struct. */
struct image_blob {
	uint8_t *data;
	size_t size;
};

/* The image of each cell, indexed like sysdesc.cells. */
struct image_set {
	struct image_blob cells[MV_BOOT_MAX_CELLS];
};

static inline uint64_t image_align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) / align * align;
}

/*
 * Read the whole of `path` into `out`, refusing files larger than `max` bytes.
 * Returns 0 or an errno value; on EFBIG (larger than `max`), out->size still holds the
 * file's size, for the caller's message.
 */
int image_read_file(const char *path, size_t max, struct image_blob *out);
/* Compiles the device-tree source `dts` into `dtb` with `dtc` (the system description's
 * warnings off; with `symbols`, -@ for overlays). 0, or -1 after a message on stderr. */
int image_run_dtc(const char *dtc, const char *dts, const char *dtb, bool symbols);

void image_blob_free(struct image_blob *b);

/*
 * Load the image of every cell from `dir` and check what needs the files: the image
 * exists, is not empty, fits in the RAM region at its load address, and contains the
 * entry point. Every error is reported through `d`; returns the number of errors.
 * `set` is always initialised and must be released with image_set_free().
 */
unsigned int image_load(const struct sysdesc *sd, const char *dir, struct image_set *set,
			struct diag *d);

void image_set_free(struct image_set *set);

/*
 * Check the header at the start of the microvisor binary `bin` and copy it to `out`, and
 * the description of the board it was built for (at out->board_offset) to `board`.
 * Returns NULL, or what is wrong with the binary.
 */
const char *image_parse_microvisor(const struct image_blob *bin, struct mv_image_header *out,
				   struct mv_board *board);

/*
 * Lay out and encode the payload (header, cells, regions, channels, vdevs, pass-through
 * interrupts, 4 KiB aligned images, checksum) for a valid `sd`, after checking that the
 * microvisor (from `mv->load_address`, with its BSS and stacks up to
 * `mv->payload_offset`) plus the payload, and then the channel memory the microvisor
 * allocates after them, fit in /microvisor memory.
 * Returns the number of errors reported through `d`; on 0, `out` holds the payload and
 * the caller frees it.
 */
unsigned int image_build(const struct sysdesc *sd, const struct image_set *set,
			 const struct mv_image_header *mv, struct image_blob *out, struct diag *d);

#endif
