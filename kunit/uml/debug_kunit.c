// SPDX-License-Identifier: GPL-2.0-only
/*
 * splitkvm_debug: guest debug at EL2 (hyp/debug.c) on the simulated CPU:
 * the lazy switch of the breakpoint and watchpoint registers, the OS Lock,
 * and the host's single step and breakpoints.
 */
#include <kunit/test.h>
#include <splitkvm/exit.h>
#include <splitkvm/regs.h>
#include <hwregs.h>
#include <hyp/vm.h>

#define PC		0x80000100ULL
#define EC(ec)		((u64)(ec) << 26)
#define IL		(1ULL << 25)
#define MDCR_TDE	(1ULL << 8)
#define MDCR_TDA	(1ULL << 9)
#define GUEST_MDCR	(MDCR_TDA | (1ULL << 10) | (1ULL << 11))
#define MDSCR_SS	(1ULL << 0)
#define MDSCR_KDE	(1ULL << 13)
#define MDSCR_MDE	(1ULL << 15)
#define SPSR_SS		(1ULL << 21)
#define NR_BRPS		6
#define NR_WRPS		4

static struct hyp_cpu cpu;
static struct hyp_vcpu vcpu;

/* An MSR (write) or MRS (read) of debug register (2, op1, crn, crm, op2). */
static u64 sys_esr(u64 op1, u64 crn, u64 crm, u64 op2, u64 rt, bool read)
{
	return EC(0x18) | IL | (2ULL << 20) | (op2 << 17) | (op1 << 14) |
	       (crn << 10) | (rt << 5) | (crm << 1) | read;
}

/* The same for DBGBVR<n>_EL1 (kind 0) .. DBGWCR<n>_EL1 (kind 3). */
static u64 bp_esr(u64 kind, u64 n, u64 rt, bool read)
{
	return sys_esr(0, 0, n, 4 + kind, rt, read);
}

#define MDSCR_ESR(rt, read)	sys_esr(0, 0, 2, 2, rt, read)
#define OSLAR_ESR(rt)		sys_esr(0, 1, 0, 4, rt, false)
#define OSLSR_ESR(rt)		sys_esr(0, 1, 1, 4, rt, true)

/* A trap of that access taken from the guest at PC, handled at EL2? */
static bool trap(u64 esr)
{
	sim_hw.esr_el2 = esr;
	return hyp_handle_exit_at_el2(&cpu, HYP_EXIT_SYNC);
}

/* A fresh CPU running a fresh vCPU, as restore_vm leaves it. */
static void setup(u64 mdscr)
{
	unsigned int k, n;

	memset(&hyp, 0, sizeof(hyp));
	memset(&sim_hw, 0, sizeof(sim_hw));
	memset(&cpu, 0, sizeof(cpu));
	memset(&vcpu, 0, sizeof(vcpu));
	hyp.guest_el2.nr_brps = NR_BRPS;
	hyp.guest_el2.nr_wrps = NR_WRPS;
	hyp.guest_el2.mdcr_traps = GUEST_MDCR;
	cpu.cur_vcpu = &vcpu;
	cpu.cur_vm = NULL;
	/* The host's breakpoints in the hardware, the guest's its own. */
	for (k = 0; k < 4; k++) {
		for (n = 0; n < 16; n++) {
			sim_hw.dbg[k][n] = 0x1000 + k * 16 + n;
			vcpu.debug.guest.r[k][n] = 0x2000 + k * 16 + n;
			vcpu.debug.ext.r[k][n] = 0x3000 + k * 16 + n;
		}
	}
	vcpu.ctxt.sys[SKVM_MDSCR_EL1] = mdscr;
	sim_hw.mdscr_el1 = mdscr;
	sim_hw.mdcr_el2 = GUEST_MDCR;
	sim_hw.elr_el2 = PC;
}

static void exit_run(u64 esr)
{
	struct skvm_exit e = { .reason = esr ? SKVM_EXIT_DEBUG : SKVM_EXIT_HVC,
			       .esr = esr };

	hyp_debug_exit(&cpu, &vcpu, &e);
}

/*
 * A guest that never touches debug costs nothing: its run keeps the
 * host's breakpoints and every trap. Its first access gives it its own,
 * untrapped, and the instruction runs again; the exit puts the host's
 * back and keeps the guest's.
 */
