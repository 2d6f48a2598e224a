# SPDX-License-Identifier: MIT
# Test cells of the isolation tests (tests/hostile/isolation.cmake): misbehaving cells and
# the bystanders that measure what the misbehaviour costs them (included by
# cells/CMakeLists.txt).
mv_add_cell(hostile_psci_race hostile/psci_race.c)
mv_add_cell(hostile_heartbeat hostile/heartbeat.c)
mv_add_cell(hostile_share_victim hostile/share_victim.c)
target_compile_definitions(hostile_share_victim.elf PRIVATE EXIT_EVERY_US=100u)
mv_add_cell(hostile_spinner hostile/share_victim.c)
mv_add_cell(hostile_slow_provider hostile/slow_provider.c)
foreach(attack reset cpu_off vdev)
  string(TOUPPER ${attack} ATTACK)
  mv_add_cell(hostile_budget_${attack} hostile/budget_attacker.c)
  target_compile_definitions(hostile_budget_${attack}.elf PRIVATE ATTACK=ATTACK_${ATTACK})
endforeach()
mv_add_cell(hostile_flood hostile/flood.c)
mv_add_cell(hostile_rtos_work hostile/rtos_work.c)
target_link_libraries(hostile_rtos_work.elf PRIVATE rtos_kernel)
mv_add_cell(hostile_vfp_snoop hostile/vfp_snoop.c)
