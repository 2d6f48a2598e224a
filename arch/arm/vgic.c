/* SPDX-License-Identifier: MIT */
/* The virtual GIC: a GICv2 distributor emulated per cell, and the virtualization
 * extension's list registers managed per vCPU (GIC architecture spec IHI 0048B, chapters
 * 4 and 5). Guests reach the CPU interface directly through GICV. */
#include <arch/atomic.h>
#include <arch/cpu.h>
#include <arch/hyp.h>
#include <arch/plat.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/log.h>
#include <microvisor/string.h>
#include <mv/gicv2.h>

/* Where every cell sees its GIC (the vexpress addresses; docs/system-description.md). */
#define GUEST_GICD_IPA MV_GUEST_GICD_IPA
#define GUEST_GICC_IPA MV_GUEST_GICC_IPA
#define GICV_SIZE MV_GUEST_GICC_SIZE
_Static_assert(GUEST_GICD_IPA >= MV_BOOT_VGIC_IPA &&
		       GUEST_GICC_IPA + GICV_SIZE <= MV_BOOT_VGIC_IPA + MV_BOOT_VGIC_SIZE,
	       "the vGIC stays in the window boot_table_check keeps free");

/* GICH registers (IHI 0048B 5.3) and list-register fields (5.3.10). */

#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK (1u << 1)
#define CNTV_CTL_ISTATUS (1u << 2)

static uint32_t num_lrs;

static uint32_t gich_read(uint32_t off) { return mmio_read32(plat.board.gich.base + off); }
static void gich_write(uint32_t off, uint32_t v) { mmio_write32(plat.board.gich.base + off, v); }

static uint32_t bit(uint32_t id) { return 1u << (id % 32u); }

enum mv_status arch_vgic_cell_init(struct cell *c)
{
	if (!num_lrs)
		num_lrs = (gich_read(GICH_VTR) & 0x3fu) + 1u;
	if (num_lrs > VGIC_NUM_LRS_MAX)
		num_lrs = VGIC_NUM_LRS_MAX;
	arch_vgic_cell_reset(c);
	return arch_stage2_map(&c->vmmu, ipa_init(GUEST_GICC_IPA), pa_init(plat.board.gicv.base), GICV_SIZE,
			       MV_REGION_DEVICE);
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
		memset((void *)c->vcpus[n].arch.vgic.pending, 0, sizeof(c->vcpus[n].arch.vgic.pending));
	/* A restarted cell may have died with a pass-through interrupt still active. */
	for (uint32_t id = 32; id < VGIC_NUM_IRQS; id++)
		if (d->hw[id / 32u] & bit(id))
			gic_deactivate(id);
}

/* Marks `id` pending on `v` and wakes it. Any CPU; the owner CPU moves it into a list
 * register on its way back into the guest. Only the 0->1 transition of the pending bit
 * kicks: a vIRQ already pending has its kick on the way, so a cell raising it in a loop
 * (GICD_SGIR, ISPENDR, CHANNEL_NOTIFY) sends no SGI storm to the target's CPU. */
static void vgic_set_pending(struct vcpu *v, uint32_t id)
{
	uint32_t old = atomic_or(&v->arch.vgic.pending[id / 32u], bit(id));
	vcpu_hazard_set(v, VCPU_HZ_VGIC);
	if (!(old & bit(id)))
		vcpu_kick(v);
}

void arch_virq_raise(struct cell *c, uint32_t virq)
{
	if (virq < 32 || virq >= VGIC_NUM_IRQS)
		return;
	uint32_t mask = c->arch.vgic.targets[virq] & ((1u << c->num_vcpus) - 1u);
	if (c->arch.vgic.hw[virq / 32u] & bit(virq))
		mask = 1; /* pass-through interrupts are wired to vCPU 0's physical CPU */
	uint32_t target = mask ? (uint32_t)__builtin_ctz(mask) : 0;
	vgic_set_pending(&c->vcpus[target], virq);
}

void arch_irq_assign(struct cell *c, uint32_t pirq)
{
	c->arch.vgic.hw[pirq / 32u] |= bit(pirq);
	gic_route_spi(pirq, c, c->vcpus[0].pcpu);
}

