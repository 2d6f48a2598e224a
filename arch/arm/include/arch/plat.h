/* SPDX-License-Identifier: MIT */
/* Board data: one `struct plat` per board, in arch/arm/plat/<board>.c. */
#ifndef ARCH_PLAT_H
#define ARCH_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microvisor/board.h>

struct plat_window {
	uint32_t base; /* 2 MiB aligned */
	uint32_t size; /* multiple of 2 MiB */
};

/* `board` holds every fact a system description is checked against (board.h): RAM (mapped
 * normal, write-back in HYP), the debug UART (mapped in HYP only), the GIC, the reserved
 * ranges. The rest only the microvisor needs. */
struct plat {
	struct mv_board board;         /* first: the image header points mvimage at it */
	uint32_t timer_freq;           /* CNTFRQ to program when entered in Secure SVC, Hz */
	struct plat_window devices[4]; /* mapped as Device in HYP; size 0 ends the list */
	/* With more than one CPU up, the longest a CPU runs a guest without an exit to HYP,
	 * where it yields (cpu.h, yield()), in us; 0: no limit. For QEMU's machines: under
	 * -icount QEMU 7.2 runs the CPUs in turns on one thread and gives a CPU that never
	 * idles or yields every turn, so a guest spinning on one CPU would stop the others. */
	uint32_t turn_us;
	/* Sends the secondary CPUs to `entry` (they park in the microvisor's pen). Runs in
	 * Secure SVC with the MMU off when the microvisor was entered there, else in HYP. */
	void (*release_secondaries)(uint32_t entry);
	void (*system_off)(void); /* powers the board off; may return if it cannot */
	bool (*uart_putc)(uint32_t base, char c); /* false: transmit FIFO full, nothing sent */
};

_Static_assert(offsetof(struct plat, board) == 0, "microvisor.ld: __board_offset = plat");

extern const struct plat plat;

/* Helpers shared by board files. */
bool pl011_putc(uint32_t base, char c);
bool ns16550_putc(uint32_t base, char c); /* 32-bit registers (reg-shift 2) */
void psci_firmware_release_secondaries(uint32_t entry);
void psci_firmware_system_off(void);

#endif
