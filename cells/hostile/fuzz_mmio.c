/* SPDX-License-Identifier: MIT */
/*
 * The MMIO and trapped-instruction fuzzer. Each operation is one ARM instruction generated
 * into a page of its own and run with random registers and flags (fuzz_exec.S):
 *
 * - loads and stores of every form (LDR/STR/LDRB/STRB, LDRH/STRH/LDRSB/LDRSH, LDRD/STRD,
 *   LDM/STM, LDREX/STREX of every size, PLD; offset, pre-indexed with writeback,
 *   post-indexed and unprivileged forms; immediate and shifted-register offsets; random
 *   conditions) to the emulated distributor, the GICV page, the vdev window (served by
 *   vdev-mem), unmapped and foreign addresses and a scratch buffer of our own;
 * - MRC/MCR/MRRC/MCRR: reads of any coprocessor encoding, writes to those that trap to
 *   the microvisor (debug, PMU, implementation-defined, ACTLR, physical timer);
 * - SMC with random conditions, BX/BLX to non-executable or unmapped addresses;
 * and, between them, WFI/WFE storms and Thumb IT blocks around trapped instructions.
 *
 * Invariants checked: an access the microvisor emulates completes with the value the
 * distributor model or the vdev's memory says (sign and zero extension included); one it
 * cannot decode, and any access outside our regions, comes back as an abort with the right
 * DFAR; registers an instruction does not write are unchanged; a failed condition does
 * nothing; trapped PMU reads are zero; a trapped instruction in an IT block leaves the IT
 * state advanced. Aborts and UNDEFINED come back through our own vectors (on_fault).
 */
#include <cell/runtime.h>
#include <mv/ring.h>

#include "fuzz.h"

#ifndef FUZZ_MMIO_OPS
#define FUZZ_MMIO_OPS 100000u
#endif
#ifndef FUZZ_TRACE_FROM
#define FUZZ_TRACE_FROM 0xffffffffu
#endif

#define PROGRESS_EVERY (1u << 15)
#define STORM_EVERY 4096u
#define FAILURES_SHOWN 24u
#define VDEV_STOP_OFFSET 0xffcu /* fuzz.h: the word that stops vdev-mem; never fuzzed */
#define VDEV_STOP_MAGIC 0x53544f50u

/* struct fuzz_exec_regs of fuzz_exec.S. */
struct fuzz_exec_regs {
	uint32_t r[13];
	uint32_t lr;
	uint32_t cpsr;
};
_Static_assert(sizeof(struct fuzz_exec_regs) == 60, "fuzz_exec.S X_LR, X_CPSR");
void fuzz_exec(struct fuzz_exec_regs *x);
extern char fuzz_exec_return[];
uint32_t fuzz_exec_entry;

/* The generated code: ARM at slot[0], Thumb from slot[THUMB]; nothing else in the page, so
 * that rewriting it invalidates no other translated code in QEMU. */
#define THUMB 16u
static uint32_t slot[1024] __attribute__((aligned(4096)));
static uint32_t scratch[1024] __attribute__((aligned(64)));

enum target { T_GICD, T_GICV, T_VDEV, T_UNMAPPED, T_FOREIGN, T_SCRATCH, NUM_TARGETS };
static const char *const target_name[NUM_TARGETS] = { "gicd",     "gicv",    "vdev",
						      "unmapped", "foreign", "scratch" };

enum outcome { O_DONE, O_SKIPPED, O_DABT, O_ALIGN, O_UNDEF, O_PABT, O_NO_ACCESS, NUM_OUTCOMES };
static const char *const outcome_name[NUM_OUTCOMES] = { "completed",
							"condition failed",
							"aborted",
							"alignment faults",
							"undefined",
							"prefetch aborts",
							"no access (PLD, failed STREX)" };

static struct {
	uint32_t ops, failures, stray_faults;
	uint32_t by_target[NUM_TARGETS][NUM_OUTCOMES];
	uint32_t width[9];
	uint32_t cp_reads, cp_writes, cp_undef, pmu_reads, smc, smc_passed, branches;
	uint32_t wfi, wfe, it_blocks;
} st;
static struct fuzz_reason reasons[FUZZ_MAX_REASONS];

/* The fault the last operation took, filled in by on_fault. */
static volatile struct {
	uint32_t count, kind, far, fsr, pc;
} fault;

/* --- Models -------------------------------------------------------------------------- */

/* The emulated distributor as docs/hypercalls.md and the GICv2 spec describe it, for the
 * registers whose contents only this cell changes (one vCPU). */
static struct {
	uint32_t ctlr, enabled[4], cfg[8];
	uint8_t prio[128], targets[128];
} gicd;

static uint8_t vdev_mem[HOSTILE_VDEV_SIZE];

static void models_init(void)
{
	gicd.enabled[0] = 0xffffu; /* SGIs */
	for (uint32_t i = 0; i < 128; i++)
		gicd.targets[i] = 1;
}

/* Value a distributor load of `size` bytes at `off` returns; false: not predictable. */
static bool gicd_load(uint32_t off, uint32_t size, uint32_t *v)
{
	*v = 0;
	if ((off >= 0x400 && off < 0x480) || (off >= 0x800 && off < 0x880)) {
		uint32_t base = off & ~0x3ffu, n = off + size <= base + 128 ? size : 1;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t id = off - base + i;
			uint8_t b = base == 0x400 ? gicd.prio[id] : id < 32 ? 1 : gicd.targets[id];
			*v |= (uint32_t)b << (8 * i);
		}
		return true;
	}
	if (off >= 0xf10 && off < 0xf30)
		return false; /* SGI pending state */
	if (size != 4 || (off & 3u))
		return true; /* word-only registers: RAZ */
	if (off == 0x000)
		*v = gicd.ctlr;
	else if (off == 0x004)
		*v = 3; /* ITLinesNumber 3 (128 IDs), CPUNumber 0 */
	else if (off == 0x008)
		*v = 0x43b;
	else if (off == 0xfe8)
		*v = 0x20;
	else if ((off >= 0x100 && off < 0x110) || (off >= 0x180 && off < 0x190))
		*v = gicd.enabled[(off & 0x7fu) / 4u];
	else if ((off >= 0x200 && off < 0x210) || (off >= 0x280 && off < 0x290))
		return false; /* pending state moves into list registers */
	else if (off >= 0xc00 && off < 0xc20)
		*v = off == 0xc00 ? 0xaaaaaaaau : gicd.cfg[(off - 0xc00) / 4u];
	return true;
}

