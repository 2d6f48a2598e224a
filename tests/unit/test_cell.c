/* SPDX-License-Identifier: MIT */
/* Unit test of the cell life cycle and PSCI (microvisor/src/cell.c, psci.c, hypercall.c
 * with vcpu/src) on the fake arch, two physical CPUs played in turn: the CPU_ON/reset race,
 * budgets across restarts, restarts handled at once, chunked image loads, CPU_OFF of the
 * last vCPU, SGI coalescing, the console line buffer and DEBUG_WRITE with a console cell. */
#include <string.h>

#include <arch/atomic.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/hypercall.h>
#include <microvisor/log.h>
#include <vcpu/vcpu.h>

#include "check.h"
#include "fake/fake_arch.h"

/* The vGIC and vdevs are not linked: the life cycle only needs their reset hooks. */
enum mv_status arch_vgic_cell_init(struct cell *c)
{
	(void)c;
	return MV_OK;
}
void arch_vgic_cell_reset(struct cell *c)
{
	c->arch.virqs_raised = 0;
}
void vdev_provider_stopped(struct cell *c)
{
	(void)c;
}
void vdev_cancel(struct vcpu *v)
{
	(void)v;
}
bool vdev_timeout(struct vcpu *v)
{
	(void)v;
	return true;
}
#define STUB(name)                                                           \
	struct smccc_result name(struct vcpu *v, const struct smccc_args *a) \
	{                                                                    \
		(void)v;                                                     \
		(void)a;                                                     \
		return smccc_status(MV_E_NOT_SUPPORTED);                     \
	}
STUB(hc_channel_info)
STUB(hc_channel_notify)
STUB(hc_vdev_get)
STUB(hc_vdev_complete)
STUB(hc_vdev_info)

#define RAM_IPA 0x80000000u
#define RAM_SIZE 0x10000u
#define IMAGE_SIZE (40u * 1024u) /* several load chunks of CONFIG_CELL_LOAD_CHUNK */

/* The boot table: header, cells, regions, then the images (4 KiB aligned). */
static _Alignas(4096) uint8_t table[4096 + 3 * IMAGE_SIZE];
static _Alignas(4096) uint8_t ram[3][RAM_SIZE];

enum { SMP, HOG, LOW }; /* the cells of the test system */

static struct mv_boot_header *build_table(void)
{
	struct mv_boot_header *h = (void *)table;
	struct mv_boot_cell *bc = (void *)(table + 256);
	struct mv_boot_region *r = (void *)(table + 1024);
	memset(table, 0, sizeof(table));
	h->num_cells = 3;
	h->cells_offset = 256;
	h->num_regions = 3;
	h->regions_offset = 1024;
	h->num_pcpus = 2;
	static const char *const names[] = { "smp", "hog", "low" };
	for (uint32_t i = 0; i < 3; i++) {
		strcpy(bc[i].name, names[i]);
		bc[i].image_offset = 4096 + i * IMAGE_SIZE;
		bc[i].image_size = IMAGE_SIZE;
		memset(table + bc[i].image_offset, 0xa0 + (int)i, IMAGE_SIZE);
		bc[i].load_ipa = RAM_IPA;
		bc[i].entry_ipa = RAM_IPA;
		bc[i].first_region = i;
		bc[i].num_regions = 1;
		bc[i].num_vcpus = 1;
		bc[i].time_slice_us = 1000;
		r[i] = (struct mv_boot_region){ RAM_IPA, arch_virt_to_phys(ram[i]), RAM_SIZE,
						MV_REGION_RAM };
	}
	bc[SMP].num_vcpus = 2; /* vCPU 0 on CPU 0, vCPU 1 on CPU 1 */
	bc[SMP].vcpu_pcpu[1] = 1;
	bc[SMP].priority = 10;
	bc[HOG].priority = 30; /* 1 ms per 10 ms */
	bc[HOG].budget_us = 1000;
	bc[HOG].period_us = 10000;
	bc[LOW].priority = 5; /* a vCPU on each CPU, so that no CPU idles in the test */
	bc[LOW].num_vcpus = 2;
	bc[LOW].vcpu_pcpu[1] = 1;
	return h;
}

