/* SPDX-License-Identifier: MIT */
/* CP15 and banked-register accessors, barriers and atomics for ARMv7-A with the
 * Virtualization Extensions. Encodings: ARM ARM (DDI 0406C.d) B4.1 and B8. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>

#include <arch/atomic.h>

/* A 32-bit CP15 register: accessor pair sysreg_read_NAME()/sysreg_write_NAME(). */
#define MV_CP15_32(name, opc1, crn, crm, opc2)                                                     \
	static inline uint32_t sysreg_read_##name(void)                                            \
	{                                                                                          \
		uint32_t v_;                                                                       \
		__asm__ volatile("mrc p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : "=r"(v_)); \
		return v_;                                                                         \
	}                                                                                          \
	static inline void sysreg_write_##name(uint32_t v_)                                        \
	{                                                                                          \
		__asm__ volatile("mcr p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2              \
				 :                                                                 \
				 : "r"(v_)                                                         \
				 : "memory");                                                      \
	}

/* A 64-bit CP15 register accessed with MRRC/MCRR. */
#define MV_CP15_64(name, opc1, crm)                                                            \
	static inline uint64_t sysreg_read_##name(void)                                        \
	{                                                                                      \
		uint32_t lo_, hi_;                                                             \
		__asm__ volatile("mrrc p15, " #opc1 ", %0, %1, " #crm : "=r"(lo_), "=r"(hi_)); \
		return ((uint64_t)hi_ << 32) | lo_;                                            \
	}                                                                                      \
	static inline void sysreg_write_##name(uint64_t v_)                                    \
	{                                                                                      \
		__asm__ volatile("mcrr p15, " #opc1 ", %0, %1, " #crm                          \
				 :                                                             \
				 : "r"((uint32_t)v_), "r"((uint32_t)(v_ >> 32))                \
				 : "memory");                                                  \
	}

/* Guest (Non-secure PL1) state that HYP switches per vCPU. ARM ARM B4.1. */
MV_CP15_32(sctlr, 0, c1, c0, 0)
MV_CP15_32(actlr, 0, c1, c0, 1)
MV_CP15_32(cpacr, 0, c1, c0, 2)
MV_CP15_32(ttbcr, 0, c2, c0, 2)
MV_CP15_32(dacr, 0, c3, c0, 0)
MV_CP15_32(dfsr, 0, c5, c0, 0)
MV_CP15_32(ifsr, 0, c5, c0, 1)
MV_CP15_32(adfsr, 0, c5, c1, 0)
MV_CP15_32(aifsr, 0, c5, c1, 1)
MV_CP15_32(dfar, 0, c6, c0, 0)
MV_CP15_32(ifar, 0, c6, c0, 2)
MV_CP15_32(prrr, 0, c10, c2, 0) /* MAIR0 when TTBCR.EAE = 1 */
MV_CP15_32(nmrr, 0, c10, c2, 1) /* MAIR1 when TTBCR.EAE = 1 */
MV_CP15_32(amair0, 0, c10, c3, 0)
MV_CP15_32(amair1, 0, c10, c3, 1)
MV_CP15_32(vbar, 0, c12, c0, 0)
MV_CP15_32(fcseidr, 0, c13, c0, 0)
MV_CP15_32(contextidr, 0, c13, c0, 1)
MV_CP15_32(tpidrurw, 0, c13, c0, 2)
MV_CP15_32(tpidruro, 0, c13, c0, 3)
MV_CP15_32(tpidrprw, 0, c13, c0, 4)
MV_CP15_32(csselr, 2, c0, c0, 0)
MV_CP15_32(cntkctl, 0, c14, c1, 0)
MV_CP15_32(cntv_ctl, 0, c14, c3, 1)
MV_CP15_64(ttbr0, 0, c2)
MV_CP15_64(ttbr1, 1, c2)
MV_CP15_64(par, 0, c7)
MV_CP15_64(cntv_cval, 3, c14)
MV_CP15_64(cntvoff, 4, c14)
MV_CP15_64(cntpct, 0, c14)
MV_CP15_64(cntvct, 1, c14)

/* Identification. */
MV_CP15_32(midr, 0, c0, c0, 0)
MV_CP15_32(mpidr, 0, c0, c0, 5)
MV_CP15_32(cntfrq, 0, c14, c0, 0)
MV_CP15_32(pmcr, 0, c9, c12, 0) /* performance monitors control: N counters in [15:11] */

/* HYP configuration (ARM ARM B4.1: Virtualization Extensions registers). */
MV_CP15_32(vpidr, 4, c0, c0, 0)
MV_CP15_32(vmpidr, 4, c0, c0, 5)
MV_CP15_32(hsctlr, 4, c1, c0, 0)
MV_CP15_32(hactlr, 4, c1, c0, 1)
MV_CP15_32(hcr, 4, c1, c1, 0)
MV_CP15_32(hdcr, 4, c1, c1, 1)
MV_CP15_32(hcptr, 4, c1, c1, 2)
MV_CP15_32(hstr, 4, c1, c1, 3)
MV_CP15_32(htcr, 4, c2, c0, 2)
MV_CP15_32(vtcr, 4, c2, c1, 2)
MV_CP15_32(hdfar, 4, c6, c0, 0)
MV_CP15_32(hifar, 4, c6, c0, 2)
MV_CP15_32(hpfar, 4, c6, c0, 4)
MV_CP15_32(hsr, 4, c5, c2, 0)
MV_CP15_32(hmair0, 4, c10, c2, 0)
MV_CP15_32(hmair1, 4, c10, c2, 1)
MV_CP15_32(hvbar, 4, c12, c0, 0)
MV_CP15_32(htpidr, 4, c13, c0, 2)
MV_CP15_32(cnthctl, 4, c14, c1, 0)
MV_CP15_32(cnthp_ctl, 4, c14, c2, 1)
MV_CP15_64(httbr, 4, c2)
MV_CP15_64(vttbr, 6, c2)
MV_CP15_64(cnthp_cval, 6, c14)

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}
static inline void dsb(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}
static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}
static inline void dmb(void)
{
	__asm__ volatile("dmb ish" ::: "memory");
}
static inline void sev(void)
{
	__asm__ volatile("sev" ::: "memory");
}
static inline void wfe(void)
{
	__asm__ volatile("wfe" ::: "memory");
}
/* A hint with no architectural effect (a NOP on the A15 and A7). QEMU's single-threaded TCG,
 * which -icount forces, ends this CPU's turn on it and gives the rest of the turn to the
 * next CPU; without such a point a CPU that never idles keeps every turn (QEMU 7.2 gives
 * the first CPU the whole budget up to the next timer deadline, the others what is left). */
