/* SPDX-License-Identifier: MIT */
/* The virtual GIC as a guest sees it: distributor register semantics (enable, pending,
 * priority, target, SGI), more pending vIRQs than list registers delivered in priority
 * order, the virtual timer interrupt, and an SGI that wakes the other vCPU from WFI. */
#include <cell/runtime.h>
#include <mv/gicv2.h>

#define MANY 20u

static volatile uint32_t hits[GIC_NUM_IRQS], order[64], norder, last_source;
static volatile uint32_t secondary_up, secondary_hits, secondary_source;

static void on_irq(uint32_t id, uint32_t source)
{
	hits[id]++;
	if (norder < 64)
		order[norder++] = id;
	last_source = source;
}

static void on_timer(uint32_t id, uint32_t source)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1" : : "r"(0u)); /* CNTV_CTL off */
	on_irq(id, source);
}

/* Re-arms the timer to fire at once from inside its own handler, before the EOI, the way
 * a guest's tick that finds its next event already due does; the second time it stops. */
static volatile uint32_t rearm_hits;

static void on_timer_rearm(uint32_t id, uint32_t source)
{
	(void)id;
	(void)source;
	if (++rearm_hits > 1) {
		__asm__ volatile("mcr p15, 0, %0, c14, c3, 1" : : "r"(0u));
		return;
	}
	uint64_t now = timer_now();
	__asm__ volatile("mcrr p15, 3, %0, %1, c14"
			 :
			 : "r"((uint32_t)now), "r"((uint32_t)(now >> 32)));
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1" : : "r"(1u)); /* on, unmasked: due */
	uint32_t ctl;
	do /* its physical interrupt is taken by the microvisor meanwhile (HCR.IMO) */
		__asm__ volatile("isb; mrc p15, 0, %0, c14, c3, 1" : "=r"(ctl));
	while (!(ctl & 4u) || (ctl & 2u) == 0); /* ISTATUS, and IMASK set by the microvisor */
}

static volatile uint8_t *gicd_byte(uint32_t off)
{
	return (volatile uint8_t *)(uintptr_t)(GIC_GICD + off);
}

static void settle(void)
{
	for (volatile int i = 0; i < 1000; i++)
		;
}

static void check_registers(void)
{
	uint32_t typer = gicd_read(GICD_TYPER);
	CHECK((typer & 0x1fu) == 3 && ((typer >> 5) & 7u) == mv_cell_info(MV_INFO_NUM_VCPUS) - 1u);
	gicd_write(GICD_ISENABLER + 4, 0x3u << 8); /* SPIs 40, 41 */
	CHECK(((gicd_read(GICD_ISENABLER + 4) >> 8) & 3u) == 3u);
	gicd_write(GICD_ICENABLER + 4, 1u << 8);
	CHECK(((gicd_read(GICD_ISENABLER + 4) >> 8) & 3u) == 2u);
	*gicd_byte(GICD_IPRIORITYR + 40) = 0x57;
	CHECK(*gicd_byte(GICD_IPRIORITYR + 40) == 0x50); /* 5 priority bits */
	CHECK(*gicd_byte(GICD_ITARGETSR + 27) == 1u);    /* private: this vCPU */
	*gicd_byte(GICD_ITARGETSR + 40) = 2;
	CHECK(*gicd_byte(GICD_ITARGETSR + 40) == 2);
	*gicd_byte(GICD_ITARGETSR + 40) = 1;
}

static void check_pending(void)
{
	irq_set_handler(45, on_irq);
	gicd_write(GICD_ISPENDR + 4, 1u << 13); /* SPI 45, still disabled */
	settle();
	CHECK(hits[45] == 0 && (gicd_read(GICD_ISPENDR + 4) & (1u << 13)));
	irq_enable(45, on_irq, 0x80);
	settle();
	CHECK(hits[45] == 1);
	irq_set_handler(46, on_irq);
	gicd_write(GICD_ISPENDR + 4, 1u << 14);
	gicd_write(GICD_ICPENDR + 4, 1u << 14);
	irq_enable(46, on_irq, 0x80);
	settle();
	CHECK(hits[46] == 0);
	irq_set_handler(3, on_irq);
	gicd_write(GICD_SGIR, (2u << 24) | 3u); /* to this vCPU only */
	settle();
	CHECK(hits[3] == 1 && last_source == 0);
}

