/* SPDX-License-Identifier: GPL-2.0-only */
/* Register IDs for the VCPU_GET_REG / VCPU_SET_REG hypercalls. */
#ifndef __SPLITKVM_REGS_H__
#define __SPLITKVM_REGS_H__

#include <splitkvm/boot.h>
#include <splitkvm/ctxt.h>

enum skvm_reg_id {
	SKVM_REG_X0 = 0,			/* x0..x30 = 0..30 */
	SKVM_REG_PC = 31,
	SKVM_REG_PSTATE = 32,
	SKVM_REG_SYS = 64,			/* + enum skvm_sysreg */
	SKVM_REG_V = 128,			/* + 2 * n + half, q0..q31 */
	SKVM_REG_FPSR = SKVM_REG_V + 64,
	SKVM_REG_FPCR,
	/*
	 * The VM's CNTVOFF_EL2 (what its virtual counter lags the physical
	 * one by), through any of its vCPUs: shared by all of them.
	 */
	SKVM_REG_CNTVOFF,
	/*
	 * The VM's physical counter offset: its guests read CNTPCT_EL0 that
	 * much behind the hardware's (trapped and answered at EL2 unless 0).
	 */
	SKVM_REG_CNTPOFF,
	/*
	 * The VM's ID registers as its guests read them (HCR_EL2.TID3), by
	 * SKVM_ID_REG_INDEX(CRm, op2), and its CTR_EL0 and CLIDR_EL1 (trapped
	 * with HCR_EL2.TID2 once they differ from the hardware's).
	 */
	SKVM_REG_ID0,
	SKVM_REG_CTR = SKVM_REG_ID0 + SKVM_NR_ID_REGS,
	SKVM_REG_CLIDR,
	/*
	 * The VM's PSCI version, if EL2 may answer PSCI_VERSION and
	 * SMCCC_VERSION itself (HVC #0); 0 (the default): the host does.
	 */
	SKVM_REG_PSCI_VERSION,
	/*
	 * The guest's breakpoint and watchpoint registers: DBGBVRn, DBGBCRn,
	 * DBGWVRn, DBGWCRn as SKVM_REG_DBG(kind, n), kind 0..3 in that order
	 * (the op2 of their encodings, minus 4), n below the CPUs' count; then
	 * MDCCINT_EL1 and the OS Lock (OSLSR_EL1.OSLK, as 0 or 1).
	 */
	SKVM_REG_DBG0,
	SKVM_REG_MDCCINT = SKVM_REG_DBG0 + 64,
	SKVM_REG_OSLK,
	/*
	 * The host debugger's breakpoints and watchpoints (KVM_GUESTDBG_USE_HW),
	 * in the hardware while the host runs the vCPU with SKVM_RUN_HW_BP.
	 */
	SKVM_REG_XDBG0,
	SKVM_REG_NR = SKVM_REG_XDBG0 + 64
};

#define SKVM_REG_DBG(kind, n)	(SKVM_REG_DBG0 + (kind) * 16 + (n))
#define SKVM_REG_XDBG(kind, n)	(SKVM_REG_XDBG0 + (kind) * 16 + (n))

static_assert(SKVM_REG_SYS + SKVM_NR_SYSREGS <= SKVM_REG_V);

#endif /* __SPLITKVM_REGS_H__ */
