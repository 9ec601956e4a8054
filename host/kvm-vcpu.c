// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM API vCPU file descriptors: the kvm_run page, KVM_ARM_VCPU_INIT, MP
 * state, and KVM_RUN with the exits a VMM handles (MMIO, system events)
 * and those the kernel handles (stage-2 faults in RAM, UNDEF for what
 * nobody emulates). Registers are in kvm-regs.c, hypercalls (PSCI, SMCCC)
 * in kvm-hypercalls.c.
 */
#define pr_fmt(fmt) "splitkvm: " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <splitkvm/boot.h>
#include <asm/neon.h>
#include "kvm.h"

#define PSR_RESET		0x3c5		/* EL1h, DAIF masked */
#define SCTLR_EL1_RESET		0x00c50078	/* what KVM resets it to */
#define ESR_EC_SHIFT		26
#define ESR_IL			(1UL << 25)
#define ESR_WNR			(1UL << 6)
#define EC_UNKNOWN		0x00
#define EC_IABT_CUR		0x21
#define EC_DABT_LOW		0x24
#define EC_DABT_CUR		0x25
#define ESR_S1PTW		(1UL << 7)
#define ESR_FSC_TYPE		0x3cUL		/* DFSC without the level */
#define FSC_PERM		0x0cUL
#define FSC_EXTABT		0x10
#define VBAR_SYNC_SPX		0x200
#define VBAR_SYNC_SP0		0x000
#define VBAR_SYNC_LOWER		0x400

/* KVM's architected reset state; MPIDR_EL1 is kept. */
static int reset_vcpu(struct skvm_kvm_vcpu *v)
{
	int err = 0;
	u32 r;

	for (r = SKVM_REG_X0; r <= 30; r++)
		skvm_vcpu_set(v, r, 0, &err);
	skvm_vcpu_set(v, SKVM_REG_PC, 0, &err);
	skvm_vcpu_set(v, SKVM_REG_PSTATE, PSR_RESET, &err);
	for (r = 0; r < SKVM_NR_SYSREGS; r++)
		if (r != SKVM_MPIDR_EL1)
			skvm_vcpu_set(v, SKVM_REG_SYS + r,
			    r == SKVM_SCTLR_EL1 ? SCTLR_EL1_RESET : 0, &err);
	for (r = SKVM_REG_V; r <= SKVM_REG_FPCR; r++)
		skvm_vcpu_set(v, r, 0, &err);
	memset(v->spsr32, 0, sizeof(v->spsr32));
	skvm_kept_regs_reset(v, &err);
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
	u64 pstate = skvm_vcpu_get(v, SKVM_REG_PSTATE, &err);
	u64 vbar = skvm_vcpu_get(v, SKVM_REG_SYS + SKVM_VBAR_EL1, &err);
	u64 mode = pstate & 0xf, off;

	off = mode == 0 ? VBAR_SYNC_LOWER : mode == 4 ? VBAR_SYNC_SP0 :
	      VBAR_SYNC_SPX;
	skvm_vcpu_set(v, SKVM_REG_SYS + SKVM_ESR_EL1, esr, &err);
	skvm_vcpu_set(v, SKVM_REG_SYS + SKVM_FAR_EL1, far, &err);
	skvm_vcpu_set(v, SKVM_REG_SYS + SKVM_ELR_EL1, elr, &err);
	skvm_vcpu_set(v, SKVM_REG_SYS + SKVM_SPSR_EL1, pstate, &err);
	skvm_vcpu_set(v, SKVM_REG_PC, vbar + off, &err);
	skvm_vcpu_set(v, SKVM_REG_PSTATE, PSR_RESET, &err);
	return err;
}

/* A data abort's class as the guest takes it: from EL0 or from EL1. */
static u64 dabt_ec(struct skvm_kvm_vcpu *v)
{
	int err = 0;
	u64 mode = skvm_vcpu_get(v, SKVM_REG_PSTATE, &err) & 0xf;

	return (u64)(mode ? EC_DABT_CUR : EC_DABT_LOW) << ESR_EC_SHIFT;
}

