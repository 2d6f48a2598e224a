/* SPDX-License-Identifier: MIT */
/* The virtual GIC's hardware side: the virtualization extension's list registers managed
 * per vCPU (GIC architecture spec IHI 0048B, chapter 5), the virtual timer's interrupt and
 * the GICV mapping. Guests reach the CPU interface directly through GICV; the distributor
 * they see is emulated in vgic_dist.c. */
#include <arch/atomic.h>
#include <arch/cpu.h>
#include <arch/hyp.h>
#include <arch/plat.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/log.h>
#include <microvisor/string.h>
#include <arch/vgic.h>
#include <mv/gicv2.h>

_Static_assert(MV_GUEST_GICD_IPA >= MV_BOOT_VGIC_IPA &&
		       MV_GUEST_GICC_IPA + MV_GUEST_GICC_SIZE <=
			       MV_BOOT_VGIC_IPA + MV_BOOT_VGIC_SIZE,
	       "the vGIC stays in the window boot_table_check keeps free");

#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK (1u << 1)
#define CNTV_CTL_ISTATUS (1u << 2)

static uint32_t num_lrs;

static uint32_t gich_read(uint32_t off)
{
	return mmio_read32(plat.board.gich.base + off);
}
static void gich_write(uint32_t off, uint32_t v)
{
	mmio_write32(plat.board.gich.base + off, v);
}

enum mv_status arch_vgic_cell_init(struct cell *c)
{
	if (!num_lrs)
		num_lrs = (gich_read(GICH_VTR) & 0x3fu) + 1u;
	if (num_lrs > VGIC_NUM_LRS_MAX)
		num_lrs = VGIC_NUM_LRS_MAX;
	arch_vgic_cell_reset(c);
	return arch_stage2_map(&c->vmmu, ipa_init(MV_GUEST_GICC_IPA), pa_init(plat.board.gicv.base),
			       MV_GUEST_GICC_SIZE, MV_REGION_DEVICE);
}

void arch_vgic_cell_reset(struct cell *c)
{
	struct vgic_dist *d = &c->arch.vgic;
	uint32_t hw[VGIC_WORDS];
	memcpy(hw, d->hw, sizeof(hw));
	memset(d, 0, sizeof(*d));
	memcpy(d->hw, hw, sizeof(hw));
	memset(d->targets, 1, sizeof(d->targets));
	for (uint32_t n = 0; n < c->num_vcpus; n++)
		memset((void *)c->vcpus[n].arch.vgic.pending, 0,
		       sizeof(c->vcpus[n].arch.vgic.pending));
	/* A restarted cell may have died with a pass-through interrupt still active. */
	for (uint32_t id = 32; id < VGIC_NUM_IRQS; id++)
		if (d->hw[id / 32u] & vgic_bit(id))
			gic_deactivate(id);
}

void arch_irq_assign(struct cell *c, uint32_t pirq)
{
	c->arch.vgic.hw[pirq / 32u] |= vgic_bit(pirq);
	gic_route_spi(pirq, c, c->vcpus[0].pcpu);
}

static uint32_t lr_encode(const struct vcpu *v, uint32_t id)
{
	uint32_t lr = id | ((uint32_t)(vgic_priority(v, id) >> 3) << GICH_LR_PRIO_SHIFT) |
		      GICH_LR_PENDING;
	if (v->cell->arch.vgic.hw[id / 32u] & vgic_bit(id))
		lr |= GICH_LR_HW | (id << GICH_LR_PHYS_SHIFT);
	else if (id < 16)
		lr |= (uint32_t)v->arch.vgic.sgi_source[id]
		      << GICH_LR_PHYS_SHIFT; /* CPUID of the SGI */
	return lr;
}

/*
 * A hardware interrupt for the vCPU running on this CPU goes straight into a list
 * register when that is what the refill on entry would do anyway: `v` runs here (so it
 * needs no wake-up and gets the register when we return to it), nothing of it waits in
 * the pending bits (so no more urgent vIRQ is passed over), and every list register is
 * free (so `id` is not listed already). What is raised after it, before the guest runs,
 * is listed on entry by priority into the other registers, and the virtual CPU interface
 * orders them all (IHI 0048B 5.3); only when more than the list registers wait at once
 * can a more urgent one queue behind it, as behind any listed vIRQ. Emulated raises (a
 * cell's ISPENDR, doorbells) may come in bursts, and keep the pending-bit path.
 */