static void gicd_store(uint32_t off, uint32_t size, uint32_t v)
{
	if ((off >= 0x400 && off < 0x480) || (off >= 0x800 && off < 0x880)) {
		uint32_t base = off & ~0x3ffu, n = off + size <= base + 128 ? size : 1;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t id = off - base + i;
			uint8_t b = (uint8_t)(v >> (8 * i));
			if (base == 0x400)
				gicd.prio[id] = b & 0xf8u;
			else if (id >= 32)
				gicd.targets[id] = b;
		}
		return;
	}
	if (size != 4 || (off & 3u))
		return;
	if (off == 0x000)
		gicd.ctlr = v & 1u;
	else if (off >= 0x100 && off < 0x110)
		gicd.enabled[(off & 0x7fu) / 4u] |= off == 0x100 ? v & 0xffff0000u : v;
	else if (off >= 0x180 && off < 0x190)
		gicd.enabled[(off & 0x7fu) / 4u] &= ~(off == 0x180 ? v & 0xffff0000u : v);
	else if (off >= 0xc08 && off < 0xc20)
		gicd.cfg[(off - 0xc00) / 4u] = v;
}

static uint32_t extend(uint32_t v, uint32_t size, bool sign)
{
	if (size == 4)
		return v;
	uint32_t bits = 8u * size;
	v &= (1u << bits) - 1u;
	if (sign && (v >> (bits - 1u)) & 1u)
		v |= ~((1u << bits) - 1u);
	return v;
}

/* --- Targets ------------------------------------------------------------------------- */

static bool mapped(uint32_t a)
{
	return (a >= HOSTILE_RAM_IPA && a - HOSTILE_RAM_IPA < HOSTILE_FUZZER_RAM_SIZE) ||
	       (a >= HOSTILE_CHANNEL_IPA && a - HOSTILE_CHANNEL_IPA < HOSTILE_CHANNEL_SIZE) ||
	       (a >= HOSTILE_GICD_IPA && a - HOSTILE_GICD_IPA < 0x1000u) ||
	       (a >= HOSTILE_GICV_IPA && a - HOSTILE_GICV_IPA < HOSTILE_GICV_SIZE) ||
	       (a >= HOSTILE_VDEV_IPA && a - HOSTILE_VDEV_IPA < HOSTILE_VDEV_SIZE);
}

static const uint16_t gicd_offsets[] = { 0x000, 0x004, 0x008, 0x080, 0x100, 0x104, 0x10c,
					 0x110, 0x17c, 0x180, 0x184, 0x18c, 0x200, 0x204,
					 0x280, 0x284, 0x300, 0x380, 0x400, 0x41c, 0x420,
					 0x47c, 0x480, 0x800, 0x81c, 0x820, 0x87c, 0x880,
					 0xc00, 0xc04, 0xc08, 0xc1c, 0xc20, 0xf00, 0xf10,
					 0xf1c, 0xf20, 0xf2c, 0xf30, 0xfe8, 0xffc };

/* An address of the given class; the access is `size` bytes wide (span: LDM/LDRD). */
static uint32_t pick_address(struct fuzz_rng *r, enum target t, uint32_t size, uint32_t span)
{
	uint32_t a;
	switch (t) {
	case T_GICD:
		a = fuzz_one_in(r, 2) ? gicd_offsets[fuzz_below(r, sizeof(gicd_offsets) / 2u)] +
						fuzz_below(r, 4) * size
				      : fuzz_below(r, 0x1000);
		a = HOSTILE_GICD_IPA + (a & 0xfffu);
		break;
	case T_GICV:
		a = HOSTILE_GICV_IPA + fuzz_below(r, HOSTILE_GICV_SIZE);
		break;
	case T_VDEV:
		a = HOSTILE_VDEV_IPA + (fuzz_below(r, HOSTILE_VDEV_SIZE) & 0xff7u);
		break;
	case T_FOREIGN: {
		static const uint32_t bases[] = { HOSTILE_VICTIM_PA,
						  HOSTILE_HELPER_PA,
						  HOSTILE_FUZZER_PA,
						  HOSTILE_UART0_PA,
						  HOSTILE_SYSREGS_PA,
						  HOSTILE_GICH_PA,
						  HOSTILE_GICV_PA,
						  HOSTILE_RAM_IPA + HOSTILE_FUZZER_RAM_SIZE,
						  HOSTILE_CHANNEL_IPA + HOSTILE_CHANNEL_SIZE };
		a = bases[fuzz_below(r, sizeof(bases) / sizeof(bases[0]))] + fuzz_below(r, 0x2000);
		break;
	}
	case T_SCRATCH:
		a = (uint32_t)(uintptr_t)&scratch[256] + fuzz_below(r, 2048);
		break;
	case T_UNMAPPED:
	default:
		do
			a = fuzz_next(r);
		while (mapped(a) || mapped(a + span) || a > 0xffffff00u);
		break;
	}
	if (!fuzz_one_in(r, 16))
		a &= ~(size - 1u); /* mostly aligned: unaligned ones fault before stage 2 */
	if (t != T_UNMAPPED && t != T_SCRATCH && (a & 0xfffu) + span > 0x1000u)
		a = (a & ~0xfffu) + 0x1000u - span; /* keep LDM/LDRD inside the page */
	return a;
}

static enum target pick_target(struct fuzz_rng *r)
{
	static const uint8_t weights[NUM_TARGETS] = { 30, 10, 25, 15, 10, 10 };
	uint32_t x = fuzz_below(r, 100);
	for (uint32_t t = 0; t < NUM_TARGETS; t++) {
		if (x < weights[t])
			return (enum target)t;
		x -= weights[t];
	}
	return T_SCRATCH;
}

