/* SPDX-License-Identifier: MIT */
/*
 * The hypercall fuzzer: FUZZ_HVC_CALLS calls (10^6 by default) with function IDs from every
 * SMCCC owner range (fast and yielding, 32 and 64-bit conventions), the implemented IDs and
 * fully random ones, and arguments biased to edge values and to addresses that matter (the
 * microvisor's memory, other cells' RAM, our own RAM, device pages, small IDs). After each
 * call it checks what docs/hypercalls.md promises: r4-r14 preserved, unknown IDs answered
 * with -1, the implemented calls answered as documented, our RAM canary intact.
 *
 * The sequence is a function of the printed seed alone (build option MV_FUZZ_SEED); the
 * progress lines print the PRNG state, which as a seed restarts the run at that point, and
 * FUZZ_TRACE_FROM (MV_FUZZ_TRACE_FROM) prints every call from that index on.
 *
 * Calls that would legitimately end this cell (PSCI CPU_OFF, SYSTEM_OFF, SYSTEM_RESET and
 * the suspends) are counted and skipped during the run; SYSTEM_RESET and SYSTEM_OFF are
 * made at the very end, with random arguments, as the cell's last act in each life.
 */
#include <cell/runtime.h>
#include <mv/ring.h>

#include "fuzz.h"
#include "fuzz_call.h"

#ifndef FUZZ_HVC_CALLS
#define FUZZ_HVC_CALLS 1000000u
#endif
#ifndef FUZZ_TRACE_FROM
#define FUZZ_TRACE_FROM 0xffffffffu
#endif

#define PROGRESS_EVERY (1u << 18)
#define FAILURES_SHOWN 32u
#define DEBUG_WRITE_BUDGET 32u /* valid DEBUG_WRITEs print; keep the log readable */
#define SEEN_SLOTS (1u << 21)  /* distinct-ID set: 8 MiB of our 16 MiB */
#define CANARY_WORDS 1024u

#define NOT_SUPPORTED 0xffffffffu
#define INVALID_PARAMETERS ((uint32_t)MV_E_INVALID_PARAMETERS)

enum conduit { VIA_HVC0, VIA_SMC0, VIA_HVC1, VIA_HVC_FFFF, NUM_CONDUITS };
static const char *const conduit_name[NUM_CONDUITS] = { "hvc #0", "smc #0", "hvc #1",
							"hvc #0xffff" };
static void (*const conduit_fn[NUM_CONDUITS])(struct fuzz_regs *) = {
	fuzz_call_hvc0, fuzz_call_smc0, fuzz_call_hvc1, fuzz_call_hvc_ffff
};

/* SMCCC owning entities (bits 29:24) as counted in the report. */
enum range {
	R_ARCH,
	R_CPU,
	R_SIP,
	R_OEM,
	R_STD,
	R_STD_HYP,
	R_VENDOR_HYP,
	R_RESERVED,
	R_TAPP,
	R_TOS,
	NUM_RANGES
};
static const char *const range_name[NUM_RANGES] = { "arch",       "cpu",      "sip",
						    "oem",        "std/psci", "std-hyp",
						    "vendor-hyp", "reserved", "trusted-app",
						    "trusted-os" };

/* What the cell learns about itself before fuzzing; answers must stay the same. */
static struct {
	uint32_t info[MV_INFO_COUNT];
	struct mv_result channel, vdev;
	uint32_t num_vdevs;
} self;

static struct {
	uint32_t calls, skipped, distinct, failures, debug_writes, checked_unknown, smc_undefined;
	uint32_t other_faults;
	uint32_t by_conduit[NUM_CONDUITS], by_range[NUM_RANGES], fast, yielding, conv64;
	bool print_dirty, seen_zero;
} st;

static uint32_t seen[SEEN_SLOTS];
static uint32_t canary[CANARY_WORDS];
static struct mv_ring victim_tx, victim_rx;

static uint32_t canary_word(uint32_t i)
{
	return i * 0x01000193u ^ 0xc0ffee00u;
}

