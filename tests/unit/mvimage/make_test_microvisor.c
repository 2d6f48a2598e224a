/* SPDX-License-Identifier: MIT */
/* Writes the stand-in microvisor binary run_bad.py gives mvimage: image header, the test
 * board (test_board.h), then a pattern. */
#include <stdio.h>
#include <stdlib.h>

#include "test_board.h"

int main(int argc, char **argv)
{
	static uint8_t bin[1u << 16];
	unsigned long size, payload, load;
	FILE *f;

	if (argc != 5) {
		fprintf(stderr,
			"usage: make_test_microvisor <out> <size> <payload_offset> <load>\n");
		return 2;
	}
	size = strtoul(argv[2], NULL, 0);
	payload = strtoul(argv[3], NULL, 0);
	load = strtoul(argv[4], NULL, 0);
	if (size < TEST_BOARD_OFFSET + sizeof(test_board) || size > sizeof(bin)) {
		fprintf(stderr, "make_test_microvisor: size %lu out of range\n", size);
		return 2;
	}
	for (size_t i = 0; i < size; i++)
		bin[i] = (uint8_t)(i % 251u);
	test_board_binary(bin, (uint32_t)payload, (uint32_t)load);
	f = fopen(argv[1], "wb");
	if (!f || fwrite(bin, 1, size, f) != size || fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