/* --- Execution ----------------------------------------------------------------------- */

static void sync_code(const void *p, uint32_t bytes)
{
	for (uintptr_t a = (uintptr_t)p & ~63u; a < (uintptr_t)p + bytes; a += 64) {
		__asm__ volatile("mcr p15, 0, %0, c7, c11, 1" : : "r"(a));     /* DCCMVAU */
		__asm__ volatile("dsb; mcr p15, 0, %0, c7, c5, 1" : : "r"(a)); /* ICIMVAU */
	}
	__asm__ volatile("mcr p15, 0, %0, c7, c5, 6; dsb; isb" : : "r"(0) : "memory"); /* BPIALL */
}

static void run_arm(uint32_t insn, struct fuzz_exec_regs *x)
{
	slot[0] = insn;
	sync_code(slot, 4);
	fuzz_exec_entry = (uint32_t)(uintptr_t)slot;
	fault.count = 0;
	fuzz_exec(x);
}

/*
 * Faults: inside the generated code, note them and resume at its exit in ARM state (a
 * BLX to an odd address left Thumb set in the SPSR); anywhere else they are failures.
 */
static uint32_t on_fault(const struct cell_fault *f)
{
	uint32_t spsr, pc = f->pc;
	bool in_slot = f->kind == CELL_FAULT_PABT ||
		       (pc >= (uint32_t)(uintptr_t)slot && pc < (uint32_t)(uintptr_t)&slot[64]);
	fault.count++;
	fault.kind = f->kind;
	fault.far = f->far;
	fault.fsr = f->fsr;
	fault.pc = pc;
	if (!in_slot) {
		st.stray_faults++;
		return pc + 4;
	}
	__asm__ volatile("mrs %0, spsr" : "=r"(spsr));
	spsr &= ~((1u << 5) | (3u << 25) | (0x3fu << 10)); /* T, IT[1:0], IT[7:2] */
	__asm__ volatile("msr spsr_fsxc, %0" : : "r"(spsr));
	return (uint32_t)(uintptr_t)&slot[1];
}

/*
 * The model of ARM ARM A8.3's condition table, written apart from the microvisor's
 * switch so the two check each other: bit NZCV of pass[cond] says whether the condition
 * holds for those flags (0xF is treated as AL, as for trapped instructions).
 */
static bool condition_passes(uint32_t cond, uint32_t flags)
{
	static const uint16_t pass[16] = {
		0xf0f0, 0x0f0f, /* EQ NE: Z */
		0xcccc, 0x3333, /* CS CC: C */
		0xff00, 0x00ff, /* MI PL: N */
		0xaaaa, 0x5555, /* VS VC: V */
		0x0c0c, 0xf3f3, /* HI LS: C and not Z */
		0xaa55, 0x55aa, /* GE LT: N == V */
		0x0a05, 0xf5fa, /* GT LE: not Z and N == V */
		0xffff, 0xffff, /* AL, and 0xF */
	};
	return (pass[cond & 0xfu] >> (flags >> 28)) & 1u;
}

/* Registers r0-r12 and LR: 13 (SP) and 15 (PC) are never used by generated code. */
static uint32_t pick_reg(struct fuzz_rng *r)
{
	uint32_t n = fuzz_below(r, 14);
	return n == 13 ? 14 : n;
}

static uint32_t reg_get(const struct fuzz_exec_regs *x, uint32_t n)
{
	return n == 14 ? x->lr : x->r[n];
}

static void reg_set(struct fuzz_exec_regs *x, uint32_t n, uint32_t v)
{
	if (n == 14)
		x->lr = v;
	else
		x->r[n] = v;
}

static void fail(uint32_t n, const char *what, uint32_t insn, uint32_t addr,
		 const struct fuzz_exec_regs *in, const struct fuzz_exec_regs *out)
{
	st.failures++;
	test_failed++;
	fuzz_count_reason(reasons, what, n);
	if (st.failures > FAILURES_SHOWN)
		return;
	cell_printf("FAILED op %u: %s\n", n, what);
	cell_printf(
		"  insn %08x at %08x, address %08x, flags %08x, fault %u kind %u far %08x fsr %08x\n",
		insn, (uint32_t)(uintptr_t)slot, addr, in->cpsr, fault.count, fault.kind, fault.far,
		fault.fsr);
	for (uint32_t i = 0; i < 14; i += 7)
		cell_printf("  r%u.. in  %08x %08x %08x %08x %08x %08x %08x\n", i, reg_get(in, i),
			    reg_get(in, i + 1), reg_get(in, i + 2), reg_get(in, i + 3),
			    reg_get(in, i + 4), reg_get(in, i + 5),
			    i + 6 == 13 ? in->lr : reg_get(in, i + 6));
	for (uint32_t i = 0; i < 14; i += 7)
		cell_printf("  r%u.. out %08x %08x %08x %08x %08x %08x %08x\n", i, reg_get(out, i),
			    reg_get(out, i + 1), reg_get(out, i + 2), reg_get(out, i + 3),
			    reg_get(out, i + 4), reg_get(out, i + 5),
			    i + 6 == 13 ? out->lr : reg_get(out, i + 6));
}

static void random_regs(struct fuzz_rng *r, struct fuzz_exec_regs *x)
{
	for (uint32_t i = 0; i < 13; i++)
		x->r[i] = fuzz_next(r);
	x->lr = fuzz_next(r);
	x->cpsr = fuzz_next(r) & 0xf0000000u;
}

/* --- Loads and stores ---------------------------------------------------------------- */

/* One generated memory instruction and what it does, for the checks. */
struct mem_op {
	uint32_t insn, addr, size, span; /* span: bytes from addr (LDM, LDRD) */
	uint32_t rt, rt2, rn, rd;        /* rt2/rd: 16 when unused */
	uint32_t list;                   /* LDM/STM register list */
	bool load, sign, single, writeback, exclusive, preload;
	uint32_t wb_value; /* Rn after writeback */
};