static void note_distinct(uint32_t fid)
{
	if (fid == 0) {
		st.distinct += !st.seen_zero;
		st.seen_zero = true;
		return;
	}
	if (st.distinct >= SEEN_SLOTS / 8u * 7u)
		return; /* full enough: the count becomes a lower bound (larger MV_FUZZ_HVC_CALLS) */
	uint32_t h = (fid * 2654435761u) >> 11;
	while (seen[h] && seen[h] != fid)
		h = (h + 1u) & (SEEN_SLOTS - 1u);
	st.distinct += !seen[h];
	seen[h] = fid;
}

static enum range range_of(uint32_t fid)
{
	uint32_t owner = (fid >> 24) & 0x3fu;
	if (owner <= 6)
		return (enum range)owner;
	return owner < 48 ? R_RESERVED : owner < 50 ? R_TAPP : R_TOS;
}

/* The implemented IDs, their neighbours and the PSCI calls we may not make. */
static const uint32_t known_ids[] = {
	0x80000000u, 0x80000001u, 0x80000002u, 0x80008000u, 0x80007fffu, 0x84000000u, 0x84000001u,
	0x84000002u, 0x84000003u, 0x84000004u, 0x84000005u, 0x84000006u, 0x84000007u, 0x84000008u,
	0x84000009u, 0x8400000Au, 0x8400000Bu, 0x8400000Cu, 0x8400000Du, 0x8400000Eu, 0x8400000Fu,
	0x84000010u, 0x84000012u, 0xC4000001u, 0xC4000003u, 0xC4000004u, 0xC4000012u, 0x04000003u,
	0x86000000u, 0x86000001u, 0x86000002u, 0x86000003u, 0x86000004u, 0x86000005u, 0x86000006u,
	0x86000007u, 0x86000008u, 0x86000009u, 0x8600000Au, 0x8600FF00u, 0x8600FF01u, 0x8600FF03u,
	0x8600FFFFu, 0xC6000000u, 0xC6000001u, 0x06000000u, 0x86010000u, 0x86800001u, 0x8F000000u,
	0xBF00FF01u,
};
#define NUM_KNOWN (sizeof(known_ids) / sizeof(known_ids[0]))

static uint32_t random_fid(struct fuzz_rng *r)
{
	uint32_t pick = fuzz_below(r, 100);
	if (pick < 25)
		return fuzz_next(r);
	if (pick < 50)
		return known_ids[fuzz_below(r, NUM_KNOWN)];
	static const uint8_t owners[] = { 0, 1, 2,    3,    4,    5,    6, 6,
					  6, 4, 0x30, 0x31, 0x32, 0x3f, 7, 0x2f };
	uint32_t owner = owners[fuzz_below(r, sizeof(owners))];
	if (owner >= 0x32 && owner < 0x3f)
		owner += fuzz_below(r, 0x3fu - owner);
	uint32_t fid = owner << 24;
	fid |= fuzz_one_in(r, 7) ? 0 : 0x80000000u; /* fast, mostly */
	fid |= fuzz_one_in(r, 4) ? 0x40000000u : 0; /* SMC64/HVC64 convention */
	if (fuzz_one_in(r, 10))
		fid |= fuzz_next(r) & 0x00ff0000u; /* bits 23:16, which must be zero */
	uint32_t num = fuzz_below(r, 100);
	fid |= num < 40   ? fuzz_below(r, 32)
	       : num < 55 ? 0xff00u | fuzz_below(r, 256)
			  : fuzz_next(r) & 0xffffu;
	return fid;
}

