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
		if (vmmu_init(&c->vmmu, i + 1, &regions[bc[i].first_region], bc[i].num_regions) !=
			    MV_OK ||
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
			v->slice_ticks = sched_us_to_ticks(bc[i].time_slice_us);
			v->wake_at = UINT64_MAX;
			v->budget = sched_us_to_ticks(bc[i].budget_us);
			v->period = sched_us_to_ticks(bc[i].period_us);
			sched_pin(v);
		}
		log_printf("cell %u %s: %u vCPU, priority %u, %u region(s), image %u bytes\n",
			   (unsigned)i, bc[i].name, (unsigned)c->num_vcpus,
			   (unsigned)c->boot->priority, (unsigned)c->boot->num_regions,
			   (unsigned)c->boot->image_size);
	}
	num_cells = hdr->num_cells;
}

/* The start of a cell's life: its vGIC and console line reset, vCPU 0 started to load
 * the image (cell_load_step) and run it. Called at boot and by the last stop of a
 * restarting cell, when every vCPU is off. */
void cell_start(struct cell *c)
{
	c->line_len = 0;
	c->load_done = 0;
	arch_vgic_cell_reset(c);
	c->state = CELL_RUNNING;
	atomic_add_return(&cells_running, 1);
	spin_lock(&c->life_lock);
	enum mv_status st = vcpu_start(&c->vcpus[0], c->boot->entry_ipa, 0, true);
	spin_unlock(&c->life_lock);
	if (st != MV_OK) /* every vCPU acknowledged the stop, and CPU_ON is refused meanwhile */
		panic("cell %s: vCPU 0 not off at start", c->boot->name);
}

/* Copies the next chunk of [src, src + size) to `ipa` in the cell, `done` bytes being
 * already there. Returns the bytes still to copy after this chunk. */
static uint32_t copy_chunk(struct cell *c, uint32_t ipa, const uint8_t *src, uint32_t size,
			   uint32_t done)
{
	uint32_t n = size - done < CONFIG_CELL_LOAD_CHUNK ? size - done : CONFIG_CELL_LOAD_CHUNK;
	struct pa pa;
	if (!vmmu_ram_range(&c->vmmu, ipa_init(ipa), size, &pa))
		panic("cell %s: image outside its RAM",
		      c->boot->name); /* boot_table_check rules it out */
	uint8_t *dst = (uint8_t *)arch_phys_to_virt(pa) + done;
	memcpy(dst, src + done, n);
	arch_dcache_clean(dst, n);
	return size - done - n;
}

void cell_load_step(struct vcpu *v)
{
	struct cell *c = v->cell;
	const struct mv_boot_cell *b = c->boot;
	uint32_t image = b->image_size, dtb = b->dtb_size;
	if (c->load_done < image) {
		c->load_done = image - copy_chunk(c, b->load_ipa, c->image, image, c->load_done);
		return;
	}
	if (c->load_done < image + dtb) {
		const uint8_t *src = c->image - b->image_offset + b->dtb_offset;
		uint32_t left = copy_chunk(c, b->dtb_ipa, src, dtb, c->load_done - image);
		c->load_done = image + dtb - left;
		return;
	}
	if (dtb)
		arch_vcpu_reset_linux(v, b->entry_ipa, b->dtb_ipa);
	else
		arch_vcpu_reset(v, b->entry_ipa, 0);
	c->cntvoff = arch_counter_now(); /* the cell's virtual counter starts at 0 now */
	v->loading = false;
}

enum mv_status cell_vcpu_start(struct vcpu *target, uint32_t entry, uint32_t context)
{
	struct cell *c = target->cell;
	spin_lock(&c->life_lock);
	enum mv_status st =
		c->state == CELL_RUNNING ? vcpu_start(target, entry, context, false) : MV_E_DENIED;
	spin_unlock(&c->life_lock);
	return st;
}

void cell_stop(struct cell *c, bool restart)
{
	spin_lock(&c->life_lock);
	bool stopping = atomic_cmpxchg(&c->state, CELL_RUNNING, CELL_STOPPING) == CELL_RUNNING;
	spin_unlock(&c->life_lock);
	if (!stopping)
		return;
	c->restart_after_stop = restart;
	c->stops_outstanding = c->num_vcpus;
	for (uint32_t i = 0; i < c->num_vcpus; i++)
		vcpu_post_request(&c->vcpus[i], VCPU_REQ_STOP);
}

void cell_vcpu_off(struct vcpu *v)
{
	struct cell *c = v->cell;
	bool all_off = true;
	spin_lock(&c->life_lock);
	for (uint32_t i = 0; i < c->num_vcpus; i++)
		all_off = all_off && c->vcpus[i].state == VCPU_OFF;
	spin_unlock(&c->life_lock);
	if (all_off) {
		log_event("cell %s: every vCPU is off\n", c->boot->name);
		cell_stop(c, false);
	}
}

void cell_vcpu_stopped(struct cell *c)
{
	if (atomic_add_return(&c->stops_outstanding, (uint32_t)-1) != 0)
		return;
	c->state = CELL_OFF;
	vdev_provider_stopped(c);
	if (c->restart_after_stop) {
		c->reset_count++;
		log_event("cell %s: restarting (reset %u)\n", c->boot->name,
			  (unsigned)c->reset_count);
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
		if (ch != '\n' && ch != '\r')
			c->line[c->line_len++] = (ch >= 0x20 && ch < 0x7f) || ch == '\t' ? ch : '?';
		/* A full line is printed with room left for its terminating NUL. */
		if (ch == '\n' || c->line_len == CELL_LINE_MAX - 1) {
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
		log_event("cell %s: %s at %08x (pc %08x), fault #%u\n", c->boot->name, what,
			  (unsigned)addr, (unsigned)pc, (unsigned)(n + 1));
}
