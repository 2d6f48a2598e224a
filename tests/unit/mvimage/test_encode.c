/* SPDX-License-Identifier: MIT */
/* Runs mvimage on good.dts and decodes the image it writes, checking every field. */
#include <errno.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <microvisor/boot_table.h>

#include "test_board.h"
#include "tool_test.h"

/* A binary of 5000 bytes whose header puts the payload at 12 KiB: the image builder must
 * pad past the end of the binary and past the next 4 KiB boundary, for BSS and stacks. */
#define MICROVISOR_SIZE 5000u
#define PAYLOAD_AT 12288u
#define MICROVISOR_LOAD 0x80000000u

/* What good.dts describes, as the boot table must carry it. */
struct expect_cell {
	const char *name;
	const char *file;
	uint32_t size;
	uint32_t seed; /* of the image's contents, see fill() */
	uint32_t image_offset;
	uint32_t load_ipa;
	uint32_t entry_ipa;
	uint32_t first_region;
	uint32_t num_regions;
	uint32_t num_vcpus;
	uint32_t priority;
	uint32_t time_slice_us;
	uint32_t budget_us;
	uint32_t period_us;
	uint8_t vcpu_pcpu[MV_BOOT_MAX_VCPUS];
};

/* Images start at 4 KiB (the tables are smaller) and each is aligned: 6000 -> 12288,
 * 12288 + 4097 -> 20480, 20480 + 100 = 20580 bytes in all. */
static const struct expect_cell cells[] = {
	{ "rtos",
	  "rtos.bin",
	  6000,
	  1,
	  4096,
	  0x00008000,
	  0x00008100,
	  0,
	  3,
	  1,
	  31,
	  500,
	  2000,
	  10000,
	  { 3 } },
	{ "linux-a",
	  "linux.bin",
	  4097,
	  2,
	  12288,
	  0x80000000,
	  0x80000000,
	  3,
	  3,
	  2,
	  10,
	  10000,
	  0,
	  0,
	  { 1, 2 } },
	{ "min", "min.bin", 100, 3, 20480, 0x40000000, 0x40000000, 6, 1, 1, 0, 10000, 0, 0, { 0 } },
};
#define NUM_CELLS (sizeof(cells) / sizeof(cells[0]))
#define TOTAL_SIZE 20580u

static const struct mv_boot_region regions[] = {
	{ 0x00000000, 0x80400000, 0x00200000, MV_REGION_RAM },
	{ 0x10000000, 0x80600000, 0x00001000, MV_REGION_RAM },
	{ 0x1c090000, 0x1c0c0000, 0x00001000, MV_REGION_DEVICE },
	{ 0x80000000, 0x81000000, 0x01000000, MV_REGION_RAM },
	{ 0x1c0a0000, 0x1c0a0000, 0x00001000, MV_REGION_DEVICE },
	{ 0x1c0b0000, 0x1c0b0000, 0x00002000, MV_REGION_DEVICE },
	{ 0x40000000, 0x80800000, 0x00001000, MV_REGION_RAM },
};
#define NUM_REGIONS (sizeof(regions) / sizeof(regions[0]))

/* In description order, not sorted by name; flags are 0, names padded with zeros. */
static const struct mv_boot_channel channels[] = {
	{ "net", { 0, 1 }, { 0x10100000, 0x90000000 }, { 40, 41 }, 0x4000, 0 },
	{ "log", { 1, 2 }, { 0x90010000, 0x40100000 }, { 42, 40 }, 0x2000, 0 },
};
#define NUM_CHANNELS (sizeof(channels) / sizeof(channels[0]))

static const struct mv_boot_vdev vdevs[] = {
	{ "blk", 1, 0, 0x1c200000, 0x00100000, 39, 0 },
};
#define NUM_VDEVS (sizeof(vdevs) / sizeof(vdevs[0]))

/* One record per entry of each cell's `interrupts`, by cell; the vIRQ is the SPI ID. */
static const struct mv_boot_irq irqs[] = {
	{ 0, 37, 37, 0 },
	{ 0, 38, 38, 0 },
	{ 1, 44, 44, 0 },
};
#define NUM_IRQS (sizeof(irqs) / sizeof(irqs[0]))

/* The tables, each after the one before (all their sizes are multiples of 4). */
#define CELLS_AT sizeof(struct mv_boot_header)
#define REGIONS_AT (CELLS_AT + NUM_CELLS * sizeof(struct mv_boot_cell))
#define CHANNELS_AT (REGIONS_AT + NUM_REGIONS * sizeof(struct mv_boot_region))
#define VDEVS_AT (CHANNELS_AT + NUM_CHANNELS * sizeof(struct mv_boot_channel))
#define IRQS_AT (VDEVS_AT + NUM_VDEVS * sizeof(struct mv_boot_vdev))
#define TABLES_END (IRQS_AT + NUM_IRQS * sizeof(struct mv_boot_irq))
_Static_assert(TABLES_END == 700, "tables of good.dts");