static struct vcpu *on_cpu(unsigned pcpu)
{
	fake.pcpu = pcpu;
	return sched_exit_path(sched_of(pcpu));
}

/* A hypercall of `v` (current on its CPU): the SMCCC registers in, r0 out. */
static int32_t call(struct vcpu *v, uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3)
{
	fake.pcpu = v->pcpu;
	struct smccc_args a = { { fid, a1, a2, a3, 0, 0, 0 } };
	struct smccc_result res = hypercall_dispatch(v, &a);
	v->arch.regs.r[0] = res.r[0];
	return (int32_t)res.r[0];
}

static void test_boot_loads_in_chunks(void)
{
	fake.irq_polls = 0;
	struct vcpu *v = on_cpu(0);
	/* The highest priority cell of CPU 0 loaded first, a chunk per step, interrupts
	 * polled between chunks. */
	CHECK(v == &cells[HOG].vcpus[0]);
	CHECK(fake.irq_polls >= IMAGE_SIZE / CONFIG_CELL_LOAD_CHUNK);
	CHECK(ram[HOG][0] == 0xa1 && ram[HOG][IMAGE_SIZE - 1] == 0xa1);
	CHECK(!v->loading && v->arch.regs.pc == RAM_IPA && v->arch.resets == 1);
}

/*
 * Finding 1 of the isolation audit: vCPU 0 resets the cell while vCPU 1 on the other CPU
 * turns vCPU 0 on again before handling its own stop. CPU_ON must be refused once the stop
 * began, and the restart must find every vCPU off (it used to panic).
 */
static void test_cpu_on_races_reset(void)
{
	struct cell *c = &cells[SMP];
	struct vcpu *v0 = &c->vcpus[0], *v1 = &c->vcpus[1];
	/* CPU 0 runs the hog until it is throttled, then the SMP cell. */
	for (int i = 0; i < 8 && on_cpu(0) != v0; i++) {
		fake.now += 1000;
		sched_of(0)->pending |= SCHED_PENDING_RESCHED;
	}
	CHECK(sched_of(0)->current == v0);
	CHECK(call(v0, MV_PSCI_CPU_ON, 1, RAM_IPA, 7) == MV_OK);
	CHECK(on_cpu(1) == v1 && v1->arch.regs.r[0] == 7);

	call(v0, MV_PSCI_SYSTEM_RESET, 0, 0, 0);
	CHECK(c->state == CELL_STOPPING);
	on_cpu(0); /* vCPU 0 acknowledges its stop */
	CHECK(v0->state == VCPU_OFF);
	CHECK(call(v1, MV_PSCI_CPU_ON, 0, RAM_IPA, 0) == MV_E_DENIED);
	CHECK(v0->state == VCPU_OFF);
	on_cpu(1); /* vCPU 1's stop is the last: the cell restarts, vCPU 0 first */
	CHECK(c->state == CELL_RUNNING && c->reset_count == 1);
	CHECK(v0->state == VCPU_ON_PENDING && v1->state == VCPU_OFF);
	for (int i = 0; i < 8 && sched_of(0)->current != v0; i++) {
		fake.now += 1000;
		on_cpu(0);
	}
	CHECK(sched_of(0)->current == v0 && v0->arch.regs.r[0] == 0);
}

/*
 * Finding 3: a cell at priority 30 with 1 ms per 10 ms that resets itself every 0.8 ms
 * must not take more than its budget from the priority-5 cell on the same CPU. A start
 * never refills the budget, and the time run before each reset is charged.
 */
static void test_reset_does_not_refill_budget(void)
{
	struct vcpu *hog = &cells[HOG].vcpus[0];
	uint64_t start = fake.now, hog_time = 0;
	while (fake.now - start < 200000) {
		struct vcpu *v = on_cpu(0);
		if (v == hog) {
			uint64_t slice = fake.timer - fake.now < 800 ? fake.timer - fake.now : 800;
			fake.now += slice;
			hog_time += slice;
			call(hog, MV_PSCI_SYSTEM_RESET, 0, 0, 0);
		} else {
			fake.now = fake.timer;
			sched_of(0)->pending |= SCHED_PENDING_RESCHED;
		}
	}
	/* At most 1 ms per 10 ms period, plus the partial period at each end. */
	CHECK(hog_time <= 200000 / 10 + 2000);
	CHECK(cells[HOG].reset_count > 10);
}

