/* SPDX-License-Identifier: MIT */
/* Checks images that mvimage built from one system description for several boards: the
 * microvisor's own boot-table check (microvisor/src/boot_table.c) accepts each on the board
 * its binary describes, every RAM region that holds a whole 2 MiB block of IPA space has
 * its PA at the same 2 MiB offset, and the cells' view of RAM is the same on every board
 * (their devices come from each board's overlay). Usage: check_board_images <image>... */
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

/* The same cells' view of RAM: as many cells, channels and regions, each region of the same
 * kind, and each RAM region at the same IPA with the same size (its PA is the board's).
 * Device regions, the pass-through interrupts and the console cell's generated device tree
 * are the board's (systems/boards/<board>.dtso), so the payloads are not compared whole. */
static void check_same_view(const struct board_image *a, const struct board_image *b)
{
	const struct mv_boot_header *ha = a->table, *hb = b->table;
	const struct mv_boot_region *ra, *rb;

	if (ha->num_cells != hb->num_cells || ha->num_channels != hb->num_channels ||
	    ha->num_regions != hb->num_regions || ha->num_irqs != hb->num_irqs) {
		fail(b->path,
		     "not as many cells, channels, regions or interrupts as the first image");
		return;
	}
	ra = (const struct mv_boot_region *)((const uint8_t *)ha + ha->regions_offset);
	rb = (const struct mv_boot_region *)((const uint8_t *)hb + hb->regions_offset);
	for (uint32_t i = 0; i < ha->num_regions; i++) {
		if (ra[i].flags != rb[i].flags ||
		    (ra[i].flags == MV_REGION_RAM &&
		     (ra[i].ipa != rb[i].ipa || ra[i].size != rb[i].size)))
			fail(b->path, "the cells' view of RAM differs from the first image's");
	}
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