#define NONE 16u

static uint32_t shift_value(uint32_t v, uint32_t type, uint32_t amount)
{
	switch (type) {
	case 0:
		return v << amount;
	case 1:
		return amount ? v >> amount : 0;
	case 2:
		return amount ? (uint32_t)((int32_t)v >> amount) : (uint32_t)((int32_t)v >> 31);
	default:
		return (v >> amount) | (v << (32u - amount));
	}
}

/* Rn: a register different from those listed (bitmask). */
static uint32_t pick_other(struct fuzz_rng *r, uint32_t used)
{
	uint32_t n;
	do
		n = pick_reg(r);
	while (used & (1u << n));
	return n;
}

/* Builds a random load/store aimed at `t`, and the registers that make it hit there. */
static void gen_mem(struct fuzz_rng *r, enum target t, struct fuzz_exec_regs *x, struct mem_op *m)
{
	uint32_t form = fuzz_below(r, 16), P = 1, U = fuzz_below(r, 2), W = 0, L = fuzz_below(r, 2);
	uint32_t offset = 0;
	*m = (struct mem_op){ .rt2 = NONE, .rd = NONE, .size = 4 };
	m->load = L;
	m->rt = pick_reg(r);
	uint32_t pw =
		fuzz_below(r, 8); /* 0-4 offset, 5 pre-indexed, 6 post-indexed, 7 unprivileged */
	if (pw == 5)
		W = 1;
	else if (pw >= 6) {
		P = 0;
		W = pw == 7;
	}
	m->writeback = !P || W;
	if (form < 5) { /* LDR/STR/LDRB/STRB, immediate or register offset */
		uint32_t B = fuzz_below(r, 3) == 0, reg = fuzz_below(r, 2);
		m->size = B ? 1 : 4;
		m->rn = pick_other(r, m->writeback ? 1u << m->rt : 0);
		if (reg) {
			uint32_t rm =
				pick_other(r, (1u << m->rn) | (m->writeback ? 1u << m->rt : 0));
			uint32_t type = fuzz_below(r, 4), amount = fuzz_below(r, 32);
			if (type == 3 && amount == 0)
				amount = 1; /* not RRX, whose result depends on the carry flag */
			uint32_t rmv = fuzz_one_in(r, 2) ? fuzz_below(r, 64) : fuzz_next(r);
			reg_set(x, rm, rmv);
			offset = shift_value(rmv, type, amount);
			m->insn = 0x06000000u | amount << 7 | type << 5 | rm;
		} else {
			offset = fuzz_one_in(r, 2) ? fuzz_below(r, 16) * 4u : fuzz_below(r, 4096);
			m->insn = 0x04000000u | offset;
		}
		m->insn |=
			P << 24 | U << 23 | B << 22 | W << 21 | L << 20 | m->rn << 16 | m->rt << 12;
		m->single = !m->writeback;
	} else if (form < 10) { /* halfwords, signed bytes, doublewords */
		uint32_t op2 = 1u + fuzz_below(r, 3);
		bool dual = !L && op2 >= 2;
		if (dual && pw == 7) {
			W = 0; /* LDRD/STRD have no unprivileged form */
			m->writeback = !P;
		}
		m->load = L || op2 == 2;
		m->sign = L && op2 >= 2;
		m->size = dual ? 8 : L && op2 == 2 ? 1 : 2;
		if (dual) {
			m->rt = fuzz_below(r, 6) * 2u; /* even, below 12: Rt2 = Rt + 1 */
			m->rt2 = m->rt + 1u;
		}
		uint32_t used = m->writeback ? 1u << m->rt | (dual ? 1u << m->rt2 : 0) : 0;
		m->rn = pick_other(r, used);
		if (fuzz_below(r, 2)) {
			uint32_t rm = pick_other(r, 1u << m->rn | 1u << m->rt |
							    (dual ? 1u << m->rt2 : 0));
			uint32_t rmv = fuzz_one_in(r, 2) ? fuzz_below(r, 64) : fuzz_next(r);
			reg_set(x, rm, rmv);
			offset = rmv;
			m->insn = 0x00000090u | op2 << 5 | rm;
		} else {
			offset = fuzz_below(r, 256);
			m->insn = 0x00400090u | op2 << 5 | (offset >> 4) << 8 | (offset & 0xfu);
		}
		m->insn |= P << 24 | U << 23 | W << 21 | L << 20 | m->rn << 16 | m->rt << 12;
		m->single = !dual && !m->writeback;
		m->span = dual ? 8 : m->size;
	} else if (form < 13) {                   /* LDM/STM, four addressing modes */
		uint32_t mode = fuzz_below(r, 4); /* bit 1 P, bit 0 U: DA, IA, DB, IB */
		m->rn = pick_reg(r);
		W = fuzz_below(r, 2);
		m->writeback = W;
		uint32_t list;
		do
			list = fuzz_next(r) & (0x5fffu & (W ? ~(1u << m->rn) : 0xffffu));
		while (!list);
		m->list = list;
		uint32_t count = (uint32_t)__builtin_popcount(list);
		m->span = 4u * count;
		m->size = 4;
		m->insn = 0x08000000u | (mode >> 1) << 24 | (mode & 1u) << 23 | W << 21 | L << 20 |
			  m->rn << 16 | list;
		m->addr = pick_address(r, t, 4, m->span);
		m->addr &= ~3u;
		uint32_t rn = mode == 1   ? m->addr
			      : mode == 3 ? m->addr - 4u
			      : mode == 0 ? m->addr + m->span - 4u
					  : m->addr + m->span;
		reg_set(x, m->rn, rn);
		m->wb_value = mode & 1u ? rn + m->span : rn - m->span;
		return;
	} else if (form < 15) {                 /* LDREX/STREX, byte to doubleword */
		uint32_t sz = fuzz_below(r, 4); /* 0 word, 1 double, 2 byte, 3 halfword */
		m->exclusive = true;
		m->size = sz == 0 ? 4 : sz == 1 ? 8 : sz == 2 ? 1 : 2;
		m->span = m->size;
		if (sz == 1) {
			m->rt = fuzz_below(r, 6) * 2u;
			m->rt2 = m->rt + 1u;
		}
		uint32_t used = 1u << m->rt | (sz == 1 ? 1u << m->rt2 : 0);
		m->rn = pick_other(r, used);
		if (L) {
			m->insn = 0x01900f9fu | sz << 21 | m->rn << 16 | m->rt << 12;
		} else {
			m->rd = pick_other(r, used | 1u << m->rn);
			m->insn = 0x01800f90u | sz << 21 | m->rn << 16 | m->rd << 12 | m->rt;
		}
		m->addr = pick_address(r, t, m->size, m->span);
		reg_set(x, m->rn, m->addr);
		m->writeback = false;
		return;
	} else { /* PLD/PLDW: hints, which never fault */
		m->preload = true;
		m->load = false;
		m->rn = pick_reg(r);
		offset = fuzz_below(r, 4096);
		m->addr = pick_address(r, t, 1, 0);
		reg_set(x, m->rn, U ? m->addr - offset : m->addr + offset);
		m->insn = 0xf510f000u | U << 23 | fuzz_below(r, 2) << 22 | m->rn << 16 | offset;
		m->writeback = false;
		return;
	}
	if (!m->span)
		m->span = m->size;
	m->addr = pick_address(r, t, m->size, m->span);
	uint32_t rn = P ? (U ? m->addr - offset : m->addr + offset) : m->addr;
	reg_set(x, m->rn, rn);
	m->wb_value = U ? rn + offset : rn - offset;
}

