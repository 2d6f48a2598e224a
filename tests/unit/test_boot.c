/* SPDX-License-Identifier: MIT */
/* Unit test of the generic boot flow (microvisor/src/main.c) end to end on the fake arch:
 * mv_boot() with a valid boot table (cells, channels, vdevs, pass-through interrupts, the
 * console cell), mv_run() entering each CPU's first guest, and the panics of bad tables in
 * child processes; and of the freestanding microvisor/src/string.c against libc (compiled
 * in here under other names: the microvisor's memcpy would otherwise clash with libc's). */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* string.c under test names; everything else in this test uses libc. */
#define memcpy mvtest_memcpy
#define memset mvtest_memset
#define memcmp mvtest_memcmp
#define strnlen mvtest_strnlen
#include "../../microvisor/src/string.c"
#undef memcpy
#undef memset
#undef memcmp
#undef strnlen

#include <arch/lpae.h>
#include <channels/channel.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/hypercall.h>
#include <microvisor/log.h>
#include <microvisor/main.h>
#include <vcpu/vcpu.h>
#include <vdev/vdev.h>

#include "check.h"
#include "fake/fake_arch.h"

enum mv_status arch_vgic_cell_init(struct cell *c)
{
	(void)c;
	return MV_OK;
}
void arch_vgic_cell_reset(struct cell *c)
{
	(void)c;
}

struct assignment {
	struct cell *cell;
	uint32_t pirq;
};
static struct assignment assigned[8];
static uint32_t num_assigned;

void arch_irq_assign(struct cell *c, uint32_t pirq)
{
	if (num_assigned < MV_ARRAY_SIZE(assigned))
		assigned[num_assigned] = (struct assignment){ c, pirq };
	num_assigned++;
}

/* ======================================================================================
 * mv_boot and mv_run
 */

#define TABLE_BYTES 0x3000u
#define TOTAL 0x2900u /* header page, a's image, b's image and device tree */
#define CHAN_BYTES 0x3000u
#define RAM_IPA 0x80000000u
#define RAM_SIZE 0x10000u
#define DTB_IPA (RAM_IPA + 0x8000u)
#define GUARD 0xeeu

/* The microvisor's memory (its boot table, then the channels' memory) and the cells' RAM,
 * in this order in one object so that the physical layout is known. */
static struct {
	_Alignas(4096) uint8_t table[TABLE_BYTES];
	uint8_t chan[CHAN_BYTES];
	uint8_t ram[2][RAM_SIZE];
} arena;

static const struct mv_board board = {
	.magic = MV_BOARD_MAGIC,
	.name = "fake",
	.ram = { 0x40000000u, 0x40000000u },
	.uart = { 0x1c090000u, 0x1000u },
	.gicd = { 0x2c001000u, 0x1000u },
	.gicc = { 0x2c002000u, 0x2000u },
	.gich = { 0x2c004000u, 0x2000u },
	.gicv = { 0x2c006000u, 0x2000u },
};

static struct mv_boot_header *hdr(void)
{
	return (struct mv_boot_header *)arena.table;
}
static struct mv_boot_cell *bcell(uint32_t i)
{
	return (struct mv_boot_cell *)(arena.table + hdr()->cells_offset) + i;
}

static void seal(void)
{
	hdr()->checksum = 0;
	hdr()->checksum = 0u - mv_boot_sum(hdr(), hdr()->total_size);
}

/* Cell a (CPU 0) and cell b (vCPU 0 on CPU 1, vCPU 1 on CPU 0, a device tree, a device
 * region); a channel between them, a vdev of b's in a's space, an interrupt each. */
