/* SPDX-License-Identifier: MIT */
/* Unit test of vdevs (vdev/src/vdev.c) with the scheduler and cell life cycle on the fake
 * arch, four physical CPUs played in turn: a consumer's trapped access queued and its vCPU
 * blocked, the provider's VDEV_GET / VDEV_COMPLETE / VDEV_INFO through the dispatcher
 * (friendly and hostile side by side: every field, every error, stale, unknown, untaken and
 * foreign tags, completing twice), the completion reaching the consumer through its
 * requests and entry hazards, the timeout through the counter and the exit path (and its
 * race with a completion), a provider stopping with requests queued, a stopped provider,
 * a consumer stopped while it waits, and several consumers queued in order. */
#include <string.h>

#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/hypercall.h>
#include <microvisor/log.h>
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

/*
 * The system: "cons" (3 vCPUs on CPUs 0-2) uses vdevs of "prov" (CPU 3) and "prov2"
 * (CPU 3); "fill" (a vCPU on every CPU, lowest priority) keeps every CPU busy when the
 * others block, and is itself the consumer of a vdev of prov at the same IPA as cons's.
 */
enum { CONS, PROV, FILL, PROV2, NCELLS };
enum { VD_UART, VD_BLK, VD_AUX, VD_FUART, NVDEVS };
#define UART_IPA 0x1c090000u
#define BLK_IPA 0x1c0a0000u
#define AUX_IPA 0x1c0b0000u
#define RAM_IPA 0x80000000u
#define RAM_SIZE 0x10000u
#define IMAGE_SIZE 0x1000u
#define TABLE_BYTES (0x1000u + NCELLS * IMAGE_SIZE)
#define TIMEOUT ((uint64_t)CONFIG_VDEV_TIMEOUT_US) /* the fake counter ticks in us */

static struct {
	_Alignas(4096) uint8_t table[TABLE_BYTES];
	uint8_t ram[NCELLS][RAM_SIZE];
} arena;

static struct mv_boot_header *hdr(void)
{
	return (struct mv_boot_header *)arena.table;
}
static struct mv_boot_vdev *bvd(void)
{
	return (struct mv_boot_vdev *)(arena.table + hdr()->vdevs_offset);
}

static void build_table(void)
{
	memset(arena.table, 0, sizeof(arena.table));
	struct mv_boot_header *h = hdr();
	struct mv_boot_cell *bc = (void *)(arena.table + 128);
	struct mv_boot_region *r = (void *)(arena.table + 640);
	*h = (struct mv_boot_header){ .magic = MV_BOOT_MAGIC,
				      .version = MV_BOOT_VERSION,
				      .header_size = sizeof(*h),
				      .total_size = TABLE_BYTES,
				      .hyp_mem_base = 0x40000000u,
				      .num_pcpus = 4,
				      .num_cells = NCELLS,
				      .cells_offset = 128,
				      .num_regions = NCELLS,
				      .regions_offset = 640,
				      .channels_offset = 768,
				      .num_vdevs = NVDEVS,
				      .vdevs_offset = 1536,
				      .irqs_offset = 2048 };
	h->hyp_mem_size = arch_virt_to_phys(arena.ram) - h->hyp_mem_base;
	static const char *const names[NCELLS] = { "cons", "prov", "fill", "prov2" };
	static const uint32_t prio[NCELLS] = { 10, 10, 1, 5 };
	static const uint32_t nvcpus[NCELLS] = { 3, 1, 4, 1 };
	for (uint32_t i = 0; i < NCELLS; i++) {
		strcpy(bc[i].name, names[i]);
		bc[i].image_offset = 0x1000u + i * IMAGE_SIZE;
		bc[i].image_size = IMAGE_SIZE;
		bc[i].load_ipa = bc[i].entry_ipa = RAM_IPA;
		bc[i].first_region = i;
		bc[i].num_regions = 1;
		bc[i].num_vcpus = nvcpus[i];
		bc[i].priority = prio[i];
		bc[i].time_slice_us = 1000;
		r[i] = (struct mv_boot_region){ RAM_IPA, arch_virt_to_phys(arena.ram[i]), RAM_SIZE,
						MV_REGION_RAM };
	}
	bc[CONS].vcpu_pcpu[1] = 1;
	bc[CONS].vcpu_pcpu[2] = 2;
	bc[PROV].vcpu_pcpu[0] = 3;
	bc[PROV2].vcpu_pcpu[0] = 3;
	for (uint8_t n = 0; n < 4; n++)
		bc[FILL].vcpu_pcpu[n] = n;
	struct mv_boot_vdev *vd = bvd();
	vd[VD_UART] = (struct mv_boot_vdev){ .name = "uart",
					     .consumer = CONS,
					     .provider = PROV,
					     .ipa = UART_IPA,
					     .size = 0x1000,
					     .provider_virq = 40 };
	vd[VD_BLK] = (struct mv_boot_vdev){ .name = "blk",
					    .consumer = CONS,
					    .provider = PROV,
					    .ipa = BLK_IPA,
					    .size = 0x2000,
					    .provider_virq = 41 };
	vd[VD_AUX] = (struct mv_boot_vdev){ .name = "aux",
					    .consumer = CONS,
					    .provider = PROV2,
					    .ipa = AUX_IPA,
					    .size = 0x1000,
					    .provider_virq = 42 };
	vd[VD_FUART] = (struct mv_boot_vdev){ .name = "fuart",
					      .consumer = FILL,
					      .provider = PROV,
					      .ipa = UART_IPA,
					      .size = 0x1000,
					      .provider_virq = 43 };
}

