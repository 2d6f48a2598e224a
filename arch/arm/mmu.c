/* SPDX-License-Identifier: MIT */
/* HYP stage-1 translation (an identity map of the board's RAM and device windows) and the
 * stage-2 side of the arch interface (ARM ARM B3.6, B4.1.62 HTCR, B4.1.160 VTTBR). */
#include <arch/cpu.h>
#include <arch/hyp.h>
#include <arch/lpae.h>
#include <arch/plat.h>
#include <microvisor/arch.h>
#include <microvisor/log.h>
#include <vmmu/vmmu.h>

/* HTCR: T0SZ 0 (4 GiB), table walks write-back write-allocate inner shareable; bits 31, 23 RES1. */
#define HTCR_VALUE ((1u << 31) | (1u << 23) | (3u << 12) | (1u << 10) | (1u << 8))
/* HSCTLR (B4.1.67): MMU, D-cache and I-cache on; RES1 bits 4, 5, 11, 16, 18, 22, 23, 28, 29. */
#define HSCTLR_RES1 0x30c50830u
#define HSCTLR_M (1u << 0)
#define HSCTLR_C (1u << 2)
#define HSCTLR_I (1u << 12)

static uint64_t hyp_l1[4] MV_ALIGNED(32);
static uint64_t hyp_l2[4][LPAE_ENTRIES] MV_ALIGNED(PAGE_SIZE);
static uint32_t hyp_l2_used;

/* HYP tables come from a static array: the identity map never needs level 3. */
static void *hyp_table_alloc(void)
{
	return hyp_l2_used < 4 ? hyp_l2[hyp_l2_used++] : NULL;
}

void hyp_mmu_build(void)
{
	const uint64_t normal = LPAE_AF | LPAE_SH_INNER | LPAE_HYP_AP_RW | LPAE_ATTRIDX(HMAIR_IDX_NORMAL);
	const uint64_t device = LPAE_AF | LPAE_HYP_AP_RW | LPAE_XN | LPAE_ATTRIDX(HMAIR_IDX_DEVICE);
	if (lpae_map(hyp_l1, plat.board.ram.base, plat.board.ram.base, plat.board.ram.size, normal, hyp_table_alloc))
		panic("HYP stage 1: cannot map RAM");
	for (unsigned i = 0; i < MV_ARRAY_SIZE(plat.devices) && plat.devices[i].size; i++)
		if (lpae_map(hyp_l1, plat.devices[i].base, plat.devices[i].base, plat.devices[i].size,
			     device, hyp_table_alloc))
			panic("HYP stage 1: cannot map device window %u", i);
	dsb();
}

void hyp_mmu_enable(void)
{
	sysreg_write_hmair0(HMAIR0_VALUE);
	sysreg_write_hmair1(0);
	sysreg_write_htcr(HTCR_VALUE);
	sysreg_write_httbr((uint64_t)(uintptr_t)hyp_l1);
	isb();
	tlbi_all_hyp();
	icache_inval_all();
	dsb();
	isb();
	sysreg_write_hsctlr(HSCTLR_RES1 | HSCTLR_M | HSCTLR_C | HSCTLR_I);
	isb();
}

enum mv_status arch_stage2_init(struct vmmu *m)
{
	m->arch.root = pagepool_alloc(); /* 4 entries used; a page keeps the pool simple */
	if (!m->arch.root)
		return MV_E_NO_MEMORY;
	m->arch.vttbr = (uint64_t)arch_virt_to_phys(m->arch.root) | ((uint64_t)(m->vmid & 0xffu) << 48);
	return MV_OK;
}

enum mv_status arch_stage2_map(struct vmmu *m, struct ipa ipa, struct pa pa, uint32_t size,
			       uint32_t flags)
{
	enum mv_status st = lpae_map(m->arch.root, ipa.bits, pa.bits, size, lpae_stage2_attrs(flags),
				     pagepool_alloc);
	dsb();
	tlbi_all_nsnh_is();
	dsb();
	isb();
	return st;
}