static void lazy_switch(struct kunit *test)
{
	setup(0);
	hyp_debug_enter(&cpu, &vcpu, 0);
	KUNIT_EXPECT_EQ(test, GUEST_MDCR, sim_hw.mdcr_el2);
	KUNIT_EXPECT_EQ(test, 0x1000, sim_hw.dbg[0][0]);
	sim_hw.gpr[3] = 0x4444;
	KUNIT_ASSERT_TRUE(test, trap(bp_esr(0, 2, 3, false)));
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);		/* retried */
	KUNIT_EXPECT_EQ(test, GUEST_MDCR & ~MDCR_TDA, sim_hw.mdcr_el2);
	KUNIT_EXPECT_EQ(test, 0x2002, sim_hw.dbg[0][2]);
	KUNIT_EXPECT_EQ(test, 0x2000 + 3 * 16 + 3, sim_hw.dbg[3][3]);
	/* Only the registers the CPU has. */
	KUNIT_EXPECT_EQ(test, 0x1000 + NR_BRPS, sim_hw.dbg[0][NR_BRPS]);
	KUNIT_EXPECT_EQ(test, 0x1000 + 2 * 16 + NR_WRPS,
			sim_hw.dbg[2][NR_WRPS]);
	/* The guest writes its registers itself now. */
	sim_hw.dbg[0][2] = 0x4444;
	exit_run(0);
	KUNIT_EXPECT_EQ(test, 0x4444, vcpu.debug.guest.r[0][2]);
	KUNIT_EXPECT_EQ(test, 0x1002, sim_hw.dbg[0][2]);
	KUNIT_EXPECT_EQ(test, 0x1000 + 3 * 16 + 3, sim_hw.dbg[3][3]);

	/* A guest with monitor debug on gets its registers from the start. */
	setup(MDSCR_MDE | MDSCR_KDE);
	hyp_debug_enter(&cpu, &vcpu, 0);
	KUNIT_EXPECT_EQ(test, GUEST_MDCR & ~MDCR_TDA, sim_hw.mdcr_el2);
	KUNIT_EXPECT_EQ(test, 0x2001, sim_hw.dbg[0][1]);
	KUNIT_EXPECT_EQ(test, MDSCR_MDE | MDSCR_KDE, sim_hw.mdscr_el1);
	exit_run(0);
	KUNIT_EXPECT_EQ(test, 0x1001, sim_hw.dbg[0][1]);
}

/*
 * The OS Lock, emulated: OSLSR_EL1 reports it, and while it is set the
 * hardware MDSCR_EL1 holds off breakpoints, watchpoints and steps (MDE,
 * SS clear) while the guest reads back what it wrote.
 */
