/* SPDX-License-Identifier: MIT */
/* Runs mvimage on linux.dts and decodes the device tree of each Linux cell, and of the plain
 * cell whose devices it describes, with libfdt. */
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

#include <libfdt.h>

#include <microvisor/boot_table.h>

#include "test_board.h"
#include "tool_test.h"

#define PAYLOAD_AT 8192u
#define KERNEL_SIZE 20000u

static void write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void setup(const char *work)
{
	static uint8_t kernel[KERNEL_SIZE], plain[300], mv[5000];
	char path[4096];

	snprintf(path, sizeof(path), "mkdir -p '%s/cells'", work);
	if (system(path) != 0)
		exit(1);
	for (size_t i = 0; i < sizeof(kernel); i++)
		kernel[i] = (uint8_t)(i * 7u + 3u);
	memset(plain, 0x5a, sizeof(plain));
	test_board_binary(mv, PAYLOAD_AT, 0x80000000u);
	snprintf(path, sizeof(path), "%s/microvisor.bin", work);
	write_file(path, mv, sizeof(mv));
	snprintf(path, sizeof(path), "%s/cells/kernel.bin", work);
	write_file(path, kernel, sizeof(kernel));
	snprintf(path, sizeof(path), "%s/cells/kernel2.bin", work);
	write_file(path, kernel, sizeof(kernel));
	snprintf(path, sizeof(path), "%s/cells/plain.bin", work);
	write_file(path, plain, sizeof(plain));
}

static uint32_t prop_u32(const void *fdt, int node, const char *name, int index)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	if (!v || len < (index + 1) * 4) {
		failures++;
		fprintf(stderr, "test_linuxdt: %s: no cell %d\n", name, index);
		return 0xdeadbeefu;
	}
	return fdt32_ld(&v[index]);
}

static bool prop_is(const void *fdt, int node, const char *name, const char *want, int want_len)
{
	int len;
	const char *v = fdt_getprop(fdt, node, name, &len);

	return v && len == want_len && memcmp(v, want, (size_t)want_len) == 0;
}

#define PROP_STR(fdt, node, name, lit) prop_is(fdt, node, name, lit, (int)sizeof(lit))

/* The channel node of a cell's tree at IPA `ipa`. */
static void check_channel(const void *fdt, uint32_t ipa, const char *compat, uint32_t size,
			  uint32_t virq, uint32_t index, uint32_t end, const char *peer,
			  const char *label)
{
	char path[64];
	int node;

	snprintf(path, sizeof(path), "/hypervisor/channel@%x", ipa);
	node = fdt_path_offset(fdt, path);
	CHECK(node >= 0);
	if (node < 0)
		return;
	CHECK(prop_is(fdt, node, "compatible", compat, (int)strlen(compat) + 1));
	CHECK_EQ(prop_u32(fdt, node, "reg", 0), ipa);
	CHECK_EQ(prop_u32(fdt, node, "reg", 1), size);
	CHECK_EQ(prop_u32(fdt, node, "interrupts", 0), 0); /* SPI */
	CHECK_EQ(prop_u32(fdt, node, "interrupts", 1), virq - 32);
	CHECK_EQ(prop_u32(fdt, node, "interrupts", 2), 1); /* edge rising */
	CHECK_EQ(prop_u32(fdt, node, "mv,channel", 0), index);
	CHECK_EQ(prop_u32(fdt, node, "mv,end", 0), end);
	CHECK(prop_is(fdt, node, "mv,peer", peer, (int)strlen(peer) + 1));
	CHECK(prop_is(fdt, node, "label", label, (int)strlen(label) + 1));
}