static bool vgic_list_now(struct vcpu *v, uint32_t id)
{
	uint32_t all = (1u << num_lrs) - 1u, waiting = 0;
	for (uint32_t w = 0; w < VGIC_WORDS; w++)
		waiting |= v->arch.vgic.pending[w];
	if (v->pcpu != arch_pcpu_id() || sched_of(v->pcpu)->current != v || waiting ||
	    !vgic_enabled(v, id) || (gich_read(GICH_ELSR0) & all) != all)
		return false;
	gich_write(GICH_LR(0), lr_encode(v, id));
	return true;
}

static void vgic_raise(struct vcpu *v, uint32_t id)
{
	if (!vgic_list_now(v, id))
		vgic_set_pending(v, id);
}

void vgic_hw_irq(struct cell *c, uint32_t id)
{
	vgic_raise(&c->vcpus[0], id); /* where arch_irq_assign() routed it */
}

/*
 * List register `n` is in use: its ID counts as listed. If that ID became pending again
 * while the guest handles it (the LR is active: a virtual timer re-armed in its own
 * handler fires before the EOI), the LR becomes pending and active (IHI 0048B 5.3.10),
 * so the new edge is delivered after the EOI instead of waiting in our pending bits with
 * nothing left to flush it. A hardware-mapped LR cannot be both (its physical interrupt
 * stays active until the guest's EOI, so it cannot be pending again meanwhile). An SGI
 * from another source is another interrupt, and merging it would report the wrong
 * source: it waits for the next refill (left: an EOI maintenance interrupt for it).
 */
static void listed_add_or_merge(struct vcpu *v, uint32_t n, uint32_t *listed)
{
	uint32_t lr = gich_read(GICH_LR(n)), id = lr & 0x3ffu;
	listed[id / 32u] |= vgic_bit(id);
	if ((lr & GICH_LR_STATE_MASK) != GICH_LR_ACTIVE || (lr & GICH_LR_HW) ||
	    !(v->arch.vgic.pending[id / 32u] & vgic_bit(id)) || !vgic_enabled(v, id) ||
	    (id < 16 && ((lr >> GICH_LR_PHYS_SHIFT) & 7u) != v->arch.vgic.sgi_source[id]))
		return;
	gich_write(GICH_LR(n), lr | GICH_LR_PENDING);
	atomic_and(&v->arch.vgic.pending[id / 32u], ~vgic_bit(id));
}

/* Some vIRQ is pending and not listed: the cheap test that ends the refill loop. */
static inline bool vgic_any_unlisted(const struct vcpu *v, const uint32_t *listed)
{
	_Static_assert(VGIC_WORDS == 4, "one term per pending word");
	const volatile uint32_t *p = v->arch.vgic.pending;
	return ((p[0] & ~listed[0]) | (p[1] & ~listed[1]) | (p[2] & ~listed[2]) |
		(p[3] & ~listed[3])) != 0;
}

/*
 * Moves pending vIRQs into free list registers, most urgent first. A vIRQ already in a
 * list register stays pending here until that register frees. If some remain, the
 * underflow maintenance interrupt (GICH_HCR.UIE) brings us back when registers free up.
 */
void arch_vgic_flush(struct vcpu *v)
{
	uint32_t free = gich_read(GICH_ELSR0) & ((1u << num_lrs) - 1u);
	uint32_t listed[VGIC_WORDS] = { 0 };
	for (uint32_t used = ~free & ((1u << num_lrs) - 1u); used; used &= used - 1u)
		listed_add_or_merge(v, (uint32_t)__builtin_ctz(used), listed);
	uint32_t hcr = GICH_HCR_EN;
	while (vgic_any_unlisted(v, listed)) {
		uint32_t id = vgic_best_pending(v, listed);
		if (id == VGIC_NUM_IRQS)
			break;
		if (!free) {
			hcr |= GICH_HCR_UIE;
			break;
		}
		uint32_t n = (uint32_t)__builtin_ctz(free);
		free &= free - 1u;
		gich_write(GICH_LR(n), lr_encode(v, id));
		atomic_and(&v->arch.vgic.pending[id / 32u], ~vgic_bit(id));
		listed[id / 32u] |= vgic_bit(id);
	}
	gich_write(GICH_HCR, hcr);
}

/* Underflow maintenance interrupt: list registers drained. It is level-triggered, so UIE
 * goes off now; the refill on the way back to the guest sets it again if needed. */
void vgic_maintenance(struct vcpu *v)
{
	gich_write(GICH_HCR, gich_read(GICH_HCR) & ~GICH_HCR_UIE);
	if (v)
		vcpu_hazard_set(v, VCPU_HZ_VGIC);
}

