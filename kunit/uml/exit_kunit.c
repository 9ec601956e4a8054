// SPDX-License-Identifier: GPL-2.0-only
/*
 * splitkvm_exit: hyp/exit.c's decoding of guest exits, the system register
 * accesses EL2 answers itself, stepping and UNDEF injection (hyp/inject.c)
 * and the SError decisions at the world switch (hyp/serror.c), from
 * syndromes set on the simulated CPU.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <splitkvm/exit.h>
#include <hwregs.h>
#include <hyp/mem.h>
#include <hyp/vm.h>

#define PC		0x80000100ULL
#define EC(ec)		((u64)(ec) << 26)
#define IL		(1ULL << 25)

/* VMs as the exit handlers see them (EL2 keeps them in donated pages). */
static struct hyp_vm test_vms[3];
static struct hyp_vcpu test_vcpu;
static struct hyp_cpu test_cpu;

/* An exit of test_vcpu of @vm, handled at EL2 if it can be. */
static bool at_el2(struct hyp_vm *vm, u64 code)
{
	test_cpu.cur_vm = vm;
	test_cpu.cur_vcpu = &test_vcpu;
	return hyp_handle_exit_at_el2(&test_cpu, code);
}

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
	KUNIT_EXPECT_EQ(test, 0xffff000012345004ULL, e.far);
	/* The host decides whether to emulate it: the PC stays. */
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
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
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);

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

/*
 * A translation fault of an atomic read-modify-write is reported as its
 * read, as hardware does (QEMU says write): EL2 finds the instruction at
 * the guest's PC (through AT) in the VM's RAM. Nothing else changes.
 */
static void atomic_fault_is_a_read(struct kunit *test)
{
	static const u32 insns[] = {
		0xc8e0fc41,	/* casal x0, x1, [x2] */
		0xf8200041,	/* ldadd x0, x1, [x2] */
		0x48207c82,	/* casp x0, x1, x2, x3, [x4] */
		0xf9000041,	/* str x1, [x2]: not atomic */
	};
	u64 esr = EC(0x24) | IL | (1 << 6) | 0x07;	/* WnR, L3 translation */
	u32 *page = kunit_kzalloc(test, 2 * SKVM_PAGE_SIZE, GFP_KERNEL);
	u8 owner = 1;
	unsigned int i;
	u64 pa;

	KUNIT_ASSERT_NOT_NULL(test, page);
	page = PTR_ALIGN(page, SKVM_PAGE_SIZE);
	pa = (u64)(unsigned long)page;
	memset(&hyp, 0, sizeof(hyp));
	hyp.mem.ram_base = pa;
	hyp.mem.ram_pages = 1;
	hyp.mem.owner = &owner;
	for (i = 0; i < ARRAY_SIZE(insns); i++) {
		set_exit(esr, 0x1000, 0x1000 >> 8);
		sim_hw.guest_pa = pa;
		page[(PC & 0xfff) / 4] = insns[i];
		KUNIT_EXPECT_EQ_MSG(test, i < 3 ? esr & ~(1ULL << 6) : esr,
				    decode(HYP_EXIT_SYNC).esr, "insn %#x",
				    insns[i]);
	}
	page[(PC & 0xfff) / 4] = insns[0];
	/* A permission fault, a valid syndrome, no RAM there: as it was. */
	set_exit(esr | 0x08, 0x1000, 0x1000 >> 8);
	sim_hw.guest_pa = pa;
	KUNIT_EXPECT_EQ(test, esr | 0x08, decode(HYP_EXIT_SYNC).esr);
	set_exit(esr | (1 << 24), 0x1000, 0x1000 >> 8);
	sim_hw.guest_pa = pa;
	KUNIT_EXPECT_EQ(test, esr | (1 << 24), decode(HYP_EXIT_SYNC).esr);
	owner = SKVM_OWNER_NONE;
	set_exit(esr, 0x1000, 0x1000 >> 8);
	sim_hw.guest_pa = pa;
	KUNIT_EXPECT_EQ(test, esr, decode(HYP_EXIT_SYNC).esr);
}

/* ISS of MRS/MSR: op0, op2, op1, CRn, Rt, CRm, direction. */
static u64 sys_iss(u64 op0, u64 op1, u64 crn, u64 crm, u64 op2, u64 rt,
		   bool read)
{
	return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) |
	       (rt << 5) | (crm << 1) | read;
}

