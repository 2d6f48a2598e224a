/* SPDX-License-Identifier: MIT */
/* Guest exits: decode the HSR (ARM ARM B3.13.6, "Use of the HSR") and hand each exit to
 * the generic layer, or reflect it into the guest. Nothing here may panic on guest input. */
#include <arch/cpu.h>
#include <arch/hyp.h>
#include <arch/vgic.h>
#include <microvisor/arch.h>
#include <microvisor/cell.h>
#include <microvisor/hypercall.h>
#include <microvisor/log.h>
#include <vcpu/vcpu.h>
#include <vdev/vdev.h>

/* Exception classes, HSR[31:26] (B3.13.6, table B3-21). */
#define EC_UNKNOWN 0x00u
#define EC_WFI_WFE 0x01u
#define EC_CP15_32 0x03u
#define EC_CP15_64 0x04u /* MCRR/MRRC to CP15 */
#define EC_CP14_32 0x05u /* MCR/MRC to CP14: debug registers (HDCR.TDA), ThumbEE (HSTR.TTEE) */
#define EC_HCPTR 0x07u   /* VFP/Advanced SIMD access trapped by HCPTR: lazy VFP switch */
#define EC_CP14_LS 0x06u /* LDC/STC to CP14: the debug data transfer registers */
#define EC_CP14_64 0x0cu /* MRRC to CP14: the debug ROM address registers */
#define EC_HVC 0x12u
#define EC_SMC 0x13u
#define EC_PABT_LOWER 0x20u
#define EC_DABT_LOWER 0x24u

#define HSR_EC(hsr) ((hsr) >> 26)
#define HSR_IL (1u << 25)
#define HSR_CV (1u << 24)
#define HSR_COND(hsr) (((hsr) >> 20) & 0xfu)
#define HSR_WFE (1u << 0)
#define HSR_DABT_WNR (1u << 6)
/* Data abort ISS (B3.13.6): instruction syndrome valid, access size, sign extend, register. */
#define HSR_DABT_ISV (1u << 24)
#define HSR_DABT_SAS(hsr) (((hsr) >> 22) & 3u)
#define HSR_DABT_SSE (1u << 21)
#define HSR_DABT_SRT(hsr) (((hsr) >> 16) & 0xfu)
#define HSR_DABT_S1PTW (1u << 7) /* the fault was on a stage-1 table walk */
/* Fault status (DFSC/IFSC, long-descriptor format: B3.13.6, table B3-23). Only a
 * translation fault (0b0001LL) has an IPA in HPFAR that names an emulated device. */
static inline bool hsr_translation_fault(uint32_t hsr)
{
	return (hsr & 0x3cu) == 0x04u;
}

/* ISS of a trapped MCR/MRC (B3.13.6): Opc2[19:17] Opc1[16:14] CRn[13:10] Rt[8:5] CRm[4:1] Dir[0]. */
/* Opc2, Opc1, CRn, CRm of a trapped MCR/MRC. */
static inline uint32_t cp15_iss_key(uint32_t hsr)
{
	return hsr & 0x000ffc1eu;
}
#define CP15_KEY(opc1, crn, crm, opc2)                                                   \
	(((uint32_t)(opc2) << 17) | ((uint32_t)(opc1) << 14) | ((uint32_t)(crn) << 10) | \
	 ((uint32_t)(crm) << 1))
#define CP15_RT(hsr) (((hsr) >> 5) & 0xfu)
#define CP_RT2(hsr) (((hsr) >> 10) & 0xfu) /* MCRR/MRRC second register */
static inline bool cp15_read(uint32_t hsr)
{
	return hsr & 1u;
}

/* ITSTATE of a Thumb IT block: IT[7:2] in CPSR[15:10], IT[1:0] in CPSR[26:25] (A2.5.2). */
static uint32_t itstate(uint32_t cpsr)
{
	return ((cpsr >> 8) & 0xfcu) | ((cpsr >> 25) & 3u);
}

static uint32_t with_itstate(uint32_t cpsr, uint32_t it)
{
	return (cpsr & ~PSR_IT_MASK) | ((it & 0xfcu) << 8) | ((it & 3u) << 25);
}

