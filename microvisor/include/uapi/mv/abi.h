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
/* Spectre v2 (CVE-2017-5715): invalidates the branch predictor -> 0. The microvisor also
 * does it on every change of cell on a CPU, so a cell needs it only against itself. */
#define MV_SMCCC_ARCH_WORKAROUND_1 0x80008000u

/* PSCI 1.0 (ARM DEN 0022D), 32-bit function IDs. */
#define MV_PSCI_VERSION 0x84000000u /* -> 0x00010000 */
#define MV_PSCI_CPU_OFF 0x84000002u /* does not return on success */
#define MV_PSCI_CPU_ON \
	0x84000003u /* r1 = target MPIDR, r2 = entry IPA, r3 = context (r0 at entry) */
#define MV_PSCI_AFFINITY_INFO 0x84000004u /* r1 = target MPIDR, r2 = lowest affinity level (0) */
#define MV_PSCI_MIGRATE_INFO_TYPE 0x84000006u /* -> 2: no trusted OS */
#define MV_PSCI_SYSTEM_OFF 0x84000008u        /* stops the calling cell only */
#define MV_PSCI_SYSTEM_RESET 0x84000009u      /* restarts the calling cell only */
#define MV_PSCI_FEATURES 0x8400000Au          /* r1 = function ID -> 0 or NOT_SUPPORTED */

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
 *                       -> r0 = bytes written, MV_E_INVALID_PARAMETERS (r1 > 20) or
 *                       MV_E_DENIED: the system has a console cell, which owns the UART,
 *                       and the microvisor prints no cell's bytes then.
 *                       Output is line-buffered per cell and prefixed with the cell's
 *                       name. Cells print through the console cell when the system has
 *                       one (docs/console.md); this call is their fallback and early
 *                       console.
 * MV_CALL_YIELD         () -> r0 = MV_OK. Gives up the rest of the time slice.
 *
 * Channels are numbered per cell, 0..MV_INFO_NUM_CHANNELS-1, in system-description order.
 * MV_CALL_CHANNEL_INFO  (r1 = channel) -> r0 = status, r1 = IPA of the shared memory,
 *                       r2 = its size in bytes (both rings), r3 = MV_CHANNEL_INFO_*:
 *                       this end's doorbell vIRQ, the peer's cell ID and which end
 *                       the caller is. End 0
 *                       transmits on the first ring (bytes 0..size/2-1), end 1 on the
 *                       second. Errors: MV_E_INVALID_PARAMETERS (no such channel).
 * MV_CALL_CHANNEL_NOTIFY (r1 = channel) -> r0 = status. Raises the peer's doorbell vIRQ.
 *                       Errors: MV_E_INVALID_PARAMETERS, MV_E_DENIED (peer stopped).
 *
 * vdevs are numbered per provider cell, 0..MV_INFO_NUM_VDEVS-1.
 * MV_CALL_VDEV_GET      (r1 = vdev) -> r0 = status, r1 = tag, r2 = MV_VDEV_ACCESS_*
 *                       (offset in the window, size, direction), r3 = value stored (for
 *                       writes). MV_E_NOT_PRESENT when no request is queued.
 * MV_CALL_VDEV_COMPLETE (r1 = vdev, r2 = tag, r3 = value loaded (for reads),
 *                       r4 = 0 to complete or 1 to make the access abort)
 *                       -> r0 = status. Errors: MV_E_INVALID_PARAMETERS (no such vdev,
 *                       r4 > 1), MV_E_NOT_PRESENT (the tag names no request handed out
 *                       and still pending: never issued, already completed, or its
 *                       consumer was stopped meanwhile).
 * MV_CALL_VDEV_INFO     (r1 = vdev) -> r0 = status, r1 = window size in bytes,
 *                       r2 = the provider's request vIRQ, r3 = consumer cell ID.
 * MV_CALL_CELL_NAME     (r1 = cell ID, r2 = chunk 0..2) -> r0 = status, r1..r3 = bytes
 *                       12*chunk .. 12*chunk+11 of the cell's NUL-padded name (first byte
 *                       in the low byte of r1). Errors: MV_E_INVALID_PARAMETERS.
 */