/* An argument: edge values, addresses of interest, small IDs, random words. */
static uint32_t random_arg(struct fuzz_rng *r)
{
	switch (fuzz_below(r, 20)) {
	case 0:
		return 0;
	case 1:
		return 0xffffffffu;
	case 2:
		return 0x80000000u;
	case 3:
		return 0x7fffffffu;
	case 4:
	case 5:
		return fuzz_below(r, 65);
	case 6:
		return HOSTILE_HYP_MEM_PA + (fuzz_below(r, HOSTILE_HYP_MEM_SIZE) & ~3u);
	case 7:
		return HOSTILE_RAM_IPA + fuzz_below(r, HOSTILE_FUZZER_RAM_SIZE + 8u) - 4u;
	case 8:
		return (fuzz_one_in(r, 2) ? HOSTILE_VICTIM_PA : HOSTILE_HELPER_PA) +
		       fuzz_below(r, HOSTILE_CELL_RAM_SIZE);
	case 9:
		return HOSTILE_FUZZER_PA + fuzz_below(r, HOSTILE_FUZZER_RAM_SIZE);
	case 10: {
		static const uint32_t dev[] = { HOSTILE_GICD_IPA,    HOSTILE_GICV_IPA,
						HOSTILE_CHANNEL_IPA, HOSTILE_VDEV_IPA,
						HOSTILE_UART0_PA,    HOSTILE_GICH_PA,
						HOSTILE_GICV_PA,     0xfffff000u };
		return dev[fuzz_below(r, sizeof(dev) / sizeof(dev[0]))] + (fuzz_below(r, 4) << 2);
	}
	case 11:
		return known_ids[fuzz_below(r, NUM_KNOWN)];
	case 12:
		return 1u << fuzz_below(r, 32);
	case 13:
		return (uint32_t) - (int32_t)fuzz_below(r, 16);
	case 14:
		return fuzz_below(r, 256) << 8; /* MPIDR Aff1 */
	case 15:
		return (uint32_t)(uintptr_t)main | fuzz_below(r, 2);
	default:
		return fuzz_next(r);
	}
}

/* PSCI calls that end, suspend or reset the caller; made only at the very end. */
static bool terminal(uint32_t fid)
{
	switch (fid & ~0x40000000u) {
	case 0x84000001u: /* CPU_SUSPEND */
	case MV_PSCI_CPU_OFF:
	case MV_PSCI_SYSTEM_OFF:
	case MV_PSCI_SYSTEM_RESET:
	case 0x8400000Bu: /* CPU_FREEZE */
	case 0x8400000Cu: /* CPU_DEFAULT_SUSPEND */
	case 0x8400000Eu: /* SYSTEM_SUSPEND */
	case 0x84000012u: /* SYSTEM_RESET2 */
		return true;
	default:
		return false;
	}
}

/* What PSCI_FEATURES must call implemented (docs/hypercalls.md), as a list to search. */
static bool psci_implemented(uint32_t fid)
{
	static const uint32_t implemented[] = {
		MV_PSCI_VERSION,
		MV_PSCI_CPU_OFF,
		MV_PSCI_CPU_ON,
		MV_PSCI_AFFINITY_INFO,
		MV_PSCI_MIGRATE_INFO_TYPE,
		MV_PSCI_SYSTEM_OFF,
		MV_PSCI_SYSTEM_RESET,
		MV_PSCI_FEATURES,
		MV_SMCCC_VERSION, /* SMCCC 1.1 section 7.2: how callers discover SMCCC 1.1 */
	};
	for (uint32_t i = 0; i < sizeof(implemented) / sizeof(implemented[0]); i++)
		if (implemented[i] == fid)
			return true;
	return false;
}

/* A PSCI target MPIDR naming a vCPU of this one-vCPU cell (Aff1, Aff2 zero). */
static bool target_valid(uint32_t mpidr)
{
	return (mpidr & 0x00ffff00u) == 0 && (mpidr & 0xffu) < self.info[MV_INFO_NUM_VCPUS];
}

static bool in_own_ram(uint32_t ipa, uint32_t size)
{
	return ipa >= HOSTILE_RAM_IPA && ipa - HOSTILE_RAM_IPA <= HOSTILE_FUZZER_RAM_SIZE - size;
}

struct expect {
	uint32_t r0;
	bool check_r1;
	uint32_t r1;
	const char *name; /* of the implemented call, for the failure reason */
};