static bool enabled(const struct vcpu *v, uint32_t id)
{
	const struct vgic_dist *d = &v->cell->arch.vgic;
	if (!(d->ctlr & 1u))
		return false;
	if (id < 32)
		return v->arch.vgic.enabled_private & bit(id);
	return d->enabled[id / 32u] & bit(id);
}

static uint8_t priority(const struct vcpu *v, uint32_t id)
{
	return id < 32 ? v->arch.vgic.priority_private[id] : v->cell->arch.vgic.priority[id];
}

/* The most urgent pending, enabled vIRQ not already listed, or VGIC_NUM_IRQS. */
static uint32_t best_pending(const struct vcpu *v, const uint32_t *listed)
{
	uint32_t best = VGIC_NUM_IRQS;
	for (uint32_t w = 0; w < VGIC_WORDS; w++) {
		uint32_t bits = v->arch.vgic.pending[w] & ~listed[w];
		while (bits) {
			uint32_t id = w * 32u + (uint32_t)__builtin_ctz(bits);
			bits &= bits - 1u;
			if (enabled(v, id) && (best == VGIC_NUM_IRQS || priority(v, id) < priority(v, best)))
				best = id;
		}
	}
	return best;
}

static uint32_t lr_encode(const struct vcpu *v, uint32_t id)
{
	uint32_t lr = id | ((uint32_t)(priority(v, id) >> 3) << GICH_LR_PRIO_SHIFT) | GICH_LR_PENDING;
	if (v->cell->arch.vgic.hw[id / 32u] & bit(id))
		lr |= GICH_LR_HW | (id << GICH_LR_PHYS_SHIFT);
	else if (id < 16)
		lr |= (uint32_t)v->arch.vgic.sgi_source[id] << GICH_LR_PHYS_SHIFT; /* CPUID of the SGI */
	return lr;
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
	for (uint32_t n = 0; n < num_lrs; n++)
		if (!(free & (1u << n)))
			listed[(gich_read(GICH_LR(n)) & 0x3ffu) / 32u] |= bit(gich_read(GICH_LR(n)) & 0x3ffu);
	uint32_t hcr = GICH_HCR_EN;
	for (;;) {
		uint32_t id = best_pending(v, listed);
		if (id == VGIC_NUM_IRQS)
			break;
		if (!free) {
			hcr |= GICH_HCR_UIE;
			break;
		}
		uint32_t n = (uint32_t)__builtin_ctz(free);
		free &= free - 1u;
		gich_write(GICH_LR(n), lr_encode(v, id));
		atomic_and(&v->arch.vgic.pending[id / 32u], ~bit(id));
		listed[id / 32u] |= bit(id);
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
	if (best_pending(v, listed) != VGIC_NUM_IRQS)
		return true;
	/* A virtual timer that fired and that we masked (vgic_vtimer_irq), not reprogrammed
	 * since, is a wake-up even while the cell has its PPI disabled: WFI would otherwise
	 * wait for a deadline that no longer exists. */
	uint32_t fired = CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS;
	if ((v->arch.vgic.pending[0] & bit(GIC_PPI_VTIMER)) && (sysreg_read_cntv_ctl() & fired) == fired)
		return true;
	uint32_t free = gich_read(GICH_ELSR0);
	for (uint32_t n = 0; n < num_lrs; n++)
		if (!(free & (1u << n)) && (gich_read(GICH_LR(n)) & GICH_LR_STATE_MASK) == GICH_LR_PENDING)
			return true;
	return false;
}

/* Saved and restored with the rest of the vCPU (vcpu_switch.c). */
void vgic_save(struct vgic_cpu *g)
{
	g->hcr = gich_read(GICH_HCR);
	g->vmcr = gich_read(GICH_VMCR);
	g->apr = gich_read(GICH_APR);
	uint32_t free = gich_read(GICH_ELSR0);
	for (uint32_t n = 0; n < num_lrs; n++)
		g->lr[n] = (free & (1u << n)) ? 0 : gich_read(GICH_LR(n));
	gich_write(GICH_HCR, 0);
}

void vgic_restore(const struct vgic_cpu *g)
{
	for (uint32_t n = 0; n < num_lrs; n++)
		gich_write(GICH_LR(n), g->lr[n]);
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
		vgic_set_pending(v, GIC_PPI_VTIMER);
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

/* --- Distributor emulation (IHI 0048B 4.3) ------------------------------------------ */

static bool in(uint32_t off, uint32_t base, uint32_t bytes)
{
	return off >= base && off < base + bytes;
}

/* ISENABLER/ICENABLER/ISPENDR/ICPENDR: one bit per interrupt, word accesses. */
static uint32_t bits_access(struct vcpu *v, uint32_t reg, uint32_t word, bool write, uint32_t val)
{
	struct vgic_dist *d = &v->cell->arch.vgic;
	bool set = reg == GICD_ISENABLER || reg == GICD_ISPENDR;
	if (reg == GICD_ISENABLER || reg == GICD_ICENABLER) {
		uint32_t *en = word == 0 ? &v->arch.vgic.enabled_private : &d->enabled[word];
		if (write) {
			if (word == 0)
				val &= 0xffff0000u; /* SGIs stay enabled */
			*en = set ? *en | val : *en & ~val;
		}
		return *en;
	}
	if (!write) {
		uint32_t p = word == 0 ? v->arch.vgic.pending[0] : 0;
		for (uint32_t n = 0; word && n < v->cell->num_vcpus; n++)
			p |= v->cell->vcpus[n].arch.vgic.pending[word];
		return p;
	}
	for (uint32_t b = 0; b < 32; b++) {
		if (!(val & (1u << b)))
			continue;
		uint32_t id = word * 32u + b;
		if (set && id >= 32)
			arch_virq_raise(v->cell, id);
		else if (set && id >= 16)
			vgic_set_pending(v, id);
		for (uint32_t n = 0; !set && n < v->cell->num_vcpus; n++)
			if (id >= 16 && (id >= 32 || n == v->index))
				atomic_and(&v->cell->vcpus[n].arch.vgic.pending[word], ~(1u << b));
	}
	return 0;
}

static uint8_t *byte_reg(struct vcpu *v, uint32_t base, uint32_t id)
{
	if (base == GICD_IPRIORITYR)
		return id < 32 ? &v->arch.vgic.priority_private[id] : &v->cell->arch.vgic.priority[id];
	return id < 32 ? NULL : &v->cell->arch.vgic.targets[id];
}

/* IPRIORITYR and ITARGETSR: one byte per interrupt, byte or word accesses. */
static uint32_t byte_access(struct vcpu *v, uint32_t base, uint32_t off, uint32_t size, bool write,
			    uint32_t val)
{
	uint32_t r = 0;
	for (uint32_t i = 0; i < size; i++) {
		uint32_t id = off - base + i;
		uint8_t *b = byte_reg(v, base, id);
		uint8_t byte = (uint8_t)(val >> (8 * i));
		if (write && b)
			*b = base == GICD_IPRIORITYR ? byte & 0xf8u : byte; /* 5 priority bits */
		r |= (uint32_t)(b ? *b : (uint8_t)(1u << v->index)) << (8 * i);
	}
	return r;
}

static void sgi_write(struct vcpu *v, uint32_t val)
{
	uint32_t sgi = val & 0xfu, filter = (val >> 24) & 3u, list = (val >> 16) & 0xffu;
	uint32_t all = (1u << v->cell->num_vcpus) - 1u;
	uint32_t targets = filter == 0 ? list & all : filter == 1 ? all & ~(1u << v->index)
					   : filter == 2 ? 1u << v->index : 0;
	for (uint32_t n = 0; n < v->cell->num_vcpus; n++) {
		if (targets & (1u << n)) {
			v->cell->vcpus[n].arch.vgic.sgi_source[sgi] = (uint8_t)v->index;
			vgic_set_pending(&v->cell->vcpus[n], sgi);
		}
	}
}

/* SPENDSGIR/CPENDSGIR: a byte per SGI, a bit per requesting vCPU (we keep one source). */
static uint32_t sgi_pend_access(struct vcpu *v, uint32_t off, uint32_t size, bool write, uint32_t val,
				bool set)
{
	uint32_t r = 0;
	for (uint32_t i = 0; i < size; i++) {
		uint32_t sgi = (off & 0xfu) + i;
		if (sgi >= 16)
			break;
		uint8_t byte = (uint8_t)(val >> (8 * i));
		if (write && set && byte) {
			v->arch.vgic.sgi_source[sgi] = (uint8_t)__builtin_ctz(byte);
			vgic_set_pending(v, sgi);
		} else if (write && !set && byte) {
			atomic_and(&v->arch.vgic.pending[0], ~(1u << sgi));
		}
		if (v->arch.vgic.pending[0] & (1u << sgi))
			r |= (1u << v->arch.vgic.sgi_source[sgi]) << (8 * i);
	}
	return r;
}

static uint32_t dist_access(struct vcpu *v, uint32_t off, uint32_t size, bool write, uint32_t val)
{
	struct vgic_dist *d = &v->cell->arch.vgic;
	bool word = size == 4 && (off & 3u) == 0;
	if (in(off, GICD_IPRIORITYR, VGIC_NUM_IRQS) || in(off, GICD_ITARGETSR, VGIC_NUM_IRQS))
		return byte_access(v, off & ~0x3ffu, off, off + size <= (off & ~0x3ffu) + VGIC_NUM_IRQS ? size : 1,
				   write, val);
	if (in(off, GICD_CPENDSGIR, 32))
		return sgi_pend_access(v, off, size, write, val, off >= GICD_SPENDSGIR);
	if (!word)
		return 0; /* other registers are word-only: RAZ/WI */
	if (off == GICD_CTLR) {
		if (write)
			d->ctlr = val & 1u;
		return d->ctlr;
	}
	if (off == GICD_TYPER)
		return (VGIC_WORDS - 1u) | ((v->cell->num_vcpus - 1u) << 5);
	if (off == GICD_IIDR)
		return 0x0000043bu; /* implementer ARM */
	if (off == GICD_PIDR2)
		return 0x20u; /* ArchRev 2: GICv2 */
	if (off >= GICD_ISENABLER && off < GICD_ICPENDR + 4u * VGIC_WORDS && (off & 0x7fu) < 4u * VGIC_WORDS)
		return bits_access(v, off & ~0x7fu, (off & 0x7fu) / 4u, write, val);
	if (in(off, GICD_ICFGR, VGIC_NUM_IRQS / 4u)) {
		uint32_t n = (off - GICD_ICFGR) / 4u;
		if (write && n >= 2)
			d->cfg[n] = val;
		return n == 0 ? 0xaaaaaaaau : d->cfg[n];
	}
	if (off == GICD_SGIR && write)
		sgi_write(v, val);
	return 0; /* IGROUPR, I[SC]ACTIVER and the rest: RAZ/WI */
}

bool vgic_mmio(struct vcpu *v, uint32_t ipa, uint32_t size, bool write, uint32_t *value)
{
	if (!range_contains(GUEST_GICD_IPA, PAGE_SIZE, ipa))
		return false;
	struct vgic_dist *d = &v->cell->arch.vgic;
	spin_lock(&d->lock);
	uint32_t r = dist_access(v, ipa - GUEST_GICD_IPA, size, write, *value);
	spin_unlock(&d->lock);
	if (!write) {
		*value = r;
		return true;
	}
	/* An enable may have released vIRQs pending on any vCPU of the cell. */
	bool wide = ipa - GUEST_GICD_IPA == GICD_CTLR ||
		    in(ipa - GUEST_GICD_IPA, GICD_ISENABLER, 4u * VGIC_WORDS);
	for (uint32_t n = 0; wide && n < v->cell->num_vcpus; n++) {
		vcpu_hazard_set(&v->cell->vcpus[n], VCPU_HZ_VGIC);
		vcpu_kick(&v->cell->vcpus[n]);
	}
	vcpu_hazard_set(v, VCPU_HZ_VGIC);
	return true;
}