static void os_lock(struct kunit *test)
{
	setup(0);
	hyp_debug_enter(&cpu, &vcpu, 0);
	sim_hw.gpr[1] = 1;
	KUNIT_ASSERT_TRUE(test, trap(OSLAR_ESR(1)));
	KUNIT_EXPECT_EQ(test, PC + 4, sim_hw.elr_el2);
	KUNIT_EXPECT_EQ(test, 1, vcpu.debug.oslk);
	KUNIT_ASSERT_TRUE(test, trap(OSLSR_ESR(2)));
	KUNIT_EXPECT_EQ(test, 0xa, sim_hw.gpr[2]);
	sim_hw.gpr[4] = MDSCR_MDE | MDSCR_KDE | MDSCR_SS;
	KUNIT_ASSERT_TRUE(test, trap(MDSCR_ESR(4, false)));
	KUNIT_EXPECT_EQ(test, MDSCR_KDE, sim_hw.mdscr_el1);
	KUNIT_EXPECT_TRUE(test, sim_hw.mdcr_el2 & MDCR_TDA);
	KUNIT_ASSERT_TRUE(test, trap(MDSCR_ESR(5, true)));
	KUNIT_EXPECT_EQ(test, MDSCR_MDE | MDSCR_KDE | MDSCR_SS, sim_hw.gpr[5]);
	/* Breakpoint writes are emulated, into the guest's copy. */
	sim_hw.gpr[6] = 0x6666;
	KUNIT_ASSERT_TRUE(test, trap(bp_esr(1, 1, 6, false)));
	KUNIT_EXPECT_EQ(test, 0x6666, vcpu.debug.guest.r[1][1]);
	KUNIT_EXPECT_EQ(test, 0x1011, sim_hw.dbg[1][1]);
	/* Unlocked: its own registers and MDSCR_EL1, untrapped. */
	sim_hw.gpr[1] = 0;
	KUNIT_ASSERT_TRUE(test, trap(OSLAR_ESR(1)));
	KUNIT_EXPECT_EQ(test, 0, vcpu.debug.oslk);
	KUNIT_EXPECT_EQ(test, MDSCR_MDE | MDSCR_KDE | MDSCR_SS,
			sim_hw.mdscr_el1);
	KUNIT_EXPECT_FALSE(test, sim_hw.mdcr_el2 & MDCR_TDA);
	KUNIT_EXPECT_EQ(test, 0x6666, sim_hw.dbg[1][1]);
	exit_run(0);
	KUNIT_EXPECT_EQ(test, 0x1011, sim_hw.dbg[1][1]);

	/* Locked at the exit: the guest's own MDSCR_EL1 goes to save_vm. */
	setup(MDSCR_MDE);
	vcpu.debug.oslk = 1;
	hyp_debug_enter(&cpu, &vcpu, 0);
	KUNIT_EXPECT_EQ(test, 0, sim_hw.mdscr_el1);
	exit_run(0);
	KUNIT_EXPECT_EQ(test, MDSCR_MDE, sim_hw.mdscr_el1);
}

/* What nobody emulates goes to the host (an UNDEF), unchanged. */
static void unknown_registers(struct kunit *test)
{
	setup(0);
	hyp_debug_enter(&cpu, &vcpu, 0);
	KUNIT_EXPECT_FALSE(test, trap(bp_esr(0, NR_BRPS, 1, false)));
	KUNIT_EXPECT_FALSE(test, trap(bp_esr(2, NR_WRPS, 1, true)));
	/* A read of OSLAR_EL1, a write of OSLSR_EL1. */
	KUNIT_EXPECT_FALSE(test, trap(sys_esr(0, 1, 0, 4, 1, true)));
	KUNIT_EXPECT_FALSE(test, trap(sys_esr(0, 1, 1, 4, 1, false)));
	KUNIT_EXPECT_FALSE(test, trap(sys_esr(1, 0, 0, 0, 1, true)));
	KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
	KUNIT_EXPECT_EQ(test, GUEST_MDCR, sim_hw.mdcr_el2);
	/* The OS double lock (OSDLR_EL1) reads as zero, ignores writes. */
	sim_hw.gpr[7] = 7;
	KUNIT_EXPECT_TRUE(test, trap(sys_esr(0, 1, 3, 4, 7, true)));
	KUNIT_EXPECT_EQ(test, 0, sim_hw.gpr[7]);
}

/*
 * The host single-steps the guest: every debug exception is EL2's (TDE),
 * the step starts with PSTATE.SS set, and an instruction EL2 emulates
 * completes it (SS clear: the exception comes before the next one).
 */
