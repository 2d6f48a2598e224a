/* SPDX-License-Identifier: MIT */
/* Hypercall dispatch (SMCCC over HVC #0): a bounds-checked table per owner range; every
 * call is a decode step (checks arguments, no side effects) and an invoke step. */
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/log.h>
#include <channels/channel.h>
#include <vdev/vdev.h>

static void set_result(struct vcpu *v, int32_t r0, uint32_t r1)
{
	arch_vcpu_set_result(v, (uint32_t)r0, r1, 0, 0);
}

static void hc_abi_version(struct vcpu *v)
{
	set_result(v, (int32_t)MV_ABI_VERSION, 0);
}

static enum mv_status decode_cell_info(struct vcpu *v, uint32_t *item)
{
	*item = arch_vcpu_arg(v, 1);
	return *item < MV_INFO_COUNT ? MV_OK : MV_E_INVALID_PARAMETERS;
}

static uint32_t invoke_cell_info(const struct vcpu *v, uint32_t item)
{
	switch (item) {
	case MV_INFO_CELL_ID:
		return v->cell->id;
	case MV_INFO_NUM_CELLS:
		return num_cells;
	case MV_INFO_VCPU_ID:
		return v->index;
	case MV_INFO_NUM_VCPUS:
		return v->cell->num_vcpus;
	case MV_INFO_PCPU_ID:
		return v->pcpu;
	case MV_INFO_RESET_COUNT:
		return v->cell->reset_count;
	case MV_INFO_NUM_CHANNELS:
		return v->cell->num_channels;
	case MV_INFO_NUM_VDEVS:
		return v->cell->num_vdevs;
	case MV_INFO_PRIORITY:
	default:
		return v->priority;
	}
}

static void hc_cell_info(struct vcpu *v)
{
	uint32_t item;
	enum mv_status st = decode_cell_info(v, &item);
	set_result(v, st, st == MV_OK ? invoke_cell_info(v, item) : 0);
}

static enum mv_status decode_debug_write(const struct vcpu *v, char *buf, uint32_t *len)
{
	*len = arch_vcpu_arg(v, 1);
	if (*len > MV_DEBUG_WRITE_MAX)
		return MV_E_INVALID_PARAMETERS;
	if (log_is_quiet())
		return MV_E_DENIED; /* the UART is the console cell's: HYP prints no guest bytes */
	for (uint32_t i = 0; i < *len; i++)
		buf[i] = (char)(arch_vcpu_arg(v, 2 + i / 4) >> (8 * (i % 4)));
	return MV_OK;
}

static void hc_debug_write(struct vcpu *v)
{
	char buf[MV_DEBUG_WRITE_MAX];
	uint32_t len;
	enum mv_status st = decode_debug_write(v, buf, &len);
	if (st == MV_OK)
		cell_console_write(v->cell, buf, len);
	set_result(v, st == MV_OK ? (int32_t)len : st, 0);
}

static void hc_cell_name(struct vcpu *v)
{
	uint32_t id = arch_vcpu_arg(v, 1), chunk = arch_vcpu_arg(v, 2), w[3] = { 0, 0, 0 };
	if (id >= num_cells || chunk > 2) {
		set_result(v, MV_E_INVALID_PARAMETERS, 0);
		return;
	}
	const char *name = cells[id].boot->name + 12u * chunk;
	for (uint32_t i = 0; i < 12 && 12u * chunk + i < MV_BOOT_NAME_LEN; i++)
		w[i / 4] |= (uint32_t)(uint8_t)name[i] << (8 * (i % 4));
	arch_vcpu_set_result(v, MV_OK, w[0], w[1], w[2]);
}

static void hc_yield(struct vcpu *v)
{
	sched_yield(sched_of(v->pcpu));
	set_result(v, MV_OK, 0);
}

/* Indexed by the function number (bits 15:0) of the vendor-hypervisor range. */
static void (*const mv_calls[MV_CALL_COUNT])(struct vcpu *) = {
	[MV_CALL_ABI_VERSION & 0xffffu] = hc_abi_version,
	[MV_CALL_CELL_INFO & 0xffffu] = hc_cell_info,
	[MV_CALL_DEBUG_WRITE & 0xffffu] = hc_debug_write,
	[MV_CALL_YIELD & 0xffffu] = hc_yield,
	[MV_CALL_CHANNEL_INFO & 0xffffu] = hc_channel_info,
	[MV_CALL_CHANNEL_NOTIFY & 0xffffu] = hc_channel_notify,
	[MV_CALL_VDEV_GET & 0xffffu] = hc_vdev_get,
	[MV_CALL_VDEV_COMPLETE & 0xffffu] = hc_vdev_complete,
	[MV_CALL_VDEV_INFO & 0xffffu] = hc_vdev_info,
	[MV_CALL_CELL_NAME & 0xffffu] = hc_cell_name,
};

/* SMCCC 2.5 section 7: the calls of the Arm architecture range that we implement. */
static bool smccc_arch_call(struct vcpu *v, uint32_t fid)
{
	if (fid == MV_SMCCC_VERSION) {
		set_result(v, 0x10001, 0); /* SMCCC 1.1 */
		return true;
	}
	if (fid == MV_SMCCC_ARCH_FEATURES) {
		uint32_t q = arch_vcpu_arg(v, 1);
		bool known = q == MV_SMCCC_VERSION || q == MV_SMCCC_ARCH_FEATURES ||
			     q == MV_SMCCC_ARCH_WORKAROUND_1;
		set_result(v, known ? MV_OK : MV_E_NOT_SUPPORTED, 0);
		return true;
	}
	if (fid == MV_SMCCC_ARCH_WORKAROUND_1) {
		/* Spectre v2: the branch predictor holds nothing of another cell once this
		 * returns (ARM's Cache Speculation Side-channels, SMCCC 1.1 section 7.5). */
		arch_branch_predictor_flush();
		set_result(v, MV_OK, 0);
		return true;
	}
	return false;
}

void hypercall_dispatch(struct vcpu *v, uint32_t fid)
{
	if ((fid & 0xffff0000u) == (MV_SMCCC_FAST_32 | MV_SMCCC_OWNER_VENDOR_HYP)) {
		uint32_t n = fid & 0xffffu;
		if (n < MV_CALL_COUNT) {
			mv_calls[n](v);
			return;
		}
		if (fid == MV_CALL_VENDOR_HYP_UID) {
			/* Our UID: identifies this hypervisor to SMCCC-aware guests. */
			arch_vcpu_set_result(v, 0x6d766973u, 0x6f722d76u, 0x31a4c0deu, 0x8e3b2f10u);
			return;
		}
	} else if (psci_dispatch(v, fid) || smccc_arch_call(v, fid)) {
		return;
	}
	set_result(v, MV_E_NOT_SUPPORTED, 0);
}