static void build_table(void)
{
	memset(arena.table, 0, sizeof(arena.table));
	struct mv_boot_header *h = hdr();
	*h = (struct mv_boot_header){ .magic = MV_BOOT_MAGIC,
				      .version = MV_BOOT_VERSION,
				      .header_size = sizeof(*h),
				      .total_size = TOTAL,
				      .hyp_mem_base = 0x40000000u,
				      .num_pcpus = 2,
				      .num_cells = 2,
				      .cells_offset = 128,
				      .num_regions = 3,
				      .regions_offset = 384,
				      .num_channels = 1,
				      .channels_offset = 512,
				      .num_vdevs = 1,
				      .vdevs_offset = 640,
				      .num_irqs = 2,
				      .irqs_offset = 768 };
	h->hyp_mem_size = arch_virt_to_phys(arena.ram) - h->hyp_mem_base;
	*bcell(0) = (struct mv_boot_cell){ .name = "a",
					   .image_offset = 0x1000,
					   .image_size = 0x1000,
					   .load_ipa = RAM_IPA,
					   .entry_ipa = RAM_IPA + 0x40u,
					   .first_region = 0,
					   .num_regions = 1,
					   .num_vcpus = 1,
					   .priority = 5,
					   .time_slice_us = 1000 };
	*bcell(1) = (struct mv_boot_cell){ .name = "b",
					   .image_offset = 0x2000,
					   .image_size = 0x800,
					   .load_ipa = RAM_IPA,
					   .entry_ipa = RAM_IPA,
					   .first_region = 1,
					   .num_regions = 2,
					   .num_vcpus = 2,
					   .priority = 7,
					   .time_slice_us = 1000,
					   .budget_us = 500,
					   .period_us = 1000,
					   .vcpu_pcpu = { 1, 0 },
					   .dtb_offset = 0x2800,
					   .dtb_size = 0x100,
					   .dtb_ipa = DTB_IPA };
	struct mv_boot_region *r = (void *)(arena.table + h->regions_offset);
	r[0] = (struct mv_boot_region){ RAM_IPA, arch_virt_to_phys(arena.ram[0]), RAM_SIZE,
					MV_REGION_RAM };
	r[1] = (struct mv_boot_region){ RAM_IPA, arch_virt_to_phys(arena.ram[1]), RAM_SIZE,
					MV_REGION_RAM };
	r[2] = (struct mv_boot_region){ 0x1c0a0000u, 0x1c0a0000u, 0x1000u, MV_REGION_DEVICE };
	*(struct mv_boot_channel *)(arena.table + h->channels_offset) =
		(struct mv_boot_channel){ .name = "net",
					  .cell = { 0, 1 },
					  .ipa = { 0x90000000u, 0x90100000u },
					  .virq = { 40, 41 },
					  .size = 0x2000 };
	*(struct mv_boot_vdev *)(arena.table + h->vdevs_offset) =
		(struct mv_boot_vdev){ .name = "uart",
				       .consumer = 0,
				       .provider = 1,
				       .ipa = 0x1c090000u,
				       .size = 0x1000,
				       .provider_virq = 42 };
	struct mv_boot_irq *irq = (void *)(arena.table + h->irqs_offset);
	irq[0] = (struct mv_boot_irq){ .cell = 1, .pirq = 37, .virq = 37 };
	irq[1] = (struct mv_boot_irq){ .cell = 0, .pirq = 38, .virq = 38 };
	memset(arena.table + 0x1000, 0xa1, 0x1000);
	memset(arena.table + 0x2000, 0xb1, 0x800);
	memset(arena.table + 0x2800, 0xd7, 0x100);
	seal();
	fake.payload = arena.table;
	fake.payload_available = TABLE_BYTES;
	fake.board = &board;
}

static jmp_buf guest_jb;
static struct vcpu *entered;

static void enter_guest(struct vcpu *v)
{
	entered = v;
	longjmp(guest_jb, 1);
}

static struct vcpu *run(unsigned pcpu)
{
	entered = NULL;
	fake.pcpu = pcpu;
	if (!setjmp(guest_jb))
		mv_run(pcpu);
	return entered;
}

