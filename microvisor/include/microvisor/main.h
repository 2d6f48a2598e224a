/* SPDX-License-Identifier: MIT */
/* Entry points of the generic boot flow, called by the arch boot code. */
#ifndef MICROVISOR_MAIN_H
#define MICROVISOR_MAIN_H

#include <microvisor/types.h>

/* On the primary CPU, once it is set up: checks the boot table, creates and starts the
 * cells. Returns the number of physical CPUs the system description asks for. */
uint32_t mv_boot(void);
/* On every CPU, last: runs the scheduler and enters guests; never returns. */
MV_NORETURN void mv_run(unsigned pcpu);

#endif
