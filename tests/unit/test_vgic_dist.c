/* SPDX-License-Identifier: MIT */
/* Unit test of the emulated GICv2 distributor (arch/arm/vgic_dist.c, IHI 0048B 4.3) on the
 * host: every register a cell can reach, friendly and hostile accesses side by side, the
 * routing of raised vIRQs and the one kick per 0->1 transition of a pending bit. */
#include <string.h>

#include <arch/vgic.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <mv/gicv2.h>

#include "check.h"

static struct cell cell;
static struct vcpu vcpus[3];
static uint32_t kicks[3];

/* The vCPU side is not linked: count kicks, accept hazards. */
void vcpu_kick(struct vcpu *v)
{
	kicks[v->index]++;
}
void vcpu_hazard_set(struct vcpu *v, uint32_t hz)
{
	v->hazards |= hz;
}

#define GICD(off) (MV_GUEST_GICD_IPA + (off))

static uint32_t rd(struct vcpu *v, uint32_t off, uint32_t size)
{
	uint32_t value = 0xdeadbeefu;
	CHECK(vgic_mmio(v, GICD(off), size, false, &value));
	return value;
}

static void wr(struct vcpu *v, uint32_t off, uint32_t size, uint32_t value)
{
	CHECK(vgic_mmio(v, GICD(off), size, true, &value));
}

static bool pending(const struct vcpu *v, uint32_t id)
{
	return v->arch.vgic.pending[id / 32u] & vgic_bit(id);
}

static void reset(uint32_t num_vcpus)
{
	memset(&cell, 0, sizeof(cell));
	memset(vcpus, 0, sizeof(vcpus));
	memset(kicks, 0, sizeof(kicks));
	cell.vcpus = vcpus;
	cell.num_vcpus = num_vcpus;
	memset(cell.arch.vgic.targets, 1, sizeof(cell.arch.vgic.targets));
	for (uint32_t i = 0; i < 3; i++) {
		vcpus[i].cell = &cell;
		vcpus[i].index = i;
		vcpus[i].arch.vgic.enabled_private = 0xffffu;
	}
}

static void test_id_registers(void)
{
	reset(2);
	CHECK(rd(&vcpus[0], GICD_TYPER, 4) == ((VGIC_WORDS - 1u) | (1u << 5)));
	CHECK(rd(&vcpus[0], GICD_IIDR, 4) == 0x43bu);
	CHECK(rd(&vcpus[0], GICD_PIDR2, 4) == 0x20u);
	wr(&vcpus[0], GICD_CTLR, 4, 0xffffffffu);
	CHECK(rd(&vcpus[1], GICD_CTLR, 4) == 1u); /* only Enable exists */
	/* Hostile: byte accesses to word-only registers read as zero and do nothing. */
	CHECK(rd(&vcpus[0], GICD_TYPER, 1) == 0);
	wr(&vcpus[0], GICD_CTLR, 2, 0);
	CHECK(rd(&vcpus[0], GICD_CTLR, 4) == 1u);
	/* Outside the distributor page: not ours to emulate. */
	uint32_t value = 0;
	CHECK(!vgic_mmio(&vcpus[0], MV_GUEST_GICD_IPA + MV_GUEST_GICD_SIZE, 4, false, &value));
	CHECK(!vgic_mmio(&vcpus[0], MV_GUEST_GICD_IPA - 4, 4, true, &value));
	/* Registers we do not implement: RAZ/WI, never a fault. */
	CHECK(rd(&vcpus[0], GICD_IGROUPR, 4) == 0 && rd(&vcpus[0], 0xffcu, 4) == 0);
	wr(&vcpus[0], GICD_ISACTIVER + 4, 4, ~0u);
	CHECK(rd(&vcpus[0], GICD_ISACTIVER + 4, 4) == 0);
}