static void test_boot(void)
{
	build_table();
	memset(arena.chan, GUARD, sizeof(arena.chan));
	fake.enter_guest = enter_guest;
	CHECK(mv_boot() == 2);
	CHECK(num_cells == 2 && !strcmp(cells[0].boot->name, "a") &&
	      !strcmp(cells[1].boot->name, "b"));
	CHECK(cells[0].boot == bcell(0) && cells[1].boot == bcell(1));
	CHECK(cells[0].image == arena.table + 0x1000 && cells[1].image == arena.table + 0x2000);
	for (uint32_t i = 0; i < 2; i++) {
		struct vcpu *v0 = &cells[i].vcpus[0];
		CHECK(cells[i].state == CELL_RUNNING);
		CHECK(v0->state == VCPU_ON_PENDING && (v0->hazards & VCPU_REQ_START) &&
		      v0->start_load);
	}
	CHECK(cells[1].num_vcpus == 2 && cells[1].vcpus[1].state == VCPU_OFF);
	CHECK(cells[1].vcpus[0].pcpu == 1 && cells[1].vcpus[1].pcpu == 0);
	CHECK(sched_of(0)->num_pinned == 2 && sched_of(1)->num_pinned == 1);
	CHECK(sched_of(0)->current == NULL && sched_of(1)->current == NULL);
	/* Channels after the table, zeroed, page aligned; mapped in both cells. */
	CHECK(cells[0].num_channels == 1 && cells[1].num_channels == 1);
	CHECK(cells[0].channels[0]->pa.bits == arch_virt_to_phys(arena.chan));
	bool zero = true, guard = true;
	for (uint32_t i = 0; i < 0x2000u; i++)
		zero = zero && arena.chan[i] == 0;
	for (uint32_t i = 0x2000u; i < CHAN_BYTES; i++)
		guard = guard && arena.chan[i] == GUARD;
	CHECK(zero && guard);
	unsigned level;
	CHECK((lpae_lookup(cells[1].vmmu.arch.root, 0x90100000u, &level) & LPAE_ADDR_MASK) ==
	      arch_virt_to_phys(arena.chan));
	CHECK((lpae_lookup(cells[1].vmmu.arch.root, 0x1c0a0000u, &level) & LPAE_ADDR_MASK) ==
	      0x1c0a0000u);
	CHECK(lpae_lookup(cells[0].vmmu.arch.root, 0x1c090000u, &level) == 0); /* a vdev: a hole */
	/* The vdev: b provides it to a. */
	CHECK(cells[1].num_vdevs == 1 && cells[0].num_vdevs == 0);
	struct smccc_args a = { { MV_CALL_VDEV_INFO, 0, 0, 0, 0, 0, 0 } };
	struct smccc_result res = hypercall_dispatch(&cells[1].vcpus[0], &a);
	CHECK(res.r[0] == MV_OK && res.r[1] == 0x1000 && res.r[2] == 42 && res.r[3] == 0);
	/* The interrupts, in table order, each to its cell. */
	CHECK(num_assigned == 2);
	CHECK(assigned[0].cell == &cells[1] && assigned[0].pirq == 37);
	CHECK(assigned[1].cell == &cells[0] && assigned[1].pirq == 38);
	CHECK(!log_is_quiet()); /* no console cell */

	/* mv_run: each CPU loads its first cell's image, then enters it. */
	struct vcpu *va = &cells[0].vcpus[0], *vb = &cells[1].vcpus[0];
	CHECK(run(0) == va);
	CHECK(sched_of(0)->loaded == va && va->state == VCPU_RUNNING && !va->loading);
	CHECK(va->arch.regs.pc == RAM_IPA + 0x40u && va->arch.regs.r[0] == 0);
	CHECK(arena.ram[0][0] == 0xa1 && arena.ram[0][0xfff] == 0xa1 && arena.ram[0][0x1000] == 0);
	CHECK(run(1) == vb);
	CHECK(vb->arch.regs.pc == RAM_IPA && vb->arch.regs.r[0] == 0 &&
	      vb->arch.regs.r[1] == 0xffffffffu && vb->arch.regs.r[2] == DTB_IPA);
	CHECK(arena.ram[1][0] == 0xb1 && arena.ram[1][0x7ff] == 0xb1 && arena.ram[1][0x800] == 0);
	CHECK(arena.ram[1][0x8000] == 0xd7 && arena.ram[1][0x80ff] == 0xd7 &&
	      arena.ram[1][0x8100] == 0);
	/* A channel notify now reaches the running peer. */
	struct smccc_args n = { { MV_CALL_CHANNEL_NOTIFY, 0, 0, 0, 0, 0, 0 } };
	uint32_t raises = fake.virq_raises;
	CHECK(hypercall_dispatch(va, &n).r[0] == MV_OK && fake.virq_cell == &cells[1] &&
	      fake.virq_last == 41 && fake.virq_raises == raises + 1);
	fake.enter_guest = NULL;
}

/* ---- In child processes: mv_boot with a console cell, and with broken tables. */

static int variant;

enum {
	V_CONSOLE,
	V_CONSOLE_PREFIX,
	V_NO_PAYLOAD,
	V_MAGIC,
	V_CHECKSUM,
	V_VERSION,
	V_SIZE,
	V_PCPUS,
	V_CHANNEL_ROOM,
	V_VDEV,
	V_IRQ_TWICE,
	V_COUNT
};