/* The documented answer to fid with arguments a[] (docs/hypercalls.md). */
static struct expect model(uint32_t fid, const uint32_t *a)
{
	struct expect e = { .r0 = NOT_SUPPORTED };
	switch (fid) {
	case MV_SMCCC_VERSION:
		e.name = "SMCCC_VERSION";
		e.r0 = 0x10001u;
		break;
	case MV_SMCCC_ARCH_FEATURES:
		e.name = "SMCCC_ARCH_FEATURES";
		e.r0 = a[1] == MV_SMCCC_VERSION || a[1] == MV_SMCCC_ARCH_FEATURES ||
				       a[1] == MV_SMCCC_ARCH_WORKAROUND_1
			       ? 0
			       : NOT_SUPPORTED;
		break;
	case MV_SMCCC_ARCH_WORKAROUND_1:
		e.name = "SMCCC_ARCH_WORKAROUND_1";
		e.r0 = 0;
		break;
	case MV_PSCI_VERSION:
		e.name = "PSCI_VERSION";
		e.r0 = 0x10000u;
		break;
	case MV_PSCI_CPU_ON:
		e.name = "PSCI CPU_ON";
		e.r0 = !target_valid(a[1])          ? INVALID_PARAMETERS
		       : !in_own_ram(a[2] & ~1u, 4) ? (uint32_t)MV_E_INVALID_ADDRESS
						    : (uint32_t)MV_E_ALREADY_ON;
		break;
	case MV_PSCI_AFFINITY_INFO:
		e.name = "PSCI AFFINITY_INFO";
		e.r0 = !target_valid(a[1]) || a[2] != 0 ? INVALID_PARAMETERS : MV_PSCI_AFFINITY_ON;
		break;
	case MV_PSCI_MIGRATE_INFO_TYPE:
		e.name = "PSCI MIGRATE_INFO_TYPE";
		e.r0 = 2;
		break;
	case MV_PSCI_FEATURES:
		e.name = "PSCI_FEATURES";
		e.r0 = psci_implemented(a[1]) ? 0 : NOT_SUPPORTED;
		break;
	case MV_CALL_ABI_VERSION:
		e.name = "ABI_VERSION";
		e.r0 = MV_ABI_VERSION;
		break;
	case MV_CALL_CELL_INFO:
		e.name = "CELL_INFO";
		e.r0 = a[1] < MV_INFO_COUNT ? 0 : INVALID_PARAMETERS;
		e.check_r1 = a[1] < MV_INFO_COUNT;
		e.r1 = e.check_r1 ? self.info[a[1]] : 0;
		break;
	case MV_CALL_DEBUG_WRITE:
		e.name = "DEBUG_WRITE";
		e.r0 = a[1] <= MV_DEBUG_WRITE_MAX ? a[1] : INVALID_PARAMETERS;
		break;
	case MV_CALL_YIELD:
		e.name = "YIELD";
		e.r0 = 0;
		break;
	case MV_CALL_CHANNEL_INFO:
		e.name = "CHANNEL_INFO";
		e.r0 = a[1] < self.info[MV_INFO_NUM_CHANNELS] ? 0 : INVALID_PARAMETERS;
		e.check_r1 = a[1] == 0 && e.r0 == 0;
		e.r1 = self.channel.r1;
		break;
	case MV_CALL_CHANNEL_NOTIFY:
		e.name = "CHANNEL_NOTIFY";
		e.r0 = a[1] < self.info[MV_INFO_NUM_CHANNELS] ? 0 : INVALID_PARAMETERS;
		break;
	case MV_CALL_VDEV_GET:
		e.name = "VDEV_GET";
		e.r0 = a[1] < self.num_vdevs ? (uint32_t)MV_E_NOT_PRESENT : INVALID_PARAMETERS;
		break;
	case MV_CALL_VDEV_COMPLETE:
		e.name = "VDEV_COMPLETE";
		e.r0 = a[1] >= self.num_vdevs || a[4] > 1 ? INVALID_PARAMETERS
							  : (uint32_t)MV_E_NOT_PRESENT;
		break;
	case MV_CALL_VDEV_INFO:
		e.name = "VDEV_INFO";
		e.r0 = a[1] < self.num_vdevs ? 0 : INVALID_PARAMETERS;
		e.check_r1 = e.r0 == 0;
		e.r1 = self.vdev.r1;
		break;
	case MV_CALL_CELL_NAME:
		e.name = "CELL_NAME";
		e.r0 = a[1] < self.info[MV_INFO_NUM_CELLS] && a[2] <= 2 ? 0 : INVALID_PARAMETERS;
		break;
	case MV_CALL_VENDOR_HYP_UID:
		e.name = "VENDOR_HYP_CALL_UID";
		e.r0 = 0x6d766973u;
		break;
	default:
		break;
	}
	return e;
}

