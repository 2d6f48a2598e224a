/* SPDX-License-Identifier: MIT */
/* The physical GICv2 (ARM IHI 0048B): distributor and CPU interface set-up, the interrupt
 * loop of HYP, SGIs between physical CPUs, and the HYP timer that drives scheduling. */
#include <arch/cpu.h>
#include <arch/hyp.h>
#include <arch/plat.h>
#include <microvisor/arch.h>
#include <microvisor/log.h>
#include <microvisor/cell.h>
#include <mv/gicv2.h>
#include <vcpu/vcpu.h>

#define GIC_MAX_ACKS 64u /* interrupts acknowledged per HYP entry */
#define IRQ_PRIORITY 0xa0u

/* Interrupt IDs used by the microvisor itself. */
#define SGI_RESCHEDULE 0u

/* Owner cell of each physical SPI given to a cell (pass-through). */
static struct cell *spi_owner[VGIC_NUM_IRQS];

static uint32_t gicd(uint32_t off)
{
	return plat.board.gicd.base + off;
}
static uint32_t gicc(uint32_t off)
{
	return plat.board.gicc.base + off;
}

void gic_init_distributor(void)
{
	uint32_t lines = ((mmio_read32(gicd(GICD_TYPER)) & 0x1fu) + 1u) * 32u;
	mmio_write32(gicd(GICD_CTLR), 0);
	for (uint32_t i = 32; i < lines; i += 32) {
		mmio_write32(gicd(GICD_ICENABLER + i / 8u), 0xffffffffu);
		mmio_write32(gicd(GICD_ICPENDR + i / 8u), 0xffffffffu);
	}
	for (uint32_t i = 32; i < lines; i += 4) {
		mmio_write32(gicd(GICD_IPRIORITYR + i), IRQ_PRIORITY * 0x01010101u);
		mmio_write32(gicd(GICD_ITARGETSR + i), 0x01010101u);
	}
	mmio_write32(gicd(GICD_CTLR), 1);
}

/* Banked per CPU: SGIs and PPIs, and the CPU interface. */
void gic_init_cpu(void)
{
	mmio_write32(gicd(GICD_ICENABLER), 0xffffffffu);
	for (uint32_t i = 0; i < 32; i += 4)
		mmio_write32(gicd(GICD_IPRIORITYR + i), IRQ_PRIORITY * 0x01010101u);
	mmio_write32(gicd(GICD_ISENABLER), (1u << SGI_RESCHEDULE) | (1u << GIC_PPI_HYP_TIMER) |
						   (1u << GIC_PPI_VTIMER) |
						   (1u << GIC_PPI_MAINTENANCE));
	mmio_write32(gicc(GICC_PMR), 0xf0u);
	mmio_write32(gicc(GICC_BPR), 0);
	/* Split priority drop and deactivation, so that a pass-through interrupt stays active
	 * until its guest EOIs it through the list register's HW bit (IHI 0048B 5.2.1). */
	mmio_write32(gicc(GICC_CTLR), 1u | GICC_CTLR_EOIMODE_NS);
}

void gic_route_spi(uint32_t pirq, struct cell *owner, unsigned pcpu)
{
	spi_owner[pirq] = owner;
	/* ITARGETSR is byte-addressable (IHI 0048B 4.3.12). */
	*(volatile uint8_t *)(uintptr_t)gicd(GICD_ITARGETSR + pirq) = (uint8_t)(1u << pcpu);
	mmio_write32(gicd(GICD_ISENABLER + 4u * (pirq / 32u)), 1u << (pirq % 32u));
}

void gic_deactivate(uint32_t pirq)
{
	mmio_write32(gicd(GICD_ICACTIVER + 4u * (pirq / 32u)), 1u << (pirq % 32u));
}

void gic_send_sgi(unsigned pcpu, unsigned sgi)
{
	/* CPU interface n serves physical CPU n on the boards we support. */
	mmio_write32(gicd(GICD_SGIR), (1u << (16 + pcpu)) | sgi);
}

/*
 * Work for another CPU: after its SGI this CPU yields, so that under QEMU's round-robin
 * TCG (-icount) that CPU acts on the work now, as it would on hardware, rather than when
 * this one next idles (cpu.h, yield()). A CPU not up yet gets no SGI: its first exit path
 * handles what was posted (the request is set before hyp_pcpus_up is read, and that CPU
 * sets its bit before it reads its requests), and an SGI would wake it in the boot
 * loader's stub before its entry is set, where it would spin.
 */
void arch_send_reschedule(unsigned pcpu)
{
	if (!(hyp_pcpus_up & (1u << pcpu)))
		return;
	gic_send_sgi(pcpu, SGI_RESCHEDULE);
	if (pcpu != hyp_this_pcpu()->id)
		yield();
}

void arch_hyp_timer_set(uint64_t deadline)
{
	if (hyp_turn_ticks) { /* more than one CPU up on a board with a turn (plat.h) */
		uint64_t turn_end = arch_counter_now() + hyp_turn_ticks;
		if (deadline > turn_end)
			deadline = turn_end;
	}
	if (deadline == UINT64_MAX) {
		sysreg_write_cnthp_ctl(0);
		return;
	}
	sysreg_write_cnthp_cval(deadline);
	sysreg_write_cnthp_ctl(1); /* ENABLE, not IMASK */
	isb();
}

/* Acknowledges every pending interrupt. The work is deferred to the exit path: the timer
 * and SGIs only mark this CPU's scheduler for re-evaluation. */
void gic_handle_irqs(void)
{
	struct sched *s = sched_of(arch_pcpu_id());
	/* Bounded: what is still pending after this many is taken at the next guest entry. */
	for (uint32_t n = 0; n < GIC_MAX_ACKS; n++) {
		uint32_t iar = mmio_read32(gicc(GICC_IAR));
		uint32_t id = iar & 0x3ffu;
		if (id >= GIC_SPURIOUS)
			return;
		mmio_write32(gicc(GICC_EOIR), iar);
		if (id >= 32 && id < VGIC_NUM_IRQS && spi_owner[id]) {
			vgic_hw_irq(spi_owner[id], id); /* the guest's EOI deactivates it */
			continue;
		}
		/* The loaded vCPU's own interrupts (its timer, its list registers) change no
		 * decision: a hazard bit has it flushed on entry, and a kick wakes it if it
		 * waits. The HYP timer and the reschedule SGI ask for a decision. */
		if (id == GIC_PPI_VTIMER) {
			vgic_vtimer_irq(sched_loaded(s));
		} else if (id == GIC_PPI_MAINTENANCE) {
			vgic_maintenance(sched_loaded(s));
		} else {
			if (id == GIC_PPI_HYP_TIMER) {
				/* Level-triggered: quiet until re-armed. A slice, a budget or a turn
				 * (plat.h) ended: under QEMU's round-robin TCG the other CPUs get
				 * their turn now (cpu.h, yield()). */
				sysreg_write_cnthp_ctl(0);
				yield();
			} else if (id != SGI_RESCHEDULE) {
				log_event("microvisor: unexpected interrupt %u\n", (unsigned)id);
			}
			sched_hazard_resched(s);
		}
		mmio_write32(gicc(GICC_DIR), iar);
	}
}

void arch_irq_poll(void)
{
	gic_handle_irqs();
}

void arch_idle_wait(void)
{
	dsb();
	wfi(); /* IRQs stay masked in HYP: WFI still wakes on a pending one */
	gic_handle_irqs();
}
