# SPDX-License-Identifier: MIT
# Isolation tests (CTest label "hostile"): systems/hostile-*.dts booted in QEMU, each a
# cell of our own (cells/hostile) attacking what the microvisor promises the others: that
# it stays up, that a budget holds, that a CPU's top-priority cell keeps its deadlines.
# run-qemu.py fails on timeout, on a panic line, on a failing "N passed, M failed" line
# and on any missing expected line; every run must end with the board powering off.
set(POWEROFF ${HOSTILE_POWEROFF})

# 1. PSCI reset race: SYSTEM_RESET on vCPU 0 while vCPU 1, on the other CPU, loops CPU_ON
# of vCPU 0. 10,000 restarts, no panic; the bystander on CPU 0 runs throughout.
mv_hostile_test(hostile_psci_reset_race hostile-psci-race SMP 2 TIMEOUT 170 SERIAL
  EXPECT "\\[racer\\] 9000 resets so far" "\\[racer\\] survived 10000 resets"
         "\\[racer\\] 1 passed, 0 failed" "\\[bystander\\] alive 1 s"
         "\\[bystander\\] peer stopped after" "\\[bystander\\] 3 passed, 0 failed" ${POWEROFF})

# 2. Budget bypass: an attacker at priority 30 held to 1 ms per 10 ms tries to get more by
# (a) restarting itself, (b) CPU_OFF/CPU_ON of a second vCPU on the same CPU, (c) blocking
# on a slow vdev; the victim below it must get >= 85% of the CPU over 1 s of guest time.
set(BUDGET_EXPECT "\\[victim\\] got [0-9.]+% of the CPU" "\\[victim\\] 1 passed, 0 failed"
    "\\[attacker\\] [0-9]+ rounds of 800 us, stopping: the victim has finished"
    "\\[attacker\\] [0-9]+ passed, 0 failed" ${POWEROFF})
mv_hostile_test(hostile_budget_reset hostile-budget-reset ICOUNT 3
  EXPECT ${BUDGET_EXPECT} "\\[attacker\\] slowest restart reached main after")
mv_hostile_test(hostile_budget_cpu_off hostile-budget-cpu-off ICOUNT 3 EXPECT ${BUDGET_EXPECT})
mv_hostile_test(hostile_budget_vdev hostile-budget-vdev ICOUNT 3
  EXPECT ${BUDGET_EXPECT} "\\[provider\\] answered [0-9]+ accesses"
         "\\[provider\\] [0-9]+ passed, 0 failed")
# The victim of these three leaves the guest every 100 us (a null hypercall). This one's
# never does: the attacker's restarts, requested on the victim's CPU, must not wait for
# the victim to leave it (each must reach the attacker's main within 20 ms).
mv_hostile_test(hostile_restart_stall hostile-restart-stall ICOUNT 3
  EXPECT ${BUDGET_EXPECT} "\\[attacker\\] slowest restart reached main after")

# An RTOS application (cells/hostile/rtos_work.c) at the top priority of CPU 0 with a
# budget, doing 2 ms of work every 100 ms until the misbehaving cell has stopped: every
# release's work must be done before the next. These run in real time (two CPUs); on a
# loaded 2-core host QEMU stalls for up to ~25 ms, so the period is long. It also prints
# how much its work was stretched on average (about 1.2-1.5 with no attacker).
set(RTOS_EXPECT "\\[rtos\\] [0-9]+ releases every 100 ms of 2000 us work: 0 missed"
    "\\[rtos\\] 4 passed, 0 failed")

# 3. SGI, ISPENDR and CHANNEL_NOTIFY floods from CPU 1 toward vCPUs on CPU 0, for 3 s.
mv_hostile_test(hostile_flood_rtos hostile-flood SMP 2 TIMEOUT 120 SERIAL
  EXPECT ${RTOS_EXPECT} "\\[flooder\\] flooded for 3000 ms" "\\[flooder\\] [0-9]+ passed, 0 failed"
         "\\[sink\\] peer stopped" "\\[sink\\] [0-9]+ passed, 0 failed" ${POWEROFF})

# 4. A Linux cell rebooting in a loop (3 restarts, then power-off) beside the RTOS on CPU 0,
# two CPUs under -icount, like the next: the RTOS's deadlines are guest time, whatever the
# host's load.
mv_hostile_test(hostile_linux_reboot_rtos hostile-linux-reboot SMP 2 ICOUNT 0 MEMORY 1G TIMEOUT 170 SERIAL
  EXPECT ${RTOS_EXPECT} "\\[linux\\] .*mv-init: booted in .* restart 2 of 3: rebooting"
         "cell linux: restarting \\(reset 3\\)"
         "\\[linux\\] .*mv-init: booted in .* after 3 restarts: powering off" ${POWEROFF})
# The same with an SMP Linux cell (two vCPUs on the two CPUs, the RTOS beside its second)
# restarted ten times in a row, under -icount too. (It stalled there once: a CPU spinning
# on the vGIC's lock kept its turn while the holder had yielded after an SGI; spin_lock()
# now yields, arch/atomic.h.)
mv_hostile_test(hostile_linux_smp_reboot_rtos hostile-linux-smp-reboot SMP 2 ICOUNT 0 MEMORY 1G TIMEOUT 240 SERIAL
  EXPECT ${RTOS_EXPECT} "\\[linux\\] .*mv-init: booted in .* restart 9 of 10: rebooting"
         "cell linux: restarting \\(reset 10\\)"
         "\\[linux\\] .*mv-init: booted in .* after 10 restarts: powering off" ${POWEROFF})

# Lazy VFP: two cells on one CPU fill the VFP/NEON registers with their own values and
# yield to each other; each must read back only its own values, a fresh start (and a
# restart) only zeros (cells/hostile/vfp_snoop.c).
mv_hostile_test(hostile_vfp_isolation hostile-vfp ICOUNT 3
  EXPECT "\\[snoop0\\] life 0: 0 register\\(s\\) not in their reset state"
         "\\[snoop1\\] life 0: 0 register\\(s\\) not in their reset state"
         "\\[snoop1\\] life 1: 0 register\\(s\\) not in their reset state"
         "\\[snoop0\\] 0 of 500 rounds read back another value"
         "\\[snoop1\\] 0 of 500 rounds read back another value"
         "\\[snoop0\\] 2 passed, 0 failed" "\\[snoop1\\] 1 passed, 0 failed" ${POWEROFF})