static uint32_t vdev_load(uint32_t off, uint32_t size, bool sign)
{
	uint32_t v = 0;
	for (uint32_t i = 0; i < size; i++)
		v |= (uint32_t)vdev_mem[off + i] << (8 * i);
	return extend(v, size, sign);
}

/* Registers the instruction may write (bitmask of 0-12, 14). */
static uint32_t written_regs(const struct mem_op *m)
{
	uint32_t w = 0;
	if (m->load && !m->preload)
		w |= 1u << m->rt | (m->rt2 != NONE ? 1u << m->rt2 : 0) | (m->list ? m->list : 0);
	if (m->rd != NONE)
		w |= 1u << m->rd;
	if (m->writeback)
		w |= 1u << m->rn;
	if (m->list && !m->load)
		w &= ~m->list;
	return w;
}

static void check_mem(uint32_t n, enum target t, const struct mem_op *m,
		      const struct fuzz_exec_regs *in, const struct fuzz_exec_regs *out,
		      bool passed)
{
	enum outcome o = !passed                                                       ? O_SKIPPED
			 : fault.count == 0                                            ? O_DONE
			 : fault.kind == CELL_FAULT_DABT && (fault.fsr & 0x40fu) == 1u ? O_ALIGN
			 : fault.kind == CELL_FAULT_DABT                               ? O_DABT
										       : O_UNDEF;
	st.by_target[t][o]++;
	uint32_t may_write = o == O_DONE ? written_regs(m) : 0;
	if (o == O_DABT && (m->list || m->rt2 != NONE))
		may_write =
			written_regs(m) & ~(m->writeback ? 1u << m->rn : 0); /* UNKNOWN on abort */
	for (uint32_t i = 0; i < 15; i++) {
		if (i == 13 || (may_write & (1u << i)))
			continue;
		if (reg_get(in, i) != reg_get(out, i)) {
			fail(n, "a register the instruction does not write changed", m->insn,
			     m->addr, in, out);
			return;
		}
	}
	if ((in->cpsr ^ out->cpsr) & 0xf0000000u) {
		fail(n, "flags changed", m->insn, m->addr, in, out);
		return;
	}
	if (!passed) {
		if (fault.count)
			fail(n, "an instruction whose condition failed faulted", m->insn, m->addr,
			     in, out);
		return;
	}
	if (m->preload) {
		st.by_target[t][O_DONE]--;
		st.by_target[t][O_NO_ACCESS]++;
		if (fault.count)
			fail(n, "PLD faulted", m->insn, m->addr, in, out);
		return;
	}
	if (o == O_UNDEF) {
		fail(n, "load/store UNDEFINED", m->insn, m->addr, in, out);
		return;
	}
	if (o == O_DONE && m->writeback && reg_get(out, m->rn) != m->wb_value) {
		fail(n, "wrong base register writeback", m->insn, m->addr, in, out);
		return;
	}
	if (o == O_DONE && m->exclusive && !m->load && reg_get(out, m->rd) == 1) {
		st.by_target[t][O_DONE]--;
		st.by_target[t][O_NO_ACCESS]++;
		return; /* STREX without the monitor: fails without accessing memory (A3.4.5) */
	}
	bool emulated = (t == T_GICD || t == T_VDEV) && m->single;
	if (t == T_SCRATCH && o == O_DABT)
		fail(n, "access to our own RAM aborted", m->insn, m->addr, in, out);
	if (t == T_UNMAPPED || t == T_FOREIGN || ((t == T_GICD || t == T_VDEV) && !m->single)) {
		if (o == O_DONE)
			fail(n,
			     t == T_UNMAPPED || t == T_FOREIGN
				     ? "access outside the cell completed"
				     : "undecodable MMIO access completed",
			     m->insn, m->addr, in, out);
		else if (o == O_DABT && fault.far != m->addr && !m->list && m->rt2 == NONE)
			fail(n, "abort with the wrong DFAR", m->insn, m->addr, in, out);
		return;
	}
	if (!emulated || o == O_ALIGN)
		return;
	uint32_t off = m->addr & 0xfffu;
	if (t == T_VDEV && o == O_DABT) {
		if (fault.far != m->addr)
			fail(n, "vdev abort with the wrong DFAR", m->insn, m->addr, in, out);
		return; /* vdev-mem refused it: nothing stored */
	}
	if (o != O_DONE) {
		fail(n, "emulated distributor access aborted", m->insn, m->addr, in, out);
		return;
	}
	uint32_t value = reg_get(in, m->rt);
	if (m->load) {
		uint32_t want;
		bool known = t == T_VDEV ? (want = vdev_load(off, m->size, m->sign), true)
					 : gicd_load(off, m->size, &want);
		if (t == T_GICD && known)
			want = extend(want, m->size, m->sign);
		if (known && reg_get(out, m->rt) != want)
			fail(n,
			     t == T_VDEV ? "vdev load: wrong value"
					 : "distributor load: wrong value",
			     m->insn, m->addr, in, out);
	} else if (t == T_VDEV) {
		for (uint32_t i = 0; i < m->size; i++)
			vdev_mem[off + i] = (uint8_t)(value >> (8 * i));
	} else {
		gicd_store(off, m->size, extend(value, m->size, false));
	}
}

