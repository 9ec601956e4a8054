// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_GET/SET_ONE_REG and KVM_GET_REG_LIST: every register id the 6.12
 * get-reg-list selftest blesses for a vCPU without SVE, PAuth or PMU, and
 * the ID registers.
 *
 * Where each register lives:
 * - the core set and the EL1 context: EL2's copy of the vCPU (VCPU_GET_REG);
 * - the virtual counter: the VM's CNTVOFF_EL2 at EL2 (one for all vCPUs);
 * - the ID registers, CTR_EL0 and CLIDR_EL1: the VM's, at EL2, which
 *   guests read through HCR_EL2.TID3 (TID2); a VMM may lower features
 *   before the first run, with KVM's rules (splitkvm_id_reg_check());
 * - MIDR, REVIDR, AIDR and ACTLR_EL1 are the host's: readable, and a
 *   write must restate them (as KVM's invariant registers);
 * - the guest's breakpoints and watchpoints, MDCCINT_EL1 and the OS Lock
 *   (OSLSR_EL1.OSLK): EL2's, which switches and emulates them
 *   (hyp/debug.c);
 * - "kept" registers: the AArch32-only ones and the EL1 physical timer.
 *   The guest's accesses to them trap (CNTHCTL_EL2.EL1PCEN == 0) and are
 *   not emulated yet, so their values only travel with the vCPU's state
 *   through these ioctls;
 * - the firmware pseudo-registers: the PSCI version and the hypercall
 *   bitmaps of the VM (kvm-hypercalls.c acts on them), the SMCCC
 *   workaround levels (the host's, see splitkvm_guest_wa_state()).
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <asm/arch_timer.h>
#include <asm/cpufeature.h>
#include <asm/cputype.h>
#include <asm/sysreg.h>
#include <splitkvm/boot.h>
#include "guest-id-regs.h"
#include "kvm.h"

#define CORE_REG(name)		KVM_REG_ARM_CORE_REG(name)
#define CORE_ID(off, size)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | (size) | (off))
#define SYSREG_ID(op0, op1, crn, crm, op2)				\
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |	\
	 ((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

/* The EL1 system registers of the context, by their KVM ids. */
static const struct {
	u64 id;
	u32 reg;
} sysregs[] = {
	{ SYSREG_ID(2, 0, 0, 2, 2), SKVM_MDSCR_EL1 },
	{ SYSREG_ID(3, 0, 0, 0, 5), SKVM_MPIDR_EL1 },
	{ SYSREG_ID(3, 0, 1, 0, 0), SKVM_SCTLR_EL1 },
	{ SYSREG_ID(3, 0, 1, 0, 2), SKVM_CPACR_EL1 },
	{ SYSREG_ID(3, 0, 2, 0, 0), SKVM_TTBR0_EL1 },
	{ SYSREG_ID(3, 0, 2, 0, 1), SKVM_TTBR1_EL1 },
	{ SYSREG_ID(3, 0, 2, 0, 2), SKVM_TCR_EL1 },
	{ SYSREG_ID(3, 0, 5, 1, 0), SKVM_AFSR0_EL1 },
	{ SYSREG_ID(3, 0, 5, 1, 1), SKVM_AFSR1_EL1 },
	{ SYSREG_ID(3, 0, 5, 2, 0), SKVM_ESR_EL1 },
	{ SYSREG_ID(3, 0, 6, 0, 0), SKVM_FAR_EL1 },
	{ SYSREG_ID(3, 0, 7, 4, 0), SKVM_PAR_EL1 },
	{ SYSREG_ID(3, 0, 10, 2, 0), SKVM_MAIR_EL1 },
	{ SYSREG_ID(3, 0, 10, 3, 0), SKVM_AMAIR_EL1 },
	{ SYSREG_ID(3, 0, 12, 0, 0), SKVM_VBAR_EL1 },
	/* Switched where FEAT_RAS has it; elsewhere the guest cannot see it. */
	{ SYSREG_ID(3, 0, 12, 1, 1), SKVM_DISR_EL1 },
	{ SYSREG_ID(3, 0, 13, 0, 1), SKVM_CONTEXTIDR_EL1 },
	{ SYSREG_ID(3, 0, 13, 0, 4), SKVM_TPIDR_EL1 },
	{ SYSREG_ID(3, 0, 14, 1, 0), SKVM_CNTKCTL_EL1 },
	{ SYSREG_ID(3, 2, 0, 0, 0), SKVM_CSSELR_EL1 },
	{ SYSREG_ID(3, 3, 13, 0, 2), SKVM_TPIDR_EL0 },
	{ SYSREG_ID(3, 3, 13, 0, 3), SKVM_TPIDRRO_EL0 },
	{ KVM_REG_ARM_TIMER_CTL, SKVM_CNTV_CTL_EL0 },
	{ KVM_REG_ARM_TIMER_CVAL, SKVM_CNTV_CVAL_EL0 },
};

#define OSLSR_OSLM1		BIT(3)	/* OS Lock implemented */
#define OSLSR_OSLK		BIT(1)
#define FPEXC32_RESET		0x700
#define WA_LEVEL_MASK		0xfULL	/* a workaround register's level */

/*
 * The registers listed with the kept ones: after the 64 breakpoint and
 * watchpoint registers, MDCCINT_EL1 and OSLSR_EL1 (all at EL2), then
 * those the host keeps.
 */
static const struct {
	u64 id;
	u64 reset;
	u64 writable;
} kept[] = {
	{ SYSREG_ID(2, 0, 0, 2, 0), 0, ~0ULL },			/* MDCCINT_EL1 */
	{ SYSREG_ID(2, 0, 1, 1, 4), OSLSR_OSLM1, OSLSR_OSLK },	/* OSLSR_EL1 */
	{ SYSREG_ID(2, 4, 0, 7, 0), 0, ~0ULL },			/* DBGVCR32_EL2 */
	{ SYSREG_ID(3, 4, 3, 0, 0), 0, ~0ULL },			/* DACR32_EL2 */
	{ SYSREG_ID(3, 4, 5, 0, 1), 0, ~0ULL },			/* IFSR32_EL2 */
	{ SYSREG_ID(3, 4, 5, 3, 0), FPEXC32_RESET, ~0ULL },	/* FPEXC32_EL2 */
	{ KVM_REG_ARM_PTIMER_CTL, 0, ~0ULL },
	{ KVM_REG_ARM_PTIMER_CVAL, 0, ~0ULL },
};

static_assert(SKVM_KVM_NR_KEPT == 64 + ARRAY_SIZE(kept));

/* DBGB{V,C}Rn_EL1 and DBGW{V,C}Rn_EL1: op0 2, CRn 0, CRm n, op2 4..7. */
static u64 kept_id(unsigned int i)
{
	return i < 64 ? SYSREG_ID(2, 0, 0, i >> 2, 4 + (i & 3)) :
			kept[i - 64].id;
}

static int kept_index(u64 id)
{
	unsigned int i;

	for (i = 0; i < SKVM_KVM_NR_KEPT; i++)
		if (kept_id(i) == id)
			return i;
	return -1;
}

/* EL2's register for kept entry @i, or -1 if the host keeps it. */
static int kept_at_el2(unsigned int i)
{
	if (i < 64)
		return SKVM_REG_DBG(i & 3, i >> 2);
	if (i == 64)
		return SKVM_REG_MDCCINT;
	if (i == 65)
		return SKVM_REG_OSLK;
	return -1;
}

void skvm_kept_regs_reset(struct skvm_kvm_vcpu *v, int *err)
{
	unsigned int i;

	for (i = 0; i < SKVM_KVM_NR_KEPT; i++) {
		if (kept_at_el2(i) >= 0)
			skvm_vcpu_set(v, kept_at_el2(i), 0, err);
		else
			v->kept[i] = kept[i - 64].reset;
	}
}

/* The host's registers a guest reads (or, for ACTLR_EL1, EL2 emulates). */
static const u64 invariant_ids[] = {
	SYSREG_ID(3, 0, 0, 0, 0),	/* MIDR_EL1 */
	SYSREG_ID(3, 0, 0, 0, 6),	/* REVIDR_EL1 */
	SYSREG_ID(3, 1, 0, 0, 7),	/* AIDR_EL1 */
	SYSREG_ID(3, 0, 1, 0, 1),	/* ACTLR_EL1 */
};

static u64 invariant_val(unsigned int i)
{
	switch (i) {
	case 0:
		return read_cpuid_id();
	case 1:
		return read_sysreg(revidr_el1);
	case 2:
		return read_sysreg(aidr_el1);
	default:
		return read_sysreg(actlr_el1);
	}
}

/* CTR_EL0 and CLIDR_EL1: the VM's, which a VMM may make lesser. */
#define CTR_ID		SYSREG_ID(3, 3, 0, 0, 1)
#define CLIDR_ID	SYSREG_ID(3, 1, 0, 0, 1)
#define CLIDR_RES0	GENMASK_ULL(63, 47)

static const u64 cache_ids[] = { CTR_ID, CLIDR_ID };

static const u64 counter_ids[] = {
	KVM_REG_ARM_TIMER_CNT, KVM_REG_ARM_PTIMER_CNT,
};

static const u64 fw_ids[] = {
	KVM_REG_ARM_PSCI_VERSION,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3,
	KVM_REG_ARM_STD_BMAP,
	KVM_REG_ARM_STD_HYP_BMAP,
	KVM_REG_ARM_VENDOR_HYP_BMAP,
};

#define NR_CORE_REGS	(31 + 3 + 2 + KVM_NR_SPSR + 32 + 2)
/* The ID registers EL2 answers (HCR_EL2.TID3): op0 3, op1 0, CRn 0, CRm 1..7. */
#define ID_REG_FIRST	SKVM_ID_REG_INDEX(1, 0)
#define NR_ID_REGS	(SKVM_NR_ID_REGS - ID_REG_FIRST)
#define NR_REGS		(NR_CORE_REGS + ARRAY_SIZE(sysregs) + NR_ID_REGS + \
			 SKVM_KVM_NR_KEPT + ARRAY_SIZE(invariant_ids) +	   \
			 ARRAY_SIZE(cache_ids) + ARRAY_SIZE(counter_ids) +  \
			 ARRAY_SIZE(fw_ids))
#define PFR0_INDEX	SKVM_ID_REG_INDEX(sys_reg_CRm(SYS_ID_AA64PFR0_EL1), \
					  sys_reg_Op2(SYS_ID_AA64PFR0_EL1))
#define PFR0_GIC	(0xfULL << ID_AA64PFR0_EL1_GIC_SHIFT)

static u64 id_reg_id(unsigned int idx)
{
	return SYSREG_ID(3, 0, 0, idx >> 3, idx & 7);
}

/* The ID register index of KVM id @id, or -1. */
static int id_reg_index(u64 id)
{
	u64 enc = id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK |
			 KVM_REG_ARM_COPROC_MASK);

	if ((id & ~0xffffULL) != (KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
				  KVM_REG_ARM64_SYSREG) ||
	    (enc >> 7) != (3 << 7) || ((enc >> 3) & 0xf) < 1)
		return -1;
	return SKVM_ID_REG_INDEX((enc >> 3) & 0xf, enc & 7);
}

static int index_of(const u64 *ids, unsigned int n, u64 id)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return i;
	return -1;
}