static void traps_decoded(struct kunit *test)
{
	struct skvm_exit e;

	set_exit(EC(0x01) | IL | 1, 0, 0);		/* WFE */
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_WFX, e.reason);
	KUNIT_EXPECT_EQ(test, 1, e.access);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);

	/* WFIT x5 and WFET with no valid register: TI and the deadline. */
	set_exit(EC(0x01) | IL | (5 << 5) | (1 << 2) | 2, 0, 0);
	sim_hw.gpr[5] = 0x123456789ULL;
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, 2, e.access);
	KUNIT_EXPECT_EQ(test, 0x123456789ULL, e.data);
	set_exit(EC(0x01) | IL | (5 << 5) | 3, 0, 0);
	sim_hw.gpr[5] = 0x123456789ULL;
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, 3, e.access);
	KUNIT_EXPECT_EQ(test, 0, e.data);

	/* No fault address outside aborts, whatever FAR_EL2 still holds. */
	set_exit(EC(0x16) | IL | 0x1234, 0xdead000, 0xdead);	/* HVC #0x1234 */
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_HVC, e.reason);
	KUNIT_EXPECT_EQ(test, 0x1234, e.access);
	KUNIT_EXPECT_EQ(test, 0, e.far);
	KUNIT_EXPECT_EQ(test, 0, e.ipa);
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
	set_exit(EC(0x16), 0xdead000, 0xdead);
	e = decode(HYP_EXIT_IRQ);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_IRQ, e.reason);
	KUNIT_EXPECT_EQ(test, 0, e.esr);		/* not this exit's */
	KUNIT_EXPECT_EQ(test, 0, e.far);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_IRQ, decode(HYP_EXIT_FIQ).reason);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_SERROR, decode(HYP_EXIT_SERROR).reason);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_UNKNOWN, decode(HYP_EXIT_BAD).reason);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);

	/* From AArch32 EL0: reported as such, never decoded as A64. */
	set_exit(EC(0x24) | IL | dabt_iss(2, false, 0, false, true), 0, 0);
	sim_hw.spsr_el2 = 0x10;
	e = decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_AARCH32, e.reason);
	KUNIT_EXPECT_EQ(test, 0, e.access);
	set_exit(EC(0x01) | IL, 0, 0);
	sim_hw.spsr_el2 = 0x10;
	KUNIT_EXPECT_EQ(test, SKVM_EXIT_AARCH32, decode(HYP_EXIT_SYNC).reason);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 0, 4, 0, 9, true), 0, 0);
	sim_hw.spsr_el2 = 0x10;
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
}

/* Stepping over an instruction ends a software step and a BTI check. */
static void skip_clears_ss_and_btype(struct kunit *test)
{
	set_exit(EC(0x17) | IL, 0, 0);
	sim_hw.spsr_el2 = (1UL << 21) | (3UL << 10) | 0x3c5;
	decode(HYP_EXIT_SYNC);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);
	KUNIT_EXPECT_EQ(test, 0x3c5, sim_hw.spsr_el2);
}

static void id_regs_answered_at_el2(struct kunit *test)
{
	memset(&hyp, 0, sizeof(hyp));
	memset(test_vms, 0, sizeof(test_vms));
	memset(&test_vcpu, 0, sizeof(test_vcpu));
	test_vms[1].id_regs[SKVM_ID_REG_INDEX(4, 0)] = 0x1111;
	test_vms[1].id_regs[SKVM_ID_REG_INDEX(7, 1)] = 0x7171;
	test_vms[2].id_regs[SKVM_ID_REG_INDEX(4, 0)] = 0x2222;

	/* mrs x9, id_aa64pfr0_el1 */
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 0, 4, 0, 9, true), 0, 0);
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0x1111, sim_hw.gpr[9]);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);
	/* Each VM has its own. */
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 0, 4, 0, 9, true), 0, 0);
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[2], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0x2222, sim_hw.gpr[9]);
	sim_hw.gpr[9] = 0;

	/* mrs xzr, id_aa64mmfr1_el1: nothing written, still stepped over. */
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 0, 7, 1, 31, true), 0, 0);
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);

	/* Writes, other spaces and other exits are the host's. */
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 0, 4, 0, 9, false), 0, 0);
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 0, 0, 5, 9, true), 0, 0);
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	set_exit(EC(0x18) | IL | sys_iss(2, 1, 0, 0, 1, 9, true), 0, 0);
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	set_exit(EC(0x18) | IL | sys_iss(3, 3, 0, 4, 0, 9, true), 0, 0);
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	set_exit(EC(0x16) | IL, 0, 0);
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1], HYP_EXIT_IRQ));
	KUNIT_EXPECT_EQ(test, 0, sim_hw.gpr[9]);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
}