static uint8_t pattern(uint32_t seed, size_t i)
{
	return (uint8_t)(seed * 31u + i * 13u + (i >> 8) + 1u);
}

static void mkdir_p(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
		perror(buf);
		exit(1);
	}
}

static void write_file(const char *dir, const char *name, const uint8_t *data, size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void write_pattern(const char *dir, const char *name, uint32_t seed, size_t size)
{
	uint8_t *buf = malloc(size);

	if (!buf)
		exit(1);
	for (size_t i = 0; i < size; i++)
		buf[i] = pattern(seed, i);
	write_file(dir, name, buf, size);
	free(buf);
}

/* The microvisor binary: a pattern under its image header and board description. */
static void make_microvisor(uint8_t *buf)
{
	for (size_t i = 0; i < MICROVISOR_SIZE; i++)
		buf[i] = pattern(0, i);
	test_board_binary(buf, PAYLOAD_AT, MICROVISOR_LOAD);
}

static void check_header(const uint8_t *payload)
{
	struct mv_boot_header h;

	memcpy(&h, payload, sizeof(h));
	CHECK_EQ(h.magic, MV_BOOT_MAGIC);
	CHECK_EQ(h.version, MV_BOOT_VERSION);
	CHECK_EQ(h.header_size, sizeof(struct mv_boot_header));
	CHECK_EQ(h.total_size, TOTAL_SIZE);
	CHECK_EQ(h.total_size % 4u, 0);
	CHECK_EQ(mv_boot_sum(payload, h.total_size), 0);
	CHECK(h.checksum != 0);
	CHECK_EQ(h.hyp_mem_base, 0x80000000u);
	CHECK_EQ(h.hyp_mem_size, 0x00400000u);
	CHECK_EQ(h.num_pcpus, 4);
	CHECK_EQ(h.num_cells, NUM_CELLS);
	CHECK_EQ(h.cells_offset, CELLS_AT);
	CHECK_EQ(h.num_regions, NUM_REGIONS);
	CHECK_EQ(h.regions_offset, REGIONS_AT);
	CHECK_EQ(h.num_channels, NUM_CHANNELS);
	CHECK_EQ(h.channels_offset, CHANNELS_AT);
	CHECK_EQ(h.num_vdevs, NUM_VDEVS);
	CHECK_EQ(h.vdevs_offset, VDEVS_AT);
	CHECK_EQ(h.num_irqs, NUM_IRQS);
	CHECK_EQ(h.irqs_offset, IRQS_AT);
}

static void check_cell(const uint8_t *payload, uint32_t i)
{
	const struct expect_cell *e = &cells[i];
	struct mv_boot_cell c;
	char name[MV_BOOT_NAME_LEN] = { 0 };

	memcpy(&c, payload + CELLS_AT + i * sizeof(c), sizeof(c));
	memcpy(name, e->name, strlen(e->name));
	CHECK(memcmp(c.name, name, sizeof(name)) == 0);
	CHECK_EQ(c.image_offset, e->image_offset);
	CHECK_EQ(c.image_offset % MV_BOOT_ALIGN, 0);
	CHECK_EQ(c.image_size, e->size);
	CHECK_EQ(c.load_ipa, e->load_ipa);
	CHECK_EQ(c.entry_ipa, e->entry_ipa);
	CHECK_EQ(c.first_region, e->first_region);
	CHECK_EQ(c.num_regions, e->num_regions);
	CHECK_EQ(c.num_vcpus, e->num_vcpus);
	CHECK_EQ(c.priority, e->priority);
	CHECK_EQ(c.time_slice_us, e->time_slice_us);
	CHECK_EQ(c.budget_us, e->budget_us);
	CHECK_EQ(c.period_us, e->period_us);
	for (uint32_t v = 0; v < MV_BOOT_MAX_VCPUS; v++)
		CHECK_EQ(c.vcpu_pcpu[v], e->vcpu_pcpu[v]);
	for (uint32_t b = 0; b < e->size; b++) {
		if (payload[e->image_offset + b] != pattern(e->seed, b)) {
			CHECK_EQ(payload[e->image_offset + b], pattern(e->seed, b));
			break;
		}
	}
}

static void check_region(const uint8_t *payload, uint32_t i)
{
	struct mv_boot_region r;

	memcpy(&r, payload + REGIONS_AT + i * sizeof(r), sizeof(r));
	CHECK_EQ(r.ipa, regions[i].ipa);
	CHECK_EQ(r.pa, regions[i].pa);
	CHECK_EQ(r.size, regions[i].size);
	CHECK_EQ(r.flags, regions[i].flags);
}

/* The records are compared whole: names, padding and flags included. */
static void check_channel(const uint8_t *payload, uint32_t i)
{
	struct mv_boot_channel c;

	memcpy(&c, payload + CHANNELS_AT + i * sizeof(c), sizeof(c));
	CHECK(memcmp(c.name, channels[i].name, sizeof(c.name)) == 0);
	for (uint32_t e = 0; e < 2; e++) {
		CHECK_EQ(c.cell[e], channels[i].cell[e]);
		CHECK_EQ(c.ipa[e], channels[i].ipa[e]);
		CHECK_EQ(c.virq[e], channels[i].virq[e]);
	}
	CHECK_EQ(c.size, channels[i].size);
	CHECK_EQ(c.flags, 0);
	CHECK(memcmp(&c, &channels[i], sizeof(c)) == 0);
}

static void check_vdev(const uint8_t *payload, uint32_t i)
{
	struct mv_boot_vdev v;

	memcpy(&v, payload + VDEVS_AT + i * sizeof(v), sizeof(v));
	CHECK(memcmp(v.name, vdevs[i].name, sizeof(v.name)) == 0);
	CHECK_EQ(v.consumer, vdevs[i].consumer);
	CHECK_EQ(v.provider, vdevs[i].provider);
	CHECK_EQ(v.ipa, vdevs[i].ipa);
	CHECK_EQ(v.size, vdevs[i].size);
	CHECK_EQ(v.provider_virq, vdevs[i].provider_virq);
	CHECK_EQ(v.flags, 0);
	CHECK(memcmp(&v, &vdevs[i], sizeof(v)) == 0);
}

static void check_irq(const uint8_t *payload, uint32_t i)
{
	struct mv_boot_irq q;

	memcpy(&q, payload + IRQS_AT + i * sizeof(q), sizeof(q));
	CHECK_EQ(q.cell, irqs[i].cell);
	CHECK_EQ(q.pirq, irqs[i].pirq);
	CHECK_EQ(q.virq, irqs[i].virq);
	CHECK_EQ(q.flags, 0);
}

/* Bytes in [from, to) that belong to no table and no image must be zero. */
static void check_zero(const uint8_t *buf, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (buf[i]) {
			CHECK_EQ(i, to); /* names the first non-zero byte */
			return;
		}
	}
}

