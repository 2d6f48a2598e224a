/* SPDX-License-Identifier: MIT */
/* Unit test of the microvisor's boot-table check (microvisor/src/boot_table.c): a valid
 * table passes, and every kind of corruption is refused with its own message. */
#include <string.h>

#include <microvisor/cell.h>

#include "check.h"
#include "mvimage/test_board.h"

#define TABLE_BYTES 0x3000u

static union {
	struct mv_boot_header h;
	uint8_t bytes[TABLE_BYTES + 64]; /* room for a table that claims to be larger */
} t;

static struct mv_boot_cell *cell(unsigned i)
{
	return (struct mv_boot_cell *)(t.bytes + t.h.cells_offset) + i;
}

static struct mv_boot_region *region(unsigned i)
{
	return (struct mv_boot_region *)(t.bytes + t.h.regions_offset) + i;
}

static struct mv_boot_channel *channel(void)
{
	return (struct mv_boot_channel *)(t.bytes + t.h.channels_offset);
}

static struct mv_boot_vdev *vdev(void)
{
	return (struct mv_boot_vdev *)(t.bytes + t.h.vdevs_offset);
}

static struct mv_boot_irq *irq(void)
{
	return (struct mv_boot_irq *)(t.bytes + t.h.irqs_offset);
}

static void seal(void)
{
	t.h.checksum = 0;
	t.h.checksum = 0u - mv_boot_sum(&t, t.h.total_size);
}

static void build(void)
{
	memset(&t, 0, sizeof(t));
	t.h = (struct mv_boot_header){
		.magic = MV_BOOT_MAGIC,
		.version = MV_BOOT_VERSION,
		.header_size = sizeof(struct mv_boot_header),
		.total_size = TABLE_BYTES,
		.hyp_mem_base = 0x80000000u,
		.hyp_mem_size = 0x01000000u,
		.num_pcpus = 2,
		.num_cells = 2,
		.cells_offset = 128,
		.num_regions = 3,
		.regions_offset = 512,
		.num_channels = 1,
		.channels_offset = 640,
		.num_vdevs = 1,
		.vdevs_offset = 768,
		.num_irqs = 1,
		.irqs_offset = 896,
	};
	const struct mv_boot_cell a = {
		.name = "a",
		.image_offset = 0x1000,
		.image_size = 0x100,
		.load_ipa = 0x80000000u,
		.entry_ipa = 0x80000000u,
		.first_region = 0,
		.num_regions = 2,
		.num_vcpus = 2,
		.priority = 3,
		.time_slice_us = 1000,
		.vcpu_pcpu = { 0, 1 },
	};
	const struct mv_boot_cell b = {
		.name = "b",
		.image_offset = 0x2000,
		.image_size = 0x1000,
		.load_ipa = 0x80001000u,
		.entry_ipa = 0x80001004u,
		.first_region = 2,
		.num_regions = 1,
		.num_vcpus = 1,
		.priority = 31,
		.time_slice_us = 1000,
		.budget_us = 100,
		.period_us = 1000,
	};
	*cell(0) = a;
	*cell(1) = b;
	*region(0) = (struct mv_boot_region){ 0x80000000u, 0x81000000u, 0x200000u, MV_REGION_RAM };
	*region(1) = (struct mv_boot_region){ 0x1c090000u, 0x1c0c0000u, 0x1000u, MV_REGION_DEVICE };
	*region(2) = (struct mv_boot_region){ 0x80000000u, 0x81200000u, 0x200000u, MV_REGION_RAM };
	*channel() = (struct mv_boot_channel){ .name = "net",
					       .cell = { 0, 1 },
					       .ipa = { 0x90000000u, 0x90000000u },
					       .virq = { 40, 41 },
					       .size = 0x4000 };
	*vdev() = (struct mv_boot_vdev){ .name = "uart",
					 .consumer = 0,
					 .provider = 1,
					 .ipa = 0x1c0a0000u,
					 .size = 0x1000,
					 .provider_virq = 42 };
	*irq() = (struct mv_boot_irq){ .cell = 1, .pirq = 37, .virq = 37 };
	seal();
}

