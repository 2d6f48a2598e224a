/* SPDX-License-Identifier: MIT */
/* Interrupts for cells: the virtual GICv2 the microvisor gives every cell (distributor at
 * 0x2c001000, CPU interface at 0x2c002000; GIC spec IHI 0048B) and a handler table. */
#include <cell/runtime.h>
#include <mv/gicv2.h>

static irq_handler_t handlers[GIC_NUM_IRQS];

uint32_t gicd_read(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(GIC_GICD + off);
}
void gicd_write(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(GIC_GICD + off) = v;
}
static uint32_t gicc_read(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(GIC_GICC + off);
}
static void gicc_write(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(GIC_GICC + off) = v;
}

void gic_init(void)
{
	gicd_write(GICD_CTLR, 1);
	gic_cpu_init();
}

void gic_cpu_init(void)
{
	gicc_write(GICC_PMR, 0xf0);
	gicc_write(GICC_CTLR, 1);
}

void irq_set_handler(uint32_t id, irq_handler_t fn)
{
	if (id < GIC_NUM_IRQS)
		handlers[id] = fn;
}

void irq_enable(uint32_t id, irq_handler_t fn, uint8_t priority)
{
	if (id >= GIC_NUM_IRQS)
		return;
	handlers[id] = fn;
	*(volatile uint8_t *)(uintptr_t)(GIC_GICD + GICD_IPRIORITYR + id) = priority;
	gicd_write(GICD_ISENABLER + 4u * (id / 32u), 1u << (id % 32u));
}

void irq_disable(uint32_t id)
{
	gicd_write(GICD_ICENABLER + 4u * (id / 32u), 1u << (id % 32u));
}

void irq_dispatch(void)
{
	for (;;) {
		uint32_t iar = gicc_read(GICC_IAR);
		uint32_t id = iar & 0x3ffu;
		if (id >= 1020)
			return;
		if (handlers[id])
			handlers[id](id, (iar >> 10) & 7u);
		gicc_write(GICC_EOIR, iar);
	}
}
