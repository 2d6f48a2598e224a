/* SPDX-License-Identifier: MIT */
/* Per-CPU HYP set-up, the Secure-world part of boot, secondary CPU release, and the small
 * arch services generic code uses (CPU id, counter, console, payload, power off). */
#include <arch/atomic.h>
#include <arch/cpu.h>
#include <arch/hyp.h>
#include <arch/plat.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/log.h>
#include <microvisor/main.h>
#include <mv/gicv2.h>

struct hyp_pcpu hyp_pcpus[CONFIG_MAX_PCPUS];
extern char hyp_stacks_end[];
extern char __payload_start[];
extern char __image_start[];

/* Set in Secure SVC before BSS is cleared, hence in .data. */
static volatile uint32_t entered_secure __attribute__((section(".data")));

/* HCR (ARM ARM B4.1.65): stage 2 on; IRQ/FIQ/async aborts to HYP; trap WFI/WFE, SMC,
 * implementation-defined CP15 (TIDCP) and ACTLR (TAC); set/way invalidates upgraded to
 * clean+invalidate (SWIO) so a guest cannot discard another cell's dirty lines; TLB and
 * cache maintenance broadcast inner shareable (FB, BSU) for SMP guests; stage-1 walks to
 * device memory fault (PTW). */
#define HCR_VM (1u << 0)
#define HCR_SWIO (1u << 1)
#define HCR_PTW (1u << 2)
#define HCR_FMO (1u << 3)
#define HCR_IMO (1u << 4)
#define HCR_AMO (1u << 5)
#define HCR_FB (1u << 9)
#define HCR_BSU_INNER (1u << 10)
#define HCR_TWI (1u << 13)
#define HCR_TWE (1u << 14)
#define HCR_TSC (1u << 19)
#define HCR_TIDCP (1u << 20)
#define HCR_TAC (1u << 21)
#define HCR_VA (1u << 8) /* a virtual asynchronous abort is pending for the guest */
#define HCR_GUEST                                                                             \
	(HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_INNER | \
	 HCR_TWI | HCR_TWE | HCR_TSC | HCR_TIDCP | HCR_TAC)

/* HDCR (B4.1.66): debug and performance-monitor registers trap; guests see no PMU.
 * HPMN[4:0] must not be 0 (UNPREDICTABLE): it is set to PMCR.N, all counters. */
#define HDCR_TRAPS ((1u << 11) | (1u << 10) | (1u << 9) | (1u << 6) | (1u << 5))
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1fu)
/* HSTR (B4.1.73): TTEE traps the ThumbEE registers TEECR and TEEHBR, which nothing
 * switches between cells (they would be a covert channel); they read as zero. */
#define HSTR_TTEE (1u << 16)
/* Cortex-A15 ACTLR.IBE (TRM r2p0 4.3.28): ICIALLU also invalidates the branch target
 * buffer, which Spectre v2 mitigations rely on. Writable from Secure state only. */
#define MIDR_PART(midr) (((midr) >> 4) & 0xfffu)
#define MIDR_PART_CORTEX_A15 0xc0fu
#define ACTLR_A15_IBE (1u << 0)
/* VTCR (B4.1.159): 32-bit IPA (T0SZ 0), walk starts at level 1 (SL0 1), tables
 * write-back write-allocate inner shareable. Bit 31 is RES1. */
#define VTCR_VALUE ((1u << 31) | (3u << 12) | (1u << 10) | (1u << 8) | (1u << 6))
/* CNTHCTL (B4.1.26): PL1 may read the physical counter but not use the physical timer. */
#define CNTHCTL_PL1PCTEN (1u << 0)

/* NSACR (B4.1.111): Non-secure access to CP10/CP11 (VFP, Advanced SIMD). */
#define NSACR_CP10_CP11 ((1u << 10) | (1u << 11))

/*
 * What boot firmware does before it leaves the Secure world (GICv2 spec 4.3 and 4.4,
 * ARM ARM B1.5): every interrupt to Group 1 (Non-secure), the CPU interface and priority
 * mask open for the Non-secure side, VFP usable from Non-secure, CNTFRQ set. Runs with the
 * MMU off on a boot stack; the SPI groups are shared, the rest is banked per CPU.
 */