static void op_mem(struct fuzz_rng *r, uint32_t n)
{
	struct fuzz_exec_regs in, out;
	struct mem_op m;
	enum target t = pick_target(r);
	random_regs(r, &in);
	gen_mem(r, t, &in, &m);
	uint32_t cond = fuzz_one_in(r, 8) ? fuzz_below(r, 14) : 14u;
	if (m.preload)
		cond = 15;
	m.insn |= cond << 28;
	if (n >= FUZZ_TRACE_FROM)
		cell_printf("op %u: insn %08x address %08x (%s)\n", n, m.insn, m.addr,
			    target_name[t]);
	out = in;
	run_arm(m.insn, &out);
	st.width[m.size]++;
	check_mem(n, t, &m, &in, &out, cond >= 14 || condition_passes(cond, in.cpsr));
}

/* --- Coprocessors, SMC, branches ----------------------------------------------------- */

/* A write the microvisor traps: debug (CP14 opc1 0), PMU and implementation-defined CP15
 * (c9, c10, c11, c15), ACTLR and the physical timer; other writes could reconfigure us. */
static uint32_t trapped_write(struct fuzz_rng *r, bool *pmu)
{
	uint32_t cp = 15, opc1 = fuzz_below(r, 8), crn, crm = fuzz_below(r, 16),
		 opc2 = fuzz_below(r, 8);
	static const uint8_t c10[] = { 0, 1, 4, 8 }, c11[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 15 };
	switch (fuzz_below(r, 7)) {
	case 0:
		cp = 14;
		opc1 = 0;
		crn = fuzz_below(r, 16);
		break;
	case 1:
		crn = 9;
		opc1 = 0;
		crm = 12u + fuzz_below(r, 3);
		break;
	case 2:
		crn = 9;
		crm = fuzz_below(r, 9);
		crm = crm < 3 ? crm : crm + 2u;
		crm = crm > 8 ? 8 : crm;
		break;
	case 3:
		crn = 10;
		crm = c10[fuzz_below(r, 4)];
		break;
	case 4:
		crn = 11;
		crm = c11[fuzz_below(r, 10)];
		break;
	case 5:
		crn = 15;
		break;
	default:
		if (fuzz_below(r, 2)) {
			crn = 1;
			opc1 = 0;
			crm = 0;
			opc2 = 1; /* ACTLR */
		} else {
			crn = 14;
			opc1 = 0;
			crm = 2;
			opc2 = fuzz_below(r, 2); /* CNTP_TVAL, CNTP_CTL */
		}
		break;
	}
	*pmu = cp == 15 && crn == 9 && opc1 == 0 && crm >= 12 && crm <= 14;
	return opc1 << 21 | crn << 16 | cp << 8 | opc2 << 5 | 0x10u | crm;
}

static void op_coproc(struct fuzz_rng *r, uint32_t n)
{
	struct fuzz_exec_regs in, out;
	random_regs(r, &in);
	uint32_t rt = pick_reg(r), insn;
	bool read = fuzz_below(r, 2), pmu = false, wide = fuzz_one_in(r, 6);
	if (wide) { /* MRRC/MCRR */
		uint32_t rt2 = pick_other(r, 1u << rt), cp = fuzz_below(r, 2) ? 15 : 14;
		uint32_t opc1 = fuzz_below(r, 16), crm = fuzz_below(r, 16);
		if (!read) { /* CNTP_CVAL (trapped), CNTVOFF (HYP only), or CP14 */
			opc1 = cp == 15 ? (fuzz_below(r, 2) ? 2u : 4u) : opc1;
			crm = cp == 15 ? 14u : crm;
		}
		insn = 0xec400000u | (uint32_t)read << 20 | rt2 << 16 | rt << 12 | cp << 8 |
		       opc1 << 4 | crm;
	} else if (read) {
		uint32_t cp = fuzz_below(r, 4) ? 14u + fuzz_below(r, 2) : fuzz_below(r, 16);
		if (cp == 10 || cp == 11)
			cp = 15;
		uint32_t opc1 = fuzz_below(r, 8), crn = fuzz_below(r, 16), crm = fuzz_below(r, 16);
		if (fuzz_one_in(r, 4)) { /* PMU */
			opc1 = 0;
			crn = 9;
			crm = 12u + fuzz_below(r, 3);
			cp = 15;
		}
		pmu = cp == 15 && crn == 9 && opc1 == 0 && crm >= 12 && crm <= 14;
		insn = opc1 << 21 | 1u << 20 | crn << 16 | cp << 8 | fuzz_below(r, 8) << 5 | 0x10u |
		       crm;
		insn |= 0x0e000000u;
	} else {
		insn = 0x0e000000u | trapped_write(r, &pmu);
	}
	insn |= 0xe0000000u | rt << 12;
	if (n >= FUZZ_TRACE_FROM)
		cell_printf("op %u: coprocessor insn %08x\n", n, insn);
	out = in;
	run_arm(insn, &out);
	st.cp_reads += read;
	st.cp_writes += !read;
	st.cp_undef += fault.count && fault.kind == CELL_FAULT_UNDEF;
	if (fault.count && fault.kind != CELL_FAULT_UNDEF) {
		fail(n, "coprocessor access: abort", insn, 0, &in, &out);
		return;
	}
	uint32_t rt2 = wide ? (insn >> 16) & 0xfu : NONE;
	for (uint32_t i = 0; i < 15; i++) {
		if (i == 13 || (read && !fault.count && (i == rt || i == rt2)))
			continue;
		if (reg_get(&in, i) != reg_get(&out, i)) {
			fail(n, "coprocessor access: another register changed", insn, 0, &in, &out);
			return;
		}
	}
	if (pmu && read) {
		st.pmu_reads++;
		if (!fault.count && reg_get(&out, rt) != 0)
			fail(n, "trapped PMU register read is not zero", insn, 0, &in, &out);
	}
}

