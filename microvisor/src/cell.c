/* SPDX-License-Identifier: MIT */
/* Cells: creation from the boot table, start, stop and restart, and the per-cell debug
 * console line buffer. */
#include <arch/atomic.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/log.h>
#include <microvisor/string.h>
#include <vdev/vdev.h>

struct cell cells[CONFIG_MAX_CELLS];
uint32_t num_cells;
static struct vcpu vcpus[CONFIG_MAX_VCPUS];
static volatile uint32_t cells_running;

void cells_create(const struct mv_boot_header *hdr)
{
	const uint8_t *base = (const uint8_t *)hdr;
	const struct mv_boot_cell *bc = (const void *)(base + hdr->cells_offset);
	const struct mv_boot_region *regions = (const void *)(base + hdr->regions_offset);
	uint32_t next_vcpu = 0;
	uint32_t freq_per_us = arch_counter_freq() / 1000000u;

	for (uint32_t i = 0; i < hdr->num_cells; i++) {
		struct cell *c = &cells[i];
		c->boot = &bc[i];
		c->image = base + bc[i].image_offset;
		c->id = i;
		c->state = CELL_OFF;
		c->vcpus = &vcpus[next_vcpu];
		c->num_vcpus = bc[i].num_vcpus;
		next_vcpu += c->num_vcpus;
		/* VMID 0 is left unused so that a stale VTTBR never matches a cell. */
		if (vmmu_init(&c->vmmu, i + 1, &regions[bc[i].first_region], bc[i].num_regions) != MV_OK ||
		    arch_vgic_cell_init(c) != MV_OK)
			panic("cell %s: stage-2 tables do not fit in the pool", bc[i].name);
		for (uint32_t n = 0; n < c->num_vcpus; n++) {
			struct vcpu *v = &c->vcpus[n];
			v->cell = c;
			v->index = n;
			v->id = (uint32_t)(v - vcpus);
			v->pcpu = bc[i].vcpu_pcpu[n];
			v->state = VCPU_OFF;
			v->priority = bc[i].priority;
			v->slice_ticks = (uint64_t)bc[i].time_slice_us * freq_per_us;
			v->wake_at = UINT64_MAX;
			v->budget = (uint64_t)bc[i].budget_us * freq_per_us;
			v->period = (uint64_t)bc[i].period_us * freq_per_us;
			sched_pin(v);
		}
		log_printf("cell %u %s: %u vCPU, priority %u, %u region(s), image %u bytes\n", i,
			   bc[i].name, c->num_vcpus, c->boot->priority, c->boot->num_regions,
			   c->boot->image_size);
	}
	num_cells = hdr->num_cells;
}

void cell_start(struct cell *c)
{
	struct pa pa;
	if (!vmmu_ram_range(&c->vmmu, ipa_init(c->boot->load_ipa), c->boot->image_size, &pa))
		panic("cell %s: image outside its RAM", c->boot->name); /* boot_table_check rules it out */
	void *dst = arch_phys_to_virt(pa);
	memcpy(dst, c->image, c->boot->image_size);
	arch_dcache_clean(dst, c->boot->image_size);
	uint32_t dtb = 0;
	if (c->boot->dtb_size) {
		if (!vmmu_ram_range(&c->vmmu, ipa_init(c->boot->dtb_ipa), c->boot->dtb_size, &pa))
			panic("cell %s: device tree outside its RAM", c->boot->name);
		dst = arch_phys_to_virt(pa);
		memcpy(dst, (const uint8_t *)c->image - c->boot->image_offset + c->boot->dtb_offset,
		       c->boot->dtb_size);
		arch_dcache_clean(dst, c->boot->dtb_size);
		dtb = c->boot->dtb_ipa;
	}
	c->cntvoff = arch_counter_now();
	c->line_len = 0;
	arch_vgic_cell_reset(c);
	c->state = CELL_RUNNING;
	atomic_add_return(&cells_running, 1);
	c->vcpus[0].start_dtb = dtb;
	if (vcpu_start(&c->vcpus[0], c->boot->entry_ipa, 0) != MV_OK)
		panic("cell %s: vCPU 0 not off at start", c->boot->name);
}

void cell_stop(struct cell *c, bool restart)
{
	if (atomic_cmpxchg(&c->state, CELL_RUNNING, CELL_STOPPING) != CELL_RUNNING)
		return;
	c->restart_after_stop = restart;
	c->stops_outstanding = c->num_vcpus;
	for (uint32_t i = 0; i < c->num_vcpus; i++)
		vcpu_post_request(&c->vcpus[i], VCPU_REQ_STOP);
}

void cell_vcpu_stopped(struct cell *c)
{
	if (atomic_add_return(&c->stops_outstanding, (uint32_t)-1) != 0)
		return;
	c->state = CELL_OFF;
	vdev_provider_stopped(c);
	if (c->restart_after_stop) {
		c->reset_count++;
		log_event("cell %s: restarting (reset %u)\n", c->boot->name, c->reset_count);
		atomic_add_return(&cells_running, (uint32_t)-1);
		cell_start(c);
		return;
	}
	log_event("cell %s: stopped\n", c->boot->name);
	if (atomic_add_return(&cells_running, (uint32_t)-1) == 0) {
		log_event("microvisor: all cells stopped, powering off\n");
		arch_system_off();
	}
}

void cell_console_write(struct cell *c, const char *bytes, uint32_t n)
{
	/* vCPUs of one cell on different CPUs share the line buffer. */
	while (atomic_xchg(&c->line_lock, 1))
		;
	for (uint32_t i = 0; i < n; i++) {
		char ch = bytes[i];
		bool flush = ch == '\n' || c->line_len == CELL_LINE_MAX - 1;
		if (ch != '\n' && ch != '\r')
			c->line[c->line_len++] = (ch >= 0x20 && ch < 0x7f) || ch == '\t' ? ch : '?';
		if (flush) {
			c->line[c->line_len] = '\0';
			log_printf("[%s] %s\n", c->boot->name, c->line);
			c->line_len = 0;
		}
	}
	atomic_xchg(&c->line_lock, 0);
}

void cell_report_fault(struct cell *c, const char *what, uint32_t addr, uint32_t pc)
{
	/* One line per fault for the first few, then one in 1024: a hostile cell in a fault
	 * loop must not be able to monopolise the shared console. */
	static uint32_t reported[CONFIG_MAX_CELLS];
	uint32_t n = reported[c->id]++;
	if (n < 8 || (n & 1023u) == 0)
		log_event("cell %s: %s at %08x (pc %08x), fault #%u\n", c->boot->name, what, addr, pc,
			   n + 1);
}