static int boot_variant(void)
{
	build_table();
	struct mv_boot_header *h = hdr();
	switch (variant) {
	case V_CONSOLE:
		strcpy(bcell(1)->name, "console");
		break;
	case V_CONSOLE_PREFIX: /* not the console cell: only the exact name is */
		strcpy(bcell(1)->name, "console0");
		break;
	case V_NO_PAYLOAD:
		fake.payload = NULL;
		break;
	case V_MAGIC:
		h->magic ^= 1u;
		break;
	case V_CHECKSUM:
		arena.table[0x1234]++; /* an image byte, not resealed */
		return mv_boot() == 2 ? 0 : 1;
	case V_VERSION:
		h->version = MV_BOOT_VERSION - 1u;
		break;
	case V_SIZE: /* the table claims more than the memory after it */
		fake.payload_available = TOTAL - 4u;
		break;
	case V_PCPUS:
		h->num_pcpus = CONFIG_MAX_PCPUS + 1u;
		break;
	case V_CHANNEL_ROOM: /* the channel would run past the microvisor's memory */
		h->hyp_mem_size = ((arch_virt_to_phys(arena.table) + TOTAL + 0xfffu) & ~0xfffu) -
				  h->hyp_mem_base;
		break;
	case V_VDEV: /* a vdev window over the consumer's RAM */
		((struct mv_boot_vdev *)(arena.table + h->vdevs_offset))->ipa = RAM_IPA;
		break;
	case V_IRQ_TWICE:
		((struct mv_boot_irq *)(arena.table + h->irqs_offset))[1].pirq = 37;
		((struct mv_boot_irq *)(arena.table + h->irqs_offset))[1].virq = 37;
		break;
	default:
		break;
	}
	seal();
	if (mv_boot() != 2)
		return 1;
	if (variant == V_CONSOLE || variant == V_CONSOLE_PREFIX)
		return log_is_quiet() == (variant == V_CONSOLE) ? 0 : 2;
	return 0;
}

static void test_boot_children(void)
{
	static const char *const msg[V_COUNT] = {
		[V_NO_PAYLOAD] = "boot table: no boot table (bad magic)",
		[V_MAGIC] = "boot table: no boot table (bad magic)",
		[V_CHECKSUM] = "boot table: boot table checksum mismatch",
		[V_VERSION] = "boot table: boot table version not supported",
		[V_SIZE] = "boot table: boot table size out of bounds",
		[V_PCPUS] = "boot table: boot table CPU count not supported",
		[V_CHANNEL_ROOM] = "boot table: channel memory does not fit in microvisor memory",
		[V_VDEV] = "boot table: invalid vdev",
		[V_IRQ_TWICE] = "boot table: pass-through interrupt given twice",
	};
	char out[8192];
	for (variant = 0; variant < V_COUNT; variant++) {
		int st = fake_run_child(boot_variant, out, sizeof(out));
		if (variant == V_CONSOLE || variant == V_CONSOLE_PREFIX) {
			CHECK(st == 0);
			CHECK(strstr(out, "PANIC") == NULL);
			CHECK(strstr(
				out,
				"microvisor: boot table v3, 2 cell(s), 2 CPU(s), 10496 bytes"));
			continue;
		}
		bool ok = st == FAKE_HALTED && strstr(out, "PANIC: cpu0: ") &&
			  strstr(out, "main.c:") && strstr(out, msg[variant]) &&
			  !strstr(out, "microvisor: boot table v");
		CHECK(ok);
		if (!ok)
			fprintf(stderr, "variant %d: status %d, output:\n%s\n", variant, st, out);
	}
}

/* ======================================================================================
 * string.c against libc
 */

#define BUF 160u