/* The board is the mvimage tests' (mvimage/test_board.h), laid out like vexpress-a15. */
/* The microvisor at the base of its memory, the boot table 1 MiB above. */
#define IMAGE_PA 0x80000000u
#define TABLE_PA 0x80100000u

static struct boot_env env(void)
{
	return (struct boot_env){ &test_board, IMAGE_PA, TABLE_PA, TABLE_BYTES, 4 };
}

static const char *check(void)
{
	struct boot_env e = env();
	return boot_table_check(&t.h, &e);
}

/* Applies one corruption to a fresh valid table, reseals it and returns the verdict. */
#define VERDICT(stmt) (build(), (stmt), seal(), check())

/* `n` channels between cells a and b, each with its own windows and doorbells. */
static void channels(uint32_t n)
{
	t.h.channels_offset = 0x1100;
	t.h.num_channels = n;
	for (uint32_t i = 0; i < n; i++)
		channel()[i] = (struct mv_boot_channel){ .name = "c",
							 .cell = { 0, 1 },
							 .ipa = { 0x90000000u + i * 0x10000u,
								  0x90000000u + i * 0x10000u },
							 .virq = { 40 + i, 40 + i },
							 .size = 0x4000 };
}

/* `n` vdevs that cell b provides to cell a. */
static void vdevs(uint32_t n)
{
	t.h.vdevs_offset = 0x1400;
	t.h.num_vdevs = n;
	for (uint32_t i = 0; i < n; i++)
		vdev()[i] = (struct mv_boot_vdev){ .name = "v",
						   .consumer = 0,
						   .provider = 1,
						   .ipa = 0x1c0a0000u + i * 0x10000u,
						   .size = 0x1000,
						   .provider_virq = 50 + i };
}

static int refused(const char *verdict, const char *expected)
{
	if (verdict && strstr(verdict, expected))
		return 1;
	fprintf(stderr, "expected \"%s\", got \"%s\"\n", expected, verdict ? verdict : "(valid)");
	return 0;
}