/* Finding 7: the restart posted while this CPU handles requests runs at once, not at the
 * CPU's next exit (the low-priority cell kept the CPU for its slice). */
static void test_restart_runs_at_once(void)
{
	struct vcpu *hog = &cells[HOG].vcpus[0];
	fake.now += 20000; /* a fresh period: the hog has budget */
	sched_of(0)->pending |= SCHED_PENDING_RESCHED;
	CHECK(on_cpu(0) == hog);
	hog->hazards |= VCPU_HZ_MMIO; /* a completion that arrived just before the stop */
	call(hog, MV_PSCI_SYSTEM_RESET, 0, 0, 0);
	CHECK(on_cpu(0) == hog);
	/* Finding 13: nothing of the last life is applied to the new one. */
	CHECK(!(hog->hazards & VCPU_HZ_MMIO));
}

/* Finding 21: a cell whose every vCPU turned itself off is stopped, not left running. */
static void test_last_cpu_off_stops_cell(void)
{
	struct cell *c = &cells[SMP];
	for (int i = 0; i < 50 && !(sched_of(0)->current == &c->vcpus[0]); i++) {
		fake.now += 1000;
		sched_of(0)->pending |= SCHED_PENDING_RESCHED;
		on_cpu(0);
	}
	CHECK(sched_of(0)->current == &c->vcpus[0]);
	call(&c->vcpus[0], MV_PSCI_CPU_OFF, 0, 0, 0);
	CHECK(c->state == CELL_STOPPING);
	on_cpu(0);
	on_cpu(1);
	CHECK(c->state == CELL_OFF);
	CHECK(call(&cells[LOW].vcpus[0], MV_PSCI_CPU_ON, 0, RAM_IPA, 0) == MV_E_ALREADY_ON);
}

/* Finding 5: a request already posted and not yet handled sends no second SGI. */
static void test_kicks_coalesce(void)
{
	struct vcpu *v1 = &cells[SMP].vcpus[1];
	fake.pcpu = 0;
	sched_of(1)->pending = 0;
	uint32_t before = fake.ipis[1];
	for (int i = 0; i < 100; i++)
		vcpu_kick(v1);
	CHECK(fake.ipis[1] == before + 1);
	fake.pcpu = 1;
	on_cpu(1); /* handled: the next kick interrupts again */
	fake.pcpu = 0;
	vcpu_kick(v1);
	CHECK(fake.ipis[1] == before + 2);
}

/* A kick on the vCPU's own CPU wakes it there and then if it waits in WFI, and posts no
 * request (one that runs applies its hazards on entry anyway). A kick from another CPU
 * always posts. */
static void test_local_kick(void)
{
	struct vcpu *v1 = &cells[SMP].vcpus[1];
	fake.pcpu = 1;
	on_cpu(1);
	uint32_t state = v1->state;
	v1->state = VCPU_RUNNING;
	vcpu_kick(v1);
	CHECK(!(v1->hazards & VCPU_REQ_KICK) && !(sched_of(1)->pending & SCHED_PENDING_REQUESTS));
	v1->state = VCPU_WFI;
	vcpu_kick(v1);
	CHECK(v1->state == VCPU_READY && !(v1->hazards & VCPU_REQ_KICK));
	CHECK(sched_of(1)->pending & SCHED_PENDING_RESCHED);
	on_cpu(1);
	v1->state = VCPU_RUNNING;
	fake.pcpu = 0;
	vcpu_kick(v1);
	CHECK(v1->hazards & VCPU_REQ_KICK);
	fake.pcpu = 1;
	on_cpu(1);
	v1->state = state;
	fake.pcpu = 0;
}

/* Finding 27: a line that fills the buffer is printed without writing past it (UBSan's
 * bounds check aborts the test otherwise), and nothing is lost. */
static void test_console_line_fills(void)
{
	char bytes[300];
	memset(bytes, 'x', sizeof(bytes));
	cell_console_write(&cells[LOW], bytes, sizeof(bytes));
	CHECK(cells[LOW].line_len == sizeof(bytes) % (CELL_LINE_MAX - 1));
}