static void test_memcpy(void)
{
	static uint8_t src[BUF], dst[BUF], ref[BUF];
	for (uint32_t i = 0; i < BUF; i++)
		src[i] = (uint8_t)(i * 7u + 3u);
	static const size_t lens[] = { 0,  1,  2,  3,  4,  5,  6,  7,  8,   9,  12,
				       15, 16, 17, 31, 32, 33, 63, 64, 100, 128 };
	for (uint32_t so = 0; so < 8; so++)
		for (uint32_t d = 0; d < 8; d++)
			for (uint32_t l = 0; l < MV_ARRAY_SIZE(lens); l++) {
				size_t n = lens[l];
				memset(dst, 0xcc, BUF);
				memset(ref, 0xcc, BUF);
				memcpy(ref + d, src + so, n);
				void *ret = mvtest_memcpy(dst + d, src + so, n);
				bool ok = ret == dst + d && memcmp(dst, ref, BUF) == 0;
				CHECK(ok);
				if (!ok)
					fprintf(stderr, "memcpy src+%u dst+%u n %zu\n", so, d, n);
			}
	/* Exactly the bytes asked: heap blocks of the exact size (ASan sees any overrun). */
	for (size_t n = 0; n <= 12; n++) {
		uint8_t *s = malloc(n ? n : 1u), *t = malloc(n ? n : 1u);
		for (size_t i = 0; i < n; i++)
			s[i] = (uint8_t)(0x40 + i);
		CHECK(mvtest_memcpy(t, s, n) == t && (n == 0 || memcmp(t, s, n) == 0));
		free(s);
		free(t);
	}
	/* Length 0 touches nothing, even at a pointer to nothing. */
	uint8_t *none = malloc(0);
	CHECK(mvtest_memcpy(none, src, 0) == none && mvtest_memcpy(dst, none, 0) == dst);
	free(none);
	/* Overlap, destination below the source: as memmove (a forward copy), word and byte
	 * paths. (Above the source an overlap is undefined for memcpy, and is not asked.) */
	static const struct {
		uint32_t d, s, n;
	} ov[] = { { 0, 4, 64 }, { 0, 1, 63 },  { 3, 5, 40 },
		   { 8, 12, 4 }, { 0, 8, 128 }, { 1, 2, 1 } };
	for (uint32_t i = 0; i < MV_ARRAY_SIZE(ov); i++) {
		static uint8_t a[BUF], b[BUF];
		for (uint32_t j = 0; j < BUF; j++)
			a[j] = b[j] = (uint8_t)(j ^ 0x5au);
		memmove(b + ov[i].d, b + ov[i].s, ov[i].n);
		mvtest_memcpy(a + ov[i].d, a + ov[i].s, ov[i].n);
		CHECK(memcmp(a, b, BUF) == 0);
	}
	/* Whole aligned words, the case the microvisor's image loads take. */
	static uint32_t w[1024], wr[1024];
	for (uint32_t i = 0; i < 1024; i++)
		w[i] = i * 0x01000193u;
	CHECK(mvtest_memcpy(wr, w, sizeof(w)) == wr && memcmp(wr, w, sizeof(w)) == 0);
}