int main(void)
{
	build();
	CHECK(check() == NULL);
	struct boot_env tiny = env();
	tiny.available = 16;
	CHECK(boot_table_check(&t.h, &tiny) != NULL); /* not even a header available */

	build();
	t.bytes[0x1800] ^= 1; /* image byte flipped after sealing */
	CHECK(refused(check(), "checksum"));
	CHECK(refused(VERDICT(t.h.magic = 0), "magic"));
	CHECK(refused(VERDICT(t.h.version = MV_BOOT_VERSION + 1), "version"));
	CHECK(refused(VERDICT(t.h.total_size = TABLE_BYTES + 4), "size"));
	CHECK(refused(VERDICT(t.h.num_pcpus = 5), "CPU count"));
	CHECK(refused(VERDICT(t.h.num_cells = 0), "counts"));
	CHECK(refused(VERDICT(t.h.cells_offset = TABLE_BYTES - 8), "cell table"));
	CHECK(refused(VERDICT(t.h.regions_offset = 0xffffff00u), "region table"));
	CHECK(refused(VERDICT(region(1)->pa = 0x1c0c0800u), "aligned"));
	CHECK(refused(VERDICT(region(2)->pa = 0x81100000u), "overlap physically"));
	CHECK(refused(VERDICT(region(0)->pa = 0x80f00000u), "microvisor memory"));
	CHECK(refused(VERDICT(region(1)->flags = 7), "kind"));
	CHECK(refused(VERDICT(region(0)->ipa = 0xfff00000u), "4 GiB"));
	CHECK(refused(VERDICT(memset(cell(0)->name, 'x', MV_BOOT_NAME_LEN)), "name"));
	CHECK(refused(VERDICT(cell(0)->num_vcpus = 9), "vCPU count"));
	CHECK(refused(VERDICT(cell(0)->vcpu_pcpu[1] = 2), "pinned"));
	CHECK(refused(VERDICT(cell(1)->priority = 32), "priority"));
	CHECK(refused(VERDICT(cell(1)->budget_us = 2000), "budget"));
	CHECK(refused(VERDICT(cell(1)->first_region = 3), "region range"));
	CHECK(refused(VERDICT(cell(1)->image_offset = 0x2800), "image out of bounds"));
	CHECK(refused(VERDICT(cell(1)->image_size = 0x1001), "image out of bounds"));
	CHECK(refused(VERDICT(cell(1)->entry_ipa = 0x80002000u), "entry"));
	CHECK(refused(VERDICT(cell(0)->load_ipa = cell(0)->entry_ipa = 0x801fff80u),
		      "does not fit"));
	CHECK(refused(VERDICT(cell(0)->load_ipa = cell(0)->entry_ipa = 0x1c090000u),
		      "does not fit"));
	CHECK(refused(VERDICT((cell(1)->dtb_offset = 0x2000, cell(1)->dtb_size = 0x100,
			       cell(1)->dtb_ipa = 0x90000000u)),
		      "device tree does not fit"));
	CHECK(refused(VERDICT((cell(1)->dtb_offset = 0x2004, cell(1)->dtb_size = 0x100,
			       cell(1)->dtb_ipa = 0x80100000u)),
		      "device tree out of bounds"));
	CHECK(VERDICT((cell(1)->dtb_offset = 0x2000, cell(1)->dtb_size = 0x100,
		       cell(1)->dtb_ipa = 0x80100000u)) == NULL);
	CHECK(refused(VERDICT(channel()->cell[1] = 0), "channel"));
	CHECK(refused(VERDICT(channel()->cell[1] = 2), "channel"));
	CHECK(refused(VERDICT(channel()->size = 0x1000), "channel"));
	CHECK(refused(VERDICT(channel()->virq[1] = 128), "channel"));
	CHECK(refused(VERDICT(channel()->ipa[0] = 0x90000800u), "channel"));
	CHECK(refused(VERDICT(vdev()->provider = 0), "vdev"));
	CHECK(refused(VERDICT(vdev()->size = 0x200000u), "vdev"));
	CHECK(refused(VERDICT(vdev()->provider_virq = 31), "vdev"));
	CHECK(refused(VERDICT(irq()->virq = 38), "interrupt"));
	CHECK(refused(VERDICT(irq()->cell = 5), "interrupt"));
	CHECK(refused(VERDICT((t.h.num_irqs = 2, irq()[1] = irq()[0])), "given twice"));
	CHECK(refused(VERDICT(t.h.vdevs_offset = TABLE_BYTES - 8), "table out of bounds"));

	/* Nothing of the board's that is not the cells' to have (finding 11). */
	CHECK(refused(VERDICT(region(2)->pa = 0x40000000u), "outside the board's RAM"));
	CHECK(refused(VERDICT(region(2)->pa = 0xbff00000u), "outside the board's RAM"));
	CHECK(refused(VERDICT(region(0)->pa = 0x1c000000u), "outside the board's RAM"));
	CHECK(refused(VERDICT(region(1)->pa = 0x82000000u),
		      "device region overlaps the board's RAM"));
	CHECK(refused(VERDICT(region(1)->pa = 0x2c001000u), "GIC"));
	CHECK(refused(VERDICT(region(1)->pa = 0x2c002000u), "GIC"));
	CHECK(refused(VERDICT(region(1)->pa = 0x2c005000u), "GIC"));
	CHECK(refused(VERDICT(region(1)->pa = 0x2c007000u), "GIC"));
	CHECK(refused(VERDICT(region(1)->pa = 0x1c010000u), "system controller"));
	CHECK(refused(VERDICT(region(1)->pa = 0x1c090000u), "UART"));
	CHECK(refused(VERDICT((region(1)->pa = 0x1c080000u, region(1)->size = 0x20000u)), "UART"));
	/* The console cell may own the microvisor's UART, as the console systems give it. */
	CHECK(VERDICT((memcpy(cell(0)->name, "console", 8), region(1)->pa = 0x1c090000u)) == NULL);
	CHECK(refused(VERDICT((memcpy(cell(1)->name, "console", 8), region(1)->pa = 0x1c090000u)),
		      "UART"));
	CHECK(refused(VERDICT((memcpy(cell(0)->name, "console", 8), region(1)->pa = 0x2c002000u)),
		      "GIC"));

	/* The microvisor's memory holds the microvisor and its table (finding 18). */
	CHECK(refused(VERDICT(t.h.hyp_mem_base = 0x70000000u), "outside the board's RAM"));
	CHECK(refused(VERDICT(t.h.hyp_mem_base = 0x80001000u), "does not hold the microvisor"));
	CHECK(refused(VERDICT(t.h.hyp_mem_size = 0x00101000u), "does not hold the microvisor"));
	CHECK(refused(VERDICT(t.h.hyp_mem_size = 0x00100000u), "does not hold the microvisor"));
	CHECK(refused(VERDICT(t.h.hyp_mem_size = 0x00104000u), "channel memory does not fit"));
	CHECK(VERDICT(t.h.hyp_mem_size = 0x00107000u) == NULL); /* the table, then 16 KiB */
	/* Each region is one cell's; a cell's regions and windows do not overlap in IPA. */
	CHECK(refused(VERDICT((cell(1)->first_region = 0, cell(1)->num_regions = 1)), "shared"));
	CHECK(refused(VERDICT((cell(1)->first_region = 1, cell(1)->num_regions = 2)), "shared"));
	CHECK(refused(VERDICT(cell(1)->num_regions = 0), "region range"));
	CHECK(refused(VERDICT((t.h.num_regions = 4,
			       *region(3) = (struct mv_boot_region){ 0x80400000u, 0x81400000u,
								     0x1000u, MV_REGION_RAM })),
		      "not owned"));
	CHECK(refused(VERDICT(region(1)->ipa = 0x80100000u), "overlap in IPA space"));
	CHECK(refused(VERDICT(region(1)->ipa = 0x2c000000u), "vGIC"));
	CHECK(refused(VERDICT(channel()->ipa[0] = 0x80000000u), "invalid channel"));
	CHECK(refused(VERDICT(channel()->ipa[1] = 0x2c006000u), "invalid channel"));
	CHECK(refused(VERDICT(channel()->ipa[1] = 0xfffff000u), "invalid channel"));
	CHECK(refused(VERDICT((channels(2), channel()[1].ipa[1] = 0x90002000u)),
		      "invalid channel"));
	CHECK(refused(VERDICT(vdev()->ipa = 0x1c090000u), "invalid vdev"));
	CHECK(refused(VERDICT(vdev()->ipa = 0x90000000u), "invalid vdev"));
	CHECK(refused(VERDICT((vdevs(2), vdev()[1].ipa = 0x1c0a0000u)), "invalid vdev"));

	/* Per-cell limits the microvisor would otherwise panic on (finding 19). */
	CHECK(VERDICT(channels(MV_BOOT_CELL_MAX_CHANNELS)) == NULL);
	CHECK(refused(VERDICT(channels(MV_BOOT_CELL_MAX_CHANNELS + 1)), "more than"));
	CHECK(VERDICT(vdevs(MV_BOOT_CELL_MAX_VDEVS)) == NULL);
	CHECK(refused(VERDICT(vdevs(MV_BOOT_CELL_MAX_VDEVS + 1)), "more than"));
	return check_exit("test_boot_table");
}