/*
 * A trapped conditional instruction whose condition fails must be skipped, not executed
 * (B3.13.6, "Conditional execution of trapped instructions"). With CV = 0 the condition is
 * not in the HSR: for a Thumb instruction in an IT block it is ITSTATE's (IT[7:4]).
 */
static bool condition_passes(uint32_t hsr, uint32_t cpsr)
{
	uint32_t cond = HSR_COND(hsr);
	if (!(hsr & HSR_CV)) {
		uint32_t it = itstate(cpsr);
		if (!(cpsr & PSR_T) || !(it & 0xfu))
			return true;
		cond = it >> 4;
	}
	bool n = cpsr >> 31 & 1, z = cpsr >> 30 & 1, c = cpsr >> 29 & 1, v = cpsr >> 28 & 1;
	bool r;
	switch (cond >> 1) {
	case 0:
		r = z;
		break;
	case 1:
		r = c;
		break;
	case 2:
		r = n;
		break;
	case 3:
		r = v;
		break;
	case 4:
		r = c && !z;
		break;
	case 5:
		r = n == v;
		break;
	case 6:
		r = !z && n == v;
		break;
	default:
		return true; /* AL */
	}
	return (cond & 1u) && cond != 0xfu ? !r : r;
}

/* Steps the guest past an emulated instruction of `len` bytes, advancing ITSTATE as the
 * CPU would have when it is one of an IT block (ITAdvance(), A2.5.2). */
static void step_over(struct vcpu *v, uint32_t len)
{
	uint32_t cpsr = v->arch.regs.cpsr, it = itstate(cpsr);
	v->arch.regs.pc += len;
	if (!(cpsr & PSR_T) || !it)
		return;
	it = (it & 7u) == 0 ? 0 : (it & 0xe0u) | ((it << 1) & 0x1fu);
	v->arch.regs.cpsr = with_itstate(cpsr, it);
}

static void skip_instruction(struct vcpu *v, uint32_t hsr)
{
	step_over(v, (hsr & HSR_IL) ? 4u : 2u);
}

/* The result of an emulated MRC: to Rt, or with Rt = 15 (APSR_nzcv) its top four bits to
 * the condition flags (A8.8.108). */
static void mrc_result(struct vcpu *v, uint32_t rt, uint32_t val)
{
	if (rt == 15)
		v->arch.regs.cpsr = (v->arch.regs.cpsr & 0x0fffffffu) | (val & 0xf0000000u);
	else
		guest_reg_write(v, rt, val);
}

/*
 * Debug registers (CP14, trapped by HDCR.TDA/TDOSA/TDRA) and performance monitors (CP15
 * c9, HDCR.TPM) belong to no cell: they read as zero and ignore writes, as KVM does, so a
 * guest probing them at boot (Linux's hw_breakpoint init) sees "no debug features"
 * instead of dying on an UNDEFINED instruction.
 */
static void handle_raz_wi(struct vcpu *v, uint32_t hsr)
{
	if (cp15_read(hsr))
		mrc_result(v, CP15_RT(hsr), 0);
	skip_instruction(v, hsr);
}

/* MRRC from CP14 (DBGDRAR, DBGDSAR): no debug ROM, both registers read as zero. */
static void handle_raz_64(struct vcpu *v, uint32_t hsr)
{
	if (cp15_read(hsr)) {
		guest_reg_write(v, CP15_RT(hsr), 0);
		guest_reg_write(v, CP_RT2(hsr), 0);
	}
	skip_instruction(v, hsr);
}

/*
 * Trapped CP15 accesses. ACTLR (TAC) reads return the physical value so that guests see
 * the SMP bit set; writes are ignored, as the register is shared with other cells.
 * Everything else trapped (implementation-defined registers, TIDCP) is UNDEFINED.
 */
static void handle_cp15(struct vcpu *v, uint32_t hsr)
{
	if (((hsr >> 10) & 0xfu) == 9) { /* CRn = c9: performance monitors */
		handle_raz_wi(v, hsr);
		return;
	}
	if (cp15_iss_key(hsr) != CP15_KEY(0, 1, 0, 1)) {
		inject_undef(v, hsr);
		return;
	}
	if (cp15_read(hsr))
		mrc_result(v, CP15_RT(hsr), sysreg_read_actlr());
	skip_instruction(v, hsr);
}

