/* SPDX-License-Identifier: MIT */
/* Host stand-in for the cell runtime's header, as the console's UART drivers use it: the
 * MMIO accessors go to the test's fake register file instead of the bus. */
#ifndef CELL_RUNTIME_H
#define CELL_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint32_t mmio_read32(uintptr_t a);
void mmio_write32(uintptr_t a, uint32_t v);

#endif
