# SPDX-License-Identifier: MIT
# Test cells of the ring race tests (tests/hostile/rings.cmake): a ring producer on CPU 1
# that rewrites what the reader on CPU 0 reads, against the cell runtime's ring library and
# against the console cell (included by cells/CMakeLists.txt).
mv_add_cell(hostile_ring_racer hostile/ring_racer.c hostile/ring_race.c)
mv_add_cell(hostile_ring_victim hostile/ring_victim.c)
mv_add_cell(hostile_console_racer hostile/console_racer.c hostile/ring_race.c)
mv_add_cell(hostile_talker hostile/talker.c)