void secure_boot_setup(uint32_t cpu)
{
	uint32_t lines =
		cpu == 0 ? (mmio_read32(plat.board.gicd.base + GICD_TYPER) & 0x1fu) + 1u : 1u;
	for (uint32_t i = 0; i < lines; i++)
		mmio_write32(plat.board.gicd.base + GICD_IGROUPR + 4u * i, 0xffffffffu);
	mmio_write32(plat.board.gicc.base + GICC_PMR, 0xffu);
	mmio_write32(plat.board.gicc.base + GICC_CTLR, 0x3u); /* EnableGrp0 | EnableGrp1 */
	__asm__ volatile("mcr p15, 0, %0, c1, c1, 2" : : "r"(NSACR_CP10_CP11)); /* NSACR */
	if (MIDR_PART(sysreg_read_midr()) == MIDR_PART_CORTEX_A15)
		sysreg_write_actlr(sysreg_read_actlr() | ACTLR_A15_IBE);
	sysreg_write_cntfrq(plat.timer_freq);
	if (cpu == 0) {
		entered_secure = 1;
		plat.release_secondaries((uint32_t)(uintptr_t)hyp_entry);
	}
}

static void hyp_cpu_init(uint32_t cpu)
{
	struct hyp_pcpu *p = &hyp_pcpus[cpu];
	p->id = cpu;
	p->stack_top = (uint32_t)(uintptr_t)(hyp_stacks_end - cpu * HYP_STACK_SIZE);
	sysreg_write_htpidr((uint32_t)(uintptr_t)p);
	hyp_mmu_enable();
	sysreg_write_hcr(HCR_GUEST);
	sysreg_write_hcptr(0);
	sysreg_write_hstr(HSTR_TTEE);
	sysreg_write_hdcr(HDCR_TRAPS | PMCR_N(sysreg_read_pmcr()));
	sysreg_write_vtcr(VTCR_VALUE);
	sysreg_write_vpidr(sysreg_read_midr());
	sysreg_write_cnthctl(CNTHCTL_PL1PCTEN);
	sysreg_write_cnthp_ctl(0);
	isb();
	gic_init_cpu();
}

/*
 * A guest's asynchronous abort taken in the exit window is reflected into that vCPU as a
 * virtual abort (HCR.VA): it takes it once it unmasks CPSR.A, as it would have the
 * physical one. The CPU clears HCR.VA when the guest takes it, so it is read back on exit.
 */
void arch_vcpu_serror_exit(struct vcpu *v, struct hyp_pcpu *p)
{
	if (p->hcr_va)
		v->arch.serror_pending = (sysreg_read_hcr() & HCR_VA) != 0;
	if (p->guest_serror) {
		p->guest_serror = 0;
		v->arch.serror_pending = 1;
		cell_report_fault(v->cell, "asynchronous abort", 0, v->arch.regs.pc);
	}
}

void arch_vcpu_serror_enter(const struct vcpu *v, struct hyp_pcpu *p)
{
	p->hcr_va = v->arch.serror_pending;
	sysreg_write_hcr(HCR_GUEST | (p->hcr_va ? HCR_VA : 0));
	isb();
}

volatile uint32_t hyp_pcpus_up = 1u; /* the primary */
uint32_t hyp_turn_ticks;

/*
 * The primary waits, at most a second, until each released secondary has come up, and
 * says which did not. It yields while it waits: under QEMU's round-robin TCG (-icount) a
 * secondary runs only in the turns the primary leaves it, and a primary that went straight
 * to running cells would leave it none (cpu.h, yield()).
 */
static void wait_for_secondaries(uint32_t pcpus)
{
	uint32_t all = ((1u << pcpus) - 1u) & ~1u;
	uint64_t start = arch_counter_now();
	while ((hyp_pcpus_up & all) != all && arch_counter_now() - start < arch_counter_freq())
		yield();
	for (uint32_t cpu = 1; cpu < pcpus; cpu++)
		if (!(hyp_pcpus_up & (1u << cpu)))
			log_printf("microvisor: cpu%u did not come up\n", (unsigned)cpu);
	if (hyp_pcpus_up != 1u)
		hyp_turn_ticks =
			(uint32_t)((uint64_t)plat.turn_us * arch_counter_freq() / 1000000u);
}

