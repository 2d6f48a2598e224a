/* SPDX-License-Identifier: MIT */
/* VFPv4/Advanced SIMD register save and restore for the vCPU switch (ARM ARM B1.11:
 * FPEXC.EN must be set for HYP to reach the registers). Layout: struct arch_vfp. */
	.text
	.arm
	.fpu	neon-vfpv4

	.global vfp_save
vfp_save:					@ r0 = struct arch_vfp *
	vmrs	r1, fpexc
	orr	r2, r1, #(1 << 30)		@ FPEXC.EN
	vmsr	fpexc, r2
	vstmia	r0!, {d0-d15}
	vstmia	r0!, {d16-d31}
	vmrs	r2, fpscr
	str	r1, [r0]			@ fpexc
	str	r2, [r0, #4]			@ fpscr
	bx	lr

	.global vfp_restore
vfp_restore:					@ r0 = const struct arch_vfp *
	mov	r1, #(1 << 30)
	vmsr	fpexc, r1
	vldmia	r0!, {d0-d15}
	vldmia	r0!, {d16-d31}
	ldr	r1, [r0]
	ldr	r2, [r0, #4]
	vmsr	fpscr, r2
	vmsr	fpexc, r1
	bx	lr