/*
 * The cache ID registers (TID2): CTR_EL0 and CLIDR_EL1 are the VM's,
 * CSSELR_EL1 goes to the hardware register, CCSIDR_EL1 comes from it.
 */
static void cache_ids_answered_at_el2(struct kunit *test)
{
	memset(&hyp, 0, sizeof(hyp));
	memset(test_vms, 0, sizeof(test_vms));
	memset(&test_vcpu, 0, sizeof(test_vcpu));
	test_vms[1].ctr = 0xc7;
	test_vms[1].clidr = 0xc1;

	/* mrs x3, ctr_el0 (set_exit() clears the register bank) */
	set_exit(EC(0x18) | IL | sys_iss(3, 3, 0, 0, 1, 3, true), 0, 0);
	sim_hw.ctr_el0 = 0x1c7;
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0xc7, sim_hw.gpr[3]);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);
	/* mrs x3, clidr_el1 */
	set_exit(EC(0x18) | IL | sys_iss(3, 1, 0, 0, 1, 3, true), 0, 0);
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0xc1, sim_hw.gpr[3]);
	/* msr csselr_el1, x5 (only the valid bits); mrs x6, csselr_el1 */
	set_exit(EC(0x18) | IL | sys_iss(3, 2, 0, 0, 0, 5, false), 0, 0);
	sim_hw.gpr[5] = 0xffff0003;
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0x3, sim_hw.csselr_el1);
	set_exit(EC(0x18) | IL | sys_iss(3, 2, 0, 0, 0, 6, true), 0, 0);
	sim_hw.csselr_el1 = 0x3;
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0x3, sim_hw.gpr[6]);
	/* mrs x7, ccsidr_el1 */
	set_exit(EC(0x18) | IL | sys_iss(3, 1, 0, 0, 0, 7, true), 0, 0);
	sim_hw.ccsidr_el1 = 0xcc;
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0xcc, sim_hw.gpr[7]);
	/* A write to CTR_EL0 is the host's (an UNDEF), and changes nothing. */
	set_exit(EC(0x18) | IL | sys_iss(3, 3, 0, 0, 1, 3, false), 0, 0);
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1],
							HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0xc7, test_vms[1].ctr);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
}

/* An MRS/MSR of (3, 3, 14, 0, @op2) by VM 1, the counter at 0x5000. */
static bool counter_access(u64 op2, u64 rt, bool read)
{
	set_exit(EC(0x18) | IL | sys_iss(3, 3, 14, 0, op2, rt, read), 0, 0);
	sim_hw.cntpct_el0 = 0x5000;
	return at_el2(&test_vms[1], HYP_EXIT_SYNC);
}

/*
 * A VM with a physical counter offset reads CNTPCT_EL0 (trapped) as the
 * hardware's count less the offset, after an ISB; nothing else here.
 */
static void counter_offset_answered_at_el2(struct kunit *test)
{
	unsigned int isbs = sim_log.isbs;

	memset(&hyp, 0, sizeof(hyp));
	memset(test_vms, 0, sizeof(test_vms));
	test_vms[1].cntpoff = 0x1000;
	KUNIT_EXPECT_TRUE(test, counter_access(1, 4, true));
	KUNIT_EXPECT_EQ(test, 0x4000, sim_hw.gpr[4]);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);
	KUNIT_EXPECT_EQ(test, isbs + 1, sim_log.isbs);
	/* CNTPCTSS_EL0 the same; xzr takes nothing. */
	KUNIT_EXPECT_TRUE(test, counter_access(5, 31, true));
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);
	/* A write is the host's (an UNDEF), as is CNTVCT_EL0. */
	KUNIT_EXPECT_FALSE(test, counter_access(1, 4, false));
	KUNIT_EXPECT_FALSE(test, counter_access(2, 4, true));
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
}