static void check_image(const uint8_t *img, size_t size, const uint8_t *microvisor)
{
	const uint8_t *payload = img + PAYLOAD_AT;

	CHECK_EQ(size, PAYLOAD_AT + TOTAL_SIZE);
	if (size != PAYLOAD_AT + TOTAL_SIZE)
		return;
	for (size_t i = 0; i < MICROVISOR_SIZE; i++) {
		if (img[i] != microvisor[i]) {
			CHECK_EQ(img[i], microvisor[i]);
			break;
		}
	}
	check_zero(img, MICROVISOR_SIZE, PAYLOAD_AT);
	check_header(payload);
	for (uint32_t i = 0; i < NUM_CELLS; i++)
		check_cell(payload, i);
	for (uint32_t i = 0; i < NUM_REGIONS; i++)
		check_region(payload, i);
	for (uint32_t i = 0; i < NUM_CHANNELS; i++)
		check_channel(payload, i);
	for (uint32_t i = 0; i < NUM_VDEVS; i++)
		check_vdev(payload, i);
	for (uint32_t i = 0; i < NUM_IRQS; i++)
		check_irq(payload, i);
	check_zero(payload, TABLES_END, cells[0].image_offset);
	for (uint32_t i = 0; i + 1 < NUM_CELLS; i++)
		check_zero(payload, cells[i].image_offset + cells[i].size,
			   cells[i + 1].image_offset);
}

int main(int argc, char **argv)
{
	char cells_dir[4096], out[4096], tmp[4096];
	static uint8_t microvisor[MICROVISOR_SIZE];
	uint8_t *img;
	size_t size;

	if (argc != 5) {
		fprintf(stderr,
			"usage: test_mvimage_encode <mvimage> <dtc> <good.dts> <workdir>\n");
		return 2;
	}
	snprintf(cells_dir, sizeof(cells_dir), "%s/cells", argv[4]);
	snprintf(out, sizeof(out), "%s/out.img", argv[4]);
	snprintf(tmp, sizeof(tmp), "%s/out.img.tmp", argv[4]);
	mkdir_p(cells_dir);
	unlink(out);
	make_microvisor(microvisor);
	write_file(argv[4], "microvisor.bin", microvisor, sizeof(microvisor));
	for (uint32_t i = 0; i < NUM_CELLS; i++)
		write_pattern(cells_dir, cells[i].file, cells[i].seed, cells[i].size);

	CHECK_EQ(run_mvimage(argv[1], argv[2], argv[3], argv[4]), 0);
	CHECK(access(tmp, F_OK) != 0);
	img = read_whole(out, &size);
	check_image(img, size, microvisor);
	free(img);
	if (failures) {
		fprintf(stderr, "test_encode: %u checks failed\n", failures);
		return 1;
	}
	printf("test_encode: boot table of %s decoded and checked\n", argv[3]);
	return 0;
}
