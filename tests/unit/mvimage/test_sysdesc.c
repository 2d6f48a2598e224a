/* SPDX-License-Identifier: MIT */
/* In-process tests of mvimage's parser and encoder: the model, every error in one run. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "image.h"
#include "sysdesc.h"
#include "test_board.h"

#define TEST_LOAD 0x80000000u /* the microvisor's load address on test_board */

static unsigned int failures;
static const char *dtc;
static const char *work;

static void check_true(bool ok, const char *what, int line)
{
	if (ok)
		return;
	failures++;
	fprintf(stderr, "test_sysdesc.c:%d: %s is false\n", line, what);
}

#define CHECK(cond) check_true((cond), #cond, __LINE__)

static void check_u64(uint64_t got, uint64_t want, const char *what, int line)
{
	if (got == want)
		return;
	failures++;
	fprintf(stderr, "test_sysdesc.c:%d: %s is 0x%llx, expected 0x%llx\n", line, what,
		(unsigned long long)got, (unsigned long long)want);
}

#define CHECK_EQ(got, want) check_u64((uint64_t)(got), (uint64_t)(want), #got, __LINE__)

static void check_str(const char *got, const char *want, const char *what, int line)
{
	if (strcmp(got, want) == 0)
		return;
	failures++;
	fprintf(stderr, "test_sysdesc.c:%d: %s is\n%s\nexpected\n%s\n", line, what, got, want);
}

#define CHECK_STR(got, want) check_str((got), (want), #got, __LINE__)

static void die(const char *what)
{
	perror(what);
	exit(1);
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
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		die(buf);
}

static void path_in_work(char *out, size_t size, const char *name)
{
	if ((size_t)snprintf(out, size, "%s/%s", work, name) >= size)
		die(name);
}

