/* SPDX-License-Identifier: MIT */
/* A hostile cell: writes and jumps outside its memory (into another cell's physical RAM
 * and into holes), executes trapped instructions, and makes hypercalls with bad
 * arguments. Every one must come back to it as an abort, UNDEFINED or an error code. */
#include <cell/runtime.h>

static volatile uint32_t last_kind, last_far, last_fsr, faults;

static uint32_t return_to_caller(const struct cell_fault *f);

static uint32_t on_fault(const struct cell_fault *f)
{
	last_kind = f->kind;
	last_far = f->far;
	last_fsr = f->fsr;
	faults++;
	if (f->kind == CELL_FAULT_PABT)
		return return_to_caller(f);
	return f->pc + 4; /* skip the faulting ARM instruction */
}

/* A prefetch abort came from a call to a bad address: resume at a `bx lr`, which returns
 * to the caller with the banked SVC LR that the call set. */
static void __attribute__((naked)) bx_lr(void)
{
	__asm__ volatile("bx lr");
}

static uint32_t return_to_caller(const struct cell_fault *f)
{
	(void)f;
	return (uint32_t)(uintptr_t)bx_lr;
}

static void check_aborts(void)
{
	/* The other cell's RAM, physically at 0x81000000 but not in our IPA space. */
	volatile uint32_t *other = (volatile uint32_t *)0x81000000u;
	uint32_t before = faults;
	*other = 0xdeadbeefu;
	CHECK(faults == before + 1 && last_kind == CELL_FAULT_DABT);
	CHECK(last_far == 0x81000000u);
	CHECK(last_fsr & (1u << 11)); /* WnR: it was a write */

	volatile uint32_t *hole = (volatile uint32_t *)0xa0000000u;
	uint32_t v = *hole;
	(void)v;
	CHECK(faults == before + 2 && last_far == 0xa0000000u && !(last_fsr & (1u << 11)));

	void (*bad_fn)(void) = (void (*)(void))0x90001000u;
	bad_fn();
	CHECK(faults == before + 3 && last_kind == CELL_FAULT_PABT && last_far == 0x90001000u);

	/* Many faults in a row: the microvisor rate-limits its reports and stays up. */
	for (int i = 0; i < 2000; i++)
		*other = (uint32_t)i;
	CHECK(faults == before + 2003);
}

static void check_trapped_instructions(void)
{
	uint32_t before = faults, actlr;
	/* The physical timer (CNTP_CTL) is the microvisor's: CNTHCTL.PL1PCEN = 0 traps it and
	 * the microvisor makes it UNDEFINED. */
	__asm__ volatile("mrc p15, 0, %0, c14, c2, 1" : "=r"(actlr));
	CHECK(faults == before + 1 && last_kind == CELL_FAULT_UNDEF);
	/* ACTLR is trapped (HCR.TAC) and emulated: reads work, writes are ignored. */
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(actlr));
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 1" : : "r"(0u));
	CHECK(faults == before + 1);
	uint32_t again;
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(again));
	CHECK(again == actlr);
}

/* Trapped instructions the microvisor emulates in full: the ThumbEE registers (RAZ/WI,
 * not a channel between cells), MRC to APSR_nzcv and to LR, MRRC of the debug ROM
 * address, and an MMIO load from FIQ mode, whose r8-r12 are banked. */
