/* SPDX-License-Identifier: MIT */
/* Unit test of channels (channels/src/channel.c) on the fake arch: channels_create from a
 * boot table (memory allocated page aligned after the table, zeroed, mapped into both
 * ends' stage-2 at their IPAs and nowhere else), CHANNEL_INFO and CHANNEL_NOTIFY through
 * the hypercall dispatcher, friendly and hostile side by side (every field, every error,
 * a peer stopping, stopped, restarting), and the panics of an impossible table. */
#include <string.h>

#include <arch/lpae.h>
#include <channels/channel.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/hypercall.h>
#include <microvisor/log.h>
#include <vcpu/vcpu.h>

#include "check.h"
#include "fake/fake_arch.h"

/* The vGIC distributor is not linked: the cells only need its hooks. */
enum mv_status arch_vgic_cell_init(struct cell *c)
{
	(void)c;
	return MV_OK;
}
void arch_vgic_cell_reset(struct cell *c)
{
	(void)c;
}

enum { A, B, C, D, NCELLS }; /* D has no channel */
#define NCH 3u
#define RAM_IPA 0x80000000u
#define RAM_SIZE 0x10000u
#define IMAGE_SIZE 0x1000u
#define TABLE_BYTES (0x1000u + NCELLS * IMAGE_SIZE)
#define CHAN_BYTES 0x14000u /* room for the nine channels of the "too many" table */
#define GUARD 0xeeu

/* The microvisor's memory (table, then channel memory) and the cells' RAM, in this
 * order in one object so that the physical layout is known. */
static struct {
	_Alignas(4096) uint8_t table[TABLE_BYTES];
	uint8_t chan[CHAN_BYTES];
	uint8_t ram[NCELLS][RAM_SIZE];
} arena;

static struct mv_boot_header *hdr(void)
{
	return (struct mv_boot_header *)arena.table;
}
static struct mv_boot_channel *bch(void)
{
	return (struct mv_boot_channel *)(arena.table + hdr()->channels_offset);
}

static const struct mv_boot_channel ch_want[NCH] = {
	{ .name = "ab",
	  .cell = { A, B },
	  .ipa = { 0x90000000u, 0x90100000u },
	  .virq = { 40, 41 },
	  .size = 0x2000 },
	{ .name = "ba",
	  .cell = { B, A },
	  .ipa = { 0x90200000u, 0x90010000u },
	  .virq = { 42, 43 },
	  .size = 0x4000 },
	{ .name = "ac",
	  .cell = { A, C },
	  .ipa = { 0x90020000u, 0x90000000u },
	  .virq = { 44, 45 },
	  .size = 0x2000 },
};

/* A boot table with the cells A..D (all on CPU 0) and the channels above. */
static void build_table(void)
{
	memset(arena.table, 0, sizeof(arena.table));
	struct mv_boot_header *h = hdr();
	struct mv_boot_cell *bc = (void *)(arena.table + 128);
	struct mv_boot_region *r = (void *)(arena.table + 640);
	/* The last image is short: the channels start at the next page after total_size. */
	*h = (struct mv_boot_header){ .magic = MV_BOOT_MAGIC,
				      .version = MV_BOOT_VERSION,
				      .header_size = sizeof(*h),
				      .total_size = TABLE_BYTES - 0x800u,
				      .hyp_mem_base = 0x40000000u,
				      .num_pcpus = 1,
				      .num_cells = NCELLS,
				      .cells_offset = 128,
				      .num_regions = NCELLS,
				      .regions_offset = 640,
				      .num_channels = NCH,
				      .channels_offset = 768,
				      .vdevs_offset = 1536,
				      .irqs_offset = 2048 };
	h->hyp_mem_size = arch_virt_to_phys(arena.ram) - h->hyp_mem_base;
	static const char *const names[NCELLS] = { "a", "b", "c", "d" };
	for (uint32_t i = 0; i < NCELLS; i++) {
		strcpy(bc[i].name, names[i]);
		bc[i].image_offset = 0x1000u + i * IMAGE_SIZE;
		bc[i].image_size = i == NCELLS - 1 ? IMAGE_SIZE - 0x800u : IMAGE_SIZE;
		bc[i].load_ipa = bc[i].entry_ipa = RAM_IPA;
		bc[i].first_region = i;
		bc[i].num_regions = 1;
		bc[i].num_vcpus = 1;
		bc[i].priority = 10 - i;
		bc[i].time_slice_us = 1000;
		r[i] = (struct mv_boot_region){ RAM_IPA, arch_virt_to_phys(arena.ram[i]), RAM_SIZE,
						MV_REGION_RAM };
	}
	memcpy(bch(), ch_want, sizeof(ch_want));
}

