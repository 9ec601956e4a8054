// SPDX-License-Identifier: GPL-2.0-only
/*
 * What guests see in the ID registers (HCR_EL2.TID3 traps them; EL2 answers
 * from the table filled here): the host's sanitised values, less every
 * feature EL2 does not switch for guests and traps instead.
 */
#include <linux/kernel.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>
#include "guest-id-regs.h"

struct id_reg_policy {
	u32 encoding;
	u64 hidden;	/* fields reported as 0 (not implemented) */
};

static const struct id_reg_policy id_reg_policy[] = {
	/*
	 * The AArch32 ID registers (CRm 1..3) are not listed: no AArch32 at
	 * any guest EL, so they read as zero, as KVM makes them then.
	 */
	/*
	 * No EL2 for guests; SVE, AMU and MPAM are trapped (CPTR_EL2); RAS
	 * error records are trapped (TERR). EL0 and EL1 are AArch64 only:
	 * splitkvm does not run AArch32 EL0 (see below). No GIC CPU interface
	 * until there is a vGIC (its accesses trap: ICH_HCR_EL2).
	 */
	{ SYS_ID_AA64PFR0_EL1, ID_AA64PFR0_EL1_GIC_MASK |
	  ID_AA64PFR0_EL1_EL2_MASK |
	  ID_AA64PFR0_EL1_SVE_MASK | ID_AA64PFR0_EL1_AMU_MASK |
	  ID_AA64PFR0_EL1_MPAM_MASK | ID_AA64PFR0_EL1_RAS_MASK |
	  ID_AA64PFR0_EL1_EL0_MASK | ID_AA64PFR0_EL1_EL1_MASK },
	/* MTE (HCR_EL2.ATA == 0), SME (CPTR_EL2.TSM), and state not switched. */
	{ SYS_ID_AA64PFR1_EL1, ID_AA64PFR1_EL1_MTE_MASK |
	  ID_AA64PFR1_EL1_MTE_frac_MASK | ID_AA64PFR1_EL1_MTEX_MASK |
	  ID_AA64PFR1_EL1_SME_MASK | ID_AA64PFR1_EL1_MPAM_frac_MASK |
	  ID_AA64PFR1_EL1_NMI_MASK | ID_AA64PFR1_EL1_GCS_MASK |
	  ID_AA64PFR1_EL1_THE_MASK | ID_AA64PFR1_EL1_PFAR_MASK },
	{ SYS_ID_AA64PFR2_EL1, ~0ULL },
	{ SYS_ID_AA64ZFR0_EL1, ~0ULL },
	{ SYS_ID_AA64SMFR0_EL1, ~0ULL },
	{ SYS_ID_AA64FPFR0_EL1, ~0ULL },
	/* PMU, SPE, trace and BRBE are trapped by MDCR_EL2. */
	{ SYS_ID_AA64DFR0_EL1, ID_AA64DFR0_EL1_PMUVer_MASK |
	  ID_AA64DFR0_EL1_PMSVer_MASK | ID_AA64DFR0_EL1_TraceVer_MASK |
	  ID_AA64DFR0_EL1_TraceFilt_MASK | ID_AA64DFR0_EL1_TraceBuffer_MASK |
	  ID_AA64DFR0_EL1_BRBE_MASK },
	{ SYS_ID_AA64DFR1_EL1, ~0ULL },
	{ SYS_ID_AA64ISAR0_EL1 },
	/* Pointer authentication: HCR_EL2.API/APK == 0, keys not switched. */
	{ SYS_ID_AA64ISAR1_EL1, ID_AA64ISAR1_EL1_APA_MASK |
	  ID_AA64ISAR1_EL1_API_MASK | ID_AA64ISAR1_EL1_GPA_MASK |
	  ID_AA64ISAR1_EL1_GPI_MASK },
	{ SYS_ID_AA64ISAR2_EL1, ID_AA64ISAR2_EL1_APA3_MASK |
	  ID_AA64ISAR2_EL1_GPA3_MASK },
	{ SYS_ID_AA64ISAR3_EL1, ~0ULL },
	{ SYS_ID_AA64MMFR0_EL1 },
	/* No VHE (no EL2), LORegions trapped (HCR_EL2.TLOR). */
	{ SYS_ID_AA64MMFR1_EL1, ID_AA64MMFR1_EL1_VH_MASK |
	  ID_AA64MMFR1_EL1_LO_MASK },
	{ SYS_ID_AA64MMFR2_EL1, ID_AA64MMFR2_EL1_NV_MASK },
	/* TCR2, permission indirection, ...: registers not switched. */
	{ SYS_ID_AA64MMFR3_EL1, ~0ULL },
	{ SYS_ID_AA64MMFR4_EL1, ~0ULL },
};

/* Everything in the TID3 space that is not listed reads as zero. */
void splitkvm_guest_id_regs(u64 *regs)
{
	unsigned int i;

	memset(regs, 0, SKVM_NR_ID_REGS * sizeof(*regs));
	for (i = 0; i < ARRAY_SIZE(id_reg_policy); i++) {
		const struct id_reg_policy *p = &id_reg_policy[i];
		u32 idx = SKVM_ID_REG_INDEX(sys_reg_CRm(p->encoding),
					    sys_reg_Op2(p->encoding));

		regs[idx] = read_sanitised_ftr_reg(p->encoding) & ~p->hidden;
	}
	/* EL0 and EL1 "AArch64 only" (1), where the hiding above left 0. */
	regs[SKVM_ID_REG_INDEX(sys_reg_CRm(SYS_ID_AA64PFR0_EL1),
			       sys_reg_Op2(SYS_ID_AA64PFR0_EL1))] |=
		(1UL << ID_AA64PFR0_EL1_EL0_SHIFT) |
		(1UL << ID_AA64PFR0_EL1_EL1_SHIFT);
}