#define MV_CALL_ABI_VERSION 0x86000000u
#define MV_CALL_CELL_INFO 0x86000001u
#define MV_CALL_DEBUG_WRITE 0x86000002u
#define MV_CALL_YIELD 0x86000003u
#define MV_CALL_CHANNEL_INFO 0x86000004u
#define MV_CALL_CHANNEL_NOTIFY 0x86000005u
#define MV_CALL_VDEV_GET 0x86000006u
#define MV_CALL_VDEV_COMPLETE 0x86000007u
#define MV_CALL_VDEV_INFO 0x86000008u
#define MV_CALL_CELL_NAME 0x86000009u
#define MV_CALL_COUNT 10u /* function numbers 0..MV_CALL_COUNT-1 are defined */

/* MV_CALL_CHANNEL_INFO r3. */
/* clang-format off: it would write (r3)&0x3ffu */
#define MV_CHANNEL_INFO_VIRQ(r3) ((r3)&0x3ffu)
#define MV_CHANNEL_INFO_PEER(r3) (((r3) >> 16) & 0xffu)
#define MV_CELL_NAME_MAX 32u /* including the NUL */
#define MV_CHANNEL_INFO_END(r3) (((r3) >> 31) & 1u)

/* MV_CALL_VDEV_GET r2: offset within the window, access size in bytes (1, 2 or 4), write. */
#define MV_VDEV_ACCESS_OFFSET(r2) ((r2)&0xfffffu)
#define MV_VDEV_ACCESS_SIZE(r2) (((r2) >> 24) & 0x7u)
#define MV_VDEV_ACCESS_WRITE(r2) (((r2) >> 31) & 1u)
#define MV_VDEV_ACCESS(offset, size, write) \
	(((offset)&0xfffffu) | (((size)&0x7u) << 24) | ((write) ? 0x80000000u : 0u))
/* clang-format on */

/* Standard hypervisor-UID call of the vendor range (SMCCC 2.5 section 6.2). */
#define MV_CALL_VENDOR_HYP_UID 0x8600FF01u

/*
 * The guest-visible platform, the same on every board: each cell's virtual GIC is a GICv2
 * distributor (emulated) and CPU interface (the hardware's GICV) at these IPAs, inside a
 * window no region, channel or vdev of the cell may overlap.
 */
#define MV_GUEST_GICD_IPA 0x2c001000u
#define MV_GUEST_GICD_SIZE 0x1000u
#define MV_GUEST_GICC_IPA 0x2c002000u
#define MV_GUEST_GICC_SIZE 0x2000u
#define MV_GUEST_VGIC_WINDOW_IPA 0x2c000000u
#define MV_GUEST_VGIC_WINDOW_SIZE 0x8000u

#define MV_ABI_VERSION 0x00010000u /* major 1, minor 0 */
#define MV_DEBUG_WRITE_MAX 20u

/* Items for MV_CALL_CELL_INFO. */
#define MV_INFO_CELL_ID 0u      /* index of the calling cell in the system description */
#define MV_INFO_NUM_CELLS 1u    /* number of cells in the system */
#define MV_INFO_VCPU_ID 2u      /* index of the calling vCPU within its cell */
#define MV_INFO_NUM_VCPUS 3u    /* vCPUs of the calling cell */
#define MV_INFO_PCPU_ID 4u      /* physical CPU the calling vCPU is pinned to */
#define MV_INFO_RESET_COUNT 5u  /* how many times the cell was restarted */
#define MV_INFO_PRIORITY 6u     /* scheduling priority of the cell (higher runs first) */
#define MV_INFO_NUM_CHANNELS 7u /* channels this cell is an end of */
#define MV_INFO_NUM_VDEVS 8u    /* vdevs this cell provides */
#define MV_INFO_COUNT 9u

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