/* SMC #imm4 under a random condition, r0 = ABI_VERSION: a trapped SMC is the hypercall;
 * QEMU without EL3 makes it UNDEFINED instead. A failed condition does nothing. */
static void op_smc(struct fuzz_rng *r, uint32_t n)
{
	struct fuzz_exec_regs in, out;
	random_regs(r, &in);
	in.r[0] = MV_CALL_ABI_VERSION;
	uint32_t cond = fuzz_below(r, 15), insn = cond << 28 | 0x01600070u | fuzz_below(r, 16);
	bool passes = condition_passes(cond, in.cpsr);
	out = in;
	run_arm(insn, &out);
	st.smc++;
	st.smc_passed += passes;
	bool ok = !passes ? !fault.count && out.r[0] == in.r[0]
			  : (fault.count && fault.kind == CELL_FAULT_UNDEF) ||
				    (!fault.count && out.r[0] == MV_ABI_VERSION);
	if (!ok)
		fail(n, "SMC: wrong outcome for its condition", insn, 0, &in, &out);
}

/* BX/BLX to an address that is not executable for us: a prefetch abort with IFAR = it. */
static void op_branch(struct fuzz_rng *r, uint32_t n)
{
	struct fuzz_exec_regs in, out;
	random_regs(r, &in);
	static const uint8_t kinds[] = { T_GICD, T_GICV, T_VDEV, T_UNMAPPED, T_FOREIGN };
	enum target t = (enum target)kinds[fuzz_below(r, sizeof(kinds))];
	uint32_t rm = pick_reg(r), to = (pick_address(r, t, 4, 0) & ~3u) | fuzz_below(r, 2);
	reg_set(&in, rm, to);
	uint32_t insn = 0xe12fff10u | (fuzz_below(r, 2) ? 0x20u : 0) | rm;
	out = in;
	run_arm(insn, &out);
	st.branches++;
	st.by_target[t][fault.count ? O_PABT : O_DONE]++;
	if (!fault.count || fault.kind != CELL_FAULT_PABT || fault.far != (to & ~1u))
		fail(n, "branch to a non-executable address: no prefetch abort there", insn, to,
		     &in, &out);
}

/* --- Storms and IT blocks ------------------------------------------------------------ */

static void gic_sane(void)
{
	gicd_write(0x000, 1);
	gicd_write(0x100, 1u << 27 | 1u << 1);
	mmio_write32(HOSTILE_GICV_IPA + 0x004, 0xf0); /* PMR */
	mmio_write32(HOSTILE_GICV_IPA + 0x000, 1);    /* CTLR */
	gicd.ctlr = 1;
	gicd.enabled[0] |= 1u << 27;
	*(volatile uint8_t *)(uintptr_t)(HOSTILE_GICD_IPA + 0x400 + 27) = 0x80;
	gicd.prio[27] = 0x80;
	*(volatile uint8_t *)(uintptr_t)(HOSTILE_GICD_IPA + 0x400 + 1) = 0x80;
	gicd.prio[1] = 0x80;
}

/* Acknowledges and ends every interrupt the CPU interface has for us (IRQs stay masked). */
static void gic_drain(void)
{
	for (uint32_t i = 0; i < 64; i++) {
		uint32_t iar = mmio_read32(HOSTILE_GICV_IPA + 0x00c);
		if ((iar & 0x3ffu) >= 1020)
			break;
		mmio_write32(HOSTILE_GICV_IPA + 0x010, iar);
	}
}

/* WFE yields; WFI with an SGI pending returns at once; WFI with only the timer armed
 * returns when it fires. IRQs stay masked in CPSR throughout, as WFI allows. */
static void storm(struct fuzz_rng *r)
{
	gic_sane();
	for (uint32_t i = 0; i < 64; i++, st.wfe++)
		__asm__ volatile("wfe");
	gicd_write(0xf00, 2u << 24 | 1u);            /* SGI 1 to ourselves */
	timer_arm(timer_now() + timer_freq() / 50u); /* should the SGI not be pending after all */
	for (uint32_t i = 0; i < 64; i++, st.wfi++)
		wfi();
	timer_disarm();
	gic_drain();
	uint64_t step = timer_freq() / 20000u; /* 50 us */
	for (uint32_t i = 0; i < 4; i++, st.wfi++) {
		uint64_t until = timer_now() + step * (1u + fuzz_below(r, 4));
		timer_arm(until);
		while (timer_now() < until)
			wfi();
		timer_disarm();
		gic_drain();
	}
}

/*
 * Thumb: ITE <cond>; <trapped instruction>; MOV r1, #1; then back to ARM. Whatever the
 * microvisor does with the trapped instruction, the ELSE slot must run exactly when the
 * condition fails: whoever completes an instruction in an IT block, the CPU or the
 * hypervisor emulating it, advances ITSTATE (the ARM ARM's ITAdvance() pseudocode).
 */