/* The id of core register @n of the list: x0..x30, sp, pc, pstate, ... */
static u64 core_reg_id(unsigned int n)
{
	if (n < 31)
		return CORE_ID(CORE_REG(regs.regs[n]), KVM_REG_SIZE_U64);
	n -= 31;
	if (n < 3)
		return CORE_ID(CORE_REG(regs.sp) + 2 * n, KVM_REG_SIZE_U64);
	n -= 3;
	if (n < 2 + KVM_NR_SPSR)
		return CORE_ID(CORE_REG(sp_el1) + 2 * n, KVM_REG_SIZE_U64);
	n -= 2 + KVM_NR_SPSR;
	if (n < 32)
		return CORE_ID(CORE_REG(fp_regs.vregs[n]), KVM_REG_SIZE_U128);
	n -= 32;
	return CORE_ID(n ? CORE_REG(fp_regs.fpcr) : CORE_REG(fp_regs.fpsr),
		       KVM_REG_SIZE_U32);
}

/*
 * A core register: the splitkvm register(s) behind KVM core offset @off,
 * or -ENOENT. @spsr32 is set for the AArch32 SPSRs, kept here only.
 */
static int core_reg(u64 off, u32 *reg, u32 *size, u64 **spsr32,
		    struct skvm_kvm_vcpu *v)
{
	*spsr32 = NULL;
	if (off < CORE_REG(regs.sp) && !(off & 1)) {
		*reg = SKVM_REG_X0 + off / 2;
		*size = 8;
	} else if (off == CORE_REG(regs.sp)) {
		*reg = SKVM_REG_SYS + SKVM_SP_EL0;
		*size = 8;
	} else if (off == CORE_REG(regs.pc)) {
		*reg = SKVM_REG_PC;
		*size = 8;
	} else if (off == CORE_REG(regs.pstate)) {
		*reg = SKVM_REG_PSTATE;
		*size = 8;
	} else if (off == CORE_REG(sp_el1)) {
		*reg = SKVM_REG_SYS + SKVM_SP_EL1;
		*size = 8;
	} else if (off == CORE_REG(elr_el1)) {
		*reg = SKVM_REG_SYS + SKVM_ELR_EL1;
		*size = 8;
	} else if (off == CORE_REG(spsr[0])) {
		*reg = SKVM_REG_SYS + SKVM_SPSR_EL1;
		*size = 8;
	} else if (off > CORE_REG(spsr[0]) && off < CORE_REG(fp_regs) &&
		   !((off - CORE_REG(spsr[0])) & 1)) {
		*spsr32 = &v->spsr32[(off - CORE_REG(spsr[1])) / 2];
		*size = 8;
	} else if (off >= CORE_REG(fp_regs.vregs) &&
		   off < CORE_REG(fp_regs.fpsr) &&
		   !((off - CORE_REG(fp_regs.vregs)) & 3)) {
		*reg = SKVM_REG_V + (off - CORE_REG(fp_regs.vregs)) / 2;
		*size = 16;
	} else if (off == CORE_REG(fp_regs.fpsr)) {
		*reg = SKVM_REG_FPSR;
		*size = 4;
	} else if (off == CORE_REG(fp_regs.fpcr)) {
		*reg = SKVM_REG_FPCR;
		*size = 4;
	} else {
		return -ENOENT;
	}
	return 0;
}

