// SPDX-License-Identifier: GPL-2.0-only
/*
 * System register accesses of the guest that EL2 hands to the host and
 * the host emulates: the GICv3 SGI registers (trapped while the guest
 * has a vGIC: HCR_EL2.IMO/FMO) and the EL1 physical timer (trapped:
 * CNTHCTL_EL2.EL1PCEN == 0, as KVM does for nVHE guests).
 */
#include "kvm.h"

/* ESR_EL2.ISS of a trapped MSR/MRS (EC 0x18). */
#define ISS_READ(iss)	((iss) & 1)
#define ISS_CRM(iss)	(((iss) >> 1) & 0xf)
#define ISS_RT(iss)	(((iss) >> 5) & 0x1f)
#define ISS_CRN(iss)	(((iss) >> 10) & 0xf)
#define ISS_OP1(iss)	(((iss) >> 14) & 0x7)
#define ISS_OP2(iss)	(((iss) >> 17) & 0x7)
#define ISS_OP0(iss)	(((iss) >> 20) & 0x3)
#define ISS_REG(op0, op1, crn, crm) \
	((op0) << 20 | (op1) << 14 | (crn) << 10 | (crm) << 1)
#define ISS_REG_MASK	ISS_REG(3, 7, 0xf, 0xf)

/* ICC_SGI1R_EL1 (op2 5), ICC_ASGI1R_EL1 (6), ICC_SGI0R_EL1 (7). */
#define ICC_SGI_REGS	ISS_REG(3, 0, 12, 11)
/* CNTP_TVAL_EL0 (op2 0), CNTP_CTL_EL0 (1), CNTP_CVAL_EL0 (2). */
#define CNTP_REGS	ISS_REG(3, 3, 14, 2)

/**
 * skvm_emulate_sysreg() - emulate the trapped access @iss, PC already
 * past it.
 * @v: the vCPU.
 * @iss: ESR_EL2.ISS.
 *
 * Return: 0 if emulated, 1 if nobody emulates it (an UNDEF for the
 * guest), or -errno.
 */
int skvm_emulate_sysreg(struct skvm_kvm_vcpu *v, u64 iss)
{
	u32 rt = ISS_RT(iss), op2 = ISS_OP2(iss);
	bool read = ISS_READ(iss);
	u64 val = 0;
	int err = 0;

	if (!v->gic.gif)
		return 1;
	if (!read && rt != 31)
		val = skvm_vcpu_get(v, SKVM_REG_X0 + rt, &err);
	if (err)
		return err;
	switch (iss & ISS_REG_MASK) {
	case ICC_SGI_REGS:
		if (read || op2 < 5)
			return 1;
		skvm_vgic_sgi(&v->kvm->vgic, &v->gic, val, op2 != 7);
		return 0;
	case CNTP_REGS:
		if (op2 > 2)
			return 1;
		val = skvm_ptimer_access(v, op2, read, val);
		break;
	default:
		return 1;
	}
	if (read && rt != 31)
		skvm_vcpu_set(v, SKVM_REG_X0 + rt, val, &err);
	return err;
}