static void op_it_block(struct fuzz_rng *r, uint32_t n)
{
	static const struct {
		uint16_t hw[2];
		uint16_t len;
		const char *name, *failure;
	} trapped[] = {
		{ { 0xee11, 0x0f30 },
		  2,
		  "mrc ACTLR", /* mrc p15, 0, r0, c1, c0, 1 */
		  "Thumb IT block: wrong slots ran after a trapped MRC of ACTLR" },
		{ { 0xee19, 0x0f1c },
		  2,
		  "mrc PMCCNTR", /* mrc p15, 0, r0, c9, c12, 0 */
		  "Thumb IT block: wrong slots ran after a trapped MRC of PMCCNTR" },
		{ { 0x6810, 0xbf00 },
		  1,
		  "ldr GICD", /* ldr r0, [r2] */
		  "Thumb IT block: wrong slots ran after an emulated LDR from the GICD" },
		{ { 0xbf20, 0xbf00 },
		  1,
		  "wfe",
		  "Thumb IT block: wrong slots ran after a trapped WFE" },
	};
	struct fuzz_exec_regs in, out;
	uint32_t which = fuzz_below(r, 4), cond = fuzz_below(r, 14);
	random_regs(r, &in);
	in.r[1] = 0;
	in.r[2] = HOSTILE_GICD_IPA + 0x008; /* IIDR */
	/* ITE cond: firstcond, mask = (!cond[0]) << 3 | 1 << 2 (the ELSE) */
	uint16_t *t = (uint16_t *)&slot[THUMB];
	uint32_t k = 0;
	t[k++] = (uint16_t)(0xbf00u | cond << 4 | (~cond & 1u) << 3 | 0x4u);
	for (uint32_t i = 0; i < trapped[which].len; i++)
		t[k++] = trapped[which].hw[i];
	t[k++] = 0x2101; /* mov r1, #1 (the ELSE slot) */
	while (k % 2u)
		t[k++] = 0xbf00;
	t[k++] = 0xf8df; /* ldr.w pc, [pc, #0]: the literal next */
	t[k++] = 0xf000;
	*(uint32_t *)&t[k] = (uint32_t)(uintptr_t)fuzz_exec_return;
	sync_code(t, 2u * k + 4u);
	fuzz_exec_entry = (uint32_t)(uintptr_t)t | 1u;
	fault.count = 0;
	out = in;
	fuzz_exec(&out);
	st.it_blocks++;
	bool passes = condition_passes(cond, in.cpsr);
	if (out.r[1] != (passes ? 0u : 1u) || fault.count) {
		fail(n, trapped[which].failure, (uint32_t)t[0] << 16 | t[1], (uint32_t)which, &in,
		     &out);
		if (st.failures <= FAILURES_SHOWN)
			cell_printf("  (%s, cond %u)\n", trapped[which].name, cond);
	}
}

/* --- Run ----------------------------------------------------------------------------- */

static void report(uint64_t ticks)
{
	uint64_t ms = ticks / (timer_freq() / 1000u);
	cell_printf("%u ops in %llu ticks, %llu ms of guest time: %llu ops/s\n", st.ops, ticks, ms,
		    ms ? st.ops * 1000ull / ms : 0ull);
	for (uint32_t t = 0; t < NUM_TARGETS; t++)
		for (uint32_t o = 0; o < NUM_OUTCOMES; o++)
			if (o != O_UNDEF)
				cell_printf("%s: %u %s\n", target_name[t], st.by_target[t][o],
					    outcome_name[o]);
	cell_printf("widths: %u byte, %u halfword, %u word, %u doubleword\n", st.width[1],
		    st.width[2], st.width[4], st.width[8]);
	cell_printf("coprocessor: %u reads, %u trapped writes, %u undefined, %u PMU reads\n",
		    st.cp_reads, st.cp_writes, st.cp_undef, st.pmu_reads);
	cell_printf("smc: %u (%u passed their condition), branches: %u, wfi: %u, wfe: %u\n", st.smc,
		    st.smc_passed, st.branches, st.wfi, st.wfe);
	cell_printf("thumb IT blocks: %u\n", st.it_blocks);
	for (uint32_t i = 0; i < FUZZ_MAX_REASONS && reasons[i].what; i++)
		cell_printf("failed %u times (first op %u): %s\n", reasons[i].count,
			    reasons[i].first, reasons[i].what);
	cell_printf("%u stray faults, %u failed ops\n", st.stray_faults, st.failures);
}

static void tell_victim(void)
{
	static const char done[] = HOSTILE_DONE_RECORD;
	struct mv_ring tx, rx;
	struct mv_result ch = mv_hvc(MV_CALL_CHANNEL_INFO, 0, 0, 0, 0, 0, 0);
	CHECK(ch.r0 == MV_OK);
	CHECK(mv_ring_init_channel(&tx, &rx, (void *)(uintptr_t)ch.r1, ch.r2,
				   MV_CHANNEL_INFO_END(ch.r3)) == 0 &&
	      mv_ring_write(&tx, done, sizeof(done) - 1) == 0);
	CHECK(mv_call3(MV_CALL_CHANNEL_NOTIFY, 0, 0, 0) == MV_OK);
}

int main(void)
{
	struct fuzz_rng r;
	fuzz_seed(&r, FUZZ_SEED);
	models_init();
	cell_fault_hook = on_fault;
	slot[1] = 0xe51ff004u; /* ldr pc, [pc, #-4] */
	slot[2] = (uint32_t)(uintptr_t)fuzz_exec_return;
	cell_printf("seed %llx, %u ops\n", (unsigned long long)FUZZ_SEED, FUZZ_MMIO_OPS);
	uint64_t start = timer_now();
	for (uint32_t n = 0; n < FUZZ_MMIO_OPS; n++) {
		if (n && n % PROGRESS_EVERY == 0)
			cell_printf("progress: %u ops, state %llx\n", n, r.s);
		if (n % STORM_EVERY == STORM_EVERY - 1)
			storm(&r);
		uint32_t kind = fuzz_below(&r, 100);
		if (kind < 70)
			op_mem(&r, n);
		else if (kind < 85)
			op_coproc(&r, n);
		else if (kind < 90)
			op_smc(&r, n);
		else if (kind < 95)
			op_branch(&r, n);
		else
			op_it_block(&r, n);
		st.ops++;
	}
	report(timer_now() - start);
	test_passed += st.ops - st.failures;
	CHECK(st.stray_faults == 0);
	mmio_write32(HOSTILE_VDEV_IPA + VDEV_STOP_OFFSET, VDEV_STOP_MAGIC);
	tell_victim();
	test_report();
	return 0;
}
