/* SPDX-License-Identifier: MIT */
/* PSCI 1.0 (ARM DEN 0022D) for cells: CPUs are the cell's vCPUs, the "system" is the
 * cell, so SYSTEM_OFF and SYSTEM_RESET stop or restart the calling cell only. */
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/log.h>

#define PSCI_VERSION_1_0 0x00010000u
#define PSCI_MIGRATE_NOT_PRESENT 2u /* MIGRATE_INFO_TYPE: no trusted OS to migrate */

static void result(struct vcpu *v, int32_t r0)
{
	arch_vcpu_set_result(v, (uint32_t)r0, 0, 0, 0);
}

/* A target MPIDR names vCPU Aff0 of the caller's cell; Aff1..3 must be 0 (PSCI 5.1.4). */
static enum mv_status decode_target(const struct vcpu *v, uint32_t mpidr, struct vcpu **target)
{
	uint32_t aff0 = mpidr & 0xffu;
	if ((mpidr & 0x00ffff00u) != 0 || aff0 >= v->cell->num_vcpus)
		return MV_E_INVALID_PARAMETERS;
	*target = &v->cell->vcpus[aff0];
	return MV_OK;
}

static enum mv_status decode_cpu_on(const struct vcpu *v, struct vcpu **target, uint32_t *entry)
{
	enum mv_status st = decode_target(v, arch_vcpu_arg(v, 1), target);
	if (st != MV_OK)
		return st;
	*entry = arch_vcpu_arg(v, 2);
	struct pa pa;
	if (!vmmu_ram_range(&v->cell->vmmu, ipa_init(*entry & ~1u), 4, &pa))
		return MV_E_INVALID_ADDRESS;
	return MV_OK;
}

static void psci_cpu_on(struct vcpu *v)
{
	struct vcpu *target;
	uint32_t entry;
	enum mv_status st = decode_cpu_on(v, &target, &entry);
	if (st == MV_OK)
		st = cell_vcpu_start(target, entry, arch_vcpu_arg(v, 3));
	result(v, st);
}

static void psci_affinity_info(struct vcpu *v)
{
	struct vcpu *target;
	enum mv_status st = decode_target(v, arch_vcpu_arg(v, 1), &target);
	if (st == MV_OK && arch_vcpu_arg(v, 2) != 0)
		st = MV_E_INVALID_PARAMETERS; /* only affinity level 0 exists */
	if (st != MV_OK) {
		result(v, st);
		return;
	}
	uint32_t s = target->state;
	result(v, s == VCPU_OFF ? MV_PSCI_AFFINITY_OFF
		  : s == VCPU_ON_PENDING ? MV_PSCI_AFFINITY_ON_PENDING : MV_PSCI_AFFINITY_ON);
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

bool psci_dispatch(struct vcpu *v, uint32_t fid)
{
	switch (fid) {
	case MV_PSCI_VERSION:
		result(v, (int32_t)PSCI_VERSION_1_0);
		return true;
	case MV_PSCI_FEATURES:
		/* 0 = implemented, no feature flags (PSCI 5.15). */
		result(v, psci_implemented(arch_vcpu_arg(v, 1)) ? MV_OK : MV_E_NOT_SUPPORTED);
		return true;
	case MV_PSCI_MIGRATE_INFO_TYPE:
		result(v, (int32_t)PSCI_MIGRATE_NOT_PRESENT);
		return true;
	case MV_PSCI_CPU_ON:
		psci_cpu_on(v);
		return true;
	case MV_PSCI_AFFINITY_INFO:
		psci_affinity_info(v);
		return true;
	case MV_PSCI_CPU_OFF:
		vcpu_off_self(sched_of(v->pcpu), v);
		cell_vcpu_off(v);
		return true;
	case MV_PSCI_SYSTEM_OFF:
	case MV_PSCI_SYSTEM_RESET:
		log_event("cell %s: PSCI %s\n", v->cell->boot->name,
			   fid == MV_PSCI_SYSTEM_OFF ? "SYSTEM_OFF" : "SYSTEM_RESET");
		cell_stop(v->cell, fid == MV_PSCI_SYSTEM_RESET);
		return true;
	default:
		return false;
	}
}
