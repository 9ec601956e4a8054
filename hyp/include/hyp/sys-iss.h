/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ESR_EL2 ISS for EC 0x18 (Arm ARM, "ISS encoding for an exception from
 * MSR, MRS, or System instruction execution in AArch64 state").
 */
#ifndef __SPLITKVM_HYP_SYS_ISS_H__
#define __SPLITKVM_HYP_SYS_ISS_H__

#define SYS_ISS_READ		(1UL << 0)
#define SYS_ISS_CRM(iss)	(((iss) >> 1) & 0xf)
#define SYS_ISS_RT(iss)		(((iss) >> 5) & 0x1f)
#define SYS_ISS_CRN(iss)	(((iss) >> 10) & 0xf)
#define SYS_ISS_OP1(iss)	(((iss) >> 14) & 0x7)
#define SYS_ISS_OP2(iss)	(((iss) >> 17) & 0x7)
#define SYS_ISS_OP0(iss)	(((iss) >> 20) & 0x3)
/* The register fields of the ISS, without direction and Rt. */
#define SYS_ISS_REG_MASK	0x3ffc1eUL
#define SYS_ISS_REG(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | \
	 ((crm) << 1))

#endif /* __SPLITKVM_HYP_SYS_ISS_H__ */
