/* SPDX-License-Identifier: MIT */
/* Hypercall dispatch (SMCCC over HVC #0): a bounds-checked table per owner range; every
 * call is a decode step (checks arguments, no side effects) and an invoke step. */
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/hypercall.h>
#include <microvisor/log.h>
#include <channels/channel.h>
#include <vdev/vdev.h>

static struct smccc_result hc_abi_version(struct vcpu *v, const struct smccc_args *a)
{
	(void)v;
	(void)a;
	return smccc_ret((int32_t)MV_ABI_VERSION, 0, 0, 0);
}

static enum mv_status decode_cell_info(const struct smccc_args *a, uint32_t *item)
{
	*item = a->r[1];
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

static struct smccc_result hc_cell_info(struct vcpu *v, const struct smccc_args *a)
{
	uint32_t item;
	enum mv_status st = decode_cell_info(a, &item);
	return smccc_ret(st, st == MV_OK ? invoke_cell_info(v, item) : 0, 0, 0);
}

static enum mv_status decode_debug_write(const struct smccc_args *a, char *buf, uint32_t *len)
{
	*len = a->r[1];
	if (*len > MV_DEBUG_WRITE_MAX)
		return MV_E_INVALID_PARAMETERS;
	if (log_is_quiet())
		return MV_E_DENIED; /* the UART is the console cell's: HYP prints no guest bytes */
	for (uint32_t i = 0; i < *len; i++)
		buf[i] = (char)(a->r[2 + i / 4] >> (8 * (i % 4)));
	return MV_OK;
}

static struct smccc_result hc_debug_write(struct vcpu *v, const struct smccc_args *a)
{
	char buf[MV_DEBUG_WRITE_MAX];
	uint32_t len;
	enum mv_status st = decode_debug_write(a, buf, &len);
	if (st != MV_OK)
		return smccc_status(st);
	cell_console_write(v->cell, buf, len);
	return smccc_ret((int32_t)len, 0, 0, 0);
}

static enum mv_status decode_cell_name(const struct smccc_args *a, const char **name)
{
	uint32_t id = a->r[1], chunk = a->r[2];
	if (id >= num_cells || chunk > 2)
		return MV_E_INVALID_PARAMETERS;
	*name = cells[id].boot->name + 12u * chunk;
	return MV_OK;
}

static struct smccc_result hc_cell_name(struct vcpu *v, const struct smccc_args *a)
{
	(void)v;
	const char *name;
	uint32_t w[3] = { 0, 0, 0 };
	enum mv_status st = decode_cell_name(a, &name);
	if (st != MV_OK)
		return smccc_status(st);
	/* MV_BOOT_NAME_LEN is 32: the last chunk holds its bytes 24..31 and four zeros. */
	for (uint32_t i = 0; i < 12 && 12u * a->r[2] + i < MV_BOOT_NAME_LEN; i++)
		w[i / 4] |= (uint32_t)(uint8_t)name[i] << (8 * (i % 4));
	return smccc_ret(MV_OK, w[0], w[1], w[2]);
}

static struct smccc_result hc_yield(struct vcpu *v, const struct smccc_args *a)
{
	(void)a;
	sched_yield(v->sched);
	return smccc_status(MV_OK);
}

/* Every call of the vendor-hypervisor range, in function-number order: the table below
 * has exactly MV_CALL_COUNT entries, none of them NULL (checked at compile time). */
/* clang-format off */
#define MV_CALLS(X) \
	X(ABI_VERSION, hc_abi_version) \
	X(CELL_INFO, hc_cell_info) \
	X(DEBUG_WRITE, hc_debug_write) \
	X(YIELD, hc_yield) \
	X(CHANNEL_INFO, hc_channel_info) \
	X(CHANNEL_NOTIFY, hc_channel_notify) \
	X(VDEV_GET, hc_vdev_get) \
	X(VDEV_COMPLETE, hc_vdev_complete) \
	X(VDEV_INFO, hc_vdev_info) \
	X(CELL_NAME, hc_cell_name)
/* clang-format on */

#define MV_CALL_ENTRY(name, fn) [MV_CALL_##name & 0xffffu] = fn,
#define MV_CALL_ONE(name, fn) +1
const hypercall_fn hypercall_vendor_calls[] = { MV_CALLS(MV_CALL_ENTRY) };
_Static_assert(MV_ARRAY_SIZE(hypercall_vendor_calls) == MV_CALL_COUNT &&
		       (0 MV_CALLS(MV_CALL_ONE)) == MV_CALL_COUNT,
	       "one handler for every function number below MV_CALL_COUNT");

/* SMCCC 1.1 section 7: the calls of the Arm architecture range that we implement. */
static bool smccc_arch_call(const struct smccc_args *a, struct smccc_result *res)
{
	switch (a->r[0]) {
	case MV_SMCCC_VERSION:
		*res = smccc_ret(0x10001, 0, 0, 0); /* SMCCC 1.1 */
		return true;
	case MV_SMCCC_ARCH_FEATURES: {
		uint32_t q = a->r[1];
		bool known = q == MV_SMCCC_VERSION || q == MV_SMCCC_ARCH_FEATURES ||
			     q == MV_SMCCC_ARCH_WORKAROUND_1;
		*res = smccc_status(known ? MV_OK : MV_E_NOT_SUPPORTED);
		return true;
	}
	case MV_SMCCC_ARCH_WORKAROUND_1:
		/* Spectre v2: the branch predictor holds nothing of another cell once this
		 * returns (Arm's Cache Speculation Side-channels, SMCCC 1.1 section 7.5). */
		arch_branch_predictor_flush();
		*res = smccc_status(MV_OK);
		return true;
	default:
		return false;
	}
}

_Static_assert(MV_CALL_ABI_VERSION == (MV_SMCCC_FAST_32 | MV_SMCCC_OWNER_VENDOR_HYP),
	       "ABI_VERSION is function number 0 of the vendor-hypervisor range");

struct smccc_result hypercall_dispatch(struct vcpu *v, const struct smccc_args *a)
{
	uint32_t fid = a->r[0];
	struct smccc_result res;
	uint32_t n = hypercall_vendor_number(fid);
	if (n < MV_CALL_COUNT)
		return hypercall_vendor_calls[n](v, a);
	if (fid == MV_CALL_VENDOR_HYP_UID) /* identifies this hypervisor to SMCCC guests */
		return smccc_ret(0x6d766973, 0x6f722d76u, 0x31a4c0deu, 0x8e3b2f10u);
	if ((fid & 0xffff0000u) != (MV_SMCCC_FAST_32 | MV_SMCCC_OWNER_VENDOR_HYP) &&
	    (psci_dispatch(v, a, &res) || smccc_arch_call(a, &res)))
		return res;
	return smccc_status(MV_E_NOT_SUPPORTED);
}