static void flush_line(void)
{
	if (st.print_dirty)
		mv_hvc(MV_CALL_DEBUG_WRITE, 1, '\n', 0, 0, 0, 0);
	st.print_dirty = false;
}

static struct fuzz_reason reasons[FUZZ_MAX_REASONS];

static void report_failure(uint32_t n, enum conduit c, uint64_t state, const struct fuzz_regs *f,
			   const char *what)
{
	st.failures++;
	fuzz_count_reason(reasons, what, n);
	if (st.failures > FAILURES_SHOWN)
		return;
	flush_line();
	cell_printf("FAILED call %u (%s, state %llx): %s\n", n, conduit_name[c], state, what);
	cell_printf("  fid %08x args %08x %08x %08x %08x %08x %08x\n", f->in[0], f->in[1], f->in[2],
		    f->in[3], f->in[4], f->in[5], f->in[6]);
	cell_printf("  -> r0-r3 %08x %08x %08x %08x\n", f->out[0], f->out[1], f->out[2], f->out[3]);
}

/* "<call>: wrong r0" and the like, one static string per call and register. */
static const char *fail_reason(const char *name, bool r0)
{
	static char text[FUZZ_MAX_REASONS][48];
	static const char *names[FUZZ_MAX_REASONS];
	static bool which[FUZZ_MAX_REASONS];
	if (!name)
		return "unknown ID not answered with -1 (NOT_SUPPORTED)";
	for (uint32_t i = 0; i < FUZZ_MAX_REASONS; i++) {
		if (names[i] == name && which[i] == r0)
			return text[i];
		if (!names[i]) {
			names[i] = name;
			which[i] = r0;
			uint32_t n = 0;
			for (const char *c = name; *c && n < 32; c++)
				text[i][n++] = *c;
			for (const char *c = r0 ? ": wrong r0" : ": wrong r1"; *c; c++)
				text[i][n++] = *c;
			return text[i];
		}
	}
	return "wrong result for an implemented call";
}

/* The checks of one call; returns what failed, or NULL. */
static const char *check_call(enum conduit c, const struct fuzz_regs *f)
{
	for (uint32_t i = 4; i < 13; i++)
		if (f->out[i] != f->in[i])
			return "r4-r12 not preserved";
	if (f->out_lr != f->in_lr || f->out_sp != fuzz_stub_sp)
		return "SP or LR not preserved";
	if (c == VIA_HVC1 || c == VIA_HVC_FFFF) /* not SMCCC's HVC #0: every ID is unknown */
		return f->out[0] == NOT_SUPPORTED ? NULL : "HVC #imm != 0 not answered with -1";
	struct expect e = model(f->in[0], f->in);
	if (e.r0 == NOT_SUPPORTED)
		st.checked_unknown++;
	if (f->out[0] != e.r0 || (e.check_r1 && f->out[1] != e.r1))
		return fail_reason(e.name, f->out[0] != e.r0);
	return NULL;
}

/*
 * QEMU without EL3 (vexpress-a15,secure=off) makes SMC UNDEFINED instead of trapping it
 * (HCR.TSC applies only where EL3 exists); the hostile_fuzz_hvc_smp run has EL3. Anything
 * else that faults in this cell is a failure.
 */
