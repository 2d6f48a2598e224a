# SPDX-License-Identifier: MIT
# The fuzzing cells of tests/hostile (included by cells/CMakeLists.txt); their options come
# from cmake/config.cmake.
set(FUZZ_DEFS FUZZ_SEED=${MV_FUZZ_SEED}ull FUZZ_TRACE_FROM=${MV_FUZZ_TRACE_FROM}u)
mv_add_cell(hostile_fuzz_hvc hostile/fuzz_hvc.c hostile/fuzz_call.S)
target_compile_definitions(hostile_fuzz_hvc.elf PRIVATE ${FUZZ_DEFS} FUZZ_HVC_CALLS=${MV_FUZZ_HVC_CALLS}u)
mv_add_cell(hostile_victim hostile/victim.c)
mv_add_cell(hostile_fuzz_mmio hostile/fuzz_mmio.c hostile/fuzz_exec.S)
target_compile_definitions(hostile_fuzz_mmio.elf PRIVATE ${FUZZ_DEFS} FUZZ_MMIO_OPS=${MV_FUZZ_MMIO_OPS}u)
mv_add_cell(hostile_vdev_mem hostile/vdev_mem.c)
target_compile_definitions(hostile_vdev_mem.elf PRIVATE ${FUZZ_DEFS})