static void write_file(const char *name, const void *data, size_t size)
{
	char path[4096];
	FILE *f;

	path_in_work(path, sizeof(path), name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		die(path);
}

/* Run dtc on `dts` and return the blob. */
static struct image_blob compile(const char *dts)
{
	char dtb[4096];
	struct image_blob b;

	path_in_work(dtb, sizeof(dtb), "test.dtb");
	if (image_run_dtc(dtc, dts, dtb, false) != 0)
		die(dts);
	if (image_read_file(dtb, 1u << 20, &b) != 0)
		die(dtb);
	return b;
}

/* A diag that collects its lines in memory, for exact comparison. */
struct captured {
	struct diag d;
	char *text;
	size_t len;
};

static void capture_open(struct captured *c, const char *file)
{
	FILE *f = open_memstream(&c->text, &c->len);

	if (!f)
		die("open_memstream");
	diag_init(&c->d, f, file);
}

static void capture_close(struct captured *c)
{
	fclose(c->d.out);
}

static void parse_good(const char *good, struct sysdesc *sd)
{
	struct image_blob dtb = compile(good);
	struct captured cap;

	capture_open(&cap, "good.dts");
	CHECK_EQ(sysdesc_parse(dtb.data, dtb.size, &test_board, TEST_LOAD, sd, &cap.d), 0);
	capture_close(&cap);
	CHECK_STR(cap.text, "");
	free(cap.text);
	image_blob_free(&dtb);
}

static void test_good_model(const char *good)
{
	static struct sysdesc sd;
	const struct sysdesc_cell *rtos = &sd.cells[0], *min = &sd.cells[2];

	parse_good(good, &sd);
	CHECK_EQ(sd.hyp_mem_base, 0x80000000u);
	CHECK_EQ(sd.hyp_mem_size, 0x00400000u);
	CHECK_EQ(sd.num_pcpus, 4);
	CHECK_EQ(sd.num_cells, 3);
	CHECK_EQ(sd.num_regions, 7);
	CHECK_STR(rtos->name, "rtos");
	CHECK_STR(rtos->path, "/cells/rtos");
	CHECK_STR(rtos->image, "rtos.bin");
	CHECK_EQ(rtos->num_ram, 2);
	CHECK_EQ(rtos->num_devices, 1);
	CHECK_EQ(sd.regions[2].flags, MV_REGION_DEVICE);
	CHECK_EQ(sd.cells[1].first_region, 3);
	CHECK_STR(sd.cells[1].name, "linux-a");
	CHECK_EQ(sd.cells[1].vcpu_pcpu[1], 2);
	/* Everything optional left out: the defaults of docs/system-description.md. */
	CHECK_EQ(min->first_region, 6);
	CHECK_EQ(min->load_ipa, 0x40000000u);
	CHECK_EQ(min->entry_ipa, 0x40000000u);
	CHECK_EQ(min->num_vcpus, 1);
	CHECK_EQ(min->priority, 0);
	CHECK_EQ(min->time_slice_us, 10000);
	CHECK_EQ(min->budget_us, 0);
	CHECK_EQ(min->period_us, 0);
	for (uint32_t v = 0; v < MV_BOOT_MAX_VCPUS; v++)
		CHECK_EQ(min->vcpu_pcpu[v], 0);
}

/* Channels, vdevs and pass-through interrupts of good.dts; its cells have labels, so dtc
 * gave them `phandle` properties, which parse_good() found no fault with. */
static void test_good_links(const char *good)
{
	static struct sysdesc sd;
	const struct sysdesc_channel *net = &sd.channels[0], *log = &sd.channels[1];
	const struct sysdesc_vdev *blk = &sd.vdevs[0];

	parse_good(good, &sd);
	CHECK_EQ(sd.num_channels, 2);
	CHECK_STR(net->name, "net");
	CHECK_STR(net->path, "/channels/net");
	CHECK_EQ(net->cell[0], 0);
	CHECK_EQ(net->cell[1], 1);
	CHECK_EQ(net->ipa[0], 0x10100000u);
	CHECK_EQ(net->ipa[1], 0x90000000u);
	CHECK_EQ(net->virq[0], 40);
	CHECK_EQ(net->virq[1], 41);
	CHECK_EQ(net->size, 0x4000);
	CHECK_STR(log->name, "log");
	CHECK_EQ(log->cell[0], 1);
	CHECK_EQ(log->cell[1], 2);
	CHECK_EQ(sd.num_vdevs, 1);
	CHECK_STR(blk->name, "blk");
	CHECK_STR(blk->path, "/vdevs/blk");
	CHECK_EQ(blk->consumer, 1);
	CHECK_EQ(blk->provider, 0);
	CHECK_EQ(blk->ipa, 0x1c200000u);
	CHECK_EQ(blk->size, 0x00100000u);
	CHECK_EQ(blk->provider_virq, 39);
	CHECK_EQ(sd.num_irqs, 3);
	CHECK_EQ(sd.irqs[0].cell, 0);
	CHECK_EQ(sd.irqs[0].pirq, 37);
	CHECK_EQ(sd.irqs[1].pirq, 38);
	CHECK_EQ(sd.irqs[1].index, 1);
	CHECK_EQ(sd.irqs[2].cell, 1);
	CHECK_EQ(sd.irqs[2].pirq, 44);
	CHECK_EQ(sd.irqs[2].index, 0);
}

static const char multi_dts[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	compatible = \"mv,system-v1\";\n"
	"	microvisor { memory = <0x80000000 0x00100000>; cpus = <2>; };\n"
	"	cells {\n"
	"		a {\n"
	"			image = \"a.bin\";\n"
	"			memory = <0x00000000 0x80100000 0x00100000>;\n"
	"			colour = \"red\";\n"
	"			priority = <40>;\n"
	"			vcpus = <2>;\n"
	"			cpus = <0 5>;\n"
	"		};\n"
	"		b {\n"
	"			memory = <0x00000000 0x80180000 0x00100000>;\n"
	"			budget-us = <10>;\n"
	"		};\n"
	"	};\n"
	"};\n";

static const char multi_errors[] =
	"multi.dts: /cells/a: colour: unknown property\n"
	"multi.dts: /cells/a: cpus: entry 1 names physical CPU 5, but /microvisor cpus is 2\n"
	"multi.dts: /cells/a: priority: 40 is out of range 0..31\n"
	"multi.dts: /cells/b: image: missing required property\n"
	"multi.dts: /cells/b: period-us: missing; required with budget-us\n"
	"multi.dts: /cells/b: memory: region 0 overlaps /cells/a memory region 0 physically"
	" (pa 0x80180000, size 0x00100000)\n";

/* Parse `text` as `name` in the work directory into `sd`, for `board` with the microvisor
 * loaded at `load`; what it reports must be `want` exactly. */
static void check_errors_on(const struct mv_board *board, uint32_t load, const char *name,
			    const char *text, struct sysdesc *sd, unsigned int errors,
			    const char *want)
{
	char dts[4096];
	struct image_blob dtb;
	struct captured cap;

	write_file(name, text, strlen(text));
	path_in_work(dts, sizeof(dts), name);
	dtb = compile(dts);
	capture_open(&cap, name);
	CHECK_EQ(sysdesc_parse(dtb.data, dtb.size, board, load, sd, &cap.d), errors);
	capture_close(&cap);
	CHECK_STR(cap.text, want);
	CHECK_EQ(cap.d.errors, errors);
	free(cap.text);
	image_blob_free(&dtb);
}

/* The same on test_board, the microvisor at TEST_LOAD. */
static void check_errors(const char *name, const char *text, unsigned int errors, const char *want)
{
	static struct sysdesc sd;

	check_errors_on(&test_board, TEST_LOAD, name, text, &sd, errors, want);
}

/* Validation goes on after an error: one run names every problem. */
static void test_every_error_reported(void)
{
	check_errors("multi.dts", multi_dts, 6, multi_errors);
}

/* dtc numbers the labelled nodes as it meets references: a 1, b 2, microvisor 3. */
static const char links_dts[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	compatible = \"mv,system-v1\";\n"
	"	microvisor: microvisor { memory = <0x80000000 0x00100000>; };\n"
	"	cells {\n"
	"		a: a {\n"
	"			image = \"a.bin\";\n"
	"			memory = <0x00000000 0x80100000 0x00100000>;\n"
	"			interrupts = <40 41 40 200>;\n"
	"		};\n"
	"		b: b {\n"
	"			image = \"b.bin\";\n"
	"			memory = <0x00000000 0x80200000 0x00100000>;\n"
	"			devices = <0x2c000000 0x1c0a0000 0x00001000>;\n"
	"			interrupts = <41>;\n"
	"		};\n"
	"	};\n"
	"	channels {\n"
	"		ab {\n"
	"			ends = <&a &b>;\n"
	"			ipa = <0x00080000 0x10000000>;\n"
	"			interrupts = <42 41>;\n"
	"			size = <0x2000>;\n"
	"		};\n"
	"		aa {\n"
	"			ends = <&a &a>;\n"
	"			ipa = <0x10000000 0x10002000>;\n"
	"			interrupts = <43 44>;\n"
	"			size = <0x3000>;\n"
	"		};\n"
	"		bad {\n"
	"			ends = <&a &microvisor>;\n"
	"			ipa = <0x2c004000 0x0>;\n"
	"			interrupts = <45 20>;\n"
	"			size = <0x2000>;\n"
	"		};\n"
	"	};\n"
	"	vdevs {\n"
	"		v {\n"
	"			consumer = <&b>;\n"
	"			provider = <&b>;\n"
	"			reg = <0x10000000 0x200000>;\n"
	"			interrupt = <41>;\n"
	"		};\n"
	"		w {\n"
	"			consumer = <7>;\n"
	"			provider = <&a>;\n"
	"			reg = <0x20000000 0x1000>;\n"
	"			interrupt = <128>;\n"
	"		};\n"
	"	};\n"
	"};\n";

/* Node by node first, then the checks across nodes: windows, vIRQs, physical IRQs. */
static const char links_errors[] =
	"links.dts: /cells/a: interrupts: entry 3: 200 is out of range 32..127\n"
	"links.dts: /cells/b: devices: region 0 overlaps the vGIC window [0x2c000000,"
	" 0x2c008000) in IPA space (ipa 0x2c000000, size 0x00001000)\n"
	"links.dts: /channels/aa: ends: both ends are /cells/a\n"
	"links.dts: /channels/aa: size: size 0x00003000 is not a multiple of 8 KiB\n"
	"links.dts: /channels/bad: ends: phandle 0x3 is not a cell\n"
	"links.dts: /channels/bad: interrupts: end 1: 20 is out of range 32..127\n"
	"links.dts: /vdevs/v: provider: /cells/b is the consumer too\n"
	"links.dts: /vdevs/v: reg: size 0x00200000 is larger than 1 MiB\n"
	"links.dts: /vdevs/w: consumer: phandle 0x7 is not a cell\n"
	"links.dts: /vdevs/w: interrupt: 128 is out of range 32..127\n"
	"links.dts: /channels/ab: ipa: end 0 overlaps /cells/a memory region 0 in IPA space"
	" (ipa 0x00080000, size 0x00002000)\n"
	"links.dts: /channels/bad: ipa: end 0 overlaps the vGIC window [0x2c000000,"
	" 0x2c008000) in IPA space (ipa 0x2c004000, size 0x00002000)\n"
	"links.dts: /vdevs/v: reg: window overlaps /channels/ab end 1 in IPA space"
	" (ipa 0x10000000, size 0x00200000)\n"
	"links.dts: /cells/a: interrupts: entry 2: vIRQ 40 is already used in /cells/a by"
	" /cells/a interrupts entry 0\n"
	"links.dts: /channels/ab: interrupts: end 1: vIRQ 41 is already used in /cells/b by"
	" /cells/b interrupts entry 0\n"
	"links.dts: /vdevs/v: interrupt: vIRQ 41 is already used in /cells/b by"
	" /cells/b interrupts entry 0\n"
	"links.dts: /cells/b: interrupts: entry 0: physical interrupt 41 is also claimed by"
	" /cells/a\n";

static void test_link_errors(void)
{
	check_errors("links.dts", links_dts, 17, links_errors);
}

static void test_not_a_blob(void)
{
	static struct sysdesc sd;
	static const char junk[64] = "not a device tree";
	struct captured cap;

	capture_open(&cap, "junk.dtb");
	CHECK_EQ(sysdesc_parse(junk, sizeof(junk), &test_board, TEST_LOAD, &sd, &cap.d), 1);
	capture_close(&cap);
	CHECK_STR(cap.text, "junk.dtb: /: -: not a valid device tree blob\n");
	free(cap.text);
}

static void write_image(const char *name, size_t size)
{
	uint8_t *buf = malloc(size);
	char rel[256];

	if (!buf)
		die("malloc");
	memset(buf, 0xa5, size);
	snprintf(rel, sizeof(rel), "cells/%s", name);
	write_file(rel, buf, size);
	free(buf);
}

/* Load the images of good.dts from `dir`; what image_load() reports starts with `want`
 * (only a prefix, as a message may end in a path of the build tree). */
static void check_load(const struct sysdesc *sd, const char *dir, unsigned int errors,
		       const char *want)
{
	struct image_set set;
	struct captured cap;

	capture_open(&cap, "good.dts");
	CHECK_EQ(image_load(sd, dir, &set, &cap.d), errors);
	capture_close(&cap);
	CHECK(strncmp(cap.text, want, strlen(want)) == 0);
	if (strncmp(cap.text, want, strlen(want)) != 0)
		fprintf(stderr, "got:\n%s\nexpected a prefix:\n%s\n", cap.text, want);
	free(cap.text);
	image_set_free(&set);
}

/* The checks that need the files: missing, too large for the region, entry outside. */
static void test_image_checks(const struct sysdesc *sd, const char *dir)
{
	char min[4096];

	path_in_work(min, sizeof(min), "cells/min.bin");
	unlink(min);
	write_image("rtos.bin", 0x100); /* entry 0x8100 lies just past it */
	write_image("linux.bin", 0x1000);
	check_load(sd, dir, 2,
		   "good.dts: /cells/rtos: entry: 0x00008100 is outside the loaded image"
		   " [0x00008000, 0x00008100)\n"
		   "good.dts: /cells/min: image: cannot read \"");
	write_image("rtos.bin", 0x101);
	write_image("min.bin", 0x1001); /* one byte more than its 4 KiB region */
	check_load(sd, dir, 1,
		   "good.dts: /cells/min: image: \"min.bin\" (4097 bytes) does not fit in"
		   " memory region 0 at load-address 0x40000000 (4096 bytes to the end of the"
		   " region)\n");
}

/* The payload of good.dts with these images is 16 KiB: tables, then images at 4, 8 and
 * 12 KiB. It must fit with the microvisor in [0x80000000, 0x80400000), and so must the
 * channel memory after them. */
static void test_image_build(const struct sysdesc *sd, const char *dir)
{
	static const struct mv_image_header too_big = { 0, MV_IMAGE_MAGIC, 0x400000, 0x80000000u,
							TEST_BOARD_OFFSET };
	static const struct mv_image_header too_low = { 0, MV_IMAGE_MAGIC, 0x1000, 0x7ffff000u,
							TEST_BOARD_OFFSET };
	static const struct mv_image_header fits = { 0, MV_IMAGE_MAGIC, 0x1000, 0x80000000u,
						     TEST_BOARD_OFFSET };
	/* The channels take 16 + 8 KiB after the image, in order: net, then log. */
	static const struct mv_image_header no_room_for_log = { 0, MV_IMAGE_MAGIC, 0x3f8000,
								0x80000000u, TEST_BOARD_OFFSET };
	static const struct mv_image_header just_room = { 0, MV_IMAGE_MAGIC, 0x3f6000, 0x80000000u,
							  TEST_BOARD_OFFSET };
	struct image_set set;
	struct image_blob payload, payload2;
	struct captured cap;

	write_image("min.bin", 0x1000);
	capture_open(&cap, "good.dts");
	CHECK_EQ(image_load(sd, dir, &set, &cap.d), 0);
	CHECK_EQ(image_build(sd, &set, &too_big, &payload, &cap.d), 1);
	CHECK(payload.data == NULL);
	CHECK_EQ(image_build(sd, &set, &too_low, &payload, &cap.d), 1);
	CHECK_EQ(image_build(sd, &set, &no_room_for_log, &payload, &cap.d), 1);
	CHECK(payload.data == NULL);
	CHECK_EQ(image_build(sd, &set, &just_room, &payload2, &cap.d), 0);
	CHECK_EQ(image_build(sd, &set, &fits, &payload, &cap.d), 0);
	capture_close(&cap);
	CHECK_STR(cap.text,
		  "good.dts: /microvisor: memory: image of 4210688 bytes at 0x80000000"
		  " (microvisor 4194304 + boot payload 16384) does not fit in [0x80000000,"
		  " 0x80400000)\n"
		  "good.dts: /microvisor: memory: image of 20480 bytes at 0x7ffff000"
		  " (microvisor 4096 + boot payload 16384) does not fit in [0x80000000,"
		  " 0x80400000)\n"
		  "good.dts: /channels/log: size: channel memory does not fit in /microvisor"
		  " memory (channels up to this one end at 0x80402000, the memory at"
		  " 0x80400000)\n");
	CHECK_EQ(payload.size, 16384);
	CHECK(payload.size > 0 && mv_boot_sum(payload.data, (uint32_t)payload.size) == 0);
	CHECK_EQ(payload2.size, 16384);
	free(cap.text);
	image_blob_free(&payload);
	image_blob_free(&payload2);
	image_set_free(&set);
}

static void test_images(const char *good)
{
	static struct sysdesc sd;
	char dir[4096];

	parse_good(good, &sd);
	path_in_work(dir, sizeof(dir), "cells");
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		die(dir);
	test_image_checks(&sd, dir);
	test_image_build(&sd, dir);
}

/* A stand-in binary of `size` bytes; `corrupt` changes it after the header is written. */
static const char *parse_microvisor_with(uint32_t size, uint32_t magic, uint32_t payload_offset,
					 void (*corrupt)(uint8_t *bin))
{
	static uint8_t bin[0x2000];
	struct image_blob b = { bin, size };
	struct mv_image_header out, *h = (struct mv_image_header *)bin;
	struct mv_board board;
	const char *why;

	memset(bin, 0, sizeof(bin));
	test_board_binary(bin, payload_offset, 0x80000000u);
	h->magic = magic;
	if (corrupt)
		corrupt(bin);
	why = image_parse_microvisor(&b, &out, &board);
	if (!why) {
		CHECK(memcmp(&out, bin, sizeof(out)) == 0);
		CHECK(memcmp(&board, &test_board, sizeof(board)) == 0);
	}
	return why;
}

static const char *parse_microvisor(uint32_t size, uint32_t magic, uint32_t payload_offset)
{
	return parse_microvisor_with(size, magic, payload_offset, NULL);
}

static void board_offset_outside(uint8_t *bin)
{
	((struct mv_image_header *)bin)->board_offset = 0x1800u - 8u;
}

static void board_magic_wrong(uint8_t *bin)
{
	bin[TEST_BOARD_OFFSET] ^= 1;
}

static void board_name_unterminated(uint8_t *bin)
{
	memset(bin + TEST_BOARD_OFFSET + offsetof(struct mv_board, name), 'x', MV_BOARD_NAME_LEN);
}

static void board_reserved_too_many(uint8_t *bin)
{
	uint32_t n = MV_BOARD_MAX_RESERVED + 1;

	memcpy(bin + TEST_BOARD_OFFSET + offsetof(struct mv_board, num_reserved), &n, sizeof(n));
}

/* The header of the microvisor binary says where the payload goes; it must make sense. */
static void test_microvisor_header(void)
{
	CHECK(parse_microvisor(0x1800, MV_IMAGE_MAGIC, 0x2000) == NULL);
	CHECK(parse_microvisor(0x2000, MV_IMAGE_MAGIC, 0x2000) == NULL);
	CHECK(parse_microvisor(15, MV_IMAGE_MAGIC, 0x2000) != NULL);
	CHECK(parse_microvisor(0x1800, MV_BOOT_MAGIC, 0x2000) != NULL);
	CHECK(parse_microvisor(0x1800, MV_IMAGE_MAGIC, 0x2800) != NULL);
	CHECK(parse_microvisor(0x1800, MV_IMAGE_MAGIC, 0x1000) != NULL);
	/* The board description it points at must be there and whole. */
	CHECK(parse_microvisor(TEST_BOARD_OFFSET + 8, MV_IMAGE_MAGIC, 0x2000) != NULL);
	CHECK(parse_microvisor_with(0x1800, MV_IMAGE_MAGIC, 0x2000, board_offset_outside) != NULL);
	CHECK(parse_microvisor_with(0x1800, MV_IMAGE_MAGIC, 0x2000, board_magic_wrong) != NULL);
	CHECK(parse_microvisor_with(0x1800, MV_IMAGE_MAGIC, 0x2000, board_name_unterminated) !=
	      NULL);
	CHECK(parse_microvisor_with(0x1800, MV_IMAGE_MAGIC, 0x2000, board_reserved_too_many) !=
	      NULL);
}

/* Two cells, `first` owning the board's UART as a device, the other a client. */
static void console_system(char *out, size_t size, const char *first)
{
	snprintf(out, size,
		 "/dts-v1/;\n"
		 "/ {\n"
		 "	compatible = \"mv,system-v1\";\n"
		 "	microvisor { memory = <0x80000000 0x00100000>; };\n"
		 "	cells {\n"
		 "		%s {\n"
		 "			image = \"a.bin\";\n"
		 "			memory = <0x80000000 0x80100000 0x00200000>;\n"
		 "			devices = <0x1c090000 0x1c090000 0x1000>;\n"
		 "			devices-compatible = \"arm,pl011\";\n"
		 "		};\n"
		 "		client {\n"
		 "			image = \"b.bin\";\n"
		 "			memory = <0x80000000 0x80300000 0x00200000>;\n"
		 "			devices = <0x1c0a0000 0x1c0a0000 0x1000>;\n"
		 "		};\n"
		 "	};\n"
		 "};\n",
		 first);
}

/* The console cell owns the microvisor's UART, as systems/test-console.dts gives it; any
 * other cell that is given it is refused, in a line naming the node and property. */
static void test_board_console(void)
{
	static char text[4096];

	console_system(text, sizeof(text), "console");
	check_errors("console.dts", text, 0, "");
	console_system(text, sizeof(text), "rtos");
	check_errors("not_console.dts", text, 1,
		     "not_console.dts: /cells/rtos: devices: region 0 (pa 0x1c090000, size"
		     " 0x00001000) overlaps the microvisor's UART [0x1c090000, 0x1c091000) of"
		     " board test-board; only the cell named \"console\" may own it\n");
}

/* Cells a and b joined by `channels` channels, b providing `vdevs` vdevs to a. */
static void limits_system(char *out, size_t size, uint32_t channels, uint32_t vdevs)
{
	int n = snprintf(out, size,
			 "/dts-v1/;\n"
			 "/ {\n"
			 "	compatible = \"mv,system-v1\";\n"
			 "	microvisor { memory = <0x80000000 0x00100000>; };\n"
			 "	cells {\n"
			 "		a: a { image = \"a.bin\";"
			 " memory = <0x0 0x80100000 0x00100000>; };\n"
			 "		b: b { image = \"b.bin\";"
			 " memory = <0x0 0x80200000 0x00100000>; };\n"
			 "	};\n"
			 "	channels {\n");

	for (uint32_t i = 0; i < channels; i++)
		n += snprintf(out + n, size - (size_t)n,
			      "		c%u { ends = <&a &b>; ipa = <0x%x 0x%x>;"
			      " interrupts = <%u %u>; size = <0x2000>; };\n",
			      i, 0x40000000u + i * 0x10000u, 0x40000000u + i * 0x10000u, 40 + i,
			      40 + i);
	n += snprintf(out + n, size - (size_t)n, "	};\n	vdevs {\n");
	for (uint32_t i = 0; i < vdevs; i++)
		n += snprintf(out + n, size - (size_t)n,
			      "		v%u { consumer = <&a>; provider = <&b>;"
			      " reg = <0x%x 0x1000>; interrupt = <%u>; };\n",
			      i, 0x20000000u + i * 0x1000u, 60 + i);
	snprintf(out + n, size - (size_t)n, "	};\n};\n");
}

/* Exactly as many channels per cell and vdevs per provider as the microvisor keeps. */
static void test_cell_limits(void)
{
	static char text[8192];

	limits_system(text, sizeof(text), MV_BOOT_CELL_MAX_CHANNELS, MV_BOOT_CELL_MAX_VDEVS);
	check_errors("limits.dts", text, 0, "");
}

/* Placement (place.h): explicit and placed regions in four cells, a placed /microvisor
 * memory at the load address. Blocks first: a's 2 MiB at the first free block, b's 3 MiB
 * past b's explicit region (the 2 MiB hole before it is too small), c's 4 MiB at the offset
 * of its IPA in a block (1 MiB); then the small ones, first fit: a's page and d's three
 * pages in the hole, d's 2 MiB that holds no whole block of IPA space after c. */
static const char place_dts[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	compatible = \"mv,system-v1\";\n"
	"	microvisor { memory = <0x00400000>; };\n"
	"	cells {\n"
	"		a {\n"
	"			image = \"a.bin\";\n"
	"			placed-memory = <0x00000000 0x00200000>, <0x10000000 0x1000>;\n"
	"		};\n"
	"		b {\n"
	"			image = \"b.bin\";\n"
	"			memory = <0x00000000 0x80800000 0x00200000>;\n"
	"			placed-memory = <0x40000000 0x00300000>;\n"
	"		};\n"
	"		c {\n"
	"			image = \"c.bin\";\n"
	"			placed-memory = <0x00100000 0x00400000>;\n"
	"		};\n"
	"		d {\n"
	"			image = \"d.bin\";\n"
	"			placed-memory = <0x00000000 0x3000>, <0x00100000 0x00200000>;\n"
	"		};\n"
	"	};\n"
	"};\n";

static void check_region(const struct sysdesc_region *r, uint32_t ipa, uint32_t pa, uint32_t size,
			 bool placed, uint32_t index, int line)
{
	check_u64(r->ipa, ipa, "ipa", line);
	check_u64(r->pa, pa, "pa", line);
	check_u64(r->size, size, "size", line);
	check_u64(r->flags, MV_REGION_RAM, "flags", line);
	check_true(r->placed == placed, "placed", line);
	check_true(r->has_pa, "has_pa", line);
	check_u64(r->index, index, "index", line);
}

#define CHECK_REGION(r, ipa, pa, size, placed, index) \
	check_region((r), (ipa), (pa), (size), (placed), (index), __LINE__)

static void test_place_mixed(void)
{
	static struct sysdesc sd, again;

	check_errors_on(&test_board, TEST_LOAD, "place.dts", place_dts, &sd, 0, "");
	CHECK(sd.hyp_mem_placed);
	CHECK_EQ(sd.hyp_mem_base, 0x80000000u);
	CHECK_EQ(sd.hyp_mem_size, 0x00400000u);
	CHECK_EQ(sd.num_regions, 7);
	CHECK_REGION(&sd.regions[0], 0x00000000u, 0x80400000u, 0x00200000u, true, 0);
	CHECK_REGION(&sd.regions[1], 0x10000000u, 0x80600000u, 0x00001000u, true, 1);
	/* b: its memory first, then its placed-memory; load-address defaults to the first. */
	CHECK_REGION(&sd.regions[2], 0x00000000u, 0x80800000u, 0x00200000u, false, 0);
	CHECK_REGION(&sd.regions[3], 0x40000000u, 0x80a00000u, 0x00300000u, true, 0);
	CHECK_EQ(sd.cells[1].num_ram, 2);
	CHECK_EQ(sd.cells[1].load_ipa, 0);
	CHECK_REGION(&sd.regions[4], 0x00100000u, 0x80d00000u, 0x00400000u, true, 0);
	CHECK_REGION(&sd.regions[5], 0x00000000u, 0x80601000u, 0x00003000u, true, 0);
	CHECK_REGION(&sd.regions[6], 0x00100000u, 0x81100000u, 0x00200000u, true, 1);
	/* Same description, same board: the same layout. */
	check_errors_on(&test_board, TEST_LOAD, "place.dts", place_dts, &again, 0, "");
	CHECK(memcmp(sd.regions, again.regions, sizeof(sd.regions)) == 0);
}

/* A board whose RAM ends at 4 GiB, for placement up to the last page. */
static const struct mv_board top_board = {
	.magic = MV_BOARD_MAGIC,
	.name = "top-board",
	.ram = { 0xc0000000u, 0x40000000u },
	.uart = { 0x1c090000u, 0x1000u },
	.gicd = { 0x2c001000u, 0x1000u },
	.gicc = { 0x2c002000u, 0x2000u },
	.gich = { 0x2c004000u, 0x2000u },
	.gicv = { 0x2c006000u, 0x2000u },
};

/* A system of the microvisor's `memory` and one cell a of `a_memory` (a property). */
static void one_cell_system(char *out, size_t size, const char *mv_memory, const char *a_memory,
			    const char *more)
{
	snprintf(out, size,
		 "/dts-v1/;\n"
		 "/ {\n"
		 "	compatible = \"mv,system-v1\";\n"
		 "	microvisor { memory = <%s>; };\n"
		 "	cells {\n"
		 "		a { image = \"a.bin\"; %s; };\n"
		 "%s"
		 "	};\n"
		 "};\n",
		 mv_memory, a_memory, more);
}

/* Regions that fill all that is free, exactly: a block-sized one, a page in a page-sized
 * hole, and one that ends at 4 GiB. */
static void test_place_exact_fit(void)
{
	static struct sysdesc sd;
	char text[2048];

	one_cell_system(text, sizeof(text), "0x80000000 0x00200000",
			"placed-memory = <0x80000000 0x3fe00000>", "");
	check_errors_on(&test_board, TEST_LOAD, "fit.dts", text, &sd, 0, "");
	CHECK_REGION(&sd.regions[0], 0x80000000u, 0x80200000u, 0x3fe00000u, true, 0);

	one_cell_system(text, sizeof(text), "0x80000000 0x00200000",
			"memory = <0x80000000 0x80201000 0x3fdff000>",
			"\t\tb { image = \"b.bin\"; placed-memory = <0x0 0x1000>; };\n");
	check_errors_on(&test_board, TEST_LOAD, "hole.dts", text, &sd, 0, "");
	CHECK_REGION(&sd.regions[1], 0x00000000u, 0x80200000u, 0x00001000u, true, 0);

	one_cell_system(text, sizeof(text), "0x00200000", "placed-memory = <0x80000000 0x3fe00000>",
			"");
	check_errors_on(&top_board, 0xc0010000u, "top.dts", text, &sd, 0, "");
	CHECK_EQ(sd.hyp_mem_base, 0xc0000000u);
	CHECK_REGION(&sd.regions[0], 0x80000000u, 0xc0200000u, 0x3fe00000u, true, 0);

	one_cell_system(text, sizeof(text), "0x00200000", "placed-memory = <0x80000000 0x3fe01000>",
			"");
	check_errors_on(&top_board, 0xc0010000u, "top1.dts", text, &sd, 1,
			"top1.dts: /cells/a: placed-memory: region 0: 1046532 KiB does not fit in"
			" the RAM [0xc0000000, 0x100000000) of board top-board (1024 MiB, 1022 MiB"
			" free)\n");
	CHECK(!sd.regions[0].has_pa);
}

/* /microvisor memory = <size> starts at the load address rounded down to 2 MiB, but not
 * below the RAM. */
static void test_place_microvisor(void)
{
	static struct mv_board board;
	static struct sysdesc sd;
	char text[2048];

	one_cell_system(text, sizeof(text), "0x00100000", "placed-memory = <0x0 0x00200000>", "");
	check_errors_on(&test_board, 0x80110000u, "mv.dts", text, &sd, 0, "");
	CHECK_EQ(sd.hyp_mem_base, 0x80000000u);
	CHECK_REGION(&sd.regions[0], 0x00000000u, 0x80200000u, 0x00200000u, true, 0);
	board = test_board;
	board.ram = (struct mv_board_range){ 0x80100000u, 0x3ff00000u };
	check_errors_on(&board, 0x80110000u, "mv.dts", text, &sd, 0, "");
	CHECK_EQ(sd.hyp_mem_base, 0x80100000u);
	CHECK_REGION(&sd.regions[0], 0x00000000u, 0x80200000u, 0x00200000u, true, 0);
	/* Without a board (the microvisor binary unreadable) nothing is placed or checked
	 * physically. */
	check_errors_on(NULL, 0, "mv.dts", text, &sd, 0, "");
	CHECK(!sd.hyp_mem_has_pa);
	CHECK(!sd.regions[0].has_pa);
}

/* Explicit regions that overlap are reported as ever; placement goes round both. Every
 * region that finds no room is reported, each with the room that was left. */
static void test_place_hostile(void)
{
	static struct sysdesc sd;
	char text[2048];

	one_cell_system(text, sizeof(text), "0x80000000 0x00100000",
			"memory = <0x0 0x80400000 0x00200000>",
			"\t\tb { image = \"b.bin\"; memory = <0x0 0x80500000 0x00200000>; };\n"
			"\t\tc { image = \"c.bin\"; placed-memory = <0x0 0x00200000>; };\n");
	check_errors_on(&test_board, TEST_LOAD, "overlap.dts", text, &sd, 1,
			"overlap.dts: /cells/b: memory: region 0 overlaps /cells/a memory region 0"
			" physically (pa 0x80500000, size 0x00200000)\n");
	CHECK_REGION(&sd.regions[2], 0x00000000u, 0x80200000u, 0x00200000u, true, 0);

	one_cell_system(text, sizeof(text), "0x01000000",
			"placed-memory = <0x0 0x20000000>, <0x40000000 0x20000000>",
			"\t\tb { image = \"b.bin\"; placed-memory = <0x0 0x1000>; };\n");
	check_errors_on(&test_board, TEST_LOAD, "full.dts", text, &sd, 1,
			"full.dts: /cells/a: placed-memory: region 1: 512 MiB does not fit in the"
			" RAM [0x80000000, 0xc0000000) of board test-board (1024 MiB, 496 MiB"
			" free)\n");
	CHECK_REGION(&sd.regions[0], 0x00000000u, 0x81000000u, 0x20000000u, true, 0);
	CHECK_REGION(&sd.regions[2], 0x00000000u, 0xa1000000u, 0x00001000u, true, 0);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: test_mvimage_sysdesc <dtc> <good.dts> <workdir>\n");
		return 2;
	}
	dtc = argv[1];
	work = argv[3];
	mkdir_p(work);
	test_good_model(argv[2]);
	test_good_links(argv[2]);
	test_every_error_reported();
	test_link_errors();
	test_not_a_blob();
	test_images(argv[2]);
	test_microvisor_header();
	test_board_console();
	test_cell_limits();
	test_place_mixed();
	test_place_exact_fit();
	test_place_microvisor();
	test_place_hostile();
	if (failures) {
		fprintf(stderr, "test_sysdesc: %u checks failed\n", failures);
		return 1;
	}
	printf("test_sysdesc: all checks passed\n");
	return 0;
}