/* Findings 4 and 25: with a console cell HYP prints no guest bytes; SMCCC 1.1 discovery. */
static void test_debug_write_and_smccc(void)
{
	struct vcpu *low = &cells[LOW].vcpus[0];
	CHECK(call(low, MV_CALL_DEBUG_WRITE, 3, 0x0a6968u, 0) == 3);
	CHECK(call(low, MV_CALL_DEBUG_WRITE, 21, 0, 0) == MV_E_INVALID_PARAMETERS);
	log_quiet();
	CHECK(call(low, MV_CALL_DEBUG_WRITE, 3, 0x0a6968u, 0) == MV_E_DENIED);
	CHECK(call(low, MV_PSCI_FEATURES, MV_SMCCC_VERSION, 0, 0) == MV_OK);
	CHECK(call(low, MV_SMCCC_VERSION, 0, 0, 0) == 0x10001);
	CHECK(call(low, MV_SMCCC_ARCH_FEATURES, MV_SMCCC_ARCH_WORKAROUND_1, 0, 0) == MV_OK);
	CHECK(call(low, MV_SMCCC_ARCH_WORKAROUND_1, 0, 0, 0) == MV_OK);
	CHECK(call(low, MV_SMCCC_ARCH_FEATURES, 0x80008001u, 0, 0) == MV_E_NOT_SUPPORTED);
}

/* A full call: r1..r3 of the result too. */
static struct smccc_result call_full(struct vcpu *v, uint32_t fid, uint32_t a1, uint32_t a2)
{
	fake.pcpu = v->pcpu;
	struct smccc_args a = { { fid, a1, a2, 0, 0, 0, 0 } };
	return hypercall_dispatch(v, &a);
}