bool arch_vcpu_virq_pending(struct vcpu *v)
{
	uint32_t listed[VGIC_WORDS] = { 0 };
	if (vgic_best_pending(v, listed) != VGIC_NUM_IRQS)
		return true;
	/* A virtual timer that fired and that we masked (vgic_vtimer_irq), not reprogrammed
	 * since, is a wake-up even while the cell has its PPI disabled: WFI would otherwise
	 * wait for a deadline that no longer exists. */
	uint32_t fired = CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS;
	if ((v->arch.vgic.pending[0] & vgic_bit(GIC_PPI_VTIMER)) &&
	    (sysreg_read_cntv_ctl() & fired) == fired)
		return true;
	uint32_t free = gich_read(GICH_ELSR0);
	for (uint32_t n = 0; n < num_lrs; n++)
		if (!(free & (1u << n)) &&
		    (gich_read(GICH_LR(n)) & GICH_LR_STATE_MASK) == GICH_LR_PENDING)
			return true;
	return false;
}

/*
 * Saved and restored with the rest of the vCPU (vcpu_switch.c). Only the list registers
 * in use (not in GICH_ELSR0) are saved, and cleared so that the next vCPU finds none of
 * them; it gets back just the ones it had in use. A vCPU with no vIRQ listed (most
 * switches) costs no list-register access at all.
 */
void vgic_save(struct vgic_cpu *g)
{
	g->hcr = gich_read(GICH_HCR);
	g->vmcr = gich_read(GICH_VMCR);
	g->apr = gich_read(GICH_APR);
	uint32_t used = ~gich_read(GICH_ELSR0) & ((1u << num_lrs) - 1u);
	g->lr_used = used;
	for (; used; used &= used - 1u) {
		uint32_t n = (uint32_t)__builtin_ctz(used);
		g->lr[n] = gich_read(GICH_LR(n));
		gich_write(GICH_LR(n), 0);
	}
	gich_write(GICH_HCR, 0);
}

void vgic_restore(const struct vgic_cpu *g)
{
	for (uint32_t used = g->lr_used; used; used &= used - 1u) {
		uint32_t n = (uint32_t)__builtin_ctz(used);
		gich_write(GICH_LR(n), g->lr[n]);
	}
	gich_write(GICH_APR, g->apr);
	gich_write(GICH_VMCR, g->vmcr);
	gich_write(GICH_HCR, g->hcr | GICH_HCR_EN);
}

/* A vCPU (re)started by PSCI CPU_ON keeps the SPIs already pending for it, as a physical
 * CPU coming up finds them pending in the distributor; a cell restart clears them. */
void vgic_vcpu_reset(struct vgic_cpu *g)
{
	uint32_t spis[VGIC_WORDS];
	memcpy(spis, (const void *)g->pending, sizeof(spis));
	spis[0] = 0;
	memset(g, 0, sizeof(*g));
	memcpy((void *)g->pending, spis, sizeof(spis));
	g->enabled_private = 0xffffu; /* SGIs are always enabled on GICv2 implementations */
	g->hcr = GICH_HCR_EN;
}

/* Masks the loaded vCPU's virtual timer in hardware (its handler unmasks it when it
 * reprograms the timer, as Linux does) and raises its PPI. */
void vgic_vtimer_irq(struct vcpu *v)
{
	uint32_t ctl = sysreg_read_cntv_ctl();
	if ((ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)) !=
	    (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS))
		return;
	/* Masked even with no owner: a level interrupt nobody clears would stall this CPU. */
	sysreg_write_cntv_ctl(ctl | CNTV_CTL_IMASK);
	if (v)
		vgic_raise(v, GIC_PPI_VTIMER);
}

void arch_vcpu_unload(struct vcpu *v)
{
	(void)v; /* its state is being discarded: quiet what it left live in this CPU */
	sysreg_write_cntv_ctl(0);
	gich_write(GICH_HCR, 0);
	for (uint32_t n = 0; n < num_lrs; n++)
		gich_write(GICH_LR(n), 0);
	isb();
}

void arch_vcpu_vtimer_expired(struct vcpu *v)
{
	if (sched_loaded(sched_of(v->pcpu)) == v) {
		vgic_vtimer_irq(v);
		return;
	}
	v->arch.vtimer.ctl |= CNTV_CTL_IMASK;
	vgic_set_pending(v, GIC_PPI_VTIMER);
}
