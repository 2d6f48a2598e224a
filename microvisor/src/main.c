/* SPDX-License-Identifier: MIT */
/* The generic boot flow: check the boot table, build the cells, start them, and run the
 * scheduler on every CPU. The arch code calls in here once its CPU is set up. */
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/log.h>
#include <microvisor/main.h>
#include <microvisor/string.h>
#include <channels/channel.h>
#include <vdev/vdev.h>

static uint32_t boot_num_pcpus = 1;

uint32_t mv_boot(void)
{
	struct boot_env env = { .board = arch_board(),
				.image_pa = arch_image_start(),
				.max_pcpus = CONFIG_MAX_PCPUS };
	const struct mv_boot_header *h = arch_boot_payload(&env.available);
	env.table_pa = arch_virt_to_phys(h);
	const char *err = boot_table_check(h, &env);
	if (err)
		panic("boot table: %s", err);
	log_printf("microvisor: boot table v%u, %u cell(s), %u CPU(s), %u bytes\n", h->version,
		   (unsigned)h->num_cells, (unsigned)h->num_pcpus, (unsigned)h->total_size);
	for (unsigned cpu = 0; cpu < CONFIG_MAX_PCPUS; cpu++)
		sched_init(cpu);
	cells_create(h);
	channels_create(h, arch_virt_to_phys(h) + h->total_size);
	vdevs_create(h);
	const struct mv_boot_irq *irqs = (const void *)((const uint8_t *)h + h->irqs_offset);
	for (uint32_t i = 0; i < h->num_irqs; i++)
		arch_irq_assign(&cells[irqs[i].cell], irqs[i].pirq);
	for (uint32_t i = 0; i < num_cells; i++)
		cell_start(&cells[i]);
	boot_num_pcpus = h->num_pcpus;
	for (uint32_t i = 0; i < num_cells; i++)
		if (!memcmp(cells[i].boot->name, MV_CONSOLE_CELL, sizeof(MV_CONSOLE_CELL)))
			log_quiet(); /* the console cell owns the UART from now on */
	return boot_num_pcpus;
}

void mv_run(unsigned pcpu)
{
	arch_enter_guest(sched_exit_path(sched_of(pcpu)));
}
