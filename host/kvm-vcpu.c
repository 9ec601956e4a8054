// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM API vCPU file descriptors: the kvm_run page, KVM_ARM_VCPU_INIT,
 * ONE_REG and the register list, MP state, and KVM_RUN with the exits a
 * VMM handles (MMIO, PSCI system events) and those the kernel handles
 * (stage-2 faults in RAM, PSCI, UNDEF for what nobody emulates).
 */
#define pr_fmt(fmt) "splitkvm: " fmt

#include <linux/anon_inodes.h>
#include <linux/arm-smccc.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/psci.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/psci.h>
#include <splitkvm/boot.h>
#include "kvm.h"

#define CORE_REG(name)		KVM_REG_ARM_CORE_REG(name)
#define CORE_ID(off, size)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | (size) | (off))
#define SYSREG_ID(op0, op1, crn, crm, op2)				\
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |	\
	 ((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

#define PSR_RESET		0x3c5		/* EL1h, DAIF masked */
#define SCTLR_EL1_RESET		0x00c50078	/* what KVM resets it to */
#define ESR_EC_SHIFT		26
#define ESR_IL			(1UL << 25)
#define ESR_WNR			(1UL << 6)
#define EC_UNKNOWN		0x00
#define EC_IABT_CUR		0x21
#define FSC_EXTABT		0x10
#define VBAR_SYNC_SPX		0x200
#define VBAR_SYNC_SP0		0x000
#define VBAR_SYNC_LOWER		0x400
#define MPIDR_AFF_MASK		0xff00ffffffULL

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
	{ SYSREG_ID(3, 0, 13, 0, 1), SKVM_CONTEXTIDR_EL1 },
	{ SYSREG_ID(3, 0, 13, 0, 4), SKVM_TPIDR_EL1 },
	{ SYSREG_ID(3, 0, 14, 1, 0), SKVM_CNTKCTL_EL1 },
	{ SYSREG_ID(3, 2, 0, 0, 0), SKVM_CSSELR_EL1 },
	{ SYSREG_ID(3, 3, 13, 0, 2), SKVM_TPIDR_EL0 },
	{ SYSREG_ID(3, 3, 13, 0, 3), SKVM_TPIDRRO_EL0 },
};

#define NR_CORE_REGS	(31 + 3 + 2 + KVM_NR_SPSR + 32 + 2)
/* The ID registers EL2 answers (HCR_EL2.TID3): op0 3, op1 0, CRn 0, CRm 1..7. */
#define ID_REG_FIRST	SKVM_ID_REG_INDEX(1, 0)
#define NR_ID_REGS	(SKVM_NR_ID_REGS - ID_REG_FIRST)
#define NR_REGS		(NR_CORE_REGS + ARRAY_SIZE(sysregs) + NR_ID_REGS)

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

static u64 get(struct skvm_kvm_vcpu *v, u32 reg, int *err)
{
	u64 val = 0;
	int ret = splitkvm_vcpu_get_reg(v->vcpu, reg, &val);

	if (ret && !*err)
		*err = ret;
	return val;
}

static void set(struct skvm_kvm_vcpu *v, u32 reg, u64 val, int *err)
{
	int ret = splitkvm_vcpu_set_reg(v->vcpu, reg, val);

	if (ret && !*err)
		*err = ret;
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

static int one_reg(struct skvm_kvm_vcpu *v, const struct kvm_one_reg *r,
		   bool write)
{
	void __user *uaddr = (void __user *)(unsigned long)r->addr;
	u32 size = KVM_REG_SIZE(r->id), reg = 0, want, i;
	u64 val[2] = { 0 }, *spsr32;
	int err = 0;

	if ((r->id & KVM_REG_ARCH_MASK) != KVM_REG_ARM64)
		return -EINVAL;
	if (id_reg_index(r->id) >= 0) {
		int idx = id_reg_index(r->id);

		/*
		 * What the guest reads; a write may only restate it, except
		 * that the AArch32 feature registers (CRm 1..3) ignore writes:
		 * no AArch32 here, as KVM makes them then. ID_AFR0, ID_DFR1
		 * and the unallocated encodings stay invariant.
		 */
		val[1] = splitkvm_guest_id_reg(idx);
		if (!write)
			return copy_to_user(uaddr, &val[1], 8) ? -EFAULT : 0;
		if (copy_from_user(val, uaddr, 8))
			return -EFAULT;
		if (idx < SKVM_ID_REG_INDEX(4, 0) &&
		    idx != SKVM_ID_REG_INDEX(1, 3) &&
		    idx != SKVM_ID_REG_INDEX(3, 3) &&
		    idx != SKVM_ID_REG_INDEX(3, 5) &&
		    idx != SKVM_ID_REG_INDEX(3, 7))
			return 0;
		return val[0] == val[1] ? 0 : -EINVAL;
	}
	if ((r->id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_CORE) {
		err = core_reg(r->id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK |
					 KVM_REG_ARM_COPROC_MASK),
			       &reg, &want, &spsr32, v);
		if (err)
			return err;
		if (size != want)
			return -EINVAL;
	} else {
		for (i = 0; i < ARRAY_SIZE(sysregs); i++)
			if (sysregs[i].id == r->id)
				break;
		if (i == ARRAY_SIZE(sysregs))
			return -ENOENT;
		reg = SKVM_REG_SYS + sysregs[i].reg;
		spsr32 = NULL;
	}
	if (write && copy_from_user(val, uaddr, size))
		return -EFAULT;
	if (spsr32) {
		if (write)
			*spsr32 = val[0];
		val[0] = *spsr32;
	} else if (write) {
		set(v, reg, val[0], &err);
		if (size == 16)
			set(v, reg + 1, val[1], &err);
	} else {
		val[0] = get(v, reg, &err);
		if (size == 16)
			val[1] = get(v, reg + 1, &err);
	}
	if (err)
		return err;
	if (!write && copy_to_user(uaddr, val, size))
		return -EFAULT;
	return 0;
}

static int get_reg_list(struct skvm_kvm_vcpu *v, void __user *uarg)
{
	struct kvm_reg_list __user *ul = uarg;
	u64 n, nr = NR_REGS, id;
	unsigned int i;

	if (get_user(n, &ul->n))
		return -EFAULT;
	if (put_user(nr, &ul->n))
		return -EFAULT;
	if (n < nr)
		return -E2BIG;
	for (i = 0; i < nr; i++) {
		if (i < NR_CORE_REGS)
			id = core_reg_id(i);
		else if (i < NR_CORE_REGS + ARRAY_SIZE(sysregs))
			id = sysregs[i - NR_CORE_REGS].id;
		else
			id = id_reg_id(ID_REG_FIRST + i - NR_CORE_REGS -
				       ARRAY_SIZE(sysregs));
		if (put_user(id, &ul->reg[i]))
			return -EFAULT;
	}
	return 0;
}

/* KVM's architected reset state; MPIDR_EL1 is kept. */
static int reset_vcpu(struct skvm_kvm_vcpu *v)
{
	int err = 0;
	u32 r;

	for (r = SKVM_REG_X0; r <= 30; r++)
		set(v, r, 0, &err);
	set(v, SKVM_REG_PC, 0, &err);
	set(v, SKVM_REG_PSTATE, PSR_RESET, &err);
	for (r = 0; r < SKVM_NR_SYSREGS; r++)
		if (r != SKVM_MPIDR_EL1)
			set(v, SKVM_REG_SYS + r,
			    r == SKVM_SCTLR_EL1 ? SCTLR_EL1_RESET : 0, &err);
	for (r = SKVM_REG_V; r <= SKVM_REG_FPCR; r++)
		set(v, r, 0, &err);
	memset(v->spsr32, 0, sizeof(v->spsr32));
	v->mmio_read_pending = false;
	v->vcpu->skip_insn = false;
	return err;
}

static int vcpu_init(struct skvm_kvm_vcpu *v, const struct kvm_vcpu_init *init)
{
	u32 feat = init->features[0];
	unsigned int i;

	if (init->target != KVM_ARM_TARGET_GENERIC_V8)
		return -EINVAL;
	for (i = 1; i < ARRAY_SIZE(init->features); i++)
		if (init->features[i])
			return -ENOENT;
	if (feat & ~GENMASK(KVM_ARM_VCPU_HAS_EL2, 0))
		return -ENOENT;
	/* AArch32 EL1, SVE, PAuth, the PMU and nested virt are not offered. */
	if (feat & ~(BIT(KVM_ARM_VCPU_POWER_OFF) | BIT(KVM_ARM_VCPU_PSCI_0_2)))
		return -EINVAL;
	if (reset_vcpu(v))
		return -EIO;
	WRITE_ONCE(v->power_off, feat & BIT(KVM_ARM_VCPU_POWER_OFF));
	v->inited = true;
	return 0;
}

/*
 * An exception for the guest, taken to its EL1 as if from the instruction
 * at @elr: Undefined Instruction, or an external instruction abort at
 * @far (ESR_EL1, FAR_EL1, ELR_EL1, SPSR_EL1; PC to the vector; PSTATE as
 * exception entry sets it).
 */
static int inject(struct skvm_kvm_vcpu *v, u64 elr, u64 esr, u64 far)
{
	int err = 0;
	u64 pstate = get(v, SKVM_REG_PSTATE, &err);
	u64 vbar = get(v, SKVM_REG_SYS + SKVM_VBAR_EL1, &err);
	u64 mode = pstate & 0xf, off;

	off = mode == 0 ? VBAR_SYNC_LOWER : mode == 4 ? VBAR_SYNC_SP0 :
	      VBAR_SYNC_SPX;
	set(v, SKVM_REG_SYS + SKVM_ESR_EL1, esr, &err);
	set(v, SKVM_REG_SYS + SKVM_FAR_EL1, far, &err);
	set(v, SKVM_REG_SYS + SKVM_ELR_EL1, elr, &err);
	set(v, SKVM_REG_SYS + SKVM_SPSR_EL1, pstate, &err);
	set(v, SKVM_REG_PC, vbar + off, &err);
	set(v, SKVM_REG_PSTATE, PSR_RESET, &err);
	return err;
}

static int inject_undef(struct skvm_kvm_vcpu *v, u64 elr)
{
	return inject(v, elr, (EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL, 0);
}

static void system_event(struct kvm_run *run, u32 type)
{
	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = type;
	run->system_event.ndata = 1;
	run->system_event.data[0] = 0;
}

/* CPU_ON for @target: it resets itself when it wakes (power_off false). */
static long psci_cpu_on(struct skvm_kvm_vcpu *v, u64 mpidr, u64 pc, u64 ctx)
{
	struct skvm_kvm_vcpu *t;
	long ret;

	mutex_lock(&v->kvm->lock);
	t = skvm_kvm_vcpu_by_mpidr(v->kvm, mpidr);
	if (!t || !t->inited)
		ret = PSCI_RET_INVALID_PARAMS;
	else if (!READ_ONCE(t->power_off) || t->pending_on)
		ret = PSCI_RET_ALREADY_ON;
	else {
		t->on_pc = pc;
		t->on_ctx = ctx;
		t->pending_on = true;
		WRITE_ONCE(t->power_off, false);
		wake_up_interruptible(&t->wait);
		ret = PSCI_RET_SUCCESS;
	}
	mutex_unlock(&v->kvm->lock);
	return ret;
}

static long psci_affinity_info(struct skvm_kvm_vcpu *v, u64 mpidr, u64 level)
{
	struct skvm_kvm_vcpu *t;

	if (level)
		return PSCI_RET_INVALID_PARAMS;
	t = skvm_kvm_vcpu_by_mpidr(v->kvm, mpidr);
	if (!t)
		return PSCI_RET_INVALID_PARAMS;
	return READ_ONCE(t->power_off) ? PSCI_0_2_AFFINITY_LEVEL_OFF :
					 PSCI_0_2_AFFINITY_LEVEL_ON;
}

/*
 * SYSTEM_SUSPEND, once the VMM enabled it: the VMM does the suspend, and
 * only when every other vCPU is off (PSCI 1.0, 5.20).
 */
static long psci_system_suspend(struct skvm_kvm_vcpu *v)
{
	unsigned int i;

	if (!READ_ONCE(v->kvm->system_suspend))
		return PSCI_RET_NOT_SUPPORTED;
	for (i = 0; i < SKVM_MAX_VCPUS; i++) {
		struct skvm_kvm_vcpu *o = READ_ONCE(v->kvm->vcpus[i]);

		if (o && o != v && !READ_ONCE(o->power_off))
			return PSCI_RET_DENIED;
	}
	system_event(v->run, KVM_SYSTEM_EVENT_SUSPEND);
	return 0;
}

static bool psci_implemented(struct skvm_kvm_vcpu *v, u32 fn)
{
	switch (fn) {
	case PSCI_1_0_FN_SYSTEM_SUSPEND:
	case PSCI_1_0_FN64_SYSTEM_SUSPEND:
		return READ_ONCE(v->kvm->system_suspend);
	case PSCI_0_2_FN_PSCI_VERSION:
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
	case PSCI_0_2_FN_CPU_OFF:
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
	case PSCI_0_2_FN_SYSTEM_OFF:
	case PSCI_0_2_FN_SYSTEM_RESET:
	case PSCI_1_0_FN_PSCI_FEATURES:
	case ARM_SMCCC_VERSION_FUNC_ID:
		return true;
	}
	return false;
}

/*
 * PSCI 1.0 and SMCCC 1.1 in the kernel, over HVC or SMC. Return: 1 to
 * enter the guest again, 0 with a system event for the VMM, or -errno.
 */
static int handle_hypercall(struct skvm_kvm_vcpu *v)
{
	u64 x[4];
	long ret = SMCCC_RET_NOT_SUPPORTED;
	int err = 0, i;

	for (i = 0; i < 4; i++)
		x[i] = get(v, SKVM_REG_X0 + i, &err);
	if (err)
		return err;
	switch ((u32)x[0]) {
	case PSCI_0_2_FN_PSCI_VERSION:
		ret = PSCI_VERSION(1, 0);
		break;
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
		ret = PSCI_RET_SUCCESS;		/* a WFI that returns at once */
		break;
	case PSCI_0_2_FN_CPU_OFF:
		WRITE_ONCE(v->power_off, true);
		return 1;
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
		ret = psci_cpu_on(v, x[1], x[2], x[3]);
		break;
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
		ret = psci_affinity_info(v, x[1], x[2]);
		break;
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		ret = PSCI_0_2_TOS_MP;
		break;
	case PSCI_0_2_FN_SYSTEM_OFF:
		system_event(v->run, KVM_SYSTEM_EVENT_SHUTDOWN);
		return 0;
	case PSCI_0_2_FN_SYSTEM_RESET:
		system_event(v->run, KVM_SYSTEM_EVENT_RESET);
		return 0;
	case PSCI_1_0_FN_PSCI_FEATURES:
		ret = psci_implemented(v, x[1]) ? 0 : PSCI_RET_NOT_SUPPORTED;
		break;
	case PSCI_1_0_FN_SYSTEM_SUSPEND:
	case PSCI_1_0_FN64_SYSTEM_SUSPEND:
		ret = psci_system_suspend(v);
		if (!ret)
			return 0;
		break;
	case ARM_SMCCC_VERSION_FUNC_ID:
		ret = ARM_SMCCC_VERSION_1_1;
		break;
	}
	set(v, SKVM_REG_X0, ret, &err);
	return err ? err : 1;
}

/* What the VMM emulates: the access, in kvm_run. */
static void mmio_exit(struct skvm_kvm_vcpu *v, const struct splitkvm_mmio *m)
{
	struct kvm_run *run = v->run;

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = m->ipa;
	run->mmio.len = m->size;
	run->mmio.is_write = m->is_write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (m->is_write)
		memcpy(run->mmio.data, &m->data, m->size);
	v->mmio_read_pending = !m->is_write;
	v->mmio_reg = m->reg;
	v->mmio_len = m->size;
	v->mmio_sign_extend = m->sign_extend;
	v->mmio_reg_64bit = m->reg_is_64bit;
}

/* The VMM's answer to an MMIO read goes to the register, as a load would. */
static int complete_mmio_read(struct skvm_kvm_vcpu *v)
{
	unsigned int bits = v->mmio_len * 8;
	u64 val = 0;
	int err = 0;

	v->mmio_read_pending = false;
	memcpy(&val, v->run->mmio.data, v->mmio_len);
	if (v->mmio_sign_extend && bits < 64)
		val = (u64)sign_extend64(val, bits - 1);
	if (!v->mmio_reg_64bit)
		val &= U32_MAX;
	if (v->mmio_reg != 31)
		set(v, SKVM_REG_X0 + v->mmio_reg, val, &err);
	return err;
}

/* A vCPU brought up by CPU_ON starts at the entry point, x0 = context. */
static int power_on(struct skvm_kvm_vcpu *v)
{
	int err;

	mutex_lock(&v->kvm->lock);
	v->pending_on = false;
	mutex_unlock(&v->kvm->lock);
	err = reset_vcpu(v);
	set(v, SKVM_REG_PC, v->on_pc, &err);
	set(v, SKVM_REG_X0, v->on_ctx, &err);
	return err;
}

/*
 * One exit, handled. Return: 1 to enter the guest again, 0 to return to
 * the VMM with kvm_run filled, or -errno.
 */
static int handle_exit(struct skvm_kvm_vcpu *v)
{
	const struct splitkvm_vcpu_exit *e = &v->vcpu->exit;
	u64 pc;
	bool ram;
	int err = 0, ret;

	v->stats[SKVM_VCPU_STAT_EXITS]++;
	switch (e->kind) {
	case SPLITKVM_EXIT_IRQ:
		v->stats[SKVM_VCPU_STAT_IRQ]++;
		return 1;
	case SPLITKVM_EXIT_HVC:
	case SPLITKVM_EXIT_SMC:
		v->stats[SKVM_VCPU_STAT_HVC]++;
		return handle_hypercall(v);
	case SPLITKVM_EXIT_WFX:
		/*
		 * No interrupt can come yet (no vGIC, no timer): a WFI sleeps
		 * until a signal or a kick (SET_MP_STATE). A WFE just yields.
		 */
		if (e->raw.access & 1) {
			v->stats[SKVM_VCPU_STAT_WFE]++;
			return 1;
		}
		v->stats[SKVM_VCPU_STAT_WFI]++;
		if (!wait_event_interruptible(v->wait, READ_ONCE(v->kick)))
			v->stats[SKVM_VCPU_STAT_HALT_WAKEUP]++;
		WRITE_ONCE(v->kick, false);
		return 1;
	case SPLITKVM_EXIT_SYSREG:
		/* Nobody emulates it: an UNDEF, at the instruction. */
		v->stats[SKVM_VCPU_STAT_SYSREG_UNDEF]++;
		pc = get(v, SKVM_REG_PC, &err);
		return err ? err : inject_undef(v, pc - 4) ?: 1;
	case SPLITKVM_EXIT_MMIO:
	case SPLITKVM_EXIT_FAULT:
		if (e->raw.reason != SKVM_EXIT_DABT &&
		    e->raw.reason != SKVM_EXIT_IABT)
			break;
		/* ESR_EL2.WnR: the access (or its stage-1 walk) writes. */
		ret = skvm_kvm_fault_in(v->kvm, e->raw.ipa,
					e->raw.reason == SKVM_EXIT_DABT &&
					(e->raw.esr & ESR_WNR), &ram);
		if (ret)
			return ret;
		if (ram) {
			v->stats[SKVM_VCPU_STAT_FAULT]++;
			v->vcpu->skip_insn = false;	/* retry the access */
			return 1;
		}
		if (e->kind == SPLITKVM_EXIT_MMIO) {
			v->stats[SKVM_VCPU_STAT_MMIO_USER]++;
			mmio_exit(v, &e->mmio);
			return 0;
		}
		/* Outside RAM without a syndrome: as KVM, ENOSYS. */
		if (e->raw.reason == SKVM_EXIT_DABT)
			return -ENOSYS;
		pc = get(v, SKVM_REG_PC, &err);
		return err ?: inject(v, pc, (EC_IABT_CUR << ESR_EC_SHIFT) |
				     ESR_IL | FSC_EXTABT, e->raw.far) ?: 1;
	default:
		break;
	}
	if (e->raw.reason == SKVM_EXIT_AARCH32) {
		v->run->exit_reason = KVM_EXIT_FAIL_ENTRY;
		v->run->fail_entry.hardware_entry_failure_reason = e->raw.esr;
		v->run->fail_entry.cpu = raw_smp_processor_id();
		return 0;
	}
	/* Any other trap (SVE, SME, ...): an UNDEF at the instruction. */
	pc = get(v, SKVM_REG_PC, &err);
	return err ?: inject_undef(v, pc) ?: 1;
}

static int run_loop(struct skvm_kvm_vcpu *v)
{
	struct kvm_run *run = v->run;
	int ret = 0;

	if (v->mmio_read_pending && complete_mmio_read(v))
		return -EIO;
	/*
	 * immediate_exit: the pending MMIO read is complete, nothing runs,
	 * and kvm_run is left as it was (selftests read the last exit again
	 * after completing it this way).
	 */
	if (READ_ONCE(run->immediate_exit__unsafe))
		return -EINTR;
	run->exit_reason = KVM_EXIT_UNKNOWN;
	for (;;) {
		if (signal_pending(current)) {
			v->stats[SKVM_VCPU_STAT_SIGNAL]++;
			run->exit_reason = KVM_EXIT_INTR;
			return -EINTR;
		}
		if (READ_ONCE(v->power_off)) {
			if (wait_event_interruptible(v->wait,
						     !READ_ONCE(v->power_off)))
				continue;
		}
		if (v->pending_on && power_on(v))
			return -EIO;
		ret = splitkvm_vcpu_run(v->vcpu);
		if (ret)
			return ret;
		ret = handle_exit(v);
		if (ret <= 0)
			return ret;
		cond_resched();
	}
}

/*
 * KVM_RUN, with the VMM's KVM_SET_SIGNAL_MASK mask in force while it runs
 * (the task's own mask is kept in real_blocked meanwhile, as KVM does).
 */
static int vcpu_run(struct skvm_kvm_vcpu *v)
{
	int ret;

	if (!v->inited)
		return -ENOEXEC;
	if (v->sigset_active)
		sigprocmask(SIG_SETMASK, &v->sigset, &current->real_blocked);
	ret = run_loop(v);
	if (v->sigset_active) {
		sigprocmask(SIG_SETMASK, &current->real_blocked, NULL);
		sigemptyset(&current->real_blocked);
	}
	return ret;
}

static int set_signal_mask(struct skvm_kvm_vcpu *v, void __user *uarg)
{
	struct kvm_signal_mask __user *um = uarg;
	struct kvm_signal_mask km;
	sigset_t set;

	if (!uarg) {
		v->sigset_active = false;
		return 0;
	}
	if (copy_from_user(&km, uarg, sizeof(km)))
		return -EFAULT;
	if (km.len != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, um->sigset, sizeof(set)))
		return -EFAULT;
	sigdelsetmask(&set, sigmask(SIGKILL) | sigmask(SIGSTOP));
	v->sigset = set;
	v->sigset_active = true;
	return 0;
}

long skvm_vcpu_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct skvm_kvm_vcpu *v = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret = -EINVAL;

	if (v->kvm->mm != current->mm)
		return -EIO;
	/* As KVM: a fatal signal gets a task out of waiting for a busy vCPU. */
	if (mutex_lock_killable(&v->lock))
		return -EINTR;
	/* A CPU_ON from another vCPU takes effect before anyone looks. */
	if (v->pending_on && power_on(v)) {
		mutex_unlock(&v->lock);
		return -EIO;
	}
	switch (cmd) {
	case KVM_RUN:
		ret = arg ? -EINVAL : vcpu_run(v);
		break;
	case KVM_ARM_VCPU_INIT: {
		struct kvm_vcpu_init init;

		ret = copy_from_user(&init, uarg, sizeof(init)) ? -EFAULT :
		      vcpu_init(v, &init);
		break;
	}
	case KVM_GET_ONE_REG:
	case KVM_SET_ONE_REG: {
		struct kvm_one_reg r;

		ret = copy_from_user(&r, uarg, sizeof(r)) ? -EFAULT :
		      !v->inited ? -ENOEXEC :
		      one_reg(v, &r, cmd == KVM_SET_ONE_REG);
		break;
	}
	case KVM_GET_STATS_FD:
		ret = skvm_kvm_vcpu_stats_fd(v);
		break;
	case KVM_SET_SIGNAL_MASK:
		ret = set_signal_mask(v, uarg);
		break;
	case KVM_GET_REG_LIST:
		ret = v->inited ? get_reg_list(v, uarg) : -ENOEXEC;
		break;
	case KVM_GET_MP_STATE: {
		struct kvm_mp_state mp = {
			.mp_state = READ_ONCE(v->power_off) ?
				    KVM_MP_STATE_STOPPED : KVM_MP_STATE_RUNNABLE,
		};

		ret = copy_to_user(uarg, &mp, sizeof(mp)) ? -EFAULT : 0;
		break;
	}
	case KVM_SET_MP_STATE: {
		struct kvm_mp_state mp;

		ret = -EFAULT;
		if (copy_from_user(&mp, uarg, sizeof(mp)))
			break;
		ret = -EINVAL;
		if (mp.mp_state != KVM_MP_STATE_RUNNABLE &&
		    mp.mp_state != KVM_MP_STATE_STOPPED)
			break;
		WRITE_ONCE(v->power_off, mp.mp_state == KVM_MP_STATE_STOPPED);
		WRITE_ONCE(v->kick, true);
		wake_up_interruptible(&v->wait);
		ret = 0;
		break;
	}
	}
	mutex_unlock(&v->lock);
	return ret;
}

static vm_fault_t vcpu_fault(struct vm_fault *vmf)
{
	struct skvm_kvm_vcpu *v = vmf->vma->vm_file->private_data;

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(v->run);
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct vcpu_vm_ops = {
	.fault = vcpu_fault,
};

int skvm_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &vcpu_vm_ops;
	return 0;
}

int skvm_vcpu_release(struct inode *inode, struct file *file)
{
	struct skvm_kvm_vcpu *v = file->private_data;

	skvm_kvm_put(v->kvm);
	return 0;
}

static const struct file_operations vcpu_fops = {
	.owner = THIS_MODULE,
	.release = skvm_vcpu_release,
	.unlocked_ioctl = skvm_vcpu_ioctl,
	.mmap = skvm_vcpu_mmap,
	.llseek = noop_llseek,
};

/* KVM_CREATE_VCPU: ids 0..SKVM_MAX_VCPUS-1, each once. */
int skvm_kvm_create_vcpu(struct skvm_kvm *kvm, unsigned long id)
{
	struct skvm_kvm_vcpu *v;
	char name[24];
	int fd;

	if (id >= SKVM_MAX_VCPUS)
		return -EINVAL;
	v = kzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v)
		return -ENOMEM;
	v->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!v->run) {
		kfree(v);
		return -ENOMEM;
	}
	mutex_init(&v->lock);
	init_waitqueue_head(&v->wait);
	v->kvm = kvm;
	v->id = id;
	mutex_lock(&kvm->lock);
	fd = -EEXIST;
	if (kvm->vcpus[id])
		goto out_unlock;
	v->vcpu = splitkvm_vcpu_create(kvm->vm, id);
	fd = PTR_ERR_OR_ZERO(v->vcpu);
	if (fd)
		goto out_unlock;
	kvm->vcpus[id] = v;
	kref_get(&kvm->ref);
	mutex_unlock(&kvm->lock);
	snprintf(name, sizeof(name), "kvm-vcpu:%lu", id);
	/* The vCPU itself lives as long as the VM; its fd holds the VM. */
	fd = anon_inode_getfd(name, &vcpu_fops, v, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		skvm_kvm_put(kvm);
	return fd;
out_unlock:
	mutex_unlock(&kvm->lock);
	free_page((unsigned long)v->run);
	kfree(v);
	return fd;
}

/* Called as the VM goes: the vCPUs' own memory. */
void skvm_kvm_free_vcpus(struct skvm_kvm *kvm)
{
	unsigned int i;

	for (i = 0; i < SKVM_MAX_VCPUS; i++) {
		struct skvm_kvm_vcpu *v = kvm->vcpus[i];

		if (!v)
			continue;
		free_page((unsigned long)v->run);
		kfree(v);
	}
}
