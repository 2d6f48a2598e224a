# SPDX-License-Identifier: MIT
# Fuzzers (cells/hostile): hypercalls, and MMIO / trapped instructions, each on one CPU
# round-robin with a victim and on two CPUs with the victim alone on the other CPU. The
# victim must report its memory intact and that it was never kept off the CPU for long.
set(VICTIM_OK "\\[victim\\] [0-9]+ rounds, .* 0 bad words" "\\[victim\\] [0-9]+ passed, 0 failed")
set(FUZZ_HVC_OK
  "\\[fuzz-hvc\\] seed [0-9a-f]+, ${MV_FUZZ_HVC_CALLS} calls"
  "\\[fuzz-hvc\\] ${MV_FUZZ_HVC_CALLS} calls, [0-9]+ distinct IDs"
  "\\[fuzz-hvc\\] [0-9]+ answers checked against -1"
  "\\[fuzz-hvc\\] [0-9]+ SMCs undefined \\(no EL3\\), 0 other faults, 0 failed calls"
  "\\[fuzz-hvc\\] [0-9]+ passed, 0 failed"
  "cell fuzz-hvc: restarting \\(reset 1\\)"
  "\\[fuzz-hvc\\] restarted by SYSTEM_RESET \\(reset count 1\\)")
mv_hostile_test(hostile_fuzz_hvc hostile-hvc EXPECT ${FUZZ_HVC_OK} ${VICTIM_OK})
# Entered in Secure SVC, so that QEMU has an EL3 and SMC traps to HYP (HCR.TSC) instead
# of being UNDEFINED: the SMC conduit is fuzzed too.
mv_hostile_test(hostile_fuzz_hvc_smp hostile-hvc-smp SMP 2 MACHINE vexpress-secure EXPECT ${FUZZ_HVC_OK} ${VICTIM_OK})

set(FUZZ_MMIO_OK
  "\\[fuzz-mmio\\] seed [0-9a-f]+, ${MV_FUZZ_MMIO_OPS} ops"
  "\\[fuzz-mmio\\] ${MV_FUZZ_MMIO_OPS} ops in [0-9]+ ticks"
  "\\[fuzz-mmio\\] 0 stray faults, 0 failed ops"
  "\\[fuzz-mmio\\] [0-9]+ passed, 0 failed"
  "\\[vdev-mem\\] stale tags refused [0-9]+ times, accepted 0 times; 0 bad requests"
  "\\[vdev-mem\\] [0-9]+ passed, 0 failed")
mv_hostile_test(hostile_fuzz_mmio hostile-mmio EXPECT ${FUZZ_MMIO_OK} ${VICTIM_OK})
mv_hostile_test(hostile_fuzz_mmio_smp hostile-mmio-smp SMP 2 MACHINE vexpress-secure
  EXPECT ${FUZZ_MMIO_OK} ${VICTIM_OK})
