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
#define HSCTLR_WXN (1u << 19)                         /* writable memory is never executable */
#define LPAE_HYP_AP_RO (LPAE_HYP_AP_RW | (1ull << 7)) /* AP[2] = 1: read-only */

static uint64_t hyp_l1[4] MV_ALIGNED(32);
/* Four level-2 tables (one per GiB) and the level-3 table of the microvisor's 2 MiB. */
static uint64_t hyp_tables[5][LPAE_ENTRIES] MV_ALIGNED(PAGE_SIZE);
static uint32_t hyp_tables_used;

extern const char __image_start[], __text_end[], __rodata_end[];

static void *hyp_table_alloc(void)
{
	return hyp_tables_used < 5 ? hyp_tables[hyp_tables_used++] : NULL;
}

static void hyp_map(uint32_t base, uint32_t end, uint64_t attrs)
{
	if (end > base && lpae_map(hyp_l1, base, base, end - base, attrs, hyp_table_alloc))
		panic("HYP stage 1: cannot map %08x..%08x", (unsigned)base, (unsigned)end);
}

/*
 * W^X (as Bao and seL4 do): the microvisor's text is read-only and executable, its
 * read-only data read-only, and everything else it maps (data, stacks, the payload, cell
 * memory it loads) writable and never executable. HSCTLR.WXN makes the last a rule of the
 * MMU. The 2 MiB block that holds the image is mapped with pages, the rest with blocks.
 */
static void hyp_map_ram(void)
{
	const uint64_t normal = LPAE_AF | LPAE_SH_INNER | LPAE_ATTRIDX(HMAIR_IDX_NORMAL);
	uint32_t ram = plat.board.ram.base, ram_end = ram + plat.board.ram.size;
	uint32_t text = (uint32_t)(uintptr_t)__image_start,
		 text_end = (uint32_t)(uintptr_t)__text_end;
	uint32_t ro_end = (uint32_t)(uintptr_t)__rodata_end;
	uint32_t blk = text & ~(BLOCK_2M - 1u), blk_end = blk + BLOCK_2M;
	hyp_map(ram, blk, normal | LPAE_HYP_AP_RW | LPAE_XN);
	hyp_map(blk, text, normal | LPAE_HYP_AP_RW | LPAE_XN);
	hyp_map(text, text_end, normal | LPAE_HYP_AP_RO);
	hyp_map(text_end, ro_end, normal | LPAE_HYP_AP_RO | LPAE_XN);
	hyp_map(ro_end, blk_end, normal | LPAE_HYP_AP_RW | LPAE_XN);
	hyp_map(blk_end, ram_end, normal | LPAE_HYP_AP_RW | LPAE_XN);
}

void hyp_mmu_build(void)
{
	const uint64_t device = LPAE_AF | LPAE_HYP_AP_RW | LPAE_XN | LPAE_ATTRIDX(HMAIR_IDX_DEVICE);
	hyp_map_ram();
	for (unsigned i = 0; i < MV_ARRAY_SIZE(plat.devices) && plat.devices[i].size; i++)
		if (lpae_map(hyp_l1, plat.devices[i].base, plat.devices[i].base,
			     plat.devices[i].size, device, hyp_table_alloc))
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
	sysreg_write_hsctlr(HSCTLR_RES1 | HSCTLR_M | HSCTLR_C | HSCTLR_I | HSCTLR_WXN);
	isb();
}

enum mv_status arch_stage2_init(struct vmmu *m)
{
	m->arch.root = pagepool_alloc(); /* 4 entries used; a page keeps the pool simple */
	if (!m->arch.root)
		return MV_E_NO_MEMORY;
	m->arch.vttbr =
		(uint64_t)arch_virt_to_phys(m->arch.root) | ((uint64_t)(m->vmid & 0xffu) << 48);
	return MV_OK;
}

enum mv_status arch_stage2_map(struct vmmu *m, struct ipa ipa, struct pa pa, uint32_t size,
			       uint32_t flags)
{
	enum mv_status st = lpae_map(m->arch.root, ipa.bits, pa.bits, size,
				     lpae_stage2_attrs(flags), pagepool_alloc);
	dsb();
	tlbi_all_nsnh_is();
	dsb();
	isb();
	return st;
}