static void host_single_step(struct kunit *test)
{
	setup(MDSCR_MDE | MDSCR_KDE);
	hyp_debug_enter(&cpu, &vcpu, SKVM_RUN_DEBUG | SKVM_RUN_STEP);
	KUNIT_EXPECT_TRUE(test, sim_hw.spsr_el2 & SPSR_SS);
	KUNIT_EXPECT_TRUE(test, sim_hw.mdcr_el2 & MDCR_TDE);
	KUNIT_EXPECT_EQ(test, MDSCR_KDE | MDSCR_SS, sim_hw.mdscr_el1);
	/* The guest's breakpoints are emulated, not loaded. */
	KUNIT_ASSERT_TRUE(test, trap(bp_esr(0, 0, 9, true)));
	KUNIT_EXPECT_EQ(test, 0x2000, sim_hw.gpr[9]);
	KUNIT_EXPECT_EQ(test, 0x1000, sim_hw.dbg[0][0]);
	KUNIT_EXPECT_FALSE(test, sim_hw.spsr_el2 & SPSR_SS);
	KUNIT_ASSERT_TRUE(test, trap(MDSCR_ESR(9, true)));
	KUNIT_EXPECT_EQ(test, MDSCR_MDE | MDSCR_KDE, sim_hw.gpr[9]);
	exit_run(EC(0x32) | IL);
	KUNIT_EXPECT_EQ(test, MDSCR_MDE | MDSCR_KDE, sim_hw.mdscr_el1);
	/* After the step: the next run steps one more instruction. */
	sim_hw.spsr_el2 = 0;
	hyp_debug_enter(&cpu, &vcpu, SKVM_RUN_DEBUG | SKVM_RUN_STEP);
	KUNIT_EXPECT_TRUE(test, sim_hw.spsr_el2 & SPSR_SS);
	exit_run(0);
	/* Not after an exit that left the step active-pending. */
	sim_hw.spsr_el2 = 0;
	hyp_debug_enter(&cpu, &vcpu, SKVM_RUN_DEBUG | SKVM_RUN_STEP);
	KUNIT_EXPECT_FALSE(test, sim_hw.spsr_el2 & SPSR_SS);
	exit_run(0);
	/* Stepping off: SS goes. */
	sim_hw.spsr_el2 = SPSR_SS;
	hyp_debug_enter(&cpu, &vcpu, 0);
	KUNIT_EXPECT_FALSE(test, sim_hw.spsr_el2 & SPSR_SS);
	KUNIT_EXPECT_EQ(test, GUEST_MDCR & ~MDCR_TDA, sim_hw.mdcr_el2);
	exit_run(0);
}

/* The host's breakpoints and watchpoints replace the guest's for a run. */
static void host_breakpoints(struct kunit *test)
{
	setup(0);
	hyp_debug_enter(&cpu, &vcpu, SKVM_RUN_DEBUG | SKVM_RUN_HW_BP);
	KUNIT_EXPECT_EQ(test, 0x3005, sim_hw.dbg[0][5]);
	KUNIT_EXPECT_EQ(test, MDSCR_MDE, sim_hw.mdscr_el1);
	KUNIT_EXPECT_TRUE(test, sim_hw.mdcr_el2 & MDCR_TDE);
	sim_hw.gpr[2] = 0x7777;
	KUNIT_ASSERT_TRUE(test, trap(bp_esr(0, 5, 2, false)));
	KUNIT_EXPECT_EQ(test, 0x7777, vcpu.debug.guest.r[0][5]);
	KUNIT_EXPECT_EQ(test, 0x3005, sim_hw.dbg[0][5]);
	exit_run(EC(0x30) | IL);
	KUNIT_EXPECT_EQ(test, 0x1005, sim_hw.dbg[0][5]);
	KUNIT_EXPECT_EQ(test, 0, sim_hw.mdscr_el1);
	KUNIT_EXPECT_EQ(test, 0x3005, vcpu.debug.ext.r[0][5]);
}

/* Debug exceptions routed to EL2 reach the host's debugger. */
static void debug_exits_decoded(struct kunit *test)
{
	static const u64 ecs[] = { 0x30, 0x32, 0x34, 0x3c };
	struct skvm_exit e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ecs); i++) {
		setup(0);
		sim_hw.esr_el2 = EC(ecs[i]) | IL;
		sim_hw.far_el2 = 0xfa0;
		memset(&e, 0, sizeof(e));
		hyp_decode_exit(HYP_EXIT_SYNC, &e);
		KUNIT_EXPECT_EQ(test, SKVM_EXIT_DEBUG, e.reason);
		KUNIT_EXPECT_EQ(test, ecs[i] == 0x34 ? 0xfa0 : 0, e.far);
		KUNIT_EXPECT_EQ(test, PC, sim_hw.elr_el2);
	}
}

static struct kunit_case splitkvm_debug_cases[] = {
	KUNIT_CASE(lazy_switch),
	KUNIT_CASE(os_lock),
	KUNIT_CASE(unknown_registers),
	KUNIT_CASE(host_single_step),
	KUNIT_CASE(host_breakpoints),
	KUNIT_CASE(debug_exits_decoded),
	{}
};

static struct kunit_suite splitkvm_debug_suite = {
	.name = "splitkvm_debug",
	.test_cases = splitkvm_debug_cases,
};
kunit_test_suite(splitkvm_debug_suite);
