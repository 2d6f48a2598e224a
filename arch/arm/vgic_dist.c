/* SPDX-License-Identifier: MIT */
/* The virtual GIC's distributor, emulated per cell (GIC architecture spec IHI 0048B, 4.3),
 * and the pending state of every vCPU's vIRQs. Portable C: the host unit tests build it
 * (tests/unit/test_vgic_dist.c); the list registers are vgic.c's. */
#include <arch/atomic.h>
#include <arch/vgic.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <mv/gicv2.h>

/* Marks `id` pending on `v` and wakes it. Any CPU; the owner CPU moves it into a list
 * register on its way back into the guest. Only the 0->1 transition of the pending bit
 * kicks: a vIRQ already pending has its kick on the way, so a cell raising it in a loop
 * (GICD_SGIR, ISPENDR, CHANNEL_NOTIFY) sends no SGI storm to the target's CPU. */
void vgic_set_pending(struct vcpu *v, uint32_t id)
{
	uint32_t old = atomic_or(&v->arch.vgic.pending[id / 32u], vgic_bit(id));
	vcpu_hazard_set(v, VCPU_HZ_VGIC);
	if (!(old & vgic_bit(id)))
		vcpu_kick(v);
}

void arch_virq_raise(struct cell *c, uint32_t virq)
{
	if (virq < 32 || virq >= VGIC_NUM_IRQS)
		return;
	uint32_t mask = c->arch.vgic.targets[virq] & ((1u << c->num_vcpus) - 1u);
	if (c->arch.vgic.hw[virq / 32u] & vgic_bit(virq))
		mask = 1; /* pass-through interrupts are wired to vCPU 0's physical CPU */
	uint32_t target = mask ? (uint32_t)__builtin_ctz(mask) : 0;
	vgic_set_pending(&c->vcpus[target], virq);
}

bool vgic_enabled(const struct vcpu *v, uint32_t id)
{
	const struct vgic_dist *d = &v->cell->arch.vgic;
	if (!(d->ctlr & 1u))
		return false;
	if (id < 32)
		return v->arch.vgic.enabled_private & vgic_bit(id);
	return d->enabled[id / 32u] & vgic_bit(id);
}

uint8_t vgic_priority(const struct vcpu *v, uint32_t id)
{
	return id < 32 ? v->arch.vgic.priority_private[id] : v->cell->arch.vgic.priority[id];
}

/* The most urgent pending, enabled vIRQ not already listed, or VGIC_NUM_IRQS; of equal
 * priorities the lowest ID. A whole word of candidates is masked at once: most exits
 * find none, or one. */
uint32_t vgic_best_pending(const struct vcpu *v, const uint32_t *listed)
{
	const struct vgic_dist *d = &v->cell->arch.vgic;
	uint32_t best = VGIC_NUM_IRQS, best_priority = 256;
	if (!(d->ctlr & 1u))
		return best;
	for (uint32_t w = 0; w < VGIC_WORDS; w++) {
		uint32_t enabled = w == 0 ? v->arch.vgic.enabled_private : d->enabled[w];
		for (uint32_t bits = v->arch.vgic.pending[w] & ~listed[w] & enabled; bits;
		     bits &= bits - 1u) {
			uint32_t id = w * 32u + (uint32_t)__builtin_ctz(bits);
			if (vgic_priority(v, id) < best_priority) {
				best = id;
				best_priority = vgic_priority(v, id);
			}
		}
	}
	return best;
}

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
		return id < 32 ? &v->arch.vgic.priority_private[id]
			       : &v->cell->arch.vgic.priority[id];
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
	uint32_t targets = filter == 0   ? list & all
			   : filter == 1 ? all & ~(1u << v->index)
			   : filter == 2 ? 1u << v->index
					 : 0;
	for (uint32_t n = 0; n < v->cell->num_vcpus; n++) {
		if (targets & (1u << n)) {
			v->cell->vcpus[n].arch.vgic.sgi_source[sgi] = (uint8_t)v->index;
			vgic_set_pending(&v->cell->vcpus[n], sgi);
		}
	}
}

/* SPENDSGIR/CPENDSGIR: a byte per SGI, a bit per requesting vCPU (we keep one source). */
static uint32_t sgi_pend_access(struct vcpu *v, uint32_t off, uint32_t size, bool write,
				uint32_t val, bool set)
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
		return byte_access(v, off & ~0x3ffu, off,
				   off + size <= (off & ~0x3ffu) + VGIC_NUM_IRQS ? size : 1, write,
				   val);
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
	if (off >= GICD_ISENABLER && off < GICD_ICPENDR + 4u * VGIC_WORDS &&
	    (off & 0x7fu) < 4u * VGIC_WORDS)
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
	if (!range_contains(MV_GUEST_GICD_IPA, PAGE_SIZE, ipa))
		return false;
	struct vgic_dist *d = &v->cell->arch.vgic;
	spin_lock(&d->lock);
	uint32_t r = dist_access(v, ipa - MV_GUEST_GICD_IPA, size, write, *value);
	spin_unlock(&d->lock);
	if (!write) {
		*value = r;
		return true;
	}
	/* An enable may have released vIRQs pending on any vCPU of the cell. */
	bool wide = ipa - MV_GUEST_GICD_IPA == GICD_CTLR ||
		    in(ipa - MV_GUEST_GICD_IPA, GICD_ISENABLER, 4u * VGIC_WORDS);
	for (uint32_t n = 0; wide && n < v->cell->num_vcpus; n++) {
		vcpu_hazard_set(&v->cell->vcpus[n], VCPU_HZ_VGIC);
		vcpu_kick(&v->cell->vcpus[n]);
	}
	vcpu_hazard_set(v, VCPU_HZ_VGIC);
	return true;
}
