// SPDX-License-Identifier: GPL-2.0-only
/*
 * splitkvm_exit: hyp/exit.c's decoding of guest exits, and the ID register
 * reads EL2 answers itself, from syndromes set on the simulated CPU.
 */
#include <kunit/test.h>
#include <splitkvm/exit.h>
#include <hwregs.h>
#include <hyp/vm.h>

#define PC		0x80000100ULL
#define EC(ec)		((u64)(ec) << 26)
#define IL		(1ULL << 25)

static void set_exit(u64 esr, u64 far, u64 hpfar)
{
	memset(&sim_hw, 0, sizeof(sim_hw));
	sim_hw.esr_el2 = esr;
	sim_hw.far_el2 = far;
	sim_hw.hpfar_el2 = hpfar;
	sim_hw.elr_el2 = PC;
}

static struct skvm_exit decode(u64 code)
{
	struct skvm_exit exit = { 0 };

	hyp_decode_exit(code, &exit);
	return exit;
}

/* ISS of a data abort: ISV, SAS, SSE, SRT, SF, WnR (Arm ARM, ESR_EL2). */
static u64 dabt_iss(unsigned int size_log2, bool sse, unsigned int rt,
		    bool sf, bool write)
{
	return (1ULL << 24) | ((u64)size_log2 << 22) | ((u64)sse << 21) |
	       ((u64)rt << 16) | ((u64)sf << 15) | ((u64)write << 6);
}

static void mmio_write_decoded(struct kunit *test)
{
	struct skvm_exit e;

	/* str w7, [x0] at IPA 0x0900_0004: HPFAR holds IPA[47:12] << 4. */
	set_exit(EC(0x24) | IL | dabt_iss(2, false, 7, false, true),
		 0xffff000012345004ULL, 0x09000000ULL >> 8);
	sim_hw.gpr[7] = 0xdeadbeefcafef00dULL;
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_DABT, e.reason);
	KUNIT_EXPECT_EQ(test, 0x09000004ULL, e.ipa);
	KUNIT_EXPECT_EQ(test, SKVM_ACCESS_VALID | SKVM_ACCESS_WRITE |
			(2UL << SKVM_ACCESS_SIZE_SHIFT) |
			(7UL << SKVM_ACCESS_REG_SHIFT), e.access);
	KUNIT_EXPECT_EQ(test, 0xdeadbeefcafef00dULL, e.data);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);
}

static void mmio_read_decoded(struct kunit *test)
{
	struct skvm_exit e;

	/* ldrsh x3, [x1]: 2 bytes, sign-extended, into a 64-bit register. */
	set_exit(EC(0x24) | IL | dabt_iss(1, true, 3, true, false),
		 0x10000006ULL, 0x10000000ULL >> 8);
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, 0x10000006ULL, e.ipa);
	KUNIT_EXPECT_EQ(test, SKVM_ACCESS_VALID | SKVM_ACCESS_SIGN_EXT |
			SKVM_ACCESS_64BIT_REG | (1UL << SKVM_ACCESS_SIZE_SHIFT) |
			(3UL << SKVM_ACCESS_REG_SHIFT), e.access);
	KUNIT_EXPECT_EQ(test, 0, e.data);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);

	/* str xzr: Rt 31 stores zero, whatever x31 would be. */
	set_exit(EC(0x24) | IL | dabt_iss(3, false, 31, true, true), 0, 0);
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, 0, e.data);
	KUNIT_EXPECT_EQ(test, 31, (e.access & SKVM_ACCESS_REG_MASK) >>
			SKVM_ACCESS_REG_SHIFT);
}

/* No syndrome, or a stage-1 walk: the host gets the raw abort, PC unmoved. */
static void dabt_without_syndrome(struct kunit *test)
{
	struct skvm_exit e;

	set_exit(EC(0x24) | IL | 0x07, 0x1000, 0x1000 >> 8);
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_DABT, e.reason);
	KUNIT_EXPECT_EQ(test, 0, e.access);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);

	set_exit(EC(0x24) | IL | dabt_iss(2, false, 1, false, false) |
		 (1 << 7), 0x2000, 0x2000 >> 8);
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, 0, e.access);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
}

