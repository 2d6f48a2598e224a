/* SPDX-License-Identifier: MIT */
/*
 * Lazy VFP isolation (systems/hostile-vfp.dts, tests/hostile/isolation.cmake): two
 * instances of this cell share CPU 0 at one priority and yield to each other, so every
 * yield switches vCPUs while the VFP/NEON registers may still hold the other cell's
 * values. Each cell first reads all of d0-d31 and FPSCR and must find only its own reset
 * state (zeros), although the other may have filled them already (cell 0 fills them
 * before it first yields); then, round after round, it fills
 * them with a pattern of its own, yields once or twice (touching VFP in between or not)
 * and checks that it reads back exactly its pattern. Cell 1 then restarts once (PSCI
 * SYSTEM_RESET) and its second life must find zeros again, not its first life's values.
 */
#include <cell/runtime.h>

#define ROUNDS 500u
#define FPSCR_MASK 0xf0c00000u /* NZCV and the rounding mode: bits FPSCR keeps as written */

struct vfp_state {
	uint64_t d[32];
	uint32_t fpscr;
};

static void vfp_enable(void)
{
	uint32_t cpacr;
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 2" : "=r"(cpacr));
	cpacr |= 0xfu << 20; /* CP10 and CP11: full access at PL1 and PL0 */
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 2; isb" : : "r"(cpacr));
	__asm__ volatile(".fpu neon-vfpv4\n\tvmsr fpexc, %0" : : "r"(1u << 30)); /* FPEXC.EN */
}

static void vfp_write(const struct vfp_state *s)
{
	__asm__ volatile(".fpu neon-vfpv4\n\t"
			 "vldmia %0, {d0-d15}\n\t"
			 "vldmia %1, {d16-d31}\n\t"
			 "vmsr fpscr, %2"
			 :
			 : "r"(&s->d[0]), "r"(&s->d[16]), "r"(s->fpscr)
			 : "memory");
}

static void vfp_read(struct vfp_state *s)
{
	uint32_t fpscr;
	__asm__ volatile(".fpu neon-vfpv4\n\t"
			 "vstmia %1, {d0-d15}\n\t"
			 "vstmia %2, {d16-d31}\n\t"
			 "vmrs %0, fpscr"
			 : "=r"(fpscr)
			 : "r"(&s->d[0]), "r"(&s->d[16])
			 : "memory");
	s->fpscr = fpscr;
}

/* How many registers of `got` differ from `want` (FPSCR counts as one). */
static uint32_t differences(const struct vfp_state *got, const struct vfp_state *want)
{
	uint32_t n = (got->fpscr & FPSCR_MASK) != (want->fpscr & FPSCR_MASK);
	for (uint32_t i = 0; i < 32; i++)
		n += got->d[i] != want->d[i];
	return n;
}

static void fill(struct vfp_state *s, uint32_t cell, uint32_t round)
{
	for (uint32_t i = 0; i < 32; i++)
		s->d[i] = ((uint64_t)(0x5f000000u | cell << 16 | i) << 32) | (round * 32u + i);
	s->fpscr = (round & 1u ? 0xa0000000u : 0x50000000u) | (cell ? 0x00800000u : 0x00400000u);
}

int main(void)
{
	static struct vfp_state got, want, zero;
	uint32_t cell = mv_cell_info(MV_INFO_CELL_ID);
	uint32_t life = mv_cell_info(MV_INFO_RESET_COUNT);
	vfp_enable();
	vfp_read(&got);
	uint32_t leaked = differences(&got, &zero);
	cell_printf("life %u: %u register(s) not in their reset state at first read\n",
		    (unsigned)life, (unsigned)leaked);
	CHECK(leaked == 0);
	if (life > 0) {
		test_report();
		return 0;
	}
	uint32_t bad_rounds = 0;
	for (uint32_t round = 0; round < ROUNDS; round++) {
		fill(&want, cell, round);
		vfp_write(&want);
		mv_yield();
		if (round % 3u == 1u) {
			vfp_read(&got); /* touch VFP between two switches */
			mv_yield();
		} else if (round % 3u == 2u) {
			mv_yield(); /* two switches without touching VFP */
		}
		vfp_read(&got);
		bad_rounds += differences(&got, &want) != 0;
	}
	cell_printf("%u of %u rounds read back another value than written\n", (unsigned)bad_rounds,
		    (unsigned)ROUNDS);
	CHECK(bad_rounds == 0);
	test_report();
	if (cell == 1)
		mv_system_reset();
	return 0;
}
