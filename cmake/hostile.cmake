# SPDX-License-Identifier: MIT
# Options of the adversarial test layer (tests/hostile), declared once here for both
# builds: the host build forwards them to the ARM build, which compiles them into the
# fuzzing cells (cells/hostile/fuzz.cmake).
set(MV_FUZZ_HVC_CALLS 1000000 CACHE STRING "Calls the hypercall fuzzer makes (at least 10^6 in CI)")
set(MV_FUZZ_MMIO_OPS 100000 CACHE STRING "Operations the MMIO/trap fuzzer performs")
set(MV_FUZZ_SEED 0x6d76697366757a7a CACHE STRING "PRNG seed of the fuzzers (printed; a progress line's state restarts there)")
set(MV_FUZZ_TRACE_FROM 0xffffffff CACHE STRING "Fuzzers print every operation from this index on")
set(MV_HOSTILE_ARM_ARGS
  -DMV_FUZZ_HVC_CALLS=${MV_FUZZ_HVC_CALLS} -DMV_FUZZ_MMIO_OPS=${MV_FUZZ_MMIO_OPS}
  -DMV_FUZZ_SEED=${MV_FUZZ_SEED} -DMV_FUZZ_TRACE_FROM=${MV_FUZZ_TRACE_FROM})