static int inject_undef(struct skvm_kvm_vcpu *v, u64 elr)
{
	return inject(v, elr, (EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL, 0);
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

/* A load's value goes to its register, extended as the load would. */
static int mmio_load_result(struct skvm_kvm_vcpu *v, u64 val)
{
	unsigned int bits = v->mmio_len * 8;
	int err = 0;

	if (v->mmio_sign_extend && bits < 64)
		val = (u64)sign_extend64(val, bits - 1);
	if (!v->mmio_reg_64bit)
		val &= U32_MAX;
	if (v->mmio_reg != 31)
		skvm_vcpu_set(v, SKVM_REG_X0 + v->mmio_reg, val, &err);
	return err;
}

/* The VMM's answer to an MMIO read goes to the register. */
static int complete_mmio_read(struct skvm_kvm_vcpu *v)
{
	u64 val = 0;

	v->mmio_read_pending = false;
	memcpy(&val, v->run->mmio.data, v->mmio_len);
	return mmio_load_result(v, val);
}

/*
 * An access the vGIC emulates, done here (a read's value in its register).
 * Return: 1 (enter the guest again), -errno, or 0 if it is not the
 * vGIC's.
 */
static int mmio_in_kernel(struct skvm_kvm_vcpu *v, const struct splitkvm_mmio *m)
{
	u64 val = m->data;

	if (!v->gic.gif ||
	    !skvm_vgic_mmio(v, m->ipa, m->size, m->is_write, &val))
		return 0;
	if (m->is_write)
		return 1;
	v->mmio_reg = m->reg;
	v->mmio_len = m->size;
	v->mmio_sign_extend = m->sign_extend;
	v->mmio_reg_64bit = m->reg_is_64bit;
	return mmio_load_result(v, val) ?: 1;
}

/* A vCPU brought up by CPU_ON starts at the entry point, x0 = context. */
static int power_on(struct skvm_kvm_vcpu *v)
{
	int err;

	mutex_lock(&v->kvm->lock);
	v->pending_on = false;
	mutex_unlock(&v->kvm->lock);
	err = reset_vcpu(v);
	skvm_vcpu_set(v, SKVM_REG_PC, v->on_pc, &err);
	skvm_vcpu_set(v, SKVM_REG_X0, v->on_ctx, &err);
	return err;
}

/*
 * Does the stage-2 fault of @e need the page writable? A data access that
 * writes (ESR_EL2.WnR). A stage-1 table walk only on a permission fault
 * (its hardware update of the access or dirty flag): its translation
 * fault is a read whatever WnR says, so that tables in a read-only slot
 * work, as under KVM.
 */
static bool write_fault(const struct splitkvm_vcpu_exit *e)
{
	if (e->raw.reason != SKVM_EXIT_DABT)
		return false;
	if (e->raw.esr & ESR_S1PTW)
		return (e->raw.esr & ESR_FSC_TYPE) == FSC_PERM;
	return e->raw.esr & ESR_WNR;
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
	/* A WFI (not a WFE): the guest waits for an interrupt. */
	v->gic.after_wfi = e->kind == SPLITKVM_EXIT_WFX &&
			   !(e->raw.access & 1);
	switch (e->kind) {
	case SPLITKVM_EXIT_IRQ:
		v->stats[SKVM_VCPU_STAT_IRQ]++;
		return 1;
	case SPLITKVM_EXIT_HVC:
	case SPLITKVM_EXIT_SMC:
		v->stats[SKVM_VCPU_STAT_HVC]++;
		return skvm_handle_hypercall(v, e->kind == SPLITKVM_EXIT_SMC);
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
		if (v->gic.gif)
			return skvm_vgic_wfi(v);
		if (!wait_event_interruptible(v->wait, READ_ONCE(v->kick)))
			v->stats[SKVM_VCPU_STAT_HALT_WAKEUP]++;
		WRITE_ONCE(v->kick, false);
		return 1;
	case SPLITKVM_EXIT_DEBUG:
		/* For the VMM's debugger: the PC is where the exception was. */
		v->run->exit_reason = KVM_EXIT_DEBUG;
		v->run->debug.arch.hsr = lower_32_bits(e->raw.esr);
		v->run->debug.arch.hsr_high = upper_32_bits(e->raw.esr);
		v->run->debug.arch.far = e->raw.far;
		v->run->flags |= KVM_DEBUG_ARCH_HSR_HIGH_VALID;
		return 0;
	case SPLITKVM_EXIT_SYSREG:
		ret = skvm_emulate_sysreg(v, e->raw.access);
		if (ret <= 0)
			return ret ?: 1;
		/* Nobody emulates it: an UNDEF, at the instruction. */
		v->stats[SKVM_VCPU_STAT_SYSREG_UNDEF]++;
		pc = skvm_vcpu_get(v, SKVM_REG_PC, &err);
		return err ? err : inject_undef(v, pc - 4) ?: 1;
	case SPLITKVM_EXIT_MMIO:
	case SPLITKVM_EXIT_FAULT:
		if (e->raw.reason != SKVM_EXIT_DABT &&
		    e->raw.reason != SKVM_EXIT_IABT)
			break;
		ret = skvm_kvm_fault_in(v->kvm, e->raw.ipa, write_fault(e),
					&ram);
		if (ret)
			return ret;
		if (ram) {
			v->stats[SKVM_VCPU_STAT_FAULT]++;
			v->vcpu->skip_insn = false;	/* retry the access */
			return 1;
		}
		if (e->kind == SPLITKVM_EXIT_MMIO && e->mmio.is_write &&
		    (skvm_ioeventfd_write(v->kvm, e->mmio.ipa, e->mmio.size,
					  e->mmio.data) ||
		     skvm_coalesced_write(v->kvm, e->mmio.ipa, e->mmio.size,
					  &e->mmio.data)))
			return 1;
		if (e->kind == SPLITKVM_EXIT_MMIO) {
			ret = mmio_in_kernel(v, &e->mmio);
			if (ret)
				return ret;
			v->stats[SKVM_VCPU_STAT_MMIO_USER]++;
			mmio_exit(v, &e->mmio);
			return 0;
		}
		pc = skvm_vcpu_get(v, SKVM_REG_PC, &err);
		if (err)
			return err;
		/*
		 * The guest's own page-table walk wrote (access flag, dirty
		 * state) where it cannot: an external abort for the guest,
		 * as KVM makes it.
		 */
		if (e->raw.reason == SKVM_EXIT_DABT && (e->raw.esr & ESR_S1PTW))
			return inject(v, pc, dabt_ec(v) | ESR_IL | FSC_EXTABT,
				      e->raw.far) ?: 1;
		/* Outside RAM without a syndrome: as KVM, ENOSYS. */
		if (e->raw.reason == SKVM_EXIT_DABT)
			return -ENOSYS;
		return inject(v, pc, (EC_IABT_CUR << ESR_EC_SHIFT) |
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
	pc = skvm_vcpu_get(v, SKVM_REG_PC, &err);
	return err ?: inject_undef(v, pc) ?: 1;
}

/*
 * One run. With a vGIC, the list registers are filled on the CPU the vCPU
 * runs on (kernel_neon_begin() keeps it there) and read back before it
 * may move; meanwhile running_cpu tells injectors where to kick it.
 */
static int run_once(struct skvm_kvm_vcpu *v)
{
	struct splitkvm_vcpu *vcpu = v->vcpu;
	int ret;

	if (!v->gic.gif)
		return splitkvm_vcpu_run(vcpu);
	if (!READ_ONCE(vcpu->vm->mapped)) {
		ret = splitkvm_vm_seal(vcpu->vm);
		if (ret)
			return ret;
	}
	kernel_neon_begin();
	WRITE_ONCE(v->running_cpu, smp_processor_id());
	/* Pairs with skvm_vgic_kick(): it sees the CPU or we see its irq. */
	smp_mb();
	skvm_vcpu_gic_flush(v);
	ret = __splitkvm_vcpu_run(vcpu);
	WRITE_ONCE(v->running_cpu, -1);
	skvm_vcpu_gic_fold(v);
	kernel_neon_end();
	return ret;
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
		skvm_steal_update(v);
		ret = run_once(v);
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
	if (!READ_ONCE(v->kvm->has_run)) {
		int err;

		mutex_lock(&v->kvm->lock);
		err = skvm_vgic_map(v->kvm) ?: skvm_id_regs_first_run(v) ?:
		      skvm_fw_sync_el2(v);
		if (!err)
			WRITE_ONCE(v->kvm->has_run, true);
		mutex_unlock(&v->kvm->lock);
		if (err)
			return err;
	}
	if (v->sigset_active)
		sigprocmask(SIG_SETMASK, &v->sigset, &current->real_blocked);
	ret = run_loop(v);
	if (v->sigset_active) {
		sigprocmask(SIG_SETMASK, &current->real_blocked, NULL);
		sigemptyset(&current->real_blocked);
	}
	return ret;
}

#define GUESTDBG_VALID	(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP | \
			 KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW)

/*
 * KVM_SET_GUEST_DEBUG: while enabled, every debug exception of the guest
 * (BRK, a step, the VMM's breakpoints and watchpoints) is the VMM's, as a
 * KVM_EXIT_DEBUG; the guest's own are held off meanwhile.
 */
static int set_guest_debug(struct skvm_kvm_vcpu *v,
			   const struct kvm_guest_debug *dbg)
{
	const struct kvm_guest_debug_arch *a = &dbg->arch;
	u64 flags = 0;
	unsigned int i;
	int err = 0;

	if (dbg->control & ~GUESTDBG_VALID)
		return -EINVAL;
	if (dbg->control & KVM_GUESTDBG_ENABLE) {
		flags = SKVM_RUN_DEBUG;
		if (dbg->control & KVM_GUESTDBG_SINGLESTEP)
			flags |= SKVM_RUN_STEP;
		if (dbg->control & KVM_GUESTDBG_USE_HW)
			flags |= SKVM_RUN_HW_BP;
	}
	for (i = 0; (flags & SKVM_RUN_HW_BP) && i < KVM_ARM_MAX_DBG_REGS; i++) {
		skvm_vcpu_set(v, SKVM_REG_XDBG(0, i), a->dbg_bvr[i], &err);
		skvm_vcpu_set(v, SKVM_REG_XDBG(1, i), a->dbg_bcr[i], &err);
		skvm_vcpu_set(v, SKVM_REG_XDBG(2, i), a->dbg_wvr[i], &err);
		skvm_vcpu_set(v, SKVM_REG_XDBG(3, i), a->dbg_wcr[i], &err);
	}
	if (!err)
		v->vcpu->debug_flags = flags;
	return err;
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
		      skvm_one_reg(v, &r, cmd == KVM_SET_ONE_REG);
		break;
	}
	case KVM_HAS_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_SET_DEVICE_ATTR:
		ret = skvm_vcpu_attr(v, cmd, uarg);
		break;
	case KVM_GET_STATS_FD:
		ret = skvm_kvm_vcpu_stats_fd(v);
		break;
	case KVM_SET_SIGNAL_MASK:
		ret = set_signal_mask(v, uarg);
		break;
	case KVM_SET_GUEST_DEBUG: {
		struct kvm_guest_debug dbg;

		ret = copy_from_user(&dbg, uarg, sizeof(dbg)) ? -EFAULT :
		      set_guest_debug(v, &dbg);
		break;
	}
	case KVM_GET_REG_LIST:
		ret = v->inited ? skvm_get_reg_list(v, uarg) : -ENOEXEC;
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

	if (vmf->pgoff == 0)
		vmf->page = virt_to_page(v->run);
	else if (vmf->pgoff == SKVM_COALESCED_PAGE)
		vmf->page = virt_to_page(v->kvm->coalesced_ring);
	else
		return VM_FAULT_SIGBUS;
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
	v->pvtime_ipa = ~0ULL;
	v->running_cpu = -1;
	skvm_timer_vcpu_init(v);
	mutex_lock(&kvm->lock);
	fd = -EEXIST;
	if (kvm->vcpus[id])
		goto out_unlock;
	/* The vGIC is sized for the vCPUs it had at init (as KVM). */
	fd = -EBUSY;
	if (kvm->vgic.ready)
		goto out_unlock;
	v->vcpu = splitkvm_vcpu_create(kvm->vm, id);
	fd = PTR_ERR_OR_ZERO(v->vcpu);
	if (fd)
		goto out_unlock;
	/* Its EL2 vCPU stays until the VM goes, as a failed fd's does. */
	if (skvm_vgic_vcpu_init(v))
		pr_warn_once("splitkvm: vCPU %lu without its vGIC interface\n",
			     id);
	v->idx = kvm->nr_vcpus;
	kvm->by_idx[v->idx] = v;
	kvm->nr_vcpus++;
	/* Set before any vCPU was: the first one takes it to EL2. */
	if (skvm_counter_offset_sync(v))
		pr_warn_once("counter offset not set at EL2\n");
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
		skvm_timer_vcpu_destroy(v);
		free_page((unsigned long)v->run);
		kfree(v);
	}
}