static uint32_t free_pa(void)
{
	return arch_virt_to_phys(arena.table) + hdr()->total_size;
}

static struct vcpu *vcpu_of(uint32_t cell)
{
	return &cells[cell].vcpus[0];
}

static struct smccc_result call(uint32_t cell, uint32_t fid, uint32_t a1)
{
	struct vcpu *v = vcpu_of(cell);
	fake.pcpu = v->pcpu;
	struct smccc_args a = { { fid, a1, 0x11111111u, 0x22222222u, 0x33333333u, 0, 0 } };
	return hypercall_dispatch(v, &a);
}

static bool all_zero_but(struct smccc_result r, int32_t st)
{
	return (int32_t)r.r[0] == st && r.r[1] == 0 && r.r[2] == 0 && r.r[3] == 0;
}

/* ---- Panics of channels_create (tables boot_table_check refuses), in child processes. */

static int variant;

static int create_variant(void)
{
	build_table();
	struct mv_boot_header *h = hdr();
	uint32_t fpa = free_pa();
	switch (variant) {
	case 0: /* microvisor memory ends inside the last channel */
		h->hyp_mem_size = fpa + 0x1000u + 0x7000u - h->hyp_mem_base;
		break;
	case 1: /* the free memory starts past the end of the microvisor's memory */
		h->hyp_mem_size = 0x1000u;
		break;
	case 2: /* nine channels between a and b: more than a cell's eight ends */
		h->num_channels = 9;
		for (uint32_t i = 0; i < 9; i++)
			bch()[i] = (struct mv_boot_channel){ .name = "many",
							     .cell = { A, B },
							     .ipa = { 0x90000000u + i * 0x2000u,
								      0x90000000u + i * 0x2000u },
							     .virq = { 40, 41 },
							     .size = 0x2000 };
		break;
	case 3: /* the end in c overlaps c's RAM: the stage-2 map fails */
		bch()[2].ipa[1] = RAM_IPA + 0x4000u;
		break;
	default: /* a valid table: returns */
		break;
	}
	cells_create(h);
	channels_create(h, fpa);
	return 0;
}

static void test_create_panics(void)
{
	static const char *const want[] = { "channel ac: no room in microvisor memory",
					    "channel ab: no room in microvisor memory",
					    "cell a: more than 8 channels",
					    "channel ac: cannot map into c" };
	char out[4096];
	for (variant = 0; variant < 4; variant++) {
		int st = fake_run_child(create_variant, out, sizeof(out));
		CHECK(st == FAKE_HALTED);
		CHECK(strstr(out, "PANIC: cpu0: ") != NULL);
		CHECK(strstr(out, want[variant]) != NULL);
		if (st != FAKE_HALTED || !strstr(out, want[variant]))
			fprintf(stderr, "variant %d: status %d, output:\n%s\n", variant, st, out);
	}
	variant = 4; /* and the valid table does not panic */
	CHECK(fake_run_child(create_variant, out, sizeof(out)) == 0);
	CHECK(strstr(out, "PANIC") == NULL);
}

/* ---- The system of the remaining tests. */

static uint32_t chan_pa(uint32_t i)
{
	static const uint32_t off[NCH] = { 0, 0x2000, 0x6000 };
	return arch_virt_to_phys(arena.chan) + off[i];
}

static struct vcpu *on_cpu0(void)
{
	fake.pcpu = 0;
	return sched_exit_path(sched_of(0));
}

/* channels_create: page-aligned allocation after the table, in table order, zeroed,
 * linked to both cells in cell-local table order. */