static void handle_wfx(struct vcpu *v, uint32_t hsr)
{
	skip_instruction(v, hsr);
	struct sched *s = sched_of(v->pcpu);
	if (hsr & HSR_WFE)
		sched_yield(s);
	else
		sched_block_wfi(s, v, arch_counter_now());
}

/* Banked SP and LR of the guest's current mode (ARM ARM B9.3.9, MRS/MSR banked). */
/* clang-format off */
#define BANKED_ACCESS(X) \
	X(PSR_MODE_SVC, SP_svc, LR_svc) \
	X(PSR_MODE_ABT, SP_abt, LR_abt) \
	X(PSR_MODE_UND, SP_und, LR_und) \
	X(PSR_MODE_IRQ, SP_irq, LR_irq) \
	X(PSR_MODE_FIQ, SP_fiq, LR_fiq)
/* clang-format on */

/* r8-r12 of FIQ mode are banked: the frame holds those of the other modes. */
/* clang-format off */
#define FIQ_BANKED(X) \
	X(8, r8_fiq) \
	X(9, r9_fiq) \
	X(10, r10_fiq) \
	X(11, r11_fiq) \
	X(12, r12_fiq)
/* clang-format on */

uint32_t guest_reg_read(const struct vcpu *v, uint32_t n)
{
	uint32_t mode = v->arch.regs.cpsr & PSR_MODE_MASK, val = 0;
	if (n >= 8 && n < 13 && mode == PSR_MODE_FIQ) {
#define READ_FIQ(i, reg) \
	if (n == (i))    \
		__asm__ volatile("mrs %0, " #reg : "=r"(val));
		FIQ_BANKED(READ_FIQ)
#undef READ_FIQ
		return val;
	}
	if (n < 13)
		return v->arch.regs.r[n];
	if (n == 15)
		return v->arch.regs.pc + 8u;
	if (mode == PSR_MODE_USR || mode == 0x1fu) { /* USR and SYS share SP and LR */
		if (n == 14)
			return v->arch.regs.lr_usr;
		__asm__ volatile("mrs %0, SP_usr" : "=r"(val));
		return val;
	}
#define READ(m, sp, lr)                                               \
	if (mode == (m)) {                                            \
		if (n == 13)                                          \
			__asm__ volatile("mrs %0, " #sp : "=r"(val)); \
		else                                                  \
			__asm__ volatile("mrs %0, " #lr : "=r"(val)); \
	}
	BANKED_ACCESS(READ)
#undef READ
	return val;
}

void guest_reg_write(struct vcpu *v, uint32_t n, uint32_t val)
{
	uint32_t mode = v->arch.regs.cpsr & PSR_MODE_MASK;
	if (n >= 8 && n < 13 && mode == PSR_MODE_FIQ) {
#define WRITE_FIQ(i, reg) \
	if (n == (i))     \
		__asm__ volatile("msr " #reg ", %0" : : "r"(val));
		FIQ_BANKED(WRITE_FIQ)
#undef WRITE_FIQ
		return;
	}
	if (n < 13) {
		v->arch.regs.r[n] = val;
		return;
	}
	if (n == 15)
		return;
	if (mode == PSR_MODE_USR || mode == 0x1fu) {
		if (n == 14)
			v->arch.regs.lr_usr = val;
		else
			__asm__ volatile("msr SP_usr, %0" : : "r"(val));
		return;
	}
#define WRITE(m, sp, lr)                                                  \
	if (mode == (m)) {                                                \
		if (n == 13)                                              \
			__asm__ volatile("msr " #sp ", %0" : : "r"(val)); \
		else                                                      \
			__asm__ volatile("msr " #lr ", %0" : : "r"(val)); \
	}
	BANKED_ACCESS(WRITE)
#undef WRITE
}

/* A loaded value as the register receives it: LDRB/LDRH zero- or sign-extended (SSE). */
static uint32_t mmio_load_value(uint32_t value, uint32_t size, bool sign_extend)
{
	uint32_t bits = 8u * size;
	if (size == 4)
		return value;
	value &= (1u << bits) - 1u; /* a provider's stray high bits never reach the register */
	if (sign_extend && ((value >> (bits - 1u)) & 1u))
		value |= ~((1u << bits) - 1u);
	return value;
}

void arch_vcpu_mmio_complete(struct vcpu *v, const struct vdev_request *req)
{
	if (req->abort) {
		inject_data_abort(v, req->arch.far, req->write);
		return;
	}
	if (!req->write)
		guest_reg_write(v, req->arch.srt,
				mmio_load_value(req->value, req->size, req->arch.sign_extend));
	step_over(v, req->arch.insn_len);
}

/* Emulates a decoded load or store to the vGIC distributor or a vdev window. Returns
 * false when no emulated device lives at `ipa`. */
static bool handle_mmio(struct vcpu *v, uint32_t hsr, uint32_t ipa)
{
	/* Not decodable from the syndrome (no ISV, PC as the register, SAS = 3 which no
	 * single-register access has): the guest gets its abort. */
	if (!(hsr & HSR_DABT_ISV) || HSR_DABT_SRT(hsr) == 15 || HSR_DABT_SAS(hsr) == 3)
		return false;
	uint32_t size = 1u << HSR_DABT_SAS(hsr), srt = HSR_DABT_SRT(hsr);
	bool write = hsr & HSR_DABT_WNR;
	uint32_t value = write ? guest_reg_read(v, srt) : 0;
	if (size < 4)
		value &= (1u << (8 * size)) - 1u;
	if (vgic_mmio(v, ipa, size, write, &value)) {
		if (!write)
			guest_reg_write(v, srt, mmio_load_value(value, size, hsr & HSR_DABT_SSE));
		skip_instruction(v, hsr);
		return true;
	}
	struct vdev_request req = { .size = size,
				    .value = value,
				    .write = write,
				    .arch = { .srt = srt,
					      .sign_extend = hsr & HSR_DABT_SSE,
					      .far = sysreg_read_hdfar(),
					      .insn_len = (hsr & HSR_IL) ? 4u : 2u } };
	return vdev_submit(v, ipa, &req); /* the vCPU resumes once the provider answers */
}

static void handle_stage2_abort(struct vcpu *v, uint32_t hsr, bool data)
{
	uint32_t far = data ? sysreg_read_hdfar() : sysreg_read_hifar();
	uint32_t ipa = (sysreg_read_hpfar() << 8) | (far & 0xfffu); /* HPFAR[31:4] = IPA[39:12] */
	/* HPFAR is valid and names a device window only for a stage-2 translation fault of
	 * the access itself; permission faults and stage-1 walks abort in the guest. */
	bool emulable = hsr_translation_fault(hsr) && !(hsr & HSR_DABT_S1PTW);
	if (data && emulable && handle_mmio(v, hsr, ipa))
		return;
	cell_report_fault(v->cell, data ? "stage-2 data abort" : "stage-2 prefetch abort", ipa,
			  v->arch.regs.pc);
	if (data)
		inject_data_abort(v, far, hsr & HSR_DABT_WNR);
	else
		inject_prefetch_abort(v, far);
}

/* A trapped instruction that may be conditional: emulated by `handle` if its condition
 * passes, else skipped (B3.13.6, "Conditional execution of trapped instructions"). */
static void handle_conditional(struct vcpu *v, uint32_t hsr,
			       void (*handle)(struct vcpu *, uint32_t))
{
	if (condition_passes(hsr, v->arch.regs.cpsr))
		handle(v, hsr);
	else
		skip_instruction(v, hsr);
}

/* An SMCCC call: r0-r6 in, r0-r3 out, straight from and to the saved frame (r0-r6 are
 * never banked). */
static void hypercall(struct vcpu *v)
{
	v->arch.regs.smccc_result = hypercall_dispatch(v, &v->arch.regs.smccc_args);
}

MV_NOINLINE static void handle_trap(struct vcpu *v, uint32_t hsr)
{
	uint32_t ec = HSR_EC(hsr);
	switch (ec) {
	case EC_HVC:
		if ((hsr & 0xffffu) != 0) /* only HVC #0 is ours (SMCCC) */
			v->arch.regs.r[0] = (uint32_t)MV_E_NOT_SUPPORTED;
		else
			hypercall(v);
		return;
	case EC_SMC: /* trapped by HCR.TSC; PSCI through the SMC conduit works the same */
		skip_instruction(v, hsr);
		if (condition_passes(hsr, v->arch.regs.cpsr))
			hypercall(v);
		return;
	case EC_WFI_WFE:
		handle_conditional(v, hsr, handle_wfx);
		return;
	case EC_HCPTR: /* retried once the registers are its own, whatever its condition */
		vfp_take(v);
		return;
	case EC_CP15_32:
		handle_conditional(v, hsr, handle_cp15);
		return;
	case EC_CP14_32:
		handle_conditional(v, hsr, handle_raz_wi);
		return;
	case EC_CP14_64:
		handle_conditional(v, hsr, handle_raz_64);
		return;
	case EC_CP15_64:
	case EC_CP14_LS:
		handle_conditional(v, hsr, inject_undef);
		return;
	case EC_DABT_LOWER:
	case EC_PABT_LOWER:
		handle_stage2_abort(v, hsr, ec == EC_DABT_LOWER);
		return;
	default:
		cell_report_fault(v->cell, "trapped instruction (undefined)", hsr, v->arch.regs.pc);
		inject_undef(v, hsr);
		return;
	}
}

/* Every guest exit: the trap or interrupt, then the scheduler's decision and the entry
 * hazards of the vCPU to resume. The common case (a call that changes nothing) tests one
 * word per concern and calls nothing but its handler. */
struct vcpu *hyp_handle_guest_exit(struct vcpu *v, uint32_t kind)
{
	struct hyp_pcpu *p = hyp_this_pcpu();
	if (p->guest_serror | p->hcr_va)
		arch_vcpu_serror_exit(v, p);
	if (kind == HYP_EXIT_IRQ)
		gic_handle_irqs();
	else if (kind == HYP_EXIT_TRAP)
		handle_trap(v, sysreg_read_hsr());
	struct vcpu *next = sched_exit(v->sched);
	if (next->hazards & VCPU_HZ_ENTRY)
		vcpu_enter_hazards(next);
	if (p->hcr_va != next->arch.serror_pending)
		arch_vcpu_serror_enter(next, p);
	return next;
}

uint32_t hyp_handle_hvc_fast(struct vcpu *v)
{
	uint32_t n = hypercall_vendor_number(v->arch.regs.r[0]);
	if (n >= MV_CALL_COUNT)
		return HYP_EXIT_TRAP;
	v->arch.regs.smccc_result = hypercall_vendor_calls[n](v, &v->arch.regs.smccc_args);
	return sched_resume_at_once(v) ? HYP_EXIT_RESUME : HYP_EXIT_HANDLED;
}

extern const char hyp_serror_window[], hyp_serror_window_end[];

void hyp_handle_hyp_dabt(const uint32_t *r, uint32_t elr, uint32_t spsr)
{
	if (elr >= (uint32_t)(uintptr_t)hyp_serror_window &&
	    elr <= (uint32_t)(uintptr_t)hyp_serror_window_end) {
		hyp_this_pcpu()->guest_serror = 1;
		return;
	}
	hyp_handle_bad_exception(0x10, r, elr, spsr);
}

void hyp_handle_bad_exception(uint32_t vector, const uint32_t *r, uint32_t elr, uint32_t spsr)
{
	log_printf("\nmicrovisor: exception in HYP mode, vector %02x\n", (unsigned)vector);
	log_printf("  HSR %08x  HDFAR %08x  HIFAR %08x  ELR %08x  SPSR %08x\n",
		   (unsigned)sysreg_read_hsr(), (unsigned)sysreg_read_hdfar(),
		   (unsigned)sysreg_read_hifar(), (unsigned)elr, (unsigned)spsr);
	for (unsigned i = 0; i < 13; i++)
		log_printf("  r%u %08x%s", i, (unsigned)r[i], i % 4 == 3 ? "\n" : "");
	log_printf("\n");
	panic("exception in HYP mode");
}