static void check_emulation(void)
{
	uint32_t before = faults, v, lo, hi;
	__asm__ volatile("mcr p14, 6, %0, c1, c0, 0" : : "r"(0x12345678u)); /* TEEHBR */
	__asm__ volatile("mrc p14, 6, %0, c1, c0, 0" : "=r"(v));
	CHECK(v == 0 && faults == before);

	__asm__ volatile("msr APSR_nzcvq, #0xf0000000\n"
			 "mrc p14, 0, APSR_nzcv, c0, c1, 0\n" /* DBGDSCRint: RAZ */
			 "mrs %0, APSR"
			 : "=r"(v)
			 :
			 : "cc");
	CHECK((v >> 28) == 0 && faults == before);

	uint32_t actlr;
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(actlr));
	__asm__ volatile("mov r4, lr\n"
			 "mvn lr, #0\n"
			 "mrc p15, 0, lr, c1, c0, 1\n" /* ACTLR to LR */
			 "mov %0, lr\n"
			 "mov lr, r4"
			 : "=r"(v)
			 :
			 : "r4", "lr");
	CHECK(v == actlr && faults == before);

	__asm__ volatile("mrrc p14, 0, %0, %1, c1" : "=r"(lo), "=r"(hi)); /* DBGDRAR */
	CHECK(lo == 0 && hi == 0 && faults == before);

	register uint32_t addr __asm__("r1") = 0x2c001008u; /* GICD_IIDR of the vGIC */
	register uint32_t out __asm__("r2");
	__asm__ volatile("mrs r3, cpsr\n"
			 "cps #0x11\n" /* FIQ mode */
			 "mov r9, #0\n"
			 "ldr r9, [%1]\n"
			 "mov %0, r9\n"
			 "msr cpsr_c, r3"
			 : "=r"(out)
			 : "r"(addr)
			 : "r3", "r9", "memory");
	CHECK(out == 0x43bu && faults == before);
}

static void check_hypercall_errors(void)
{
	CHECK(mv_call3(MV_PSCI_FEATURES, MV_SMCCC_VERSION, 0, 0) == 0); /* SMCCC 1.1 discovery */
	CHECK(mv_call3(MV_SMCCC_ARCH_FEATURES, MV_SMCCC_ARCH_WORKAROUND_1, 0, 0) == 0);
	CHECK(mv_call0(MV_SMCCC_ARCH_WORKAROUND_1) == 0);
	CHECK(mv_call0(MV_CALL_ABI_VERSION) == (int32_t)MV_ABI_VERSION);
	CHECK(mv_call3(MV_CALL_CELL_INFO, 99, 0, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(mv_call3(MV_CALL_DEBUG_WRITE, 21, 0, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(mv_call3(MV_CALL_DEBUG_WRITE, 0xffffffffu, 0, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(mv_call0(0x86001234u) == MV_E_NOT_SUPPORTED);
	CHECK(mv_call0(0xc6000000u) == MV_E_NOT_SUPPORTED); /* SMC64 convention */
	CHECK(mv_call0(0x12345678u) == MV_E_NOT_SUPPORTED); /* yielding call */
	CHECK(mv_call0(MV_SMCCC_VERSION) == 0x10001);
	CHECK(mv_call0(MV_PSCI_VERSION) == 0x10000);
	CHECK(mv_call3(MV_PSCI_FEATURES, MV_PSCI_CPU_ON, 0, 0) == 0);
	CHECK(mv_call3(MV_PSCI_FEATURES, 0x84000001u, 0, 0) == MV_E_NOT_SUPPORTED);
	CHECK(mv_call3(MV_PSCI_CPU_ON, 5, 0x80000000u, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(mv_call3(MV_PSCI_CPU_ON, 0x100, 0x80000000u, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(mv_call3(MV_PSCI_CPU_ON, 0, 0x80000000u, 0) == MV_E_ALREADY_ON);
	CHECK(mv_call3(MV_PSCI_AFFINITY_INFO, 0, 1, 0) == MV_E_INVALID_PARAMETERS);
	CHECK(mv_call3(MV_PSCI_AFFINITY_INFO, 0, 0, 0) == MV_PSCI_AFFINITY_ON);

	register uint32_t r0 __asm__("r0") = MV_CALL_ABI_VERSION;
	__asm__ volatile("hvc #1" : "+r"(r0) : : "r1", "r2", "r3", "memory");
	CHECK(r0 == (uint32_t)MV_E_NOT_SUPPORTED);
}

int main(void)
{
	cell_fault_hook = on_fault;
	check_aborts();
	check_trapped_instructions();
	check_emulation();
	check_hypercall_errors();
	test_report();
	return 0;
}