static void test_create(void)
{
	CHECK(arch_virt_to_phys(arena.chan) == ((free_pa() + 0xfffu) & ~0xfffu));
	for (uint32_t i = 0; i < 0x8000u; i++)
		if (arena.chan[i] != 0) {
			CHECK(arena.chan[i] == 0);
			break;
		}
	for (uint32_t i = 0x8000u; i < CHAN_BYTES; i++)
		if (arena.chan[i] != GUARD) {
			CHECK(arena.chan[i] == GUARD); /* nothing past the last channel touched */
			break;
		}
	CHECK(cells[A].num_channels == 3 && cells[B].num_channels == 2);
	CHECK(cells[C].num_channels == 1 && cells[D].num_channels == 0);
	/* Cell-local numbering is table order. */
	CHECK(cells[A].channels[0]->boot == &bch()[0] && cells[A].channels[1]->boot == &bch()[1] &&
	      cells[A].channels[2]->boot == &bch()[2]);
	CHECK(cells[B].channels[0]->boot == &bch()[0] && cells[B].channels[1]->boot == &bch()[1]);
	CHECK(cells[C].channels[0]->boot == &bch()[2]);
	for (uint32_t i = 0; i < NCH; i++) {
		struct channel *ch = cells[A].channels[i];
		CHECK(ch->pa.bits == chan_pa(i));
		CHECK(ch->ends[0] == &cells[ch_want[i].cell[0]] &&
		      ch->ends[1] == &cells[ch_want[i].cell[1]]);
	}
	/* What a cell asks with CELL_INFO. */
	static const uint32_t n[NCELLS] = { 3, 2, 1, 0 };
	for (uint32_t c = 0; c < NCELLS; c++) {
		struct smccc_result r = call(c, MV_CALL_CELL_INFO, MV_INFO_NUM_CHANNELS);
		CHECK(r.r[0] == MV_OK && r.r[1] == n[c]);
	}
}

/* Each end sees the channel's pages at its IPA (normal RAM, read/write, level-3 pages);
 * nothing past it; no other cell sees it. */
static void test_stage2(void)
{
	uint64_t ram = lpae_stage2_attrs(MV_REGION_RAM);
	unsigned level;
	for (uint32_t i = 0; i < NCH; i++) {
		const struct mv_boot_channel *w = &ch_want[i];
		for (uint32_t e = 0; e < 2; e++) {
			const uint64_t *root = cells[w->cell[e]].vmmu.arch.root;
			for (uint32_t off = 0; off < w->size; off += 0x1000u) {
				uint64_t d = lpae_lookup(root, w->ipa[e] + off + 0x123u, &level);
				CHECK((d & LPAE_ADDR_MASK) == chan_pa(i) + off);
				CHECK(level == 3 && (d & LPAE_TYPE_MASK) == LPAE_PAGE);
				CHECK((d & ~(LPAE_ADDR_MASK | LPAE_TYPE_MASK)) == ram);
			}
			CHECK(lpae_lookup(root, w->ipa[e] + w->size, &level) == 0);
			CHECK(lpae_lookup(root, w->ipa[e] - 1u, &level) == 0);
		}
	}
	/* Hostile: d, an end of nothing, and b at a's and c's channel IPAs. */
	for (uint32_t i = 0; i < NCH; i++)
		for (uint32_t e = 0; e < 2; e++)
			CHECK(lpae_lookup(cells[D].vmmu.arch.root, ch_want[i].ipa[e], &level) == 0);
	CHECK(lpae_lookup(cells[B].vmmu.arch.root, 0x90000000u, &level) == 0);
	CHECK(lpae_lookup(cells[B].vmmu.arch.root, 0x90020000u, &level) == 0);
	CHECK(lpae_lookup(cells[C].vmmu.arch.root, 0x90100000u, &level) == 0);
	/* The same IPA in two cells is two channels: c's 0x90000000 is "ac", a's is "ab". */
	CHECK((lpae_lookup(cells[C].vmmu.arch.root, 0x90000000u, &level) & LPAE_ADDR_MASK) ==
	      chan_pa(2));
	CHECK((lpae_lookup(cells[A].vmmu.arch.root, 0x90000000u, &level) & LPAE_ADDR_MASK) ==
	      chan_pa(0));
	/* The cells' own RAM is still there. */
	CHECK((lpae_lookup(cells[A].vmmu.arch.root, RAM_IPA, &level) & LPAE_ADDR_MASK) ==
	      arch_virt_to_phys(arena.ram[A]));
}

