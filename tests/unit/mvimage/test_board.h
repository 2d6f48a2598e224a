/* SPDX-License-Identifier: MIT */
/* The board the mvimage tests' stand-in microvisor binaries describe: laid out like
 * vexpress-a15, so the test systems read like real ones, but named apart from it. */
#ifndef MVIMAGE_TEST_BOARD_H
#define MVIMAGE_TEST_BOARD_H

#include <stdint.h>
#include <string.h>

#include <microvisor/boot_table.h>

#define TEST_BOARD_OFFSET 64u /* of the board description in the stand-in binaries */

static const struct mv_board test_board = {
	.magic = MV_BOARD_MAGIC,
	.name = "test-board",
	.ram = { 0x80000000u, 0x40000000u },
	.uart = { 0x1c090000u, 0x1000u },
	.gicd = { 0x2c001000u, 0x1000u },
	.gicc = { 0x2c002000u, 0x2000u },
	.gich = { 0x2c004000u, 0x2000u },
	.gicv = { 0x2c006000u, 0x2000u },
	.num_reserved = 1,
	.reserved = { { "the system registers", { 0x1c010000u, 0x1000u } } },
};

/* The image header and the board description at the start of a stand-in microvisor
 * binary `bin`, which must be at least TEST_BOARD_OFFSET + sizeof(test_board) bytes. */
static inline void test_board_binary(uint8_t *bin, uint32_t payload_offset, uint32_t load)
{
	struct mv_image_header h = {
		.branch = 0xea000003u, /* b over the header */
		.magic = MV_IMAGE_MAGIC,
		.payload_offset = payload_offset,
		.load_address = load,
		.board_offset = TEST_BOARD_OFFSET,
	};

	memcpy(bin, &h, sizeof(h));
	memcpy(bin + TEST_BOARD_OFFSET, &test_board, sizeof(test_board));
}

#endif