static void test_enables(void)
{
	reset(2);
	/* Word 0 is banked per vCPU and the SGIs stay enabled whatever is written. */
	wr(&vcpus[0], GICD_ICENABLER, 4, 0xffffffffu);
	CHECK(rd(&vcpus[0], GICD_ISENABLER, 4) == 0x0000ffffu);
	CHECK(rd(&vcpus[1], GICD_ISENABLER, 4) == 0x0000ffffu);
	wr(&vcpus[1], GICD_ISENABLER, 4, 1u << 27);
	CHECK(rd(&vcpus[1], GICD_ISENABLER, 4) == (0x0000ffffu | (1u << 27)));
	CHECK(rd(&vcpus[0], GICD_ISENABLER, 4) == 0x0000ffffu);
	/* SPIs are shared, and an enable refills every vCPU's list registers. */
	vcpus[0].hazards = vcpus[1].hazards = 0;
	kicks[0] = kicks[1] = 0;
	wr(&vcpus[0], GICD_ISENABLER + 4, 4, 0x5u);
	CHECK(rd(&vcpus[1], GICD_ISENABLER + 4, 4) == 0x5u);
	CHECK((vcpus[1].hazards & VCPU_HZ_VGIC) && kicks[1] == 1);
	wr(&vcpus[1], GICD_ICENABLER + 4, 4, 0x1u);
	CHECK(rd(&vcpus[0], GICD_ICENABLER + 4, 4) == 0x4u);
	/* Hostile: words past the last interrupt are not registers. */
	wr(&vcpus[0], GICD_ISENABLER + 4 * VGIC_WORDS, 4, ~0u);
	CHECK(rd(&vcpus[0], GICD_ISENABLER + 4 * VGIC_WORDS, 4) == 0);
}

static void test_pending_and_kicks(void)
{
	reset(2);
	cell.arch.vgic.targets[40] = 2; /* SPI 40 to vCPU 1 */
	wr(&vcpus[0], GICD_ISPENDR + 4, 4, 1u << 8);
	CHECK(pending(&vcpus[1], 40) && !pending(&vcpus[0], 40));
	CHECK(kicks[1] == 1);
	/* A cell raising it in a loop sends no further kick while it is pending. */
	for (int i = 0; i < 1000; i++)
		wr(&vcpus[0], GICD_ISPENDR + 4, 4, 1u << 8);
	CHECK(kicks[1] == 1);
	CHECK(rd(&vcpus[0], GICD_ISPENDR + 4, 4) == (1u << 8));
	wr(&vcpus[0], GICD_ICPENDR + 4, 4, 1u << 8);
	CHECK(!pending(&vcpus[1], 40));
	wr(&vcpus[0], GICD_ISPENDR + 4, 4, 1u << 8);
	CHECK(kicks[1] == 2);
	/* PPIs pend on the writer's own vCPU; SGIs cannot be pended through ISPENDR. */
	wr(&vcpus[1], GICD_ISPENDR, 4, 0xffffffffu);
	CHECK(rd(&vcpus[1], GICD_ISPENDR, 4) == 0xffff0000u);
	CHECK(rd(&vcpus[0], GICD_ISPENDR, 4) == 0);
	wr(&vcpus[1], GICD_ICPENDR, 4, 0xffffffffu);
	CHECK(rd(&vcpus[1], GICD_ISPENDR, 4) == 0);
}

static void test_priorities_and_targets(void)
{
	reset(2);
	wr(&vcpus[0], GICD_IPRIORITYR + 40, 1, 0xffu);
	CHECK(rd(&vcpus[1], GICD_IPRIORITYR + 40, 1) == 0xf8u); /* 5 priority bits */
	wr(&vcpus[0], GICD_IPRIORITYR + 44, 4, 0x10203040u);
	CHECK(rd(&vcpus[0], GICD_IPRIORITYR + 44, 4) == 0x10203040u);
	/* SGI/PPI priorities are banked. */
	wr(&vcpus[0], GICD_IPRIORITYR + 27, 1, 0x80u);
	CHECK(rd(&vcpus[0], GICD_IPRIORITYR + 27, 1) == 0x80u);
	CHECK(rd(&vcpus[1], GICD_IPRIORITYR + 27, 1) == 0);
	/* Hostile: a word access at the last byte reaches only that byte. */
	wr(&vcpus[0], GICD_IPRIORITYR + VGIC_NUM_IRQS - 1, 4, 0xffffffffu);
	CHECK(rd(&vcpus[0], GICD_IPRIORITYR + VGIC_NUM_IRQS - 1, 4) == 0xf8u);
	/* ITARGETSR of SPIs is writable; of SGIs and PPIs it reads as the reader's own bit. */
	wr(&vcpus[0], GICD_ITARGETSR + 40, 1, 0x2u);
	CHECK(rd(&vcpus[1], GICD_ITARGETSR + 40, 1) == 0x2u);
	wr(&vcpus[1], GICD_ITARGETSR + 4, 4, 0xffffffffu);
	CHECK(rd(&vcpus[1], GICD_ITARGETSR + 4, 4) == 0x02020202u);
	CHECK(rd(&vcpus[0], GICD_ITARGETSR + 4, 4) == 0x01010101u);
	/* ICFGR: SGIs read as edge, read-only; PPIs read-only; SPIs stored. */
	CHECK(rd(&vcpus[0], GICD_ICFGR, 4) == 0xaaaaaaaau);
	wr(&vcpus[0], GICD_ICFGR, 4, 0);
	CHECK(rd(&vcpus[0], GICD_ICFGR, 4) == 0xaaaaaaaau);
	wr(&vcpus[0], GICD_ICFGR + 8, 4, 0x2u);
	CHECK(rd(&vcpus[0], GICD_ICFGR + 8, 4) == 0x2u);
}