/* SMCCC_VERSION and PSCI_VERSION over HVC #0, once the host allows it. */
static void smccc_answered_at_el2(struct kunit *test)
{
	memset(&hyp, 0, sizeof(hyp));
	memset(test_vms, 0, sizeof(test_vms));
	memset(&test_vcpu, 0, sizeof(test_vcpu));
	set_exit(EC(0x16) | IL, 0, 0);
	sim_hw.gpr[0] = 0x80000000;
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1],
							HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0x80000000, sim_hw.gpr[0]);

	test_vms[1].psci_version = 0x10000;
	/* SMC32 function ids: the upper half of x0 does not count. */
	set_exit(EC(0x16) | IL, 0, 0);
	sim_hw.gpr[0] = 0xffffffff80000000;
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0x10001, sim_hw.gpr[0]);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
	set_exit(EC(0x16) | IL, 0, 0);
	sim_hw.gpr[0] = 0x84000000;
	sim_hw.gpr[1] = 7;
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0x10000, sim_hw.gpr[0]);
	KUNIT_EXPECT_EQ(test, 7, sim_hw.gpr[1]);

	/* Other functions, other immediates, other VMs: the host's. */
	set_exit(EC(0x16) | IL, 0, 0);
	sim_hw.gpr[0] = 0x84000001;
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1],
							HYP_EXIT_SYNC));
	set_exit(EC(0x16) | IL | 1, 0, 0);
	sim_hw.gpr[0] = 0x80000000;
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1],
							HYP_EXIT_SYNC));
	set_exit(EC(0x16) | IL, 0, 0);
	sim_hw.gpr[0] = 0x80000000;
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[2],
							HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0x80000000, sim_hw.gpr[0]);
}

/* ACTLR_EL1 (TACR) is the host's: reads give its value, writes vanish. */
static void actlr_emulated_at_el2(struct kunit *test)
{
	memset(&hyp, 0, sizeof(hyp));
	memset(test_vms, 0, sizeof(test_vms));
	memset(&test_vcpu, 0, sizeof(test_vcpu));
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 1, 0, 1, 4, true), 0, 0);
	sim_hw.actlr_el1 = 0xacc;
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0xacc, sim_hw.gpr[4]);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);

	set_exit(EC(0x18) | IL | sys_iss(3, 0, 1, 0, 1, 4, false), 0, 0);
	sim_hw.actlr_el1 = 0xacc;
	sim_hw.gpr[4] = 0xbad;
	KUNIT_EXPECT_TRUE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
	KUNIT_EXPECT_EQ(test, 0xacc, sim_hw.actlr_el1);
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);

	/* SCTLR_EL1 (op2 0 of the same CRn/CRm) is not ACTLR. */
	set_exit(EC(0x18) | IL | sys_iss(3, 0, 1, 0, 0, 4, true), 0, 0);
	KUNIT_EXPECT_FALSE(test, at_el2(&test_vms[1], HYP_EXIT_SYNC));
}

/*
 * A trap EL2 does not handle becomes an UNDEF at the trapping world's EL1:
 * ELR/SPSR/ESR_EL1 as an exception entry sets them, and the right vector
 * for EL1h, EL1t, EL0 and AArch32 EL0.
 */
static void undef_injected(struct kunit *test)
{
	static const struct { u64 spsr, offset; } cases[] = {
		{ 0x3c5, 0x200 }, { 0x004, 0x000 }, { 0x000, 0x400 },
		{ 0x010, 0x600 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		set_exit(EC(0x18) | IL | 0x1234, 0, 0);
		sim_hw.spsr_el2 = cases[i].spsr;
		sim_hw.vbar_el1 = 0xffff800010000800ULL;
		sim_hw.sctlr_el1 = 1UL << 44;		/* DSSBS, SPAN 0 */
		sim_hw.gpr[0] = 0x77;
		hyp_inject_undef();
		KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el1);
		KUNIT_EXPECT_EQ(test, cases[i].spsr, sim_hw.spsr_el1);
		KUNIT_EXPECT_EQ(test, IL, sim_hw.esr_el1);	/* EC 0 */
		KUNIT_EXPECT_EQ(test, 0xffff800010000800ULL + cases[i].offset,
				sim_hw.elr_el2);
		/* DAIF, EL1h, PAN, SSBS. */
		KUNIT_EXPECT_EQ(test, 0x3c5 | (1UL << 22) | (1UL << 12),
				sim_hw.spsr_el2);
		KUNIT_EXPECT_EQ(test, 0x77, sim_hw.gpr[0]);
	}
	/* SCTLR_EL1.SPAN set: PAN is left clear. */
	set_exit(EC(0x18), 0, 0);
	sim_hw.sctlr_el1 = 1UL << 23;
	hyp_inject_undef();
	KUNIT_EXPECT_EQ(test, 0x3c5, sim_hw.spsr_el2);
	KUNIT_EXPECT_EQ(test, 0, sim_hw.esr_el1);	/* IL as trapped */
}