static uint32_t on_fault(const struct cell_fault *f)
{
	uint32_t insn = *(const uint32_t *)(uintptr_t)f->pc;
	if (f->kind == CELL_FAULT_UNDEF && (insn & 0x0ff000f0u) == 0x01600070u)
		st.smc_undefined++;
	else
		st.other_faults++;
	return f->pc + 4;
}

static bool canary_intact(void)
{
	for (uint32_t i = 0; i < CANARY_WORDS; i++)
		if (canary[i] != canary_word(i))
			return false;
	return true;
}

static void fuzz_one(struct fuzz_rng *r, uint32_t n)
{
	struct fuzz_regs f;
	uint64_t state = r->s;
	uint32_t c = fuzz_below(r, 16);
	enum conduit via = c < 12 ? VIA_HVC0 : c < 14 ? VIA_SMC0 : c < 15 ? VIA_HVC1 : VIA_HVC_FFFF;
	f.in[0] = random_fid(r);
	for (uint32_t i = 1; i < 7; i++)
		f.in[i] = random_arg(r);
	for (uint32_t i = 7; i < 13; i++)
		f.in[i] = fuzz_next(r);
	f.in_lr = fuzz_next(r);
	if ((via == VIA_HVC0 || via == VIA_SMC0) && terminal(f.in[0])) {
		st.skipped++;
		return;
	}
	if ((via == VIA_HVC0 || via == VIA_SMC0) && f.in[0] == MV_CALL_DEBUG_WRITE &&
	    f.in[1] <= MV_DEBUG_WRITE_MAX) {
		if (st.debug_writes < DEBUG_WRITE_BUDGET) {
			st.debug_writes++;
			st.print_dirty = true;
		} else {
			f.in[1] = MV_DEBUG_WRITE_MAX + 1u +
				  (f.in[1] << 8); /* out of range: no output */
		}
	}
	if (n >= FUZZ_TRACE_FROM) {
		flush_line();
		cell_printf(
			"call %u (%s, state %llx): fid %08x args %08x %08x %08x %08x %08x %08x\n",
			n, conduit_name[via], state, f.in[0], f.in[1], f.in[2], f.in[3], f.in[4],
			f.in[5], f.in[6]);
	}
	uint32_t undefined = st.smc_undefined;
	conduit_fn[via](&f);
	if (st.smc_undefined != undefined)
		return; /* not a call: counted apart */
	st.calls++;
	st.by_conduit[via]++;
	st.by_range[range_of(f.in[0])]++;
	if (f.in[0] & 0x80000000u)
		st.fast++;
	else
		st.yielding++;
	st.conv64 += (f.in[0] >> 30) & 1u;
	note_distinct(f.in[0]);
	const char *fail = check_call(via, &f);
	if (!fail && (n & 1023u) == 0 && !canary_intact())
		fail = "RAM canary changed";
	if (fail) {
		report_failure(n, via, state, &f, fail);
		test_failed++;
	} else {
		test_passed++;
	}
}

static void learn_self(void)
{
	for (uint32_t i = 0; i < MV_INFO_COUNT; i++)
		self.info[i] = mv_cell_info(i);
	self.channel = mv_hvc(MV_CALL_CHANNEL_INFO, 0, 0, 0, 0, 0, 0);
	self.vdev = mv_hvc(MV_CALL_VDEV_INFO, 0, 0, 0, 0, 0, 0);
	self.num_vdevs = self.info[MV_INFO_NUM_VDEVS];
	CHECK(self.info[MV_INFO_NUM_VCPUS] == 1); /* the CPU_ON/AFFINITY_INFO model assumes it */
	CHECK(self.info[MV_INFO_NUM_CHANNELS] == 1 && self.channel.r0 == MV_OK);
	CHECK(self.channel.r1 == HOSTILE_CHANNEL_IPA);
}