/* Every call's friendly answer and its hostile arguments (docs/hypercalls.md). */
static void test_hypercall_arguments(void)
{
	struct vcpu *v = &cells[LOW].vcpus[1];
	CHECK(call(v, MV_CALL_ABI_VERSION, 0, 0, 0) == (int32_t)MV_ABI_VERSION);
	static const uint32_t want[MV_INFO_COUNT] = { LOW, 3, 1, 2, 1, 0, 5, 0, 0 };
	for (uint32_t item = 0; item < MV_INFO_COUNT; item++) {
		struct smccc_result r = call_full(v, MV_CALL_CELL_INFO, item, 0);
		CHECK(r.r[0] == MV_OK && r.r[1] == want[item]);
	}
	CHECK(call(v, MV_CALL_CELL_INFO, MV_INFO_COUNT, 0, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(call(v, MV_CALL_CELL_INFO, 0xffffffffu, 0, 0) == MV_E_INVALID_PARAMETERS);
	struct smccc_result r = call_full(v, MV_CALL_CELL_NAME, HOG, 0);
	CHECK(r.r[0] == MV_OK && r.r[1] == 0x00676f68u && r.r[2] == 0 && r.r[3] == 0); /* "hog" */
	r = call_full(v, MV_CALL_CELL_NAME, HOG, 2);
	CHECK(r.r[0] == MV_OK && r.r[1] == 0 && r.r[3] == 0);
	CHECK(call(v, MV_CALL_CELL_NAME, 3, 0, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(call(v, MV_CALL_CELL_NAME, 0, 3, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(call(v, MV_CALL_CELL_NAME, 0xffffffffu, 0xffffffffu, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(call(v, MV_CALL_YIELD, 0, 0, 0) == MV_OK && sched_of(1)->slice_end == 0);
	r = call_full(v, MV_CALL_VENDOR_HYP_UID, 0, 0);
	CHECK(r.r[0] == 0x6d766973u && r.r[3] == 0x8e3b2f10u);
	/* Unknown IDs in every range, and the calls of the stubbed modules. */
	static const uint32_t unknown[] = { 0x86000000u | MV_CALL_COUNT,
					    0x8600fffeu,
					    0xc6000000u,
					    0x84000001u,
					    0x8400000bu,
					    0x80000002u,
					    0x80008001u,
					    0x00000000u,
					    0xffffffffu,
					    0x06000000u,
					    0xb0000000u };
	for (uint32_t i = 0; i < MV_ARRAY_SIZE(unknown); i++)
		CHECK(call(v, unknown[i], 1, 2, 3) == MV_E_NOT_SUPPORTED);
	CHECK(call(v, MV_CALL_CHANNEL_INFO, 0, 0, 0) == MV_E_NOT_SUPPORTED); /* the stub here */

	/* PSCI */
	CHECK(call(v, MV_PSCI_VERSION, 0, 0, 0) == 0x10000);
	CHECK(call(v, MV_PSCI_MIGRATE_INFO_TYPE, 0, 0, 0) == 2);
	CHECK(call(v, MV_PSCI_FEATURES, MV_PSCI_CPU_ON, 0, 0) == MV_OK);
	CHECK(call(v, MV_PSCI_FEATURES, 0x84000001u, 0, 0) == MV_E_NOT_SUPPORTED);
	CHECK(call(v, MV_PSCI_AFFINITY_INFO, 0, 0, 0) == MV_PSCI_AFFINITY_ON);
	CHECK(call(v, MV_PSCI_AFFINITY_INFO, 1, 0, 0) == MV_PSCI_AFFINITY_ON);
	CHECK(call(v, MV_PSCI_AFFINITY_INFO, 2, 0, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(call(v, MV_PSCI_AFFINITY_INFO, 0x100, 0, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(call(v, MV_PSCI_AFFINITY_INFO, 0, 1, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(call(v, MV_PSCI_CPU_ON, 0x80000001u, RAM_IPA, 0) == MV_E_ALREADY_ON); /* MT/U bits */
	CHECK(call(v, MV_PSCI_CPU_ON, 2, RAM_IPA, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(call(v, MV_PSCI_CPU_ON, 0x10000, RAM_IPA, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(call(v, MV_PSCI_CPU_ON, 0, RAM_IPA + RAM_SIZE, 0) == MV_E_INVALID_ADDRESS);
	CHECK(call(v, MV_PSCI_CPU_ON, 0, RAM_IPA - 4, 0) == MV_E_INVALID_ADDRESS);
	CHECK(call(v, MV_PSCI_CPU_ON, 0, 0xfffffffdu, 0) == MV_E_INVALID_ADDRESS);
	struct cell *smp = &cells[SMP]; /* stopped by the CPU_OFF test */
	CHECK(call(&smp->vcpus[1], MV_PSCI_AFFINITY_INFO, 0, 0, 0) == MV_PSCI_AFFINITY_OFF);
}

/* The formatter of log_printf: the conversions the microvisor uses. */
static void test_log_format(void)
{
	/* A NULL %s prints nothing; gcc's format check refuses one it can see (volatile). */
	const char *volatile none = NULL;
	log_printf("fmt: %d %d %u %x %08x %lu %llu %llx %c %s %s %% %p\n", -42, 7, 4000000000u,
		   0xbeefu, 0x12u, 5ul, 18446744073709551615ull, 0x123456789ull, 'z', "str", none,
		   (void *)0x1000);
	log_event("event %u\n", 1u); /* quiet by now: prints nothing */
}

int main(void)
{
	fake.timer = UINT64_MAX;
	sched_init(0);
	sched_init(1);
	cells_create(build_table());
	for (uint32_t i = 0; i < num_cells; i++)
		cell_start(&cells[i]);
	CHECK(call(&cells[LOW].vcpus[0], MV_PSCI_CPU_ON, 1, RAM_IPA, 0) == MV_OK);
	CHECK(call(&cells[LOW].vcpus[0], MV_PSCI_CPU_ON, 1, RAM_IPA, 0) == MV_E_ON_PENDING);
	CHECK(on_cpu(1) == &cells[LOW].vcpus[1]);
	test_boot_loads_in_chunks();
	test_cpu_on_races_reset();
	test_reset_does_not_refill_budget();
	test_restart_runs_at_once();
	test_last_cpu_off_stops_cell();
	test_kicks_coalesce();
	test_local_kick();
	test_console_line_fills();
	test_debug_write_and_smccc();
	test_hypercall_arguments();
	test_log_format();
	return check_exit("test_cell");
}
