/* SPDX-License-Identifier: GPL-2.0-only */
/* Register IDs for the VCPU_GET_REG / VCPU_SET_REG hypercalls. */
#ifndef __SPLITKVM_REGS_H__
#define __SPLITKVM_REGS_H__

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
	SKVM_REG_NR
};

static_assert(SKVM_REG_SYS + SKVM_NR_SYSREGS <= SKVM_REG_V);

#endif /* __SPLITKVM_REGS_H__ */