/* What every Linux cell's tree has: the GIC, the timer, PSCI. */
static void check_common(const void *fdt, uint32_t vcpus)
{
	static const char psci[] = "arm,psci-1.0\0arm,psci-0.2";
	static const char hyp[] = "mv,microvisor\0simple-bus";
	static const uint32_t ppis[] = { 13, 14, 11, 10 };
	int gic = fdt_path_offset(fdt, "/interrupt-controller@2c001000");
	int timer = fdt_path_offset(fdt, "/timer");
	int node = fdt_path_offset(fdt, "/psci");

	CHECK(node >= 0 && prop_is(fdt, node, "compatible", psci, sizeof(psci)));
	CHECK(node >= 0 && PROP_STR(fdt, node, "method", "hvc"));
	CHECK(gic >= 0 && PROP_STR(fdt, gic, "compatible", "arm,cortex-a15-gic"));
	CHECK(gic >= 0 && fdt_getprop(fdt, gic, "interrupt-controller", NULL));
	CHECK_EQ(prop_u32(fdt, gic, "reg", 0), 0x2c001000u);
	CHECK_EQ(prop_u32(fdt, gic, "reg", 1), 0x1000u);
	CHECK_EQ(prop_u32(fdt, gic, "reg", 2), 0x2c002000u);
	CHECK_EQ(prop_u32(fdt, gic, "reg", 3), 0x2000u);
	CHECK_EQ(prop_u32(fdt, gic, "#interrupt-cells", 0), 3);
	CHECK_EQ(prop_u32(fdt, 0, "interrupt-parent", 0), fdt_get_phandle(fdt, gic));
	CHECK(fdt_get_phandle(fdt, gic) != 0);
	CHECK(timer >= 0 && PROP_STR(fdt, timer, "compatible", "arm,armv7-timer"));
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(prop_u32(fdt, timer, "interrupts", 3 * i), 1); /* PPI */
		CHECK_EQ(prop_u32(fdt, timer, "interrupts", 3 * i + 1), ppis[i]);
		CHECK_EQ(prop_u32(fdt, timer, "interrupts", 3 * i + 2),
			 (((1u << vcpus) - 1u) << 8) | 8u);
	}
	for (uint32_t i = 0; i < vcpus; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
		node = fdt_path_offset(fdt, path);
		CHECK(node >= 0);
		CHECK_EQ(prop_u32(fdt, node, "reg", 0), i);
		CHECK(PROP_STR(fdt, node, "enable-method", "psci"));
		CHECK(PROP_STR(fdt, node, "device_type", "cpu"));
	}
	CHECK(fdt_path_offset(fdt, "/cpus/cpu@2") < 0 || vcpus > 2);
	node = fdt_path_offset(fdt, "/hypervisor");
	CHECK(node >= 0 && prop_is(fdt, node, "compatible", hyp, sizeof(hyp)));
}

static void check_lx(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	int mem = fdt_path_offset(fdt, "/memory@80000000");

	check_common(fdt, 2);
	CHECK(PROP_STR(fdt, chosen, "bootargs", "console=hvc0 mv.role=server"));
	CHECK(PROP_STR(fdt, chosen, "mv,cell-name", "lx"));
	CHECK(PROP_STR(fdt, mem, "device_type", "memory"));
	CHECK_EQ(prop_u32(fdt, mem, "reg", 0), 0x80000000u);
	CHECK_EQ(prop_u32(fdt, mem, "reg", 1), 0x10000000u);
	CHECK_EQ(prop_u32(fdt, mem, "reg", 2), 0xa0000000u);
	CHECK_EQ(prop_u32(fdt, mem, "reg", 3), 0x00200000u);
	/* Its channels, numbered in description order: the console's, then net, then data. */
	check_channel(fdt, 0x70000000u, "mv,channel-console", 0x2000, 40, 0, 1, "console",
		      "console-lx");
	check_channel(fdt, 0x70100000u, "mv,channel-net", 0x10000, 45, 1, 1, "lx2", "net");
	check_channel(fdt, 0x70200000u, "mv,channel-raw", 0x4000, 127, 2, 0, "console", "data");
}

static void check_lx2(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	int mem = fdt_path_offset(fdt, "/memory@40000000");

	check_common(fdt, 1);
	CHECK(PROP_STR(fdt, chosen, "bootargs", ""));
	CHECK(PROP_STR(fdt, chosen, "mv,cell-name", "lx2"));
	CHECK_EQ(prop_u32(fdt, mem, "reg", 0), 0x40000000u);
	CHECK_EQ(prop_u32(fdt, mem, "reg", 1), 0x00400000u);
	check_channel(fdt, 0x50000000u, "mv,channel-net", 0x10000, 41, 0, 0, "lx", "net");
	CHECK(fdt_path_offset(fdt, "/hypervisor/channel@70000000") < 0);
}