/* prov's vdevs in its own numbering (table order), and prov2's. */
#define P_UART 0u
#define P_BLK 1u
#define P_FUART 2u
#define P2_AUX 0u

static struct vcpu *cons(uint32_t n)
{
	return &cells[CONS].vcpus[n];
}
static struct vcpu *prov(void)
{
	return &cells[PROV].vcpus[0];
}
static struct vcpu *prov2(void)
{
	return &cells[PROV2].vcpus[0];
}
static struct vcpu *fill(uint32_t n)
{
	return &cells[FILL].vcpus[n];
}

/* A guest exit on `pcpu`, as hyp_handle_guest_exit: the exit path, then the entry
 * hazards of the vCPU it resumes. */
static struct vcpu *on_cpu(unsigned pcpu)
{
	fake.pcpu = pcpu;
	struct vcpu *v = sched_exit_path(sched_of(pcpu));
	vcpu_enter_hazards(v);
	return v;
}

/* As on_cpu after an interrupt (the HYP timer): the decision is re-made. */
static struct vcpu *tick(unsigned pcpu)
{
	sched_hazard_resched(sched_of(pcpu));
	return on_cpu(pcpu);
}

static bool is_current(struct vcpu *v)
{
	return sched_of(v->pcpu)->current == v && v->state == VCPU_RUNNING;
}

/* A trapped access of `v` (current on its CPU), as the arch's handle_mmio builds it. */
static bool access(struct vcpu *v, uint32_t ipa, uint32_t size, bool write, uint32_t value)
{
	fake.pcpu = v->pcpu;
	struct vdev_request req = { .size = size,
				    .value = value,
				    .write = write,
				    .arch = { .far = 0xc0000000u | (ipa & 0xfffffu) } };
	return vdev_submit(v, ipa, &req);
}

static struct smccc_result hc(struct vcpu *v, uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3,
			      uint32_t a4)
{
	fake.pcpu = v->pcpu;
	struct smccc_args a = { { fid, a1, a2, a3, a4, 0x55555555u, 0x66666666u } };
	return hypercall_dispatch(v, &a);
}

static bool status_only(struct smccc_result r, int32_t st)
{
	return (int32_t)r.r[0] == st && r.r[1] == 0 && r.r[2] == 0 && r.r[3] == 0;
}

/* VDEV_GET by `p` of its vdev `n`: the tag, or 0 (the whole result in *out if asked). */
static uint32_t get(struct vcpu *p, uint32_t n, struct smccc_result *out)
{
	struct smccc_result r = hc(p, MV_CALL_VDEV_GET, n, 0x12345678u, 0x9abcdef0u, 0);
	if (out)
		*out = r;
	return r.r[0] == MV_OK ? r.r[1] : 0;
}

static int32_t complete(struct vcpu *p, uint32_t n, uint32_t tag, uint32_t value, uint32_t abort)
{
	return (int32_t)hc(p, MV_CALL_VDEV_COMPLETE, n, tag, value, abort).r[0];
}

/* The consumer `v` resumed on its CPU with its access finished as given. */
static bool resumed(struct vcpu *v, uint32_t completions, bool abort, uint32_t value)
{
	return is_current(v) && v->arch.mmio_completions == completions + 1 &&
	       fake.mmio_vcpu == v && (fake.mmio_abort != 0) == abort &&
	       (abort || fake.mmio_value == value) &&
	       !(v->hazards & (VCPU_HZ_MMIO | VCPU_REQ_VDEV_DONE));
}

/* ---- vdevs_create's panic: a table boot_table_check refuses, in a child. */

static int create_five(void)
{
	build_table();
	hdr()->num_vdevs = 5;
	for (uint32_t i = 0; i < 5; i++)
		bvd()[i] = (struct mv_boot_vdev){ .name = "v",
						  .consumer = CONS,
						  .provider = PROV,
						  .ipa = UART_IPA + i * 0x1000u,
						  .size = 0x1000,
						  .provider_virq = 40 };
	cells_create(hdr());
	vdevs_create(hdr());
	return 0;
}

static void test_create_panics(void)
{
	char out[4096];
	CHECK(fake_run_child(create_five, out, sizeof(out)) == FAKE_HALTED);
	CHECK(strstr(out, "PANIC: cpu0: ") && strstr(out, "cell prov: provides more than 4 vdevs"));
}

