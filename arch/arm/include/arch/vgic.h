/* SPDX-License-Identifier: MIT */
/* Between the two halves of the virtual GIC: the emulated distributor and pending state
 * (vgic_dist.c, portable) and the list registers (vgic.c). */
#ifndef ARCH_VGIC_H
#define ARCH_VGIC_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

static inline uint32_t vgic_bit(uint32_t id)
{
	return 1u << (id % 32u);
}

/* Marks vIRQ `id` pending on `v`; kicks it on the 0->1 transition only. Any CPU. */
void vgic_set_pending(struct vcpu *v, uint32_t id);
/* Enabled for `v` in its cell's distributor (and the distributor on). */
bool vgic_enabled(const struct vcpu *v, uint32_t id);
uint8_t vgic_priority(const struct vcpu *v, uint32_t id);
/* The most urgent pending, enabled vIRQ of `v` not in `listed`, or VGIC_NUM_IRQS. */
uint32_t vgic_best_pending(const struct vcpu *v, const uint32_t *listed);
/* A load or store of `v` at `ipa`: emulated if it is in the cell's distributor page. */
bool vgic_mmio(struct vcpu *v, uint32_t ipa, uint32_t size, bool write, uint32_t *value);

#endif