/* CHANNEL_INFO: every field for every end; bad numbers refused with nothing leaked. */
static void test_info(void)
{
	static const struct {
		uint32_t cell, n, ch, end;
	} ends[] = { { A, 0, 0, 0 }, { A, 1, 1, 1 }, { A, 2, 2, 0 },
		     { B, 0, 0, 1 }, { B, 1, 1, 0 }, { C, 0, 2, 1 } };
	for (uint32_t i = 0; i < MV_ARRAY_SIZE(ends); i++) {
		const struct mv_boot_channel *w = &ch_want[ends[i].ch];
		uint32_t e = ends[i].end;
		struct smccc_result r = call(ends[i].cell, MV_CALL_CHANNEL_INFO, ends[i].n);
		CHECK(r.r[0] == MV_OK);
		CHECK(r.r[1] == w->ipa[e]);
		CHECK(r.r[2] == w->size);
		CHECK(MV_CHANNEL_INFO_VIRQ(r.r[3]) == w->virq[e]);
		CHECK(MV_CHANNEL_INFO_PEER(r.r[3]) == w->cell[1 - e]);
		CHECK(MV_CHANNEL_INFO_END(r.r[3]) == e);
		CHECK((r.r[3] & ~(0x3ffu | 0xff0000u | 0x80000000u)) == 0); /* reserved bits */
	}
	/* Hostile: one past the last, huge, negative, the sign bit, and any number in d. */
	static const uint32_t bad[] = { 3,           4,           8,           32,
					0x7fffffffu, 0x80000000u, 0xffffffffu, 0xfffffffdu };
	for (uint32_t i = 0; i < MV_ARRAY_SIZE(bad); i++)
		CHECK(all_zero_but(call(A, MV_CALL_CHANNEL_INFO, bad[i]), MV_E_INVALID_PARAMETERS));
	CHECK(all_zero_but(call(B, MV_CALL_CHANNEL_INFO, 2), MV_E_INVALID_PARAMETERS));
	CHECK(all_zero_but(call(C, MV_CALL_CHANNEL_INFO, 1), MV_E_INVALID_PARAMETERS));
	CHECK(all_zero_but(call(D, MV_CALL_CHANNEL_INFO, 0), MV_E_INVALID_PARAMETERS));
	CHECK(all_zero_but(call(D, MV_CALL_CHANNEL_INFO, 0xffffffffu), MV_E_INVALID_PARAMETERS));
}

/* NOTIFY from `cell` on its channel `n`: the status, and which cell got which vIRQ. */
static int32_t notify(uint32_t cell, uint32_t n)
{
	return (int32_t)call(cell, MV_CALL_CHANNEL_NOTIFY, n).r[0];
}

static bool raised(uint32_t before, uint32_t cell, uint32_t virq)
{
	return fake.virq_raises == before + 1 && fake.virq_cell == &cells[cell] &&
	       fake.virq_last == virq && cells[cell].arch.last_virq == virq;
}

