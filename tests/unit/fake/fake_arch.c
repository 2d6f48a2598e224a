/* SPDX-License-Identifier: MIT */
/* The host fake arch: a settable counter, a recorded HYP timer and IPIs, memory-backed
 * stage-2 tables built by the real LPAE code. Lets generic code run in unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/lpae.h>
#include <microvisor/arch.h>
#include <vcpu/vcpu.h>
#include <vmmu/vmmu.h>

#include "fake_arch.h"

struct fake_arch fake;

unsigned arch_pcpu_id(void) { return fake.pcpu; }
uint64_t arch_counter_now(void) { return fake.now; }
uint32_t arch_counter_freq(void) { return 1000000u; /* 1 tick = 1 us */ }
void arch_hyp_timer_set(uint64_t deadline) { fake.timer = deadline; }
void arch_send_reschedule(unsigned pcpu) { fake.ipis[pcpu]++; }

void arch_irq_poll(void) { fake.irq_polls++; }
void arch_branch_predictor_flush(void) {}

void arch_idle_wait(void)
{
	/* Idling in a test means time passes until the armed timer fires. */
	if (fake.timer == UINT64_MAX || ++fake.idles > 1000) {
		fprintf(stderr, "fake arch: idle with no timer armed\n");
		abort();
	}
	fake.now = fake.timer;
}

void arch_vcpu_reset(struct vcpu *v, uint32_t entry, uint32_t context)
{
	memset(&v->arch.regs, 0, sizeof(v->arch.regs));
	v->arch.regs.pc = entry;
	v->arch.regs.r[0] = context;
	v->arch.vtimer_deadline = UINT64_MAX;
	v->arch.resets++;
}

void arch_vcpu_unload(struct vcpu *v)
{
	(void)v;
	fake.unloads++;
}

void arch_vcpu_switch(struct vcpu *prev, struct vcpu *next)
{
	(void)prev;
	fake.last_switch_to = next;
	fake.switches++;
}

uint64_t arch_vcpu_vtimer_deadline(const struct vcpu *v) { return v->arch.vtimer_deadline; }

void arch_vcpu_reset_linux(struct vcpu *v, uint32_t entry, uint32_t dtb)
{
	arch_vcpu_reset(v, entry, 0);
	v->arch.regs.r[1] = 0xffffffffu;
	v->arch.regs.r[2] = dtb;
}

/* Fake physical addresses: offsets into one host arena, so that 32-bit descriptors can
 * hold them. Table pages come from the real page pool, which lies inside the arena. */
static uint8_t *arena_base;

uint32_t arch_virt_to_phys(const void *p)
{
	if (!arena_base)
		arena_base = (uint8_t *)((uintptr_t)p & ~(uintptr_t)0xfffffff);
	return 0x40000000u + (uint32_t)((const uint8_t *)p - arena_base);
}

void *arch_phys_to_virt(struct pa pa) { return arena_base + (pa.bits - 0x40000000u); }

void arch_dcache_clean(const void *p, uint32_t size) { (void)p; (void)size; }
void arch_console_putc(char c) { fputc(c, stderr); }
void arch_halt(void) { abort(); }
void arch_system_off(void) { fake.system_off++; abort(); }
void arch_enter_guest(struct vcpu *v) { (void)v; abort(); }
const void *arch_boot_payload(uint32_t *available) { *available = 0; return NULL; }
const struct mv_board *arch_board(void) { return NULL; }
uint32_t arch_image_start(void) { return 0x40000000u; }

enum mv_status arch_stage2_init(struct vmmu *m)
{
	m->arch.root = pagepool_alloc();
	return m->arch.root ? MV_OK : MV_E_NO_MEMORY;
}

enum mv_status arch_stage2_map(struct vmmu *m, struct ipa ipa, struct pa pa, uint32_t size,
			       uint32_t flags)
{
	return lpae_map(m->arch.root, ipa.bits, pa.bits, size, lpae_stage2_attrs(flags), pagepool_alloc);
}

bool arch_vcpu_virq_pending(struct vcpu *v) { return v->arch.virq_pending != 0; }
void arch_vcpu_vtimer_expired(struct vcpu *v) { v->arch.vtimer_fired++; }
void arch_vgic_flush(struct vcpu *v) { (void)v; fake.vgic_flushes++; }
void arch_vcpu_mmio_complete(struct vcpu *v, const struct vdev_request *req)
{
	(void)req;
	v->arch.mmio_completions++;
}

bool arch_mpidr_to_vcpu_index(uint32_t mpidr, uint32_t *index)
{
	if (mpidr & 0x00ffff00u)
		return false;
	*index = mpidr & 0xffu;
	return true;
}