/*
 * What ID register @idx is for a new VM: the guests' table, and in
 * ID_AA64PFR0_EL1.GIC the host's GICv3 CPU interface, which userspace sees
 * (as under KVM) until the first run; with no vGIC the guest never does.
 */
static u64 id_reg_limit(int idx)
{
	u64 val = splitkvm_guest_id_reg(idx);

	if (idx == PFR0_INDEX)
		val |= read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1) & PFR0_GIC;
	return val;
}

/* A new VM's ID registers, CTR_EL0 and CLIDR_EL1, as EL2 starts them. */
void skvm_id_regs_init(struct skvm_kvm *kvm)
{
	int i;

	for (i = 0; i < SKVM_NR_ID_REGS; i++)
		kvm->id_regs[i] = id_reg_limit(i);
	kvm->ctr = read_cpuid_cachetype();
	kvm->clidr = read_sysreg(clidr_el1);
}

/*
 * The first run: with a vGIC the guest has the GIC CPU interface the VMM
 * left in ID_AA64PFR0_EL1, without one none.
 */
int skvm_id_regs_first_run(struct skvm_kvm_vcpu *v)
{
	struct skvm_kvm *kvm = v->kvm;
	int err = 0;

	lockdep_assert_held(&kvm->lock);
	if (!kvm->vgic.created)
		kvm->id_regs[PFR0_INDEX] &= ~PFR0_GIC;
	else
		skvm_vcpu_set(v, SKVM_REG_ID0 + PFR0_INDEX,
			      kvm->id_regs[PFR0_INDEX], &err);
	return err;
}