/* Nothing pending for the host: enter; an IRQ, FIQ or SError: don't. */
static void host_pending_blocks_entry(struct kunit *test)
{
	static const u64 pending[] = { 1UL << 6, 1UL << 7, 1UL << 8 };
	unsigned int i;

	memset(&sim_hw, 0, sizeof(sim_hw));
	KUNIT_EXPECT_FALSE(test, hyp_host_exception_pending());
	for (i = 0; i < ARRAY_SIZE(pending); i++) {
		sim_hw.isr_el1 = pending[i];
		KUNIT_EXPECT_TRUE(test, hyp_host_exception_pending());
	}
}

/*
 * A guest SError is consumed at EL2: without RAS through the unmask window
 * (only when ISR_EL1.A says one is pending, and with the exit's exception
 * state kept), with RAS from DISR_EL1 (cleared).
 */
static void guest_serror_consumed(struct kunit *test)
{
	memset(&hyp, 0, sizeof(hyp));
	memset(test_vms, 0, sizeof(test_vms));
	memset(&test_vcpu, 0, sizeof(test_vcpu));
	memset(&sim_log, 0, sizeof(sim_log));
	set_exit(EC(0x16) | 5, 0x1000, 0x10);
	KUNIT_EXPECT_FALSE(test, hyp_consume_guest_serror());
	KUNIT_EXPECT_EQ(test, 1, sim_log.error_syncs);
	KUNIT_EXPECT_EQ(test, 0, sim_log.serror_windows);

	sim_hw.isr_el1 = 1UL << 8;
	sim_hw.spsr_el2 = 0x3c5;
	sim_log.serror_in_window = true;
	KUNIT_EXPECT_TRUE(test, hyp_consume_guest_serror());
	KUNIT_EXPECT_EQ(test, 1, sim_log.serror_windows);
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
	KUNIT_EXPECT_EQ(test, 0x3c5, sim_hw.spsr_el2);
	KUNIT_EXPECT_EQ(test, EC(0x16) | 5, sim_hw.esr_el2);
	KUNIT_EXPECT_EQ(test, 0x1000, sim_hw.far_el2);

	/* With RAS the window is never needed. */
	hyp.guest_el2.has_ras = 1;
	sim_hw.isr_el1 = 1UL << 8;
	sim_log.serror_in_window = true;
	KUNIT_EXPECT_FALSE(test, hyp_consume_guest_serror());
	sim_hw.disr_el1 = 1UL << 31 | 0x1234;
	KUNIT_EXPECT_TRUE(test, hyp_consume_guest_serror());
	KUNIT_EXPECT_EQ(test, 0, sim_hw.disr_el1);
	KUNIT_EXPECT_EQ(test, 1, sim_log.serror_windows);
	KUNIT_EXPECT_EQ(test, 2, sim_log.error_syncs);
}

static struct kunit_case splitkvm_exit_cases[] = {
	KUNIT_CASE(mmio_write_decoded),
	KUNIT_CASE(mmio_read_decoded),
	KUNIT_CASE(dabt_without_syndrome),
	KUNIT_CASE(atomic_fault_is_a_read),
	KUNIT_CASE(traps_decoded),
	KUNIT_CASE(skip_clears_ss_and_btype),
	KUNIT_CASE(id_regs_answered_at_el2),
	KUNIT_CASE(cache_ids_answered_at_el2),
	KUNIT_CASE(smccc_answered_at_el2),
	KUNIT_CASE(counter_offset_answered_at_el2),
	KUNIT_CASE(actlr_emulated_at_el2),
	KUNIT_CASE(undef_injected),
	KUNIT_CASE(host_pending_blocks_entry),
	KUNIT_CASE(guest_serror_consumed),
	{}
};

static struct kunit_suite splitkvm_exit_suite = {
	.name = "splitkvm_exit",
	.test_cases = splitkvm_exit_cases,
};
kunit_test_suite(splitkvm_exit_suite);