/* A plain cell with `devices-compatible`: the same tree without bootargs, and its devices,
 * the interrupt of the same index with each (the second has none). */
static void check_console(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	int uart0 = fdt_path_offset(fdt, "/device@1c090000");
	int uart1 = fdt_path_offset(fdt, "/device@1c0a0000");

	check_common(fdt, 1);
	CHECK(PROP_STR(fdt, 0, "compatible", "mv,cell"));
	CHECK(PROP_STR(fdt, chosen, "mv,cell-name", "console"));
	CHECK(!fdt_getprop(fdt, chosen, "bootargs", NULL));
	CHECK(uart0 >= 0 && PROP_STR(fdt, uart0, "compatible", "arm,pl011"));
	CHECK_EQ(prop_u32(fdt, uart0, "reg", 0), 0x1c090000u);
	CHECK_EQ(prop_u32(fdt, uart0, "reg", 1), 0x1000u);
	CHECK_EQ(prop_u32(fdt, uart0, "interrupts", 0), 0); /* SPI */
	CHECK_EQ(prop_u32(fdt, uart0, "interrupts", 1), 37u - 32u);
	CHECK_EQ(prop_u32(fdt, uart0, "interrupts", 2), 4); /* level high */
	CHECK(uart1 >= 0 && PROP_STR(fdt, uart1, "compatible", "snps,dw-apb-uart"));
	CHECK_EQ(prop_u32(fdt, uart1, "reg", 0), 0x1c0a0000u);
	CHECK(uart1 >= 0 && !fdt_getprop(fdt, uart1, "interrupts", NULL));
	check_channel(fdt, 0x10000000u, "mv,channel-console", 0x2000, 40, 0, 0, "lx", "console-lx");
}

/* The cell's device tree out of the payload, checked; NULL if it has none. */
static const void *cell_dtb(const uint8_t *payload, size_t payload_size,
			    const struct mv_boot_cell *c)
{
	const void *fdt = payload + c->dtb_offset;

	if (!c->dtb_size)
		return NULL;
	CHECK_EQ(c->dtb_offset % 8, 0);
	CHECK(c->dtb_offset + (uint64_t)c->dtb_size <= payload_size);
	if (c->dtb_offset + (uint64_t)c->dtb_size > payload_size)
		return NULL;
	CHECK_EQ(fdt_check_full(fdt, c->dtb_size), 0);
	CHECK_EQ(fdt_totalsize(fdt), c->dtb_size);
	return fdt;
}

/* A Linux cell with more RAM regions than fit in 64 cells of `reg` (the old limit of the
 * property writer): its /memory node must list every one. */
#define MANY_RAM 40u