static u32 id_reg_encoding(int idx)
{
	return sys_reg(3, 0, 0, idx >> 3, idx & 7);
}

/*
 * A VMM's write to a VM-wide register (an ID register, CTR_EL0 or
 * CLIDR_EL1): checked, kept, and given to EL2 (@el2_reg) for the guests
 * to read; once the VM has run it may only restate the value.
 */
static int set_vm_reg(struct skvm_kvm_vcpu *v, u64 *cur, u64 val,
		      u32 el2_reg, u64 el2_val)
{
	struct skvm_kvm *kvm = v->kvm;
	int err = 0;

	mutex_lock(&kvm->lock);
	if (val == *cur)
		goto out;
	err = -EBUSY;
	if (kvm->has_run)
		goto out;
	err = 0;
	skvm_vcpu_set(v, el2_reg, el2_val, &err);
	if (!err)
		*cur = val;
out:
	mutex_unlock(&kvm->lock);
	return err;
}

static int id_reg(struct skvm_kvm_vcpu *v, int idx, u64 *val, bool write)
{
	u64 *cur = &v->kvm->id_regs[idx];
	int err;

	if (!write) {
		*val = READ_ONCE(*cur);
		return 0;
	}
	/*
	 * The AArch32 feature registers (CRm 1..3) ignore writes: no AArch32
	 * here, as KVM makes them then. ID_AFR0, ID_DFR1 and the unallocated
	 * encodings stay invariant.
	 */
	if (idx < SKVM_ID_REG_INDEX(4, 0) &&
	    idx != SKVM_ID_REG_INDEX(1, 3) && idx != SKVM_ID_REG_INDEX(3, 3) &&
	    idx != SKVM_ID_REG_INDEX(3, 5) && idx != SKVM_ID_REG_INDEX(3, 7))
		return 0;
	err = splitkvm_id_reg_check(id_reg_encoding(idx), *val,
				    id_reg_limit(idx));
	if (err)
		return err;
	/* The GIC CPU interface is the guest's from the first run on. */
	return set_vm_reg(v, cur, *val, SKVM_REG_ID0 + idx,
			  idx == PFR0_INDEX ? *val & ~PFR0_GIC : *val);
}