void hyp_main_primary(void)
{
	hyp_mmu_build();
	hyp_cpu_init(0);
	log_printf("\nmicrovisor: %s, entered in %s, counter %u Hz\n", plat.board.name,
		   entered_secure ? "Secure SVC (switched to Non-secure HYP)" : "HYP",
		   (unsigned)arch_counter_freq());
	gic_init_distributor();
	uint32_t pcpus = mv_boot();
	if (pcpus > 1 && !entered_secure)
		plat.release_secondaries((uint32_t)(uintptr_t)hyp_entry);
	for (uint32_t cpu = 1; cpu < pcpus; cpu++) {
		hyp_pen_release[cpu] = 1;
		arch_dcache_clean((const void *)&hyp_pen_release[cpu],
				  4); /* the pen runs uncached */
	}
	dsb();
	sev();
	wait_for_secondaries(pcpus);
	mv_run(0);
}

void hyp_main_secondary(uint32_t cpu)
{
	hyp_cpu_init(cpu);
	log_event("microvisor: cpu%u up\n", (unsigned)cpu);
	atomic_or(&hyp_pcpus_up, 1u << cpu);
	mv_run(cpu);
}

unsigned arch_pcpu_id(void)
{
	return hyp_this_pcpu()->id;
}

uint64_t arch_counter_now(void)
{
	isb(); /* CNTPCT reads may otherwise be reordered (ARM ARM B8.1.2) */
	return sysreg_read_cntpct();
}

uint32_t arch_counter_freq(void)
{
	return sysreg_read_cntfrq();
}

/*
 * The UART may be one a cell can reach or stop (a console cell owns it once the system
 * has one): a wait for room in its FIFO is bounded, and once a wait ran out, later
 * characters are dropped without waiting until the FIFO takes one again. At 115200 baud
 * a character drains in 87 us, far inside the bound.
 */
#define UART_SPIN_LIMIT 200000u

static bool uart_stuck;

static void uart_send(char c)
{
	for (uint32_t n = 0; !plat.uart_putc(plat.board.uart.base, c); n++) {
		if (uart_stuck || n == UART_SPIN_LIMIT) {
			uart_stuck = true;
			return;
		}
	}
	uart_stuck = false;
}

void arch_console_putc(char c)
{
	if (c == '\n')
		uart_send('\r');
	uart_send(c);
}

const void *arch_boot_payload(uint32_t *available)
{
	*available =
		plat.board.ram.base + plat.board.ram.size - (uint32_t)(uintptr_t)__payload_start;
	return __payload_start;
}

const struct mv_board *arch_board(void)
{
	return &plat.board;
}

uint32_t arch_image_start(void)
{
	return arch_virt_to_phys(__image_start);
}

uint32_t arch_virt_to_phys(const void *p)
{
	return (uint32_t)(uintptr_t)p; /* HYP stage 1 is an identity map */
}

void *arch_phys_to_virt(struct pa pa)
{
	return (void *)(uintptr_t)pa.bits;
}

void arch_dcache_clean(const void *p, uint32_t size)
{
	uint32_t ctr;
	__asm__ volatile("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr)); /* CTR, B4.1.42 */
	uintptr_t line = 4u << ((ctr >> 16) & 0xfu);               /* DminLine, in words */
	for (uintptr_t a = (uintptr_t)p & ~(line - 1); a < (uintptr_t)p + size; a += line)
		dcache_clean_inval_mva(a);
	dsb();
}

void arch_halt(void)
{
	for (;;) {
		__asm__ volatile("cpsid aif");
		wfi();
	}
}

void arch_system_off(void)
{
	plat.system_off();
	arch_halt();
}

void arch_enter_guest(struct vcpu *v)
{
	arch_vgic_flush(v);
	hyp_resume_guest(v);
}