static void write_many_dts(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "/dts-v1/;\n/ {\n\tcompatible = \"mv,system-v1\";\n"
		   "\tmicrovisor { memory = <0x80000000 0x00400000>; };\n"
		   "\tcells { lx { image = \"kernel.bin\"; os = \"linux\";\n"
		   "\t\tmemory = <0x80000000 0x90000000 0x01000000>");
	for (uint32_t i = 1; i < MANY_RAM; i++)
		fprintf(f, ",\n\t\t\t<0x%08x 0x%08x 0x1000>", 0xa0000000u + i * 0x10000u,
			0xa0000000u + i * 0x10000u);
	fprintf(f, "; }; };\n};\n");
	if (fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void test_many_regions(const char *mvimage, const char *dtc, const char *work)
{
	char dts[4096], out[4096];
	struct mv_boot_header h;
	struct mv_boot_cell c;
	uint8_t *img;
	size_t size;
	const void *fdt;
	int node, len;

	snprintf(dts, sizeof(dts), "%s/many.dts", work);
	write_many_dts(dts);
	CHECK_EQ(run_mvimage(mvimage, dtc, dts, work), 0);
	snprintf(out, sizeof(out), "%s/out.img", work);
	img = read_whole(out, &size);
	CHECK(size > PAYLOAD_AT + sizeof(h));
	if (size <= PAYLOAD_AT + sizeof(h))
		return;
	memcpy(&h, img + PAYLOAD_AT, sizeof(h));
	memcpy(&c, img + PAYLOAD_AT + h.cells_offset, sizeof(c));
	CHECK_EQ(c.num_regions, MANY_RAM);
	fdt = cell_dtb(img + PAYLOAD_AT, h.total_size, &c);
	CHECK(fdt != NULL);
	node = fdt ? fdt_path_offset(fdt, "/memory@80000000") : -1;
	CHECK(node >= 0);
	CHECK(node >= 0 && fdt_getprop(fdt, node, "reg", &len) && len == (int)(8 * MANY_RAM));
	CHECK_EQ(node >= 0 ? prop_u32(fdt, node, "reg", 0) : 0, 0x80000000u);
	CHECK_EQ(node >= 0 ? prop_u32(fdt, node, "reg", 1) : 0, 0x01000000u);
	for (uint32_t i = 1; node >= 0 && i < MANY_RAM; i++) {
		CHECK_EQ(prop_u32(fdt, node, "reg", (int)(2 * i)), 0xa0000000u + i * 0x10000u);
		CHECK_EQ(prop_u32(fdt, node, "reg", (int)(2 * i + 1)), 0x1000u);
	}
	free(img);
}

int main(int argc, char **argv)
{
	struct mv_boot_header h;
	struct mv_boot_cell c[4];
	char out[4096];
	uint8_t *img;
	size_t size;
	const void *fdt;

	if (argc != 5) {
		fprintf(stderr,
			"usage: test_mvimage_linuxdt <mvimage> <dtc> <linux.dts> <workdir>\n");
		return 2;
	}
	setup(argv[4]);
	CHECK_EQ(run_mvimage(argv[1], argv[2], argv[3], argv[4]), 0);
	snprintf(out, sizeof(out), "%s/out.img", argv[4]);
	img = read_whole(out, &size);
	CHECK(size > PAYLOAD_AT + sizeof(h));
	if (failures || size <= PAYLOAD_AT + sizeof(h)) {
		fprintf(stderr, "test_linuxdt: no image\n");
		return 1;
	}
	memcpy(&h, img + PAYLOAD_AT, sizeof(h));
	CHECK_EQ(h.num_cells, 4);
	CHECK_EQ(mv_boot_sum(img + PAYLOAD_AT, h.total_size), 0);
	memcpy(c, img + PAYLOAD_AT + h.cells_offset, sizeof(c));

	/* The plain cell has no tree; the two kernels share one copy of the image. */
	CHECK_EQ(c[3].dtb_size, 0);
	CHECK_EQ(c[3].dtb_offset, 0);
	CHECK_EQ(c[3].dtb_ipa, 0);
	CHECK_EQ(c[1].image_offset, c[2].image_offset);
	CHECK_EQ(c[1].image_size, KERNEL_SIZE);
	CHECK_EQ(c[2].image_size, KERNEL_SIZE);
	/* At the end of the first 128 MiB of the first region, or of a smaller region. */
	CHECK_EQ(c[1].dtb_ipa, 0x88000000u - ((c[1].dtb_size + 4095u) & ~4095u));
	CHECK_EQ(c[2].dtb_ipa, 0x40400000u - ((c[2].dtb_size + 4095u) & ~4095u));
	CHECK_EQ(c[0].dtb_ipa, 0x00100000u - ((c[0].dtb_size + 4095u) & ~4095u));

	fdt = cell_dtb(img + PAYLOAD_AT, h.total_size, &c[0]);
	CHECK(fdt != NULL);
	if (fdt)
		check_console(fdt);

	fdt = cell_dtb(img + PAYLOAD_AT, h.total_size, &c[1]);
	CHECK(fdt != NULL);
	if (fdt)
		check_lx(fdt);
	fdt = cell_dtb(img + PAYLOAD_AT, h.total_size, &c[2]);
	CHECK(fdt != NULL);
	if (fdt)
		check_lx2(fdt);
	free(img);
	test_many_regions(argv[1], argv[2], argv[4]);
	if (failures) {
		fprintf(stderr, "test_linuxdt: %u checks failed\n", failures);
		return 1;
	}
	printf("test_linuxdt: device trees of %s decoded and checked\n", argv[3]);
	return 0;
}