/*
 * CTR_EL0 and CLIDR_EL1 (the VM's, not each vCPU's as under KVM): lesser
 * cache line sizes and coherence in CTR_EL0, any cache hierarchy in
 * CLIDR_EL1 (the guest's set/way operations are trapped: HCR_EL2.TSW).
 */
static int cache_reg(struct skvm_kvm_vcpu *v, int i, u64 *val, bool write)
{
	struct skvm_kvm *kvm = v->kvm;
	u64 *cur = i ? &kvm->clidr : &kvm->ctr;

	if (!write) {
		*val = READ_ONCE(*cur);
		return 0;
	}
	if (i ? (*val & CLIDR_RES0) :
		splitkvm_id_reg_check(SYS_CTR_EL0, *val,
				      read_cpuid_cachetype()))
		return -EINVAL;
	return set_vm_reg(v, cur, *val, i ? SKVM_REG_CLIDR : SKVM_REG_CTR,
			  *val);
}

/*
 * KVM_ARM_GET_REG_WRITABLE_MASKS: for the feature ID range, which bits of
 * each register a VMM may change.
 */
int skvm_id_writable_masks(void __user *uarg)
{
	struct reg_mask_range range;
	u64 __user *masks;
	unsigned int i;

	if (copy_from_user(&range, uarg, sizeof(range)))
		return -EFAULT;
	if (range.range != KVM_ARM_FEATURE_ID_RANGE ||
	    memchr_inv(range.reserved, 0, sizeof(range.reserved)))
		return -EINVAL;
	masks = u64_to_user_ptr(range.addr);
	if (clear_user(masks, KVM_ARM_FEATURE_ID_RANGE_SIZE * sizeof(u64)))
		return -EFAULT;
	for (i = SKVM_ID_REG_INDEX(4, 0); i < SKVM_NR_ID_REGS; i++)
		if (put_user(splitkvm_id_reg_writable(id_reg_encoding(i)),
			     &masks[KVM_ARM_FEATURE_ID_RANGE_IDX(3, 0, 0, i >> 3,
								 i & 7)]))
			return -EFAULT;
	if (put_user(splitkvm_id_reg_writable(SYS_CTR_EL0),
		     &masks[KVM_ARM_FEATURE_ID_RANGE_IDX(3, 3, 0, 0, 1)]) ||
	    put_user(~CLIDR_RES0,
		     &masks[KVM_ARM_FEATURE_ID_RANGE_IDX(3, 1, 0, 0, 1)]))
		return -EFAULT;
	return 0;
}

