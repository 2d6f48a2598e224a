/* SPDX-License-Identifier: MIT */
/* Host fake of the cell arch part: vIRQs raised, for tests to inspect. */
#ifndef ARCH_CELL_ARCH_H
#define ARCH_CELL_ARCH_H

#include <stdint.h>

struct cell_arch {
	uint32_t virqs_raised;
	uint32_t last_virq;
};

#endif
