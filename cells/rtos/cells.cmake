# SPDX-License-Identifier: MIT
# The RTOS cell (docs/rtos.md) and its QEMU test cells (included by cells/CMakeLists.txt).
# The kernel is portable C plus arch/arm; tests/unit/rtos builds it against arch/host.
add_library(rtos_kernel STATIC
  rtos/kernel/sched.c rtos/kernel/time.c rtos/kernel/sync.c rtos/kernel/queue.c
  rtos/arch/arm/port.c rtos/arch/arm/entry.S)
target_include_directories(rtos_kernel PUBLIC rtos/include rtos/arch/arm/include)
target_link_libraries(rtos_kernel PUBLIC cell_runtime gcc)
target_compile_options(rtos_kernel PRIVATE $<$<COMPILE_LANGUAGE:C>:${MV_WARNINGS} ${CELL_FLAGS}>)

mv_add_cell(rtos rtos/demo/main.c rtos/demo/control.c rtos/demo/stats.c rtos/demo/server.c)
target_link_libraries(rtos.elf PRIVATE rtos_kernel)

# Test cells: the client that plays the Linux side of the control channel, a CPU-hungry
# cell, and a cell that tries to monopolise its CPU.
mv_add_cell(rtos_client rtos/tests/client.c)
target_include_directories(rtos_client.elf PRIVATE rtos/include)
mv_add_cell(rtos_hungry rtos/tests/hungry.c)
mv_add_cell(rtos_hog rtos/tests/hog.c)
