/* SPDX-License-Identifier: MIT */
/* The host fake arch: a settable counter, a recorded HYP timer and IPIs, memory-backed
 * stage-2 tables built by the real LPAE code. Lets generic code run in unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arch/lpae.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <vcpu/vcpu.h>
#include <vmmu/vmmu.h>

#include "fake_arch.h"

struct fake_arch fake;

unsigned arch_pcpu_id(void)
{
	return fake.pcpu;
}
uint64_t arch_counter_now(void)
{
	return fake.now;
}
uint32_t arch_counter_freq(void)
{
	return 1000000u; /* 1 tick = 1 us */
}
void arch_hyp_timer_set(uint64_t deadline)
{
	fake.timer = deadline;
}
void arch_send_reschedule(unsigned pcpu)
{
	fake.ipis[pcpu]++;
}

void arch_irq_poll(void)
{
	fake.irq_polls++;
}
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
	v->arch.regs.pc = entry & ~1u; /* as the real arch: bit 0 selects Thumb */
	v->arch.regs.cpsr = (entry & 1u) ? 1u << 5 : 0;
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

uint64_t arch_vcpu_vtimer_deadline(const struct vcpu *v)
{
	return v->arch.vtimer_deadline;
}

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

void *arch_phys_to_virt(struct pa pa)
{
	return arena_base + (pa.bits - 0x40000000u);
}

void arch_dcache_clean(const void *p, uint32_t size)
{
	(void)p;
	(void)size;
}
void arch_console_putc(char c)
{
	fputc(c, stderr);
}
void arch_halt(void)
{
	if (fake.halt_exit)
		exit(fake.halt_exit);
	abort();
}
void arch_system_off(void)
{
	fake.system_off++;
	abort();
}
void arch_enter_guest(struct vcpu *v)
{
	if (fake.enter_guest)
		fake.enter_guest(v);
	abort();
}
const void *arch_boot_payload(uint32_t *available)
{
	*available = fake.payload ? fake.payload_available : 0;
	return fake.payload;
}
const struct mv_board *arch_board(void)
{
	return fake.board;
}
uint32_t arch_image_start(void)
{
	return 0x40000000u;
}

enum mv_status arch_stage2_init(struct vmmu *m)
{
	m->arch.root = pagepool_alloc();
	return m->arch.root ? MV_OK : MV_E_NO_MEMORY;
}

enum mv_status arch_stage2_map(struct vmmu *m, struct ipa ipa, struct pa pa, uint32_t size,
			       uint32_t flags)
{
	return lpae_map(m->arch.root, ipa.bits, pa.bits, size, lpae_stage2_attrs(flags),
			pagepool_alloc);
}

bool arch_vcpu_virq_pending(struct vcpu *v)
{
	return v->arch.virq_pending != 0;
}
void arch_vcpu_vtimer_expired(struct vcpu *v)
{
	v->arch.vtimer_fired++;
}
void arch_vgic_flush(struct vcpu *v)
{
	(void)v;
	fake.vgic_flushes++;
}
void arch_vcpu_mmio_complete(struct vcpu *v, const struct vdev_request *req)
{
	fake.mmio_value = req->value;
	fake.mmio_abort = req->abort;
	fake.mmio_vcpu = v;
	v->arch.mmio_completions++;
}

bool arch_mpidr_to_vcpu_index(uint32_t mpidr, uint32_t *index)
{
	if (mpidr & 0x00ffff00u)
		return false;
	*index = mpidr & 0xffu;
	return true;
}

void arch_virq_raise(struct cell *c, uint32_t virq)
{
	c->arch.virqs_raised++;
	c->arch.last_virq = virq;
	fake.virq_raises++;
	fake.virq_cell = c;
	fake.virq_last = virq;
}

int fake_run_child(int (*fn)(void), char *out, unsigned out_size)
{
	int fds[2];
	if (pipe(fds) != 0)
		abort();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 2);
		close(fds[1]);
		fake.halt_exit = FAKE_HALTED;
		exit(fn());
	}
	close(fds[1]);
	unsigned len = 0;
	ssize_t n;
	while ((n = read(fds[0], out + len, out_size - 1u - len)) > 0 &&
	       len + (unsigned)n < out_size - 1u)
		len += (unsigned)n;
	if (n > 0)
		len += (unsigned)n;
	out[len] = '\0';
	char drain[256];
	while (read(fds[0], drain, sizeof(drain)) > 0)
		;
	close(fds[0]);
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}