/* ---- The tests on the running system. */

static void test_create_and_info(void)
{
	CHECK(cells[PROV].num_vdevs == 3 && cells[PROV2].num_vdevs == 1);
	CHECK(cells[CONS].num_vdevs == 0 && cells[FILL].num_vdevs == 0);
	struct smccc_result r = hc(prov(), MV_CALL_CELL_INFO, MV_INFO_NUM_VDEVS, 0, 0, 0);
	CHECK(r.r[0] == MV_OK && r.r[1] == 3);
	r = hc(cons(0), MV_CALL_CELL_INFO, MV_INFO_NUM_VDEVS, 0, 0, 0);
	CHECK(r.r[0] == MV_OK && r.r[1] == 0);
	static const struct {
		struct vcpu *(*who)(void);
		uint32_t n, size, virq, consumer;
	} want[] = { { prov, P_UART, 0x1000, 40, CONS },
		     { prov, P_BLK, 0x2000, 41, CONS },
		     { prov, P_FUART, 0x1000, 43, FILL },
		     { prov2, P2_AUX, 0x1000, 42, CONS } };
	for (uint32_t i = 0; i < MV_ARRAY_SIZE(want); i++) {
		r = hc(want[i].who(), MV_CALL_VDEV_INFO, want[i].n, 0, 0, 0);
		CHECK(r.r[0] == MV_OK && r.r[1] == want[i].size && r.r[2] == want[i].virq &&
		      r.r[3] == want[i].consumer);
	}
	/* Hostile numbers, and cells that provide nothing. */
	static const uint32_t bad[] = { 3, 4, 0x7fffffffu, 0x80000000u, 0xffffffffu };
	for (uint32_t i = 0; i < MV_ARRAY_SIZE(bad); i++) {
		CHECK(status_only(hc(prov(), MV_CALL_VDEV_INFO, bad[i], 0, 0, 0),
				  MV_E_INVALID_PARAMETERS));
		CHECK(status_only(hc(prov(), MV_CALL_VDEV_GET, bad[i], 0, 0, 0),
				  MV_E_INVALID_PARAMETERS));
		CHECK(complete(prov(), bad[i], 0x100u, 0, 0) == MV_E_INVALID_PARAMETERS);
	}
	CHECK(status_only(hc(prov2(), MV_CALL_VDEV_INFO, 1, 0, 0, 0), MV_E_INVALID_PARAMETERS));
	CHECK(status_only(hc(cons(0), MV_CALL_VDEV_INFO, 0, 0, 0, 0), MV_E_INVALID_PARAMETERS));
	CHECK(status_only(hc(fill(0), MV_CALL_VDEV_INFO, 0, 0, 0, 0), MV_E_INVALID_PARAMETERS));
}

/* Accesses outside every window of the consumer are not vdev accesses. */
static void test_no_vdev(void)
{
	uint32_t raises = fake.virq_raises;
	static const uint32_t outside[] = { UART_IPA - 1u,     UART_IPA + 0x1000u,
					    BLK_IPA - 4u,      BLK_IPA + 0x2000u,
					    AUX_IPA + 0x1000u, 0,
					    0xfffffffcu,       RAM_IPA };
	for (uint32_t i = 0; i < MV_ARRAY_SIZE(outside); i++)
		CHECK(!access(cons(0), outside[i], 4, false, 0));
	/* prov is no consumer: cons's windows are nothing in its space. */
	CHECK(!access(prov(), UART_IPA, 4, true, 1));
	CHECK(is_current(cons(0)) && is_current(prov()) && fake.virq_raises == raises);
	CHECK(cons(0)->arch.mmio_completions == 0);
}

/* A store: queued, the consumer blocked with its timeout armed, the provider's vIRQ
 * raised; GET hands it out once with every field; COMPLETE's errors; the completion. */
