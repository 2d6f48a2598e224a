# SPDX-License-Identifier: MIT
# Measuring cells of bench/run (included by cells/CMakeLists.txt).
mv_add_cell(bench_notify bench/notify.c)
mv_add_cell(bench_vdev bench/vdev_rt.c)
mv_add_cell(bench_irq bench/irq_latency.c bench/irq_stamp.S)
