// SPDX-License-Identifier: GPL-2.0-only
/*
 * What guests see in the ID registers (HCR_EL2.TID3 traps them; EL2 answers
 * from the table filled here): the host's sanitised values, less every
 * feature EL2 does not switch for guests and traps instead.
 */
#include <linux/kernel.h>
#include <linux/module.h>
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

static const struct skvm_id_reg_fields *fields_of(u32 encoding)
{
	const struct skvm_id_reg_fields *r;

	for (r = skvm_id_reg_fields; r->encoding; r++)
		if (r->encoding == encoding)
			return r;
	return NULL;
}

static u64 id_field_mask(const struct skvm_id_field *f)
{
	return GENMASK_ULL(f->shift + f->width - 1, f->shift);
}

/*
 * What a VMM may change, as KVM reports it: every bit that is not RES0,
 * except in CTR_EL0, where only the cache line sizes and the coherence
 * bits are. Only the fields the kernel knows of may differ from the limit
 * (see splitkvm_id_reg_check()).
 */
u64 splitkvm_id_reg_writable(u32 encoding)
{
	const struct skvm_id_reg_fields *r = fields_of(encoding);

	if (encoding == SYS_CTR_EL0)
		return CTR_EL0_DIC_MASK | CTR_EL0_IDC_MASK |
		       CTR_EL0_DminLine_MASK | CTR_EL0_IminLine_MASK;
	return r ? ~r->res0 : 0;
}
EXPORT_SYMBOL_GPL(splitkvm_id_reg_writable);

static s64 id_field_value(const struct skvm_id_field *f, u64 reg)
{
	u64 v = (reg & id_field_mask(f)) >> f->shift;

	return f->sign ? sign_extend64(v, f->width - 1) : (s64)v;
}

/*
 * The safe combination of a requested field value and the limit, by the
 * field's type (the kernel's arm64_ftr_safe_value()), with KVM's changes:
 * PMUVer and DebugVer of ID_AA64DFR0_EL1 and PerfMon of ID_DFR0_EL1 may be
 * lowered.
 */
static s64 safe_value(u32 encoding, const struct skvm_id_field *f, s64 new,
		      s64 cur)
{
	u8 type = f->type;

	if ((encoding == SYS_ID_AA64DFR0_EL1 &&
	     (f->shift == ID_AA64DFR0_EL1_PMUVer_SHIFT ||
	      f->shift == ID_AA64DFR0_EL1_DebugVer_SHIFT)) ||
	    (encoding == SYS_ID_DFR0_EL1 &&
	     f->shift == ID_DFR0_EL1_PerfMon_SHIFT))
		type = FTR_LOWER_SAFE;
	switch (type) {
	case FTR_EXACT:
		return f->safe;
	case FTR_LOWER_SAFE:
		return min(new, cur);
	case FTR_HIGHER_OR_ZERO_SAFE:
		if (!new || !cur)
			return 0;
		fallthrough;
	default:
		return max(new, cur);
	}
}

/**
 * splitkvm_id_reg_check() - may a VMM set ID register @encoding to @val?
 * @encoding: sys_reg() encoding.
 * @val: the value asked for.
 * @limit: what the register is for a new VM (what this host can give).
 *
 * KVM's rule: each writable field the kernel knows of must be its safe
 * combination with the limit's (a lesser feature, by the field's type);
 * everything else must be the limit's.
 *
 * Return: 0, or -EINVAL.
 */
int splitkvm_id_reg_check(u32 encoding, u64 val, u64 limit)
{
	const struct skvm_id_reg_fields *r = fields_of(encoding);
	u64 writable = splitkvm_id_reg_writable(encoding), checked = 0;
	const struct skvm_id_field *f = r ? r->fields : NULL;

	for (; f && f->width; f++) {
		s64 v = id_field_value(f, val), l = id_field_value(f, limit);

		if ((id_field_mask(f) & writable) != id_field_mask(f))
			continue;
		checked |= id_field_mask(f);
		if (v != l && safe_value(encoding, f, v, l) != v)
			return -EINVAL;
	}
	return (val & ~checked) == (limit & ~checked) ? 0 : -EINVAL;
}
EXPORT_SYMBOL_GPL(splitkvm_id_reg_check);