/*
 * The virtual (@i 0) and physical (@i 1) counters as the guest reads them:
 * the hardware's less the VM's CNTVOFF_EL2, or its physical offset (EL2
 * traps CNTPCT_EL0 while that is not 0). A write sets the offset, unless
 * the VMM set both with KVM_ARM_SET_COUNTER_OFFSET: then it is ignored.
 */
static int counter_reg(struct skvm_kvm_vcpu *v, int i, u64 *val, bool write)
{
	u32 reg = i ? SKVM_REG_CNTPOFF : SKVM_REG_CNTVOFF;
	u64 now = arch_timer_read_counter();
	int err = 0;

	if (write) {
		if (v->kvm->counter_offset_set)
			return 0;
		skvm_vcpu_set(v, reg, now - *val, &err);
		/* The timers' emulation counts on the same counters. */
		if (!err && !i)
			WRITE_ONCE(v->kvm->cntvoff, now - *val);
		if (!err && i) {
			WRITE_ONCE(v->kvm->cntpoff, now - *val);
			skvm_ptimers_update(v->kvm);
		}
		return err;
	}
	*val = now - skvm_vcpu_get(v, reg, &err);
	return err;
}

/* Give EL2 the VM's KVM_ARM_SET_COUNTER_OFFSET, through vCPU @v. */
int skvm_counter_offset_sync(struct skvm_kvm_vcpu *v)
{
	int err = 0;

	if (!v->kvm->counter_offset_set)
		return 0;
	skvm_vcpu_set(v, SKVM_REG_CNTVOFF, v->kvm->counter_offset, &err);
	skvm_vcpu_set(v, SKVM_REG_CNTPOFF, v->kvm->counter_offset, &err);
	return err;
}

static u64 wa_level(u32 fn, u64 unaffected, u64 mitigated)
{
	switch (splitkvm_guest_wa_state(fn)) {
	case SPLITKVM_WA_UNAFFECTED:
		return unaffected;
	case SPLITKVM_WA_MITIGATED:
		return mitigated;
	default:
		return 0;	/* NOT_AVAIL */
	}
}

static u64 fw_reg_val(struct skvm_kvm *kvm, int i)
{
	switch (i) {
	case 0:
		return READ_ONCE(kvm->psci_version);
	case 1:
		return wa_level(ARM_SMCCC_ARCH_WORKAROUND_1,
				KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED,
				KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL);
	case 2:
		return wa_level(ARM_SMCCC_ARCH_WORKAROUND_2,
				KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED,
				KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL);
	case 3:
		return wa_level(ARM_SMCCC_ARCH_WORKAROUND_3,
				KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_REQUIRED,
				KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_AVAIL);
	default:
		return READ_ONCE(kvm->fw_bmap[i - 4]);
	}
}

