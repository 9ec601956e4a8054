/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The saved CPU context of one world (the host on one physical CPU, or one
 * vCPU). Filled and read only by EL2; the host sees a vCPU's context only
 * through the GET/SET_REG hypercalls. Shared with the assembly through
 * hyp/asm-offsets.c, and with the executable spec in kunit/.
 */
#ifndef __SPLITKVM_CTXT_H__
#define __SPLITKVM_CTXT_H__

#include <linux/types.h>
#include <linux/build_bug.h>

/*
 * The EL1/EL0 system registers a world owns: everything Linux 6.12 switches
 * for a guest on cortex-a72 / -cpu max with the features we hide trapped
 * (the SeKVM seed's 25 less ACTLR_EL1, plus ESR_EL1 and the virtual timer).
 * MPIDR_EL1 lives in VMPIDR_EL2: that is what EL1 reads as MPIDR_EL1.
 * ACTLR_EL1 is IMPLEMENTATION DEFINED and never given to a guest: it stays
 * the host's, HCR_EL2.TACR traps it and EL2 emulates it (reads as the
 * host's value, writes ignored), as KVM does.
 * Registers after SKVM_NR_BASE_SYSREGS exist only on some CPUs and are
 * switched only there (struct skvm_guest_el2 says which).
 */
enum skvm_sysreg {
	SKVM_MPIDR_EL1,
	SKVM_CSSELR_EL1,
	SKVM_SCTLR_EL1,
	SKVM_CPACR_EL1,
	SKVM_TTBR0_EL1,
	SKVM_TTBR1_EL1,
	SKVM_TCR_EL1,
	SKVM_ESR_EL1,
	SKVM_AFSR0_EL1,
	SKVM_AFSR1_EL1,
	SKVM_FAR_EL1,
	SKVM_MAIR_EL1,
	SKVM_VBAR_EL1,
	SKVM_CONTEXTIDR_EL1,
	SKVM_AMAIR_EL1,
	SKVM_CNTKCTL_EL1,
	SKVM_PAR_EL1,
	SKVM_TPIDR_EL1,
	SKVM_SP_EL1,
	SKVM_ELR_EL1,
	SKVM_SPSR_EL1,
	SKVM_MDSCR_EL1,
	SKVM_SP_EL0,
	SKVM_TPIDR_EL0,
	SKVM_TPIDRRO_EL0,
	SKVM_CNTV_CTL_EL0,
	SKVM_CNTV_CVAL_EL0,
	SKVM_NR_BASE_SYSREGS,
	/* FEAT_SME without FEAT_FGT: TPIDR2_EL0 cannot be trapped. */
	SKVM_TPIDR2_EL0 = SKVM_NR_BASE_SYSREGS,
	/*
	 * FEAT_RAS: a guest's DISR_EL1 is VDISR_EL2 (HCR_EL2.AMO), which no
	 * trap covers; guests only (the host's DISR_EL1 is the physical one).
	 */
	SKVM_DISR_EL1,
	SKVM_NR_SYSREGS
};

/**
 * struct skvm_fpsimd - FP/SIMD state, switched eagerly by EL2.
 * @vregs: q0..q31, each as two 64-bit halves (low half first).
 * @fpsr: FPSR.
 * @fpcr: FPCR.
 */
struct skvm_fpsimd {
	u64 vregs[64];
	u64 fpsr;
	u64 fpcr;
} __aligned(16);

/**
 * struct skvm_ctxt - one world's saved state. FP/SIMD first, so the layout
 * has no padding (the differential test compares contexts bytewise).
 * @fp: FP/SIMD registers.
 * @regs: x0..x30.
 * @pc: where the world resumes (goes to ELR_EL2).
 * @pstate: its PSTATE (goes to SPSR_EL2).
 * @sys: EL1/EL0 system registers, indexed by enum skvm_sysreg.
 *
 * The syndrome of an exit (ESR/FAR/HPFAR_EL2) is not part of a context: EL2
 * decodes it into the exit it returns to the host, once.
 */
struct skvm_ctxt {
	struct skvm_fpsimd fp;
	u64 regs[31];
	u64 pc;
	u64 pstate;
	u64 sys[SKVM_NR_SYSREGS];
};

static_assert(sizeof(struct skvm_ctxt) ==
	      sizeof(struct skvm_fpsimd) + (31 + 2 + SKVM_NR_SYSREGS) * 8);

#endif /* __SPLITKVM_CTXT_H__ */