static void traps_decoded(struct kunit *test)
{
	struct skvm_exit e;

	set_exit(EC(0x01) | IL | 1, 0, 0);		/* WFE */
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_WFX, e.reason);
	KUNIT_EXPECT_EQ(test, 1, e.access);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);

	set_exit(EC(0x16) | IL | 0x1234, 0, 0);	/* HVC #0x1234 */
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_HVC, e.reason);
	KUNIT_EXPECT_EQ(test, 0x1234, e.access);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);	/* already past it */

	set_exit(EC(0x17) | IL | 0x42, 0, 0);		/* SMC #0x42 */
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_SMC, e.reason);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);

	set_exit(EC(0x20) | IL | 0x05, 0x8000, 0x8000 >> 8);
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_IABT, e.reason);
	KUNIT_EXPECT_EQ(test, 0x8000, e.ipa);

	set_exit(EC(0x07) | IL, 0, 0);			/* FP trap: not ours */
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_UNKNOWN, decode(HYP_EXIT_SYNC).reason);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_IRQ, decode(HYP_EXIT_IRQ).reason);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_IRQ, decode(HYP_EXIT_FIQ).reason);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_SERROR, decode(HYP_EXIT_SERROR).reason);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_UNKNOWN, decode(HYP_EXIT_BAD).reason);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
}

/* ISS of MRS/MSR: op0, op2, op1, CRn, Rt, CRm, direction. */
static u64 sys_iss(u64 op0, u64 op1, u64 crn, u64 crm, u64 op2, u64 rt,
		   bool read)
{
	return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) |
	       (rt << 5) | (crm << 1) | read;
}

static void id_regs_answered_at_el2(struct kunit *test)
{
	memset(&hyp, 0, sizeof(hyp));
	hyp.guest_el2.id_regs[SKVM_ID_REG_INDEX(4, 0)] = 0x1111;
	hyp.guest_el2.id_regs[SKVM_ID_REG_INDEX(7, 1)] = 0x7171;

	/* mrs x9, id_aa64pfr0_el1 */
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 0, 4, 0, 9, true), 0, 0);
	KUNIT_EXPECT_TRUE(test, hyp_handle_exit_at_el2(HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0x1111, sim_hw.gpr[9]);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);

	/* mrs xzr, id_aa64mmfr1_el1: nothing written, still stepped over. */
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 0, 7, 1, 31, true), 0, 0);
	KUNIT_EXPECT_TRUE(test, hyp_handle_exit_at_el2(HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);

	/* Writes, other spaces and other exits are the host's. */
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 0, 4, 0, 9, false), 0, 0);
	KUNIT_EXPECT_FALSE(test, hyp_handle_exit_at_el2(HYP_EXIT_SYNC));
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 0, 0, 5, 9, true), 0, 0);
	KUNIT_EXPECT_FALSE(test, hyp_handle_exit_at_el2(HYP_EXIT_SYNC));
	set_exit(EC(0x18) | IL | sys_iss(2, 0, 0, 2, 2, 9, true), 0, 0);
	KUNIT_EXPECT_FALSE(test, hyp_handle_exit_at_el2(HYP_EXIT_SYNC));
	set_exit(EC(0x18) | IL | sys_iss(3, 3, 0, 4, 0, 9, true), 0, 0);
	KUNIT_EXPECT_FALSE(test, hyp_handle_exit_at_el2(HYP_EXIT_SYNC));
	set_exit(EC(0x16) | IL, 0, 0);
	KUNIT_EXPECT_FALSE(test, hyp_handle_exit_at_el2(HYP_EXIT_SYNC));
	KUNIT_EXPECT_FALSE(test, hyp_handle_exit_at_el2(HYP_EXIT_IRQ));
	KUNIT_EXPECT_EQ(test, 0, sim_hw.gpr[9]);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
}

static struct kunit_case splitkvm_exit_cases[] = {
	KUNIT_CASE(mmio_write_decoded),
	KUNIT_CASE(mmio_read_decoded),
	KUNIT_CASE(dabt_without_syndrome),
	KUNIT_CASE(traps_decoded),
	KUNIT_CASE(id_regs_answered_at_el2),
	{}
};

static struct kunit_suite splitkvm_exit_suite = {
	.name = "splitkvm_exit",
	.test_cases = splitkvm_exit_cases,
};
kunit_test_suite(splitkvm_exit_suite);
