/* SPDX-License-Identifier: MIT */
/* The guest ABI: hypercall function IDs, the status enum and PSCI, shared verbatim by the
 * microvisor, the cell runtime and pv-linux. Freestanding: no includes, no libc. */
#ifndef MV_UAPI_ABI_H
#define MV_UAPI_ABI_H

/*
 * Calling convention: Arm SMC Calling Convention (ARM DEN 0028, "SMCCC"), SMC32/HVC32
 * fast calls issued with `HVC #0`. Function ID in r0, arguments in r1..r6, results in
 * r0..r3. Registers r4..r14 are preserved; r1..r3 are clobbered unless documented as a
 * result.
 *
 * Function ID layout (SMCCC 2.5, table 2-1):
 *   bit 31     1 = fast call
 *   bit 30     0 = SMC32/HVC32 convention
 *   bits 29:24 owning entity: 0 = Arm architecture, 4 = standard secure (PSCI),
 *              6 = vendor specific hypervisor service (ours)
 *   bits 15:0  function number
 */
#define MV_SMCCC_FAST_32 0x80000000u
#define MV_SMCCC_OWNER_ARCH (0u << 24)
#define MV_SMCCC_OWNER_STD (4u << 24)
#define MV_SMCCC_OWNER_VENDOR_HYP (6u << 24)

/* Arm architecture calls (SMCCC 2.5 section 7). */
#define MV_SMCCC_VERSION 0x80000000u       /* -> r0 = 0x10001 (SMCCC 1.1) */
#define MV_SMCCC_ARCH_FEATURES 0x80000001u /* r1 = function ID -> 0 or NOT_SUPPORTED */

/* PSCI 1.0 (ARM DEN 0022D), 32-bit function IDs. */
#define MV_PSCI_VERSION 0x84000000u        /* -> 0x00010000 */
#define MV_PSCI_CPU_OFF 0x84000002u        /* does not return on success */
#define MV_PSCI_CPU_ON 0x84000003u         /* r1 = target MPIDR, r2 = entry IPA, r3 = context (r0 at entry) */
#define MV_PSCI_AFFINITY_INFO 0x84000004u  /* r1 = target MPIDR, r2 = lowest affinity level (0) */
#define MV_PSCI_MIGRATE_INFO_TYPE 0x84000006u /* -> 2: no trusted OS */
#define MV_PSCI_SYSTEM_OFF 0x84000008u     /* stops the calling cell only */
#define MV_PSCI_SYSTEM_RESET 0x84000009u   /* restarts the calling cell only */
#define MV_PSCI_FEATURES 0x8400000Au       /* r1 = function ID -> 0 or NOT_SUPPORTED */

/* AFFINITY_INFO results (PSCI 1.0 section 5.7). */
#define MV_PSCI_AFFINITY_ON 0
#define MV_PSCI_AFFINITY_OFF 1
#define MV_PSCI_AFFINITY_ON_PENDING 2

/*
 * Microvisor calls: vendor specific hypervisor service range 0x86000000..0x8600FEFF.
 *
 * MV_CALL_ABI_VERSION   () -> r0 = MV_ABI_VERSION. Touches nothing: the null hypercall.
 * MV_CALL_CELL_INFO     (r1 = item) -> r0 = status, r1 = value. Items: MV_INFO_*.
 * MV_CALL_DEBUG_WRITE   (r1 = length in bytes 0..20, r2..r6 = the bytes, packed
 *                       little-endian, first byte in the low byte of r2)
 *                       -> r0 = bytes written or MV_E_INVALID_PARAMETERS.
 *                       Kept until the console cell exists; output is line-buffered per
 *                       cell and prefixed with the cell's name.
 * MV_CALL_YIELD         () -> r0 = MV_OK. Gives up the rest of the time slice.
 */
#define MV_CALL_ABI_VERSION 0x86000000u
#define MV_CALL_CELL_INFO 0x86000001u
#define MV_CALL_DEBUG_WRITE 0x86000002u
#define MV_CALL_YIELD 0x86000003u
#define MV_CALL_COUNT 4u /* function numbers 0..MV_CALL_COUNT-1 are defined */

/* Standard hypervisor-UID call of the vendor range (SMCCC 2.5 section 6.2). */
#define MV_CALL_VENDOR_HYP_UID 0x8600FF01u

#define MV_ABI_VERSION 0x00010000u /* major 1, minor 0 */
#define MV_DEBUG_WRITE_MAX 20u

/* Items for MV_CALL_CELL_INFO. */
#define MV_INFO_CELL_ID 0u     /* index of the calling cell in the system description */
#define MV_INFO_NUM_CELLS 1u   /* number of cells in the system */
#define MV_INFO_VCPU_ID 2u     /* index of the calling vCPU within its cell */
#define MV_INFO_NUM_VCPUS 3u   /* vCPUs of the calling cell */
#define MV_INFO_PCPU_ID 4u     /* physical CPU the calling vCPU is pinned to */
#define MV_INFO_RESET_COUNT 5u /* how many times the cell was restarted */
#define MV_INFO_PRIORITY 6u    /* scheduling priority of the cell (higher runs first) */
#define MV_INFO_COUNT 7u

/*
 * One status enum for every value returned to guests. The negative values up to -9 are
 * PSCI's own return codes (PSCI 1.0 section 5.2.2) and -1 is SMCCC's NOT_SUPPORTED, so a
 * PSCI or SMCCC caller reads them unchanged.
 */
enum mv_status {
	MV_OK = 0,
	MV_E_NOT_SUPPORTED = -1,
	MV_E_INVALID_PARAMETERS = -2,
	MV_E_DENIED = -3,
	MV_E_ALREADY_ON = -4,
	MV_E_ON_PENDING = -5,
	MV_E_INTERNAL_FAILURE = -6,
	MV_E_NOT_PRESENT = -7,
	MV_E_DISABLED = -8,
	MV_E_INVALID_ADDRESS = -9,
	MV_E_BUSY = -10,
	MV_E_NO_MEMORY = -11,
};

#endif