static inline void yield(void)
{
	__asm__ volatile("yield" ::: "memory");
}
static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

/* TLB and cache maintenance (ARM ARM B4.2.2, B4.2.1). */
static inline void tlbi_all_hyp(void) /* TLBIALLH */
{
	__asm__ volatile("mcr p15, 4, %0, c8, c7, 0" : : "r"(0) : "memory");
}
static inline void tlbi_all_nsnh_is(void) /* TLBIALLNSNHIS: every VMID, inner shareable */
{
	__asm__ volatile("mcr p15, 4, %0, c8, c3, 4" : : "r"(0) : "memory");
}
static inline void icache_inval_all(void) /* ICIALLU */
{
	__asm__ volatile("mcr p15, 0, %0, c7, c5, 0" : : "r"(0) : "memory");
}
static inline void bp_inval_all(void) /* BPIALL */
{
	__asm__ volatile("mcr p15, 0, %0, c7, c5, 6" : : "r"(0) : "memory");
}
static inline void dcache_clean_inval_mva(uintptr_t va) /* DCCIMVAC */
{
	__asm__ volatile("mcr p15, 0, %0, c7, c14, 1" : : "r"(va) : "memory");
}

/* Mode field of the CPSR (ARM ARM B1.3.1). */
#define PSR_MODE_USR 0x10u
#define PSR_MODE_FIQ 0x11u
#define PSR_MODE_IRQ 0x12u
#define PSR_MODE_SVC 0x13u
#define PSR_MODE_MON 0x16u
#define PSR_MODE_ABT 0x17u
#define PSR_MODE_HYP 0x1au
#define PSR_MODE_UND 0x1bu
#define PSR_MODE_MASK 0x1fu
#define PSR_T (1u << 5)
#define PSR_F (1u << 6)
#define PSR_I (1u << 7)
#define PSR_A (1u << 8)
#define PSR_E (1u << 9)
#define PSR_IT_MASK 0x0600fc00u
#define PSR_J (1u << 24)

static inline uint32_t cpsr_read(void)
{
	uint32_t v;
	__asm__ volatile("mrs %0, cpsr" : "=r"(v));
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	dsb();
	*(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v = *(volatile uint32_t *)addr;
	dmb();
	return v;
}

#endif