static void test_sgis(void)
{
	reset(3);
	/* Target list: vCPUs 1 and 2; bits past the cell's vCPUs are ignored. */
	wr(&vcpus[0], GICD_SGIR, 4, (0u << 24) | (0xfeu << 16) | 5u);
	CHECK(!pending(&vcpus[0], 5) && pending(&vcpus[1], 5) && pending(&vcpus[2], 5));
	CHECK(vcpus[1].arch.vgic.sgi_source[5] == 0);
	/* All but self, and self. */
	wr(&vcpus[2], GICD_SGIR, 4, (1u << 24) | 7u);
	CHECK(pending(&vcpus[0], 7) && pending(&vcpus[1], 7) && !pending(&vcpus[2], 7));
	CHECK(vcpus[0].arch.vgic.sgi_source[7] == 2);
	wr(&vcpus[1], GICD_SGIR, 4, (2u << 24) | 3u);
	CHECK(pending(&vcpus[1], 3) && !pending(&vcpus[0], 3));
	/* Hostile: the reserved filter sends nothing; SGIR reads as zero. */
	wr(&vcpus[0], GICD_SGIR, 4, (3u << 24) | (0xffu << 16) | 9u);
	CHECK(!pending(&vcpus[0], 9) && !pending(&vcpus[1], 9) && !pending(&vcpus[2], 9));
	CHECK(rd(&vcpus[0], GICD_SGIR, 4) == 0);
	/* SPENDSGIR / CPENDSGIR: one byte per SGI, one bit per source vCPU. */
	wr(&vcpus[0], GICD_SPENDSGIR + 8, 1, 0x4u); /* SGI 8 from vCPU 2 */
	CHECK(pending(&vcpus[0], 8) && vcpus[0].arch.vgic.sgi_source[8] == 2);
	CHECK(rd(&vcpus[0], GICD_SPENDSGIR + 8, 1) == 0x4u);
	wr(&vcpus[0], GICD_CPENDSGIR + 8, 1, 0x4u);
	CHECK(!pending(&vcpus[0], 8));
	/* Hostile: a word at the last SPENDSGIR byte stops at SGI 15. */
	wr(&vcpus[0], GICD_SPENDSGIR + 15, 4, 0x01010101u);
	CHECK(pending(&vcpus[0], 15) && !pending(&vcpus[0], 16));
}

static void test_raise_and_best_pending(void)
{
	reset(2);
	/* Hostile IDs from a channel or vdev description never raise anything. */
	arch_virq_raise(&cell, 5);
	arch_virq_raise(&cell, VGIC_NUM_IRQS);
	arch_virq_raise(&cell, 0xffffffffu);
	CHECK(kicks[0] == 0 && kicks[1] == 0);
	/* A target mask naming no vCPU of the cell goes to vCPU 0; a pass-through SPI too. */
	cell.arch.vgic.targets[50] = 0x80u;
	arch_virq_raise(&cell, 50);
	CHECK(pending(&vcpus[0], 50));
	cell.arch.vgic.targets[51] = 2;
	cell.arch.vgic.hw[51 / 32u] |= vgic_bit(51);
	arch_virq_raise(&cell, 51);
	CHECK(pending(&vcpus[0], 51) && !pending(&vcpus[1], 51));
	/* The most urgent pending and enabled one wins; nothing while the distributor is off. */
	uint32_t listed[VGIC_WORDS] = { 0 };
	cell.arch.vgic.enabled[1] = vgic_bit(50) | vgic_bit(51);
	cell.arch.vgic.priority[50] = 0x80;
	cell.arch.vgic.priority[51] = 0x40;
	CHECK(vgic_best_pending(&vcpus[0], listed) == VGIC_NUM_IRQS);
	cell.arch.vgic.ctlr = 1;
	CHECK(vgic_best_pending(&vcpus[0], listed) == 51);
	listed[1] = vgic_bit(51);
	CHECK(vgic_best_pending(&vcpus[0], listed) == 50);
	CHECK(vgic_enabled(&vcpus[0], 3) && !vgic_enabled(&vcpus[0], 52));
	CHECK(vgic_priority(&vcpus[0], 51) == 0x40);
}

int main(void)
{
	test_id_registers();
	test_enables();
	test_pending_and_kicks();
	test_priorities_and_targets();
	test_sgis();
	test_raise_and_best_pending();
	return check_exit("test_vgic_dist");
}