/*
 * The firmware registers, with KVM's rules: the PSCI version is 0.2, 1.0
 * or 1.1 (0.1's function ids are not offered); a workaround level may be
 * at most the host's (a VMM restoring state from a better host fails);
 * a bitmap may only drop services, and not once the VM has run.
 */
static int fw_reg(struct skvm_kvm_vcpu *v, int i, u64 *val, bool write)
{
	struct skvm_kvm *kvm = v->kvm;
	int ret = 0;

	if (!write) {
		*val = fw_reg_val(kvm, i);
		return 0;
	}
	switch (i) {
	case 0:
		if (*val != SKVM_PSCI_0_2 && *val != SKVM_PSCI_1_0 &&
		    *val != SKVM_PSCI_1_1)
			return -EINVAL;
		mutex_lock(&kvm->lock);
		WRITE_ONCE(kvm->psci_version, *val);
		if (kvm->has_run)
			ret = skvm_fw_sync_el2(v);
		mutex_unlock(&kvm->lock);
		return ret;
	case 1:
	case 3:
		return *val > fw_reg_val(kvm, i) ? -EINVAL : 0;
	case 2:
		/* The level, and the (ignored) "enabled" bit. */
		if (*val & ~(WA_LEVEL_MASK |
			     KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED))
			return -EINVAL;
		return (*val & WA_LEVEL_MASK) >
		       fw_reg_val(kvm, i) ? -EINVAL : 0;
	}
	mutex_lock(&kvm->lock);
	if (*val & ~skvm_fw_bmap_offered(i - 4))
		ret = -EINVAL;
	else if (kvm->has_run && *val != kvm->fw_bmap[i - 4])
		ret = -EBUSY;
	else
		WRITE_ONCE(kvm->fw_bmap[i - 4], *val);
	mutex_unlock(&kvm->lock);
	return ret;
}

/* A 64-bit register other than a core one, by its class. */
static int other_reg(struct skvm_kvm_vcpu *v, u64 id, u64 *val, bool write)
{
	int i, err = 0;

	i = id_reg_index(id);
	if (i >= 0)
		return id_reg(v, i, val, write);
	for (i = 0; i < ARRAY_SIZE(sysregs); i++) {
		if (sysregs[i].id != id)
			continue;
		if (write)
			skvm_vcpu_set(v, SKVM_REG_SYS + sysregs[i].reg, *val,
				      &err);
		else
			*val = skvm_vcpu_get(v, SKVM_REG_SYS + sysregs[i].reg,
					     &err);
		return err;
	}
	i = kept_index(id);
	if (i >= 0) {
		u64 reset = i < 64 ? 0 : kept[i - 64].reset;
		u64 writable = i < 64 ? ~0ULL : kept[i - 64].writable;
		int r = kept_at_el2(i);

		if (write && ((*val ^ reset) & ~writable))
			return -EINVAL;
		if (r < 0 && write)
			v->kept[i] = *val;
		else if (r < 0)
			*val = v->kept[i];
		else if (r == SKVM_REG_OSLK && write)
			skvm_vcpu_set(v, r, !!(*val & OSLSR_OSLK), &err);
		else if (r == SKVM_REG_OSLK)
			*val = OSLSR_OSLM1 |
			       (skvm_vcpu_get(v, r, &err) ? OSLSR_OSLK : 0);
		else if (write)
			skvm_vcpu_set(v, r, *val, &err);
		else
			*val = skvm_vcpu_get(v, r, &err);
		return err;
	}
	i = index_of(invariant_ids, ARRAY_SIZE(invariant_ids), id);
	if (i >= 0) {
		if (!write)
			*val = invariant_val(i);
		return write && *val != invariant_val(i) ? -EINVAL : 0;
	}
	i = index_of(cache_ids, ARRAY_SIZE(cache_ids), id);
	if (i >= 0)
		return cache_reg(v, i, val, write);
	i = index_of(counter_ids, ARRAY_SIZE(counter_ids), id);
	if (i >= 0)
		return counter_reg(v, i, val, write);
	i = index_of(fw_ids, ARRAY_SIZE(fw_ids), id);
	if (i >= 0)
		return fw_reg(v, i, val, write);
	return -ENOENT;
}