static void tell_victim(void)
{
	static const char done[] = HOSTILE_DONE_RECORD;
	if (mv_ring_init_channel(&victim_tx, &victim_rx, (void *)(uintptr_t)self.channel.r1,
				 self.channel.r2, MV_CHANNEL_INFO_END(self.channel.r3)) != 0 ||
	    mv_ring_write(&victim_tx, done, sizeof(done) - 1) != 0) {
		CHECK(false && "the victim's channel works");
		return;
	}
	CHECK(mv_call3(MV_CALL_CHANNEL_NOTIFY, 0, 0, 0) == MV_OK);
}

/* The last call of a life: PSCI SYSTEM_RESET or SYSTEM_OFF with random registers. */
static void terminal_call(struct fuzz_rng *r, uint32_t fid)
{
	struct fuzz_regs f;
	f.in[0] = fid;
	for (uint32_t i = 1; i < 13; i++)
		f.in[i] = random_arg(r);
	f.in_lr = fuzz_next(r);
	fuzz_call_hvc0(&f);
	cell_printf("FAILED: PSCI %08x returned %08x\n", fid, f.out[0]);
}

int main(void)
{
	struct fuzz_rng r;
	fuzz_seed(&r, FUZZ_SEED);
	if (mv_cell_info(MV_INFO_RESET_COUNT) != 0) {
		/* Second life: the SYSTEM_RESET of the first one worked; now SYSTEM_OFF. */
		cell_printf(
			"restarted by SYSTEM_RESET (reset count %u), now SYSTEM_OFF with random arguments\n",
			mv_cell_info(MV_INFO_RESET_COUNT));
		CHECK(mv_cell_info(MV_INFO_RESET_COUNT) == 1);
		test_report();
		terminal_call(&r, MV_PSCI_SYSTEM_OFF);
		return 0;
	}
	for (uint32_t i = 0; i < CANARY_WORDS; i++)
		canary[i] = canary_word(i);
	cell_fault_hook = on_fault;
	learn_self();
	cell_printf("seed %llx, %u calls\n", (unsigned long long)FUZZ_SEED, FUZZ_HVC_CALLS);
	uint64_t start = timer_now();
	/* n counts attempts: skipped terminal IDs and undefined SMCs are not calls. */
	for (uint32_t n = 0; st.calls < FUZZ_HVC_CALLS; n++) {
		if (n && n % PROGRESS_EVERY == 0) {
			flush_line();
			cell_printf("progress: %u calls, state %llx\n", n, r.s);
		}
		fuzz_one(&r, n);
	}
	uint64_t ticks = timer_now() - start;
	flush_line();
	CHECK(canary_intact());
	uint64_t ms = ticks / (timer_freq() / 1000u);
	cell_printf("%u calls, %u distinct IDs, %u skipped as terminal\n", st.calls, st.distinct,
		    st.skipped);
	cell_printf("in %llu ticks, %llu ms of guest time: %llu calls/s\n", ticks, ms,
		    ms ? st.calls * 1000ull / ms : 0ull);
	cell_printf("conduits: hvc #0 %u, smc #0 %u, hvc #1 %u, hvc #0xffff %u\n",
		    st.by_conduit[VIA_HVC0], st.by_conduit[VIA_SMC0], st.by_conduit[VIA_HVC1],
		    st.by_conduit[VIA_HVC_FFFF]);
	cell_printf("fast %u, yielding %u, 64-bit convention %u\n", st.fast, st.yielding,
		    st.conv64);
	for (uint32_t i = 0; i < NUM_RANGES; i++)
		cell_printf("range %s: %u calls\n", range_name[i], st.by_range[i]);
	cell_printf("%u answers checked against -1, %u debug writes printed\n", st.checked_unknown,
		    st.debug_writes);
	for (uint32_t i = 0; i < FUZZ_MAX_REASONS && reasons[i].what; i++)
		cell_printf("failed %u times (first call %u): %s\n", reasons[i].count,
			    reasons[i].first, reasons[i].what);
	cell_printf("%u SMCs undefined (no EL3), %u other faults, %u failed calls\n",
		    st.smc_undefined, st.other_faults, st.failures);
	CHECK(st.other_faults == 0);
	tell_victim();
	test_report();
	terminal_call(&r, MV_PSCI_SYSTEM_RESET);
	return 0;
}