static void test_store(void)
{
	struct vcpu *v = cons(0);
	uint32_t raises = fake.virq_raises, done = v->arch.mmio_completions;
	uint64_t t0 = fake.now;
	CHECK(access(v, UART_IPA + 0x10u, 4, true, 0xdeadbeefu));
	CHECK(v->state == VCPU_WAIT_VDEV && sched_of(0)->current == NULL);
	CHECK(v->wake_at == t0 + TIMEOUT);
	CHECK(fake.virq_raises == raises + 1 && fake.virq_cell == &cells[PROV] &&
	      fake.virq_last == 40);
	CHECK(v->vdev_req.vdev != NULL && v->vdev_req.offset == 0x10u);
	CHECK((v->vdev_req.tag & 0xffu) == v->id && (v->vdev_req.tag >> 8) != 0);
	CHECK(on_cpu(0) == fill(0));
	CHECK(fake.timer == t0 + TIMEOUT); /* the HYP timer is armed for the timeout */

	/* Hostile GETs: consumers, other vdevs, another provider. */
	CHECK(status_only(hc(v, MV_CALL_VDEV_GET, 0, 0, 0, 0), MV_E_INVALID_PARAMETERS));
	CHECK(status_only(hc(fill(0), MV_CALL_VDEV_GET, 0, 0, 0, 0), MV_E_INVALID_PARAMETERS));
	struct smccc_result r;
	CHECK(get(prov(), P_BLK, &r) == 0 && status_only(r, MV_E_NOT_PRESENT));
	CHECK(get(prov(), P_FUART, &r) == 0 && status_only(r, MV_E_NOT_PRESENT));
	CHECK(get(prov2(), P2_AUX, &r) == 0 && status_only(r, MV_E_NOT_PRESENT));

	uint32_t tag = get(prov(), P_UART, &r);
	CHECK(r.r[0] == MV_OK && tag == v->vdev_req.tag);
	CHECK(r.r[2] == MV_VDEV_ACCESS(0x10u, 4u, 1));
	CHECK(MV_VDEV_ACCESS_OFFSET(r.r[2]) == 0x10u && MV_VDEV_ACCESS_SIZE(r.r[2]) == 4u &&
	      MV_VDEV_ACCESS_WRITE(r.r[2]) == 1u);
	CHECK(r.r[3] == 0xdeadbeefu);
	/* Not handed out twice. */
	CHECK(get(prov(), P_UART, &r) == 0 && status_only(r, MV_E_NOT_PRESENT));

	/* Hostile COMPLETEs: nothing completes, nothing is posted. */
	CHECK(complete(prov(), P_UART, tag, 0, 2) == MV_E_INVALID_PARAMETERS);
	CHECK(complete(prov(), P_UART, tag, 0, 0xffffffffu) == MV_E_INVALID_PARAMETERS);
	CHECK(complete(prov(), P_UART, tag, 0, 0x100u) == MV_E_INVALID_PARAMETERS);
	CHECK(complete(prov(), 3, tag, 0, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(complete(prov(), P_UART, tag + 0x100u, 0, 0) == MV_E_NOT_PRESENT); /* unknown */
	CHECK(complete(prov(), P_UART, tag ^ 1u, 0, 0) == MV_E_NOT_PRESENT);     /* other vCPU */
	CHECK(complete(prov(), P_UART, 0, 0, 0) == MV_E_NOT_PRESENT);
	CHECK(complete(prov(), P_BLK, tag, 0, 0) == MV_E_NOT_PRESENT); /* another vdev */
	CHECK(complete(prov(), P_FUART, tag, 0, 0) == MV_E_NOT_PRESENT);
	CHECK(complete(prov2(), P2_AUX, tag, 0, 0) == MV_E_NOT_PRESENT); /* another provider */
	CHECK(complete(v, 0, tag, 0, 0) == MV_E_INVALID_PARAMETERS);     /* the consumer */
	CHECK(v->state == VCPU_WAIT_VDEV && !(v->hazards & VCPU_REQ_VDEV_DONE));

	uint32_t ipis = fake.ipis[0];
	CHECK(complete(prov(), P_UART, tag, 0x77u, 0) == MV_OK);
	CHECK((v->hazards & VCPU_REQ_VDEV_DONE) && v->state == VCPU_WAIT_VDEV);
	CHECK(fake.ipis[0] == ipis + 1);                                    /* from CPU 3 */
	CHECK(complete(prov(), P_UART, tag, 0x77u, 0) == MV_E_NOT_PRESENT); /* twice */
	CHECK(get(prov(), P_UART, NULL) == 0);

	/* Its CPU handles the request: VDEV_DONE, then the MMIO hazard on entry. */
	fake.pcpu = 0;
	CHECK(sched_exit_path(sched_of(0)) == v);
	CHECK(v->hazards & VCPU_HZ_MMIO);
	CHECK(!(v->hazards & VCPU_REQ_VDEV_DONE));
	CHECK(v->arch.mmio_completions == done);
	vcpu_enter_hazards(v);
	CHECK(resumed(v, done, false, 0x77u));
	CHECK(sched_of(0)->sleepers == NULL); /* its timeout is gone */
	CHECK(fake.timer == UINT64_MAX);
	/* Much later: no stale timeout fires. */
	fake.now += 2 * TIMEOUT;
	CHECK(tick(0) == v && v->arch.mmio_completions == done + 1);
}

/* A load: the provider sees no value (whatever the trap left in the request); the value
 * and the abort flag it completes with reach the consumer. */
static void test_load_and_abort(void)
{
	struct vcpu *v = cons(0);
	uint32_t done = v->arch.mmio_completions;
	CHECK(access(v, BLK_IPA + 0x1ffeu, 2, false, 0x5555u));
	CHECK(fake.virq_last == 41);
	on_cpu(0);
	struct smccc_result r;
	uint32_t tag = get(prov(), P_BLK, &r);
	CHECK(r.r[0] == MV_OK && r.r[2] == MV_VDEV_ACCESS(0x1ffeu, 2u, 0) && r.r[3] == 0);
	CHECK(MV_VDEV_ACCESS_WRITE(r.r[2]) == 0 && MV_VDEV_ACCESS_SIZE(r.r[2]) == 2u);
	CHECK(complete(prov(), P_BLK, tag, 0xabcd1234u, 0) == MV_OK);
	CHECK(on_cpu(0) == v && resumed(v, done, false, 0xabcd1234u));

	/* The provider makes it abort. */
	CHECK(access(v, BLK_IPA, 1, false, 0));
	on_cpu(0);
	tag = get(prov(), P_BLK, &r);
	CHECK(r.r[0] == MV_OK && r.r[2] == MV_VDEV_ACCESS(0u, 1u, 0));
	CHECK(complete(prov(), P_BLK, tag, 0x1u, 1) == MV_OK);
	CHECK(on_cpu(0) == v && resumed(v, done + 1, true, 0));
	CHECK(v->vdev_req.abort);

	/* The last byte of the 1 MiB-capable offset field: offset 0xfff of the uart. */
	CHECK(access(v, UART_IPA + 0xfffu, 1, true, 0xffu));
	on_cpu(0);
	tag = get(prov(), P_UART, &r);
	CHECK(r.r[2] == MV_VDEV_ACCESS(0xfffu, 1u, 1) && r.r[3] == 0xffu);
	CHECK(complete(prov(), P_UART, tag, 0, 0) == MV_OK);
	CHECK(on_cpu(0) == v && resumed(v, done + 2, false, 0));
	CHECK(!v->vdev_req.abort);
}

/* Tags: one not handed out yet cannot be completed (a guessed tag); one of an earlier
 * request of the same vCPU is stale. */
static void test_tags(void)
{
	struct vcpu *v = cons(0);
	uint32_t done = v->arch.mmio_completions;
	CHECK(access(v, UART_IPA + 4u, 4, false, 0));
	on_cpu(0);
	uint32_t guessed = v->vdev_req.tag;
	CHECK(complete(prov(), P_UART, guessed, 1, 0) == MV_E_NOT_PRESENT);
	CHECK(v->state == VCPU_WAIT_VDEV && !(v->hazards & VCPU_REQ_VDEV_DONE));
	uint32_t old = get(prov(), P_UART, NULL);
	CHECK(old == guessed);
	CHECK(complete(prov(), P_UART, old, 1, 0) == MV_OK);
	CHECK(on_cpu(0) == v && resumed(v, done, false, 1));

	CHECK(access(v, UART_IPA + 4u, 4, false, 0));
	on_cpu(0);
	uint32_t tag = get(prov(), P_UART, NULL);
	CHECK(tag != 0 && tag != old && (tag & 0xffu) == (old & 0xffu));
	CHECK(complete(prov(), P_UART, old, 2, 0) == MV_E_NOT_PRESENT); /* stale */
	CHECK(v->state == VCPU_WAIT_VDEV);
	CHECK(complete(prov(), P_UART, tag, 3, 0) == MV_OK);
	CHECK(on_cpu(0) == v && resumed(v, done + 1, false, 3));
}

/* Three consumers queued on one vdev: handed out oldest first; completed in any order
 * (middle, tail, head), the queue stays whole and a new request after a removed tail is
 * still found. */
static void test_queue_order(void)
{
	struct vcpu *v0 = cons(0), *v1 = cons(1), *v2 = cons(2);
	uint32_t d0 = v0->arch.mmio_completions, d1 = v1->arch.mmio_completions,
		 d2 = v2->arch.mmio_completions;
	CHECK(is_current(v1) && is_current(v2) && is_current(v0));
	CHECK(access(v1, UART_IPA + 1u, 1, true, 0x11u));
	CHECK(access(v2, UART_IPA + 2u, 1, true, 0x22u));
	CHECK(access(v0, UART_IPA + 3u, 1, true, 0x33u));
	CHECK(on_cpu(0) == fill(0) && on_cpu(1) == fill(1) && on_cpu(2) == fill(2));
	struct smccc_result r;
	uint32_t t1 = get(prov(), P_UART, &r);
	CHECK(t1 == v1->vdev_req.tag && r.r[2] == MV_VDEV_ACCESS(1u, 1u, 1) && r.r[3] == 0x11u);
	uint32_t t2 = get(prov(), P_UART, &r);
	CHECK(t2 == v2->vdev_req.tag && r.r[2] == MV_VDEV_ACCESS(2u, 1u, 1) && r.r[3] == 0x22u);
	uint32_t t0 = get(prov(), P_UART, &r);
	CHECK(t0 == v0->vdev_req.tag && r.r[2] == MV_VDEV_ACCESS(3u, 1u, 1) && r.r[3] == 0x33u);
	CHECK(get(prov(), P_UART, NULL) == 0);
	CHECK(t0 != t1 && t1 != t2 && t0 != t2);

	CHECK(complete(prov(), P_UART, t2, 0x2u, 0) == MV_OK); /* the middle */
	CHECK(on_cpu(2) == v2 && resumed(v2, d2, false, 0x2u));
	CHECK(complete(prov(), P_UART, t0, 0x0u, 0) == MV_OK); /* the tail */
	CHECK(on_cpu(0) == v0 && resumed(v0, d0, false, 0x0u));
	/* New requests after the removed tail, behind the remaining head. */
	CHECK(access(v0, UART_IPA + 8u, 4, true, 0x88u));
	CHECK(access(v2, UART_IPA + 12u, 4, true, 0xccu));
	on_cpu(0);
	on_cpu(2);
	uint32_t t0b = get(prov(), P_UART, &r);
	CHECK(t0b == v0->vdev_req.tag && r.r[3] == 0x88u);
	CHECK(complete(prov(), P_UART, t1, 0x1u, 0) == MV_OK); /* the head */
	CHECK(on_cpu(1) == v1 && resumed(v1, d1, false, 0x1u));
	uint32_t t2b = get(prov(), P_UART, &r);
	CHECK(t2b == v2->vdev_req.tag && r.r[3] == 0xccu);
	CHECK(complete(prov(), P_UART, t2b, 0, 0) == MV_OK);
	CHECK(complete(prov(), P_UART, t0b, 0, 0) == MV_OK);
	CHECK(on_cpu(0) == v0 && on_cpu(2) == v2);
	CHECK(get(prov(), P_UART, NULL) == 0);
	/* Requests on two vdevs of one provider are independent. */
	CHECK(access(v0, UART_IPA, 4, false, 0) && access(v1, BLK_IPA, 4, false, 0));
	on_cpu(0);
	on_cpu(1);
	uint32_t tb = get(prov(), P_BLK, NULL), tu = get(prov(), P_UART, NULL);
	CHECK(tb == v1->vdev_req.tag && tu == v0->vdev_req.tag);
	CHECK(complete(prov(), P_UART, tb, 0, 0) == MV_E_NOT_PRESENT);
	CHECK(complete(prov(), P_BLK, tb, 0xb, 0) == MV_OK);
	CHECK(complete(prov(), P_UART, tu, 0xa, 0) == MV_OK);
	CHECK(on_cpu(0) == v0 && fake.mmio_value == 0xa && on_cpu(1) == v1 &&
	      fake.mmio_value == 0xb);
}

/* No answer within CONFIG_VDEV_TIMEOUT_US: the access aborts when the HYP timer fires,
 * not a tick earlier; the request is withdrawn, so a late completion is NOT_PRESENT. */
static void test_timeout(void)
{
	struct vcpu *v = cons(1);
	uint32_t done = v->arch.mmio_completions;
	uint64_t t0 = fake.now;
	CHECK(access(v, UART_IPA, 4, false, 0));
	CHECK(on_cpu(1) == fill(1) && fake.timer == t0 + TIMEOUT);
	fake.now = t0 + TIMEOUT - 1u;
	CHECK(tick(1) == fill(1) && v->state == VCPU_WAIT_VDEV);
	fake.now = t0 + TIMEOUT;
	CHECK(tick(1) == v && resumed(v, done, true, 0));
	CHECK(get(prov(), P_UART, NULL) == 0); /* withdrawn */
	CHECK(complete(prov(), P_UART, v->vdev_req.tag, 0, 0) == MV_E_NOT_PRESENT);

	/* Taken by the provider, then timed out: its completion comes too late. */
	t0 = fake.now;
	CHECK(access(v, UART_IPA, 4, false, 0));
	on_cpu(1);
	uint32_t tag = get(prov(), P_UART, NULL);
	CHECK(tag != 0);
	fake.now = t0 + TIMEOUT + 5u;
	CHECK(tick(1) == v && resumed(v, done + 1, true, 0));
	CHECK(complete(prov(), P_UART, tag, 9, 0) == MV_E_NOT_PRESENT);
	CHECK(!(v->hazards & VCPU_REQ_VDEV_DONE));

	/* The completion races the timer: posted after this CPU's request round, before its
	 * timer check. The timeout then finds nothing queued and the completion stands. */
	t0 = fake.now;
	CHECK(access(v, UART_IPA, 4, false, 0));
	on_cpu(1);
	tag = get(prov(), P_UART, NULL);
	CHECK(complete(prov(), P_UART, tag, 0x600du, 0) == MV_OK);
	fake.pcpu = 1;
	sched_timer_expired(sched_of(1), t0 + TIMEOUT);
	CHECK(v->state == VCPU_WAIT_VDEV && !(v->hazards & VCPU_HZ_MMIO) && !v->vdev_req.abort);
	fake.now = t0 + TIMEOUT;
	CHECK(tick(1) == v && resumed(v, done + 2, false, 0x600du));

	/* A timeout on one CPU leaves the requests of the others queued. */
	struct vcpu *w = cons(2);
	t0 = fake.now;
	CHECK(access(w, UART_IPA + 0x20u, 4, false, 0));
	on_cpu(2);
	fake.now = t0 + TIMEOUT / 2;
	CHECK(access(v, UART_IPA + 0x24u, 4, false, 0));
	on_cpu(1);
	fake.now = t0 + TIMEOUT;
	CHECK(tick(2) == w && fake.mmio_abort && tick(1) == fill(1));
	struct smccc_result r;
	tag = get(prov(), P_UART, &r);
	CHECK(tag == v->vdev_req.tag && MV_VDEV_ACCESS_OFFSET(r.r[2]) == 0x24u);
	CHECK(complete(prov(), P_UART, tag, 4, 0) == MV_OK && on_cpu(1) == v && !fake.mmio_abort);
}

/* The provider stops with requests queued (taken or not): each aborts, the others'
 * requests stay; after its restart it has nothing of its last life. While it stops and
 * once it is off, a new access aborts at once without blocking. */
static void test_provider_stopped(void)
{
	struct vcpu *v0 = cons(0), *v1 = cons(1), *v2 = cons(2);
	uint32_t d0 = v0->arch.mmio_completions, d1 = v1->arch.mmio_completions;
	CHECK(access(v0, AUX_IPA, 4, false, 0) && access(v1, AUX_IPA + 4u, 4, true, 1));
	CHECK(access(v2, UART_IPA, 4, false, 0));
	on_cpu(0);
	on_cpu(1);
	on_cpu(2);
	uint32_t taken = get(prov2(), P2_AUX, NULL);
	CHECK(taken == v0->vdev_req.tag);
	cell_stop(&cells[PROV2], true);
	CHECK(cells[PROV2].state == CELL_STOPPING);
	CHECK(v0->state == VCPU_WAIT_VDEV && v1->state == VCPU_WAIT_VDEV); /* until it is off */
	on_cpu(3); /* its vCPU stops: the cell is off, its requests abort, it restarts */
	CHECK(cells[PROV2].state == CELL_RUNNING && cells[PROV2].reset_count == 1);
	CHECK((v0->hazards & VCPU_REQ_VDEV_DONE) && (v1->hazards & VCPU_REQ_VDEV_DONE));
	CHECK(!(v2->hazards & VCPU_REQ_VDEV_DONE));
	CHECK(on_cpu(0) == v0 && resumed(v0, d0, true, 0));
	CHECK(on_cpu(1) == v1 && resumed(v1, d1, true, 0));
	CHECK(v2->state == VCPU_WAIT_VDEV);
	CHECK(get(prov2(), P2_AUX, NULL) == 0);
	CHECK(complete(prov2(), P2_AUX, taken, 0, 0) == MV_E_NOT_PRESENT);
	/* prov's request is untouched. */
	uint32_t tag = get(prov(), P_UART, NULL);
	CHECK(tag == v2->vdev_req.tag && complete(prov(), P_UART, tag, 5, 0) == MV_OK);
	CHECK(on_cpu(2) == v2 && fake.mmio_value == 5 && !fake.mmio_abort);
	/* The restarted provider serves again. */
	CHECK(access(v0, AUX_IPA, 4, false, 0));
	on_cpu(0);
	tag = get(prov2(), P2_AUX, NULL);
	CHECK(tag != 0 && complete(prov2(), P2_AUX, tag, 6, 0) == MV_OK);
	CHECK(on_cpu(0) == v0 && resumed(v0, d0 + 1, false, 6));

	/* Stopping for good: an access aborts at once, the vCPU never blocks. */
	uint32_t raises = fake.virq_raises;
	cell_stop(&cells[PROV2], false);
	CHECK(cells[PROV2].state == CELL_STOPPING);
	CHECK(access(v0, AUX_IPA + 8u, 4, true, 7));
	CHECK(is_current(v0) && v0->arch.mmio_completions == d0 + 3 && fake.mmio_abort &&
	      fake.mmio_vcpu == v0);
	on_cpu(3);
	CHECK(cells[PROV2].state == CELL_OFF);
	CHECK(access(v0, AUX_IPA, 4, false, 0));
	CHECK(is_current(v0) && v0->arch.mmio_completions == d0 + 4 && fake.mmio_abort);
	CHECK(fake.virq_raises == raises && cells[PROV2].arch.virqs_raised > 0);
	CHECK(get(prov2(), P2_AUX, NULL) == 0);
	CHECK(on_cpu(0) == v0); /* nothing left pending for it */
	CHECK(v0->arch.mmio_completions == d0 + 4);
}

/* The consumer cell stops (restarts) while its vCPUs wait: their requests are withdrawn,
 * a taken tag is then NOT_PRESENT; a completion that arrived during the stop is dropped;
 * the new life's accesses work. */
static void test_consumer_stopped(void)
{
	struct vcpu *v0 = cons(0), *v1 = cons(1), *v2 = cons(2);
	CHECK(access(v0, UART_IPA, 4, false, 0) && access(v1, BLK_IPA, 4, false, 0) &&
	      access(v2, UART_IPA + 4u, 4, false, 0));
	on_cpu(0);
	on_cpu(1);
	on_cpu(2);
	uint32_t t0 = get(prov(), P_UART, NULL);
	CHECK(t0 == v0->vdev_req.tag);
	uint32_t d2 = v2->arch.mmio_completions;
	cell_stop(&cells[CONS], true);
	/* Completed during the stop, before v2's CPU handles it: accepted, then dropped. */
	uint32_t t2 = get(prov(), P_UART, NULL);
	CHECK(t2 == v2->vdev_req.tag && complete(prov(), P_UART, t2, 1, 0) == MV_OK);
	CHECK(on_cpu(2) == fill(2) && v2->state == VCPU_OFF);
	CHECK(v2->arch.mmio_completions == d2 && !(v2->hazards & VCPU_HZ_MMIO));
	on_cpu(1);
	CHECK(v1->state == VCPU_OFF);
	CHECK(get(prov(), P_BLK, NULL) == 0); /* v1's untaken request is gone */
	on_cpu(0);                            /* the last stop: cons restarts, vCPU 0 loading */
	CHECK(cells[CONS].reset_count == 1 && cells[CONS].state == CELL_RUNNING);
	CHECK(complete(prov(), P_UART, t0, 0, 0) == MV_E_NOT_PRESENT);
	CHECK(get(prov(), P_UART, NULL) == 0);
	CHECK(on_cpu(0) == v0 && !v0->loading);

	/* The new life: every vCPU's access is queued afresh. */
	CHECK(cell_vcpu_start(v1, RAM_IPA, 0) == MV_OK);
	CHECK(on_cpu(1) == v1);
	uint32_t d0 = v0->arch.mmio_completions;
	CHECK(access(v1, BLK_IPA + 4u, 4, false, 0) && access(v0, UART_IPA + 8u, 4, false, 0));
	on_cpu(0);
	on_cpu(1);
	uint32_t tb = get(prov(), P_BLK, NULL), tu = get(prov(), P_UART, NULL);
	CHECK(tb == v1->vdev_req.tag && tu == v0->vdev_req.tag && tu != t0);
	CHECK(complete(prov(), P_UART, tu, 0x42, 0) == MV_OK);
	CHECK(complete(prov(), P_BLK, tb, 0, 0) == MV_OK);
	CHECK(on_cpu(0) == v0 && resumed(v0, d0, false, 0x42));
	CHECK(on_cpu(1) == v1);
}

/* fill is the consumer of prov's other window at the same IPA as cons's uart. */
static void test_same_ipa_other_consumer(void)
{
	struct vcpu *f = fill(2);
	struct vcpu *v2 = cons(2);
	CHECK(v2->state == VCPU_OFF); /* since the restart: fill runs on CPU 2 */
	CHECK(on_cpu(2) == f);
	CHECK(access(f, UART_IPA + 0x40u, 4, true, 0xf00du));
	CHECK(fake.virq_last == 43 && f->state == VCPU_WAIT_VDEV);
	CHECK(get(prov(), P_UART, NULL) == 0);
	struct smccc_result r;
	uint32_t tag = get(prov(), P_FUART, &r);
	CHECK(tag == f->vdev_req.tag && r.r[3] == 0xf00du &&
	      MV_VDEV_ACCESS_OFFSET(r.r[2]) == 0x40u);
	CHECK(complete(prov(), P_UART, tag, 0, 0) == MV_E_NOT_PRESENT);
	CHECK(complete(prov(), P_FUART, tag, 0, 0) == MV_OK);
	CHECK(on_cpu(2) == f && fake.mmio_vcpu == f && !fake.mmio_abort);
}

int main(void)
{
	fake.timer = UINT64_MAX;
	(void)arch_virt_to_phys(&arena);
	test_create_panics();

	build_table();
	for (unsigned p = 0; p < 4; p++)
		sched_init(p);
	cells_create(hdr());
	vdevs_create(hdr());
	for (uint32_t i = 0; i < num_cells; i++)
		cell_start(&cells[i]);
	CHECK(on_cpu(0) == cons(0));
	CHECK(on_cpu(3) == prov());
	CHECK(cell_vcpu_start(cons(1), RAM_IPA, 0) == MV_OK);
	CHECK(cell_vcpu_start(cons(2), RAM_IPA, 0) == MV_OK);
	for (uint32_t n = 1; n < 4; n++)
		CHECK(cell_vcpu_start(fill(n), RAM_IPA, 0) == MV_OK);
	CHECK(on_cpu(1) == cons(1) && on_cpu(2) == cons(2));
	CHECK(on_cpu(0) == cons(0) && on_cpu(3) == prov());

	test_create_and_info();
	test_no_vdev();
	test_store();
	test_load_and_abort();
	test_tags();
	test_queue_order();
	test_timeout();
	test_provider_stopped();
	test_consumer_stopped();
	test_same_ipa_other_consumer();
	return check_exit("test_vdev");
}