int skvm_one_reg(struct skvm_kvm_vcpu *v, const struct kvm_one_reg *r,
		 bool write)
{
	void __user *uaddr = (void __user *)(unsigned long)r->addr;
	u32 size = KVM_REG_SIZE(r->id), reg = 0, want;
	u64 val[2] = { 0 }, *spsr32;
	int err = 0;

	if ((r->id & KVM_REG_ARCH_MASK) != KVM_REG_ARM64)
		return -EINVAL;
	if ((r->id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM_CORE) {
		if (size != 8)
			return -ENOENT;
		if (write && copy_from_user(val, uaddr, 8))
			return -EFAULT;
		err = other_reg(v, r->id, val, write);
		if (err)
			return err;
		return !write && copy_to_user(uaddr, val, 8) ? -EFAULT : 0;
	}
	err = core_reg(r->id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK |
				 KVM_REG_ARM_COPROC_MASK),
		       &reg, &want, &spsr32, v);
	if (err)
		return err;
	if (size != want)
		return -EINVAL;
	if (write && copy_from_user(val, uaddr, size))
		return -EFAULT;
	if (spsr32) {
		if (write)
			*spsr32 = val[0];
		val[0] = *spsr32;
	} else if (write) {
		skvm_vcpu_set(v, reg, val[0], &err);
		if (size == 16)
			skvm_vcpu_set(v, reg + 1, val[1], &err);
	} else {
		val[0] = skvm_vcpu_get(v, reg, &err);
		if (size == 16)
			val[1] = skvm_vcpu_get(v, reg + 1, &err);
	}
	if (err)
		return err;
	if (!write && copy_to_user(uaddr, val, size))
		return -EFAULT;
	return 0;
}

/* The id of entry @i of the register list. */
static u64 list_id(unsigned int i)
{
	if (i < NR_CORE_REGS)
		return core_reg_id(i);
	i -= NR_CORE_REGS;
	if (i < ARRAY_SIZE(sysregs))
		return sysregs[i].id;
	i -= ARRAY_SIZE(sysregs);
	if (i < NR_ID_REGS)
		return id_reg_id(ID_REG_FIRST + i);
	i -= NR_ID_REGS;
	if (i < SKVM_KVM_NR_KEPT)
		return kept_id(i);
	i -= SKVM_KVM_NR_KEPT;
	if (i < ARRAY_SIZE(invariant_ids))
		return invariant_ids[i];
	i -= ARRAY_SIZE(invariant_ids);
	if (i < ARRAY_SIZE(cache_ids))
		return cache_ids[i];
	i -= ARRAY_SIZE(cache_ids);
	if (i < ARRAY_SIZE(counter_ids))
		return counter_ids[i];
	return fw_ids[i - ARRAY_SIZE(counter_ids)];
}

int skvm_get_reg_list(struct skvm_kvm_vcpu *v, void __user *uarg)
{
	struct kvm_reg_list __user *ul = uarg;
	u64 n, nr = NR_REGS;
	unsigned int i;

	if (get_user(n, &ul->n))
		return -EFAULT;
	if (put_user(nr, &ul->n))
		return -EFAULT;
	if (n < nr)
		return -E2BIG;
	for (i = 0; i < nr; i++)
		if (put_user(list_id(i), &ul->reg[i]))
			return -EFAULT;
	return 0;
}