static void check_many(void)
{
	irqs_off();
	norder = 0;
	for (uint32_t i = 0; i < MANY; i++)
		irq_enable(64 + i, on_irq,
			   (uint8_t)(0x10u + 8u * (MANY - 1u - i))); /* 83 most urgent */
	gicd_write(GICD_ISPENDR + 8, (1u << MANY) - 1u);
	irqs_on();
	settle();
	uint32_t in_order = 0;
	for (uint32_t k = 0; k < norder; k++)
		in_order += order[k] == 64 + MANY - 1u - k;
	cell_printf("%u of %u vIRQs delivered, %u in priority order\n", norder, MANY, in_order);
	CHECK(norder == MANY && in_order == MANY);
}

static void check_vtimer(void)
{
	irq_enable(27, on_timer, 0x80);
	uint64_t deadline = timer_now() + timer_freq() / 1000u;
	__asm__ volatile("mcrr p15, 3, %0, %1, c14"
			 :
			 : "r"((uint32_t)deadline), "r"((uint32_t)(deadline >> 32)));
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1" : : "r"(1u));
	/* Bounded by time, not by WFIs: any other interrupt may end a WFI early. */
	while (!hits[27] && timer_now() < deadline + timer_freq())
		wfi();
	uint64_t now = timer_now();
	if (hits[27] != 1 || now < deadline)
		cell_printf("vtimer: %u hits, woke %d us %s the deadline\n", hits[27],
			    (int)((now > deadline ? now - deadline : deadline - now) * 1000000u /
				  timer_freq()),
			    now >= deadline ? "after" : "before");
	CHECK(hits[27] == 1 && now >= deadline);
}

/* The vIRQ raised while its list register is still active is not lost. */
static void check_vtimer_reentrant(void)
{
	irq_set_handler(27, on_timer_rearm);
	uint64_t deadline = timer_now() + timer_freq() / 1000u;
	__asm__ volatile("mcrr p15, 3, %0, %1, c14"
			 :
			 : "r"((uint32_t)deadline), "r"((uint32_t)(deadline >> 32)));
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1" : : "r"(1u));
	while (rearm_hits < 2 && timer_now() < deadline + timer_freq() / 10u)
		wfi();
	CHECK(rearm_hits == 2);
}

static void on_secondary_sgi(uint32_t id, uint32_t source)
{
	(void)id;
	secondary_source = source;
	secondary_hits++;
}

static void secondary(uint32_t arg)
{
	(void)arg;
	gic_cpu_init();
	irq_set_handler(5, on_secondary_sgi);
	irqs_on();
	secondary_up = 1;
	while (!secondary_hits)
		wfi(); /* only the SGI can wake us */
}

static void check_sgi_wakes_other_vcpu(void)
{
	CHECK(cell_cpu_on(1, secondary, 0) == MV_OK);
	uint64_t start = timer_now(), second = timer_freq();
	while (!secondary_up && timer_now() - start < second)
		;
	for (volatile int i = 0; i < 100000; i++)
		;                               /* let it settle into WFI */
	gicd_write(GICD_SGIR, (2u << 16) | 5u); /* target list: vCPU 1 */
	while (!secondary_hits && timer_now() - start < 2 * second)
		;
	CHECK(secondary_up && secondary_hits == 1 && secondary_source == 0);
}

int main(void)
{
	gic_init();
	irqs_on();
	check_registers();
	check_pending();
	check_many();
	check_vtimer();
	check_vtimer_reentrant();
	check_sgi_wakes_other_vcpu();
	test_report();
	return 0;
}