static void test_memset(void)
{
	static uint8_t dst[BUF], ref[BUF];
	static const int vals[] = { 0, 0xab, 0x1ab, -1, 0x80, 0x7f, -0x55, 0x100 };
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 7, 8, 11, 12, 16, 33, 64, 128 };
	for (uint32_t d = 0; d < 8; d++)
		for (uint32_t l = 0; l < MV_ARRAY_SIZE(lens); l++)
			for (uint32_t c = 0; c < MV_ARRAY_SIZE(vals); c++) {
				memset(dst, 0x3c, BUF);
				memset(ref, 0x3c, BUF);
				memset(ref + d, vals[c], lens[l]);
				void *ret = mvtest_memset(dst + d, vals[c], lens[l]);
				bool ok = ret == dst + d && memcmp(dst, ref, BUF) == 0;
				CHECK(ok);
				if (!ok)
					fprintf(stderr, "memset dst+%u n %zu c %d\n", d, lens[l],
						vals[c]);
			}
	for (size_t n = 0; n <= 9; n++) {
		uint8_t *p = malloc(n ? n : 1u);
		CHECK(mvtest_memset(p, 0x5a, n) == p);
		for (size_t i = 0; i < n; i++)
			CHECK(p[i] == 0x5a);
		free(p);
	}
	uint8_t *none = malloc(0);
	CHECK(mvtest_memset(none, 1, 0) == none);
	free(none);
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_memcmp(void)
{
	static uint8_t a[64], b[64];
	for (uint32_t i = 0; i < 64; i++)
		a[i] = b[i] = (uint8_t)(i * 13u);
	CHECK(mvtest_memcmp(a, b, 64) == 0 && mvtest_memcmp(a, a, 64) == 0);
	for (uint32_t k = 0; k < 64; k++) {
		static const uint8_t deltas[] = { 1, 0x7f, 0x80, 0xff };
		for (uint32_t j = 0; j < MV_ARRAY_SIZE(deltas); j++) {
			uint8_t keep = b[k];
			b[k] = (uint8_t)(b[k] + deltas[j]);
			for (size_t n = 0; n <= 64; n += (n < 8 || n >= 60) ? 1u : 7u) {
				int want = sign(memcmp(a, b, n));
				int got = mvtest_memcmp(a, b, n), back = mvtest_memcmp(b, a, n);
				CHECK(got == want && back == -want); /* exactly -1, 0 or 1 */
				CHECK(n > k || got == 0);
			}
			b[k] = keep;
		}
	}
	/* Bytes compare unsigned; the first difference decides. */
	static const uint8_t hi[] = { 0x80, 0x00 }, lo[] = { 0x7f, 0xff };
	CHECK(mvtest_memcmp(hi, lo, 2) == 1 && mvtest_memcmp(lo, hi, 2) == -1);
	static const uint8_t x[] = { 0x00, 0xff }, y[] = { 0xff, 0x00 };
	CHECK(mvtest_memcmp(x, y, 2) == -1 && mvtest_memcmp(x, y, 1) == -1);
	CHECK(mvtest_memcmp(x, y, 0) == 0);
	/* The exact length: exact-size heap blocks; n = 0 touches nothing. */
	uint8_t *p = malloc(3), *q = malloc(3), *none = malloc(0);
	memcpy(p, "abc", 3);
	memcpy(q, "abd", 3);
	CHECK(mvtest_memcmp(p, q, 3) == -1 && mvtest_memcmp(p, q, 2) == 0);
	CHECK(mvtest_memcmp(none, none, 0) == 0 && mvtest_memcmp(none, p, 0) == 0);
	/* As boot_table.c and main.c use it: a name against MV_CONSOLE_CELL with its NUL. */
	char name[MV_BOOT_NAME_LEN] = "console";
	CHECK(mvtest_memcmp(name, MV_CONSOLE_CELL, sizeof(MV_CONSOLE_CELL)) == 0);
	memcpy(name, "consoles", 9);
	CHECK(mvtest_memcmp(name, MV_CONSOLE_CELL, sizeof(MV_CONSOLE_CELL)) == 1);
	memcpy(name, "consol", 7);
	CHECK(mvtest_memcmp(name, MV_CONSOLE_CELL, sizeof(MV_CONSOLE_CELL)) == -1);
	free(p);
	free(q);
	free(none);
}

static size_t ref_strnlen(const char *s, size_t max)
{
	const char *z = memchr(s, 0, max);
	return z ? (size_t)(z - s) : max;
}

static void test_strnlen(void)
{
	static const char s[] = "microvisor";
	for (size_t max = 0; max <= sizeof(s) + 4; max++)
		CHECK(mvtest_strnlen(s, max > sizeof(s) ? sizeof(s) : max) ==
		      ref_strnlen(s, max > sizeof(s) ? sizeof(s) : max));
	CHECK(mvtest_strnlen("", 0) == 0 && mvtest_strnlen("", 5) == 0);
	CHECK(mvtest_strnlen("abc", (size_t)-1) == 3); /* huge max: stops at the NUL */
	CHECK(mvtest_strnlen("a\0bc", 4) == 1);
	/* Hostile: a name field with no NUL is exactly as long as its field, and no byte
	 * past it is read (an exact-size heap block; ASan sees an overrun). */
	char *name = malloc(MV_BOOT_NAME_LEN);
	memset(name, 'x', MV_BOOT_NAME_LEN);
	CHECK(mvtest_strnlen(name, MV_BOOT_NAME_LEN) == MV_BOOT_NAME_LEN);
	name[MV_BOOT_NAME_LEN - 1] = '\0';
	CHECK(mvtest_strnlen(name, MV_BOOT_NAME_LEN) == MV_BOOT_NAME_LEN - 1);
	free(name);
	char *none = malloc(0);
	CHECK(mvtest_strnlen(none, 0) == 0);
	free(none);
}

int main(void)
{
	fake.timer = UINT64_MAX;
	test_memcpy();
	test_memset();
	test_memcmp();
	test_strnlen();
	(void)arch_virt_to_phys(&arena);
	test_boot_children();
	test_boot();
	return check_exit("test_boot");
}
