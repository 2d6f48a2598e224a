/* SPDX-License-Identifier: MIT */
/* PSCI 1.0 (ARM DEN 0022D) for cells: CPUs are the cell's vCPUs, the "system" is the
 * cell, so SYSTEM_OFF and SYSTEM_RESET stop or restart the calling cell only. */
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/hypercall.h>
#include <microvisor/log.h>

#define PSCI_VERSION_1_0 0x00010000u
#define PSCI_MIGRATE_NOT_PRESENT 2u /* MIGRATE_INFO_TYPE: no trusted OS to migrate */

/* A target MPIDR names a vCPU of the caller's cell (PSCI 5.1.4). */
static enum mv_status decode_target(const struct vcpu *v, uint32_t mpidr, struct vcpu **target)
{
	uint32_t index;
	if (!arch_mpidr_to_vcpu_index(mpidr, &index) || index >= v->cell->num_vcpus)
		return MV_E_INVALID_PARAMETERS;
	*target = &v->cell->vcpus[index];
	return MV_OK;
}

static enum mv_status decode_cpu_on(const struct vcpu *v, const struct smccc_args *a,
				    struct vcpu **target)
{
	enum mv_status st = decode_target(v, a->r[1], target);
	if (st != MV_OK)
		return st;
	struct pa pa;
	if (!vmmu_ram_range(&v->cell->vmmu, ipa_init(a->r[2] & ~1u), 4, &pa))
		return MV_E_INVALID_ADDRESS;
	return MV_OK;
}

static struct smccc_result psci_cpu_on(struct vcpu *v, const struct smccc_args *a)
{
	struct vcpu *target;
	enum mv_status st = decode_cpu_on(v, a, &target);
	if (st == MV_OK)
		st = cell_vcpu_start(target, a->r[2], a->r[3]);
	return smccc_status(st);
}

static enum mv_status decode_affinity_info(const struct vcpu *v, const struct smccc_args *a,
					   struct vcpu **target)
{
	enum mv_status st = decode_target(v, a->r[1], target);
	if (st == MV_OK && a->r[2] != 0)
		st = MV_E_INVALID_PARAMETERS; /* only affinity level 0 exists */
	return st;
}

static struct smccc_result psci_affinity_info(struct vcpu *v, const struct smccc_args *a)
{
	struct vcpu *target;
	enum mv_status st = decode_affinity_info(v, a, &target);
	if (st != MV_OK)
		return smccc_status(st);
	uint32_t s = target->state;
	return smccc_ret(s == VCPU_OFF          ? MV_PSCI_AFFINITY_OFF
			 : s == VCPU_ON_PENDING ? MV_PSCI_AFFINITY_ON_PENDING
						: MV_PSCI_AFFINITY_ON,
			 0, 0, 0);
}

static bool psci_implemented(uint32_t fid)
{
	switch (fid) {
	case MV_PSCI_VERSION:
	case MV_PSCI_CPU_OFF:
	case MV_PSCI_CPU_ON:
	case MV_PSCI_AFFINITY_INFO:
	case MV_PSCI_MIGRATE_INFO_TYPE:
	case MV_PSCI_SYSTEM_OFF:
	case MV_PSCI_SYSTEM_RESET:
	case MV_PSCI_FEATURES:
	case MV_SMCCC_VERSION: /* SMCCC 7.2: discovering SMCCC_VERSION through PSCI_FEATURES */
		return true;
	default:
		return false;
	}
}

static struct smccc_result psci_system_off(struct vcpu *v, bool reset)
{
	log_event("cell %s: PSCI %s\n", v->cell->boot->name, reset ? "SYSTEM_RESET" : "SYSTEM_OFF");
	cell_stop(v->cell, reset);
	return smccc_status(MV_OK); /* never seen: the vCPU stops on its way out */
}

bool psci_dispatch(struct vcpu *v, const struct smccc_args *a, struct smccc_result *res)
{
	switch (a->r[0]) {
	case MV_PSCI_VERSION:
		*res = smccc_ret((int32_t)PSCI_VERSION_1_0, 0, 0, 0);
		return true;
	case MV_PSCI_FEATURES:
		/* 0 = implemented, no feature flags (PSCI 5.15). */
		*res = smccc_status(psci_implemented(a->r[1]) ? MV_OK : MV_E_NOT_SUPPORTED);
		return true;
	case MV_PSCI_MIGRATE_INFO_TYPE:
		*res = smccc_ret((int32_t)PSCI_MIGRATE_NOT_PRESENT, 0, 0, 0);
		return true;
	case MV_PSCI_CPU_ON:
		*res = psci_cpu_on(v, a);
		return true;
	case MV_PSCI_AFFINITY_INFO:
		*res = psci_affinity_info(v, a);
		return true;
	case MV_PSCI_CPU_OFF:
		vcpu_off_self(sched_of(v->pcpu), v);
		cell_vcpu_off(v);
		*res = smccc_status(MV_OK); /* never seen: a restarted vCPU starts afresh */
		return true;
	case MV_PSCI_SYSTEM_OFF:
	case MV_PSCI_SYSTEM_RESET:
		*res = psci_system_off(v, a->r[0] == MV_PSCI_SYSTEM_RESET);
		return true;
	default:
		return false;
	}
}
