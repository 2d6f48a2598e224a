/* SPDX-License-Identifier: MIT */
/* The ARM part of a vCPU: the trap frame the vectors save, and the state switched only
 * when another vCPU is loaded (banked registers, CP15, VFP, virtual timer). */
#ifndef ARCH_VCPU_ARCH_H
#define ARCH_VCPU_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include <microvisor/hypercall.h>

/*
 * Saved on every entry to HYP by hyp_vector_trap/hyp_vector_irq (vectors.S), which point
 * SP_hyp at `lr_usr` while a guest runs, so that `push {r0-r12}` lands in r[]:
 *
 *   offset  0 .. 48   r0 .. r12
 *   offset 52         LR_usr  (HYP mode shares LR with USR mode, so it is clobbered)
 *   offset 56         ELR_hyp (guest PC to resume)
 *   offset 60         SPSR_hyp (guest CPSR)
 */
struct arch_regs {
	union {
		uint32_t r[13];
		struct smccc_args smccc_args; /* r0-r6 as an SMCCC call's function ID, arguments */
		struct smccc_result smccc_result; /* r0-r3 as its results */
	};
	uint32_t lr_usr;
	uint32_t pc;
	uint32_t cpsr;
};

/* Banked registers of the guest's other modes (ARM ARM B9.2.3 MRS/MSR banked). */
struct arch_banked {
	uint32_t sp_usr;
	uint32_t sp_svc, lr_svc, spsr_svc;
	uint32_t sp_abt, lr_abt, spsr_abt;
	uint32_t sp_und, lr_und, spsr_und;
	uint32_t sp_irq, lr_irq, spsr_irq;
	uint32_t r8_fiq, r9_fiq, r10_fiq, r11_fiq, r12_fiq, sp_fiq, lr_fiq, spsr_fiq;
};

/* Non-secure PL1 CP15 state owned by the guest kernel (ARM ARM B4.1). */
struct arch_cp15 {
	uint64_t ttbr0, ttbr1, par;
	uint32_t sctlr, cpacr, ttbcr, dacr;
	uint32_t dfsr, ifsr, adfsr, aifsr, dfar, ifar;
	uint32_t prrr, nmrr, amair0, amair1;
	uint32_t vbar, fcseidr, contextidr, tpidrurw, tpidruro, tpidrprw;
	uint32_t csselr, cntkctl;
	uint32_t vmpidr;
};

/* VFPv4 / Advanced SIMD state: d0-d31 and the control registers. */
struct arch_vfp {
	uint64_t d[32];
	uint32_t fpexc, fpscr;
};

/* The virtual generic timer of a vCPU (CNTVOFF belongs to the cell). */
struct arch_vtimer {
	uint64_t cval;
	uint32_t ctl;
	uint32_t pad;
};

#define VGIC_NUM_IRQS 128u /* vIRQ IDs 0..127: SGIs, PPIs and SPIs 32..127 */
#define VGIC_WORDS (VGIC_NUM_IRQS / 32u)
#define VGIC_NUM_LRS_MAX 16u

/* The virtual CPU interface of one vCPU (GIC architecture spec IHI 0048B, 5.3). */
struct vgic_cpu {
	volatile uint32_t pending[VGIC_WORDS]; /* raised, not yet in a list register */
	uint32_t enabled_private;              /* GICD_ISENABLER0 (SGIs and PPIs) */
	uint8_t priority_private[32];          /* GICD_IPRIORITYR0-7 */
	uint8_t sgi_source[16];                /* requesting vCPU of each pending SGI */
	uint32_t lr[VGIC_NUM_LRS_MAX];         /* saved GICH_LRn while switched out */
	uint32_t lr_used;                      /* which of lr[] hold one (bit n: GICH_LRn) */
	uint32_t hcr, vmcr, apr;
};

/* What the HSR ISS says of a trapped MMIO instruction (ARM ARM B3.13.6), kept with its
 * vdev request until the provider answers. */
struct vdev_request_arch {
	uint32_t srt;      /* register transferred */
	uint32_t far;      /* faulting virtual address, for an abort */
	uint32_t insn_len; /* 2 or 4: how far to step past the access */
	bool sign_extend;
};

struct vcpu_arch {
	struct arch_regs regs;   /* first: see struct vcpu */
	uint32_t serror_pending; /* a virtual abort (HCR.VA) waits for the guest */
	struct vgic_cpu vgic;
	struct arch_banked banked;
	struct arch_cp15 cp15;
	struct arch_vtimer vtimer;
	struct arch_vfp vfp __attribute__((aligned(8)));
};

#endif