static void test_notify(void)
{
	uint32_t n = fake.virq_raises;
	uint32_t b0 = cells[B].arch.virqs_raised;
	/* Each end rings the other end's doorbell, never its own. */
	CHECK(notify(A, 0) == MV_OK && raised(n, B, 41));
	CHECK(cells[B].arch.virqs_raised == b0 + 1 && cells[A].arch.virqs_raised == 0);
	CHECK(notify(B, 0) == MV_OK && raised(n + 1, A, 40));
	CHECK(notify(A, 1) == MV_OK && raised(n + 2, B, 42));
	CHECK(notify(B, 1) == MV_OK && raised(n + 3, A, 43));
	CHECK(notify(A, 2) == MV_OK && raised(n + 4, C, 45));
	CHECK(notify(C, 0) == MV_OK && raised(n + 5, A, 44));
	/* Every notify rings (coalescing is the vGIC's pending bit). */
	CHECK(notify(A, 0) == MV_OK && notify(A, 0) == MV_OK && raised(n + 7, B, 41));
	CHECK(cells[D].arch.virqs_raised == 0);

	/* Hostile: bad numbers raise nothing. */
	n = fake.virq_raises;
	static const uint32_t bad[] = { 3, 0x80000000u, 0xffffffffu, 0x7fffffffu, 8 };
	for (uint32_t i = 0; i < MV_ARRAY_SIZE(bad); i++)
		CHECK(all_zero_but(call(A, MV_CALL_CHANNEL_NOTIFY, bad[i]),
				   MV_E_INVALID_PARAMETERS));
	CHECK(notify(B, 2) == MV_E_INVALID_PARAMETERS);
	CHECK(notify(C, 1) == MV_E_INVALID_PARAMETERS);
	CHECK(notify(D, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(notify(D, 0xffffffffu) == MV_E_INVALID_PARAMETERS);
	CHECK(fake.virq_raises == n);
}

/* A stopping, stopped or restarting peer: DENIED and no vIRQ; the info stays readable. */
static void test_notify_peer_stopped(void)
{
	uint32_t n = fake.virq_raises;
	cell_stop(&cells[C], false);
	CHECK(cells[C].state == CELL_STOPPING);
	CHECK(notify(A, 2) == MV_E_DENIED);
	CHECK(all_zero_but(call(A, MV_CALL_CHANNEL_NOTIFY, 2), MV_E_DENIED));
	CHECK(fake.virq_raises == n);
	/* The stopping cell itself may still ring a running peer until its vCPU stops. */
	CHECK(notify(C, 0) == MV_OK && raised(n, A, 44));
	n = fake.virq_raises;
	on_cpu0(); /* c's vCPU acknowledges the stop */
	CHECK(cells[C].state == CELL_OFF);
	CHECK(notify(A, 2) == MV_E_DENIED && fake.virq_raises == n);
	struct smccc_result r = call(A, MV_CALL_CHANNEL_INFO, 2);
	CHECK(r.r[0] == MV_OK && r.r[1] == 0x90020000u && MV_CHANNEL_INFO_PEER(r.r[3]) == C);
	/* Other channels of a are unaffected. */
	CHECK(notify(A, 0) == MV_OK && raised(n, B, 41));

	/* A restarting peer: denied while it stops, rung again once it runs; it finds the
	 * channel memory as its peer left it, still mapped at the same place. */
	uint8_t *mem = arch_phys_to_virt(pa_init(chan_pa(0)));
	memset(mem, 0x5a, 0x2000);
	cell_stop(&cells[B], true);
	CHECK(cells[B].state == CELL_STOPPING);
	n = fake.virq_raises;
	CHECK(notify(A, 0) == MV_E_DENIED && notify(A, 1) == MV_E_DENIED);
	CHECK(fake.virq_raises == n);
	on_cpu0();
	CHECK(cells[B].state == CELL_RUNNING && cells[B].reset_count == 1);
	CHECK(notify(A, 0) == MV_OK && raised(n, B, 41));
	CHECK(mem[0] == 0x5a && mem[0x1fff] == 0x5a);
	unsigned level;
	CHECK((lpae_lookup(cells[B].vmmu.arch.root, 0x90100000u, &level) & LPAE_ADDR_MASK) ==
	      chan_pa(0));
	r = call(B, MV_CALL_CHANNEL_INFO, 0);
	CHECK(r.r[0] == MV_OK && r.r[1] == 0x90100000u && MV_CHANNEL_INFO_END(r.r[3]) == 1);
}

int main(void)
{
	fake.timer = UINT64_MAX;
	(void)arch_virt_to_phys(&arena); /* the fake's physical arena starts below it */
	test_create_panics();

	build_table();
	memset(arena.chan, GUARD, sizeof(arena.chan));
	sched_init(0);
	cells_create(hdr());
	channels_create(hdr(), free_pa());
	for (uint32_t i = 0; i < num_cells; i++)
		cell_start(&cells[i]);
	CHECK(on_cpu0() == vcpu_of(A)); /* loads a's image, then runs it */
	test_create();
	test_stage2();
	test_info();
	test_notify();
	test_notify_peer_stopped();
	return check_exit("test_channel");
}
