/* SPDX-License-Identifier: MIT */
/* Checks images that mvimage built from one system description for several boards: the
 * microvisor's own boot-table check (microvisor/src/boot_table.c) accepts each on the board
 * its binary describes, every RAM region that holds a whole 2 MiB block of IPA space has
 * its PA at the same 2 MiB offset, and the cells' view is the same on every board (the
 * payload differs in physical addresses only). Usage: check_board_images <image>... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microvisor/cell.h>

#define BLOCK 0x200000u

static unsigned int failures;

/* An image as the boot loader puts it in memory: the binary, then the payload. */
struct board_image {
	const char *path;
	uint8_t *data;
	size_t size;
	struct mv_image_header hdr;
	struct mv_board board;
	struct mv_boot_header *table; /* a 4-byte aligned copy of the payload */
};

static void fail(const char *path, const char *what)
{
	fprintf(stderr, "%s: %s\n", path, what);
	failures++;
}

static int read_image(const char *path, struct board_image *im)
{
	FILE *f = fopen(path, "rb");
	long len;

	memset(im, 0, sizeof(*im));
	im->path = path;
	if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		return -1;
	}
	im->size = (size_t)len;
	im->data = malloc(im->size ? im->size : 1);
	if (!im->data || fread(im->data, 1, im->size, f) != im->size) {
		perror(path);
		fclose(f);
		return -1;
	}
	fclose(f);
	memcpy(&im->hdr, im->data, im->size < sizeof(im->hdr) ? im->size : sizeof(im->hdr));
	if (im->size < sizeof(im->hdr) || im->hdr.magic != MV_IMAGE_MAGIC ||
	    im->hdr.board_offset > im->size ||
	    im->size - im->hdr.board_offset < sizeof(im->board) ||
	    im->hdr.payload_offset > im->size ||
	    im->size - im->hdr.payload_offset < sizeof(struct mv_boot_header)) {
		fail(path, "not a microvisor image");
		return -1;
	}
	memcpy(&im->board, im->data + im->hdr.board_offset, sizeof(im->board));
	im->table = malloc(im->size - im->hdr.payload_offset);
	if (!im->table) {
		fail(path, "out of memory");
		return -1;
	}
	memcpy(im->table, im->data + im->hdr.payload_offset, im->size - im->hdr.payload_offset);
	return 0;
}

static const struct mv_boot_region *regions(const struct board_image *im)
{
	return (const struct mv_boot_region *)((const uint8_t *)im->table +
					       im->table->regions_offset);
}

/* What the microvisor checks at boot, on the board it was built for. */
static void check_boot(const struct board_image *im)
{
	uint64_t ram_end = (uint64_t)im->board.ram.base + im->board.ram.size;
	uint32_t table_pa = im->hdr.load_address + im->hdr.payload_offset;
	struct boot_env env = { &im->board, im->hdr.load_address, table_pa,
				(uint32_t)(ram_end - table_pa), MV_BOOT_MAX_VCPUS };
	const char *why = boot_table_check(im->table, &env);

	if (why)
		fail(im->path, why);
}

static void check_blocks(const struct board_image *im)
{
	const struct mv_boot_region *r = regions(im);

	printf("%s: board %s, microvisor memory [0x%08x, 0x%08llx)\n", im->path, im->board.name,
	       im->table->hyp_mem_base,
	       (unsigned long long)im->table->hyp_mem_base + im->table->hyp_mem_size);
	for (uint32_t i = 0; i < im->table->num_regions; i++) {
		uint64_t first = ((uint64_t)r[i].ipa + BLOCK - 1) / BLOCK * BLOCK;

		printf("  region %u: ipa 0x%08x pa 0x%08x size 0x%08x flags %u\n", i, r[i].ipa,
		       r[i].pa, r[i].size, r[i].flags);
		if (r[i].flags == MV_REGION_RAM &&
		    first + BLOCK <= (uint64_t)r[i].ipa + r[i].size &&
		    r[i].pa % BLOCK != r[i].ipa % BLOCK)
			fail(im->path, "a RAM region holding a 2 MiB block is not block aligned");
	}
}

/* The same payload but for the physical addresses: those of the regions and the
 * microvisor's memory, and the checksum that covers them. */
static void check_same_view(const struct board_image *a, const struct board_image *b)
{
	size_t size = a->size - a->hdr.payload_offset;
	uint8_t *x, *y;

	if (b->size - b->hdr.payload_offset != size || a->table->total_size > size ||
	    a->table->num_regions != b->table->num_regions) {
		fail(b->path, "payload differs in size from the first image's");
		return;
	}
	x = malloc(size);
	y = malloc(size);
	if (!x || !y) {
		fail(b->path, "out of memory");
		free(x);
		free(y);
		return;
	}
	memcpy(x, a->table, size);
	memcpy(y, b->table, size);
	for (uint8_t *t = x; t; t = t == x ? y : NULL) {
		struct mv_boot_header *h = (struct mv_boot_header *)t;
		struct mv_boot_region *r = (struct mv_boot_region *)(t + h->regions_offset);

		h->checksum = 0;
		h->hyp_mem_base = 0;
		for (uint32_t i = 0; i < h->num_regions; i++)
			r[i].pa = 0;
	}
	if (memcmp(x, y, size) != 0)
		fail(b->path, "the cells' view differs from the first image's");
	free(x);
	free(y);
}

int main(int argc, char **argv)
{
	static struct board_image images[8];
	int n = argc - 1;

	if (n < 1 || n > 8) {
		fprintf(stderr, "usage: check_board_images <image>... (at most 8)\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		if (read_image(argv[i + 1], &images[i]) != 0)
			return 1;
		check_boot(&images[i]);
		check_blocks(&images[i]);
		if (i > 0)
			check_same_view(&images[0], &images[i]);
	}
	for (int i = 0; i < n; i++) {
		free(images[i].data);
		free(images[i].table);
	}
	if (failures) {
		fprintf(stderr, "check_board_images: %u checks failed\n", failures);
		return 1;
	}
	printf("check_board_images: %d images, all checks passed\n", n);
	return 0;
}
