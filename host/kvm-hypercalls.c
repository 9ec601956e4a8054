// SPDX-License-Identifier: GPL-2.0-only
/*
 * The firmware a KVM-API guest calls over HVC or SMC, in the host kernel:
 * PSCI 0.2 to 1.1, SMCCC 1.1 (ARCH_FEATURES and the workarounds), the
 * TRNG 1.0 interface, PV time (stolen time, DEN0057A), and KVM's vendor
 * hypervisor services (its UID, feature bitmap and PTP), with the VM's
 * firmware bitmaps deciding which of the optional ones a guest has.
 */
#include <linux/arm-smccc.h>
#include <linux/clocksource_ids.h>
#include <linux/kernel.h>
#include <linux/psci.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <uapi/linux/psci.h>
#include <asm/arch_timer.h>
#include "kvm.h"

#define TRNG_VERSION_1_0	0x10000
#define TRNG_INVALID_PARAMETER	-2L
#define TRNG_RND32_MAX_BITS	96
#define TRNG_RND64_MAX_BITS	192
/* splitkvm's TRNG implementation: 6b10e985-506f-40d8-80ad-0d998b732f5b. */
static const u32 trng_uuid[4] = {
	0x6b10e985, 0x506f40d8, 0x80ad0d99, 0x8b732f5b,
};

/* The stolen-time record (DEN0057A), little-endian, 64-byte aligned. */
struct pvtime_record {
	__le32 revision;
	__le32 attributes;
	__le64 stolen_time;
	u8 padding[48];
};

#define STD_TRNG	BIT(KVM_REG_ARM_STD_BIT_TRNG_V1_0)
#define STD_HYP_PVTIME	BIT(KVM_REG_ARM_STD_HYP_BIT_PV_TIME)
#define VENDOR_FEAT	BIT(KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT)
#define VENDOR_PTP	BIT(KVM_REG_ARM_VENDOR_HYP_BIT_PTP)

/* PV time needs the scheduler's run_delay (CONFIG_SCHED_INFO). */
static bool pvtime_supported(void)
{
	return IS_ENABLED(CONFIG_SCHED_INFO);
}

/* What bitmap @bmap may hold: the services implemented here. */
u64 skvm_fw_bmap_offered(unsigned int bmap)
{
	switch (bmap) {
	case 0:
		return STD_TRNG;
	case 1:
		return pvtime_supported() ? STD_HYP_PVTIME : 0;
	default:
		return VENDOR_FEAT | VENDOR_PTP;
	}
}

/* A new VM: PSCI 1.1 and every service, as KVM starts them. */
void skvm_fw_init(struct skvm_kvm *kvm)
{
	unsigned int i;

	kvm->psci_version = SKVM_PSCI_1_1;
	for (i = 0; i < SKVM_FW_NR_BMAPS; i++)
		kvm->fw_bmap[i] = skvm_fw_bmap_offered(i);
}

static bool has(struct skvm_kvm_vcpu *v, unsigned int bmap, u64 bit)
{
	return READ_ONCE(v->kvm->fw_bmap[bmap]) & bit;
}

static void system_event(struct kvm_run *run, u32 type, u64 data)
{
	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = type;
	run->system_event.ndata = 1;
	run->system_event.data[0] = data;
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

	for (i = 0; i < SKVM_MAX_VCPUS; i++) {
		struct skvm_kvm_vcpu *o = READ_ONCE(v->kvm->vcpus[i]);

		if (o && o != v && !READ_ONCE(o->power_off))
			return PSCI_RET_DENIED;
	}
	system_event(v->run, KVM_SYSTEM_EVENT_SUSPEND, 0);
	return 0;
}

/* The PSCI functions of the VM's version (and SMCCC_VERSION, for FEATURES). */
static bool psci_implemented(struct skvm_kvm_vcpu *v, u32 fn)
{
	u32 ver = READ_ONCE(v->kvm->psci_version);

	switch (fn) {
	case PSCI_1_0_FN_SYSTEM_SUSPEND:
	case PSCI_1_0_FN64_SYSTEM_SUSPEND:
		return ver >= SKVM_PSCI_1_0 &&
		       READ_ONCE(v->kvm->system_suspend);
	case PSCI_1_1_FN_SYSTEM_RESET2:
	case PSCI_1_1_FN64_SYSTEM_RESET2:
		return ver >= SKVM_PSCI_1_1;
	case PSCI_1_0_FN_PSCI_FEATURES:
	case ARM_SMCCC_VERSION_FUNC_ID:
		return ver >= SKVM_PSCI_1_0;
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
		return true;
	}
	return false;
}

/*
 * PSCI. Return: 1 to enter the guest again with x0 = *ret, 0 with a system
 * event for the VMM.
 */
static int psci_call(struct skvm_kvm_vcpu *v, const u64 *x, long *ret)
{
	u32 fn = x[0];

	if (!psci_implemented(v, fn))
		return 1;
	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
		*ret = READ_ONCE(v->kvm->psci_version);
		break;
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
		*ret = PSCI_RET_SUCCESS;	/* a WFI that returns at once */
		break;
	case PSCI_0_2_FN_CPU_OFF:
		WRITE_ONCE(v->power_off, true);
		*ret = PSCI_RET_SUCCESS;
		break;
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
		*ret = psci_cpu_on(v, x[1], x[2], x[3]);
		break;
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
		*ret = psci_affinity_info(v, x[1], x[2]);
		break;
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		*ret = PSCI_0_2_TOS_MP;
		break;
	case PSCI_0_2_FN_SYSTEM_OFF:
		system_event(v->run, KVM_SYSTEM_EVENT_SHUTDOWN, 0);
		return 0;
	case PSCI_0_2_FN_SYSTEM_RESET:
		system_event(v->run, KVM_SYSTEM_EVENT_RESET, 0);
		return 0;
	case PSCI_1_1_FN_SYSTEM_RESET2:
	case PSCI_1_1_FN64_SYSTEM_RESET2:
		/* A warm reset, or a vendor-specific one the VMM knows. */
		if (x[1] != PSCI_1_1_RESET_TYPE_SYSTEM_WARM_RESET &&
		    !(x[1] & PSCI_1_1_RESET_TYPE_VENDOR_START)) {
			*ret = PSCI_RET_INVALID_PARAMS;
			break;
		}
		system_event(v->run, KVM_SYSTEM_EVENT_RESET,
			     KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2);
		return 0;
	case PSCI_1_0_FN_PSCI_FEATURES:
		*ret = psci_implemented(v, x[1]) ? 0 : PSCI_RET_NOT_SUPPORTED;
		break;
	case PSCI_1_0_FN_SYSTEM_SUSPEND:
	case PSCI_1_0_FN64_SYSTEM_SUSPEND:
		*ret = psci_system_suspend(v);
		if (!*ret)
			return 0;
		break;
	}
	return 1;
}

/* SMCCC_ARCH_FEATURES(@fn), SMCCC 1.1 section 7.3. */
static long arch_features(struct skvm_kvm_vcpu *v, u32 fn)
{
	enum splitkvm_wa_state wa;

	switch (fn) {
	case ARM_SMCCC_ARCH_WORKAROUND_1:
	case ARM_SMCCC_ARCH_WORKAROUND_3:
		wa = splitkvm_guest_wa_state(fn);
		return wa == SPLITKVM_WA_MITIGATED ? SMCCC_RET_SUCCESS :
		       wa == SPLITKVM_WA_UNAFFECTED ?
		       SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED :
		       SMCCC_RET_NOT_SUPPORTED;
	case ARM_SMCCC_ARCH_WORKAROUND_2:
		return splitkvm_guest_wa_state(fn) == SPLITKVM_WA_UNAFFECTED ?
		       SMCCC_RET_NOT_REQUIRED : SMCCC_RET_NOT_SUPPORTED;
	case ARM_SMCCC_HV_PV_TIME_FEATURES:
		return has(v, 1, STD_HYP_PVTIME) ? SMCCC_RET_SUCCESS :
						   SMCCC_RET_NOT_SUPPORTED;
	}
	return SMCCC_RET_NOT_SUPPORTED;
}

/* TRNG_RND32/RND64: @bits of entropy, right-aligned in x1..x3. */
static void trng_rnd(u64 bits, bool is64, u64 *res)
{
	unsigned int width = is64 ? 64 : 32, i;
	u64 max = is64 ? TRNG_RND64_MAX_BITS : TRNG_RND32_MAX_BITS;
	u64 r[3] = { 0 };

	if (!bits || bits > max) {
		res[0] = TRNG_INVALID_PARAMETER;
		return;
	}
	get_random_bytes(r, sizeof(r));
	/* x3 holds the lowest bits; a register holds @width of them. */
	for (i = 0; i < 3; i++) {
		u64 lo = (2 - i) * width, n;

		n = bits > lo ? min_t(u64, bits - lo, width) : 0;
		res[1 + i] = n ? r[i] & GENMASK_ULL(n - 1, 0) : 0;
	}
	res[0] = 0;
}

static long trng_call(u32 fn, u64 arg, u64 *res)
{
	switch (fn) {
	case ARM_SMCCC_TRNG_VERSION:
		return TRNG_VERSION_1_0;
	case ARM_SMCCC_TRNG_FEATURES:
		switch ((u32)arg) {
		case ARM_SMCCC_TRNG_VERSION:
		case ARM_SMCCC_TRNG_FEATURES:
		case ARM_SMCCC_TRNG_GET_UUID:
		case ARM_SMCCC_TRNG_RND32:
		case ARM_SMCCC_TRNG_RND64:
			return 0;
		}
		return SMCCC_RET_NOT_SUPPORTED;
	case ARM_SMCCC_TRNG_GET_UUID:
		res[1] = trng_uuid[1];
		res[2] = trng_uuid[2];
		res[3] = trng_uuid[3];
		return trng_uuid[0];
	default:
		trng_rnd(arg, fn == ARM_SMCCC_TRNG_RND64, res);
		return res[0];
	}
}

/* PTP_KVM: the host's real time and the guest's counter at one instant. */
static long ptp_call(struct skvm_kvm_vcpu *v, u64 which, u64 *res)
{
	struct system_time_snapshot snap;
	u64 cycles, off;
	int err = 0;

	ktime_get_snapshot(&snap);
	if (snap.cs_id != CSID_ARM_ARCH_COUNTER)
		return SMCCC_RET_NOT_SUPPORTED;
	if (which == KVM_PTP_VIRT_COUNTER) {
		off = skvm_vcpu_get(v, SKVM_REG_CNTVOFF, &err);
		if (err)
			return SMCCC_RET_NOT_SUPPORTED;
		cycles = snap.cycles - off;
	} else if (which == KVM_PTP_PHYS_COUNTER) {
		cycles = snap.cycles;
	} else {
		return SMCCC_RET_NOT_SUPPORTED;
	}
	res[1] = lower_32_bits(snap.real);
	res[2] = upper_32_bits(cycles);
	res[3] = lower_32_bits(cycles);
	return upper_32_bits(snap.real);
}

/*
 * Write the vCPU's stolen-time record: zeroes on PV_TIME_ST, then the time
 * the vCPU thread waited for a CPU (run_delay) since.
 */
static int steal_write(struct skvm_kvm_vcpu *v, bool init)
{
	struct pvtime_record __user *rec;
	u64 now = 0, stolen;
	int ret = -EFAULT;

#ifdef CONFIG_SCHED_INFO
	now = READ_ONCE(current->sched_info.run_delay);
#endif
	mutex_lock(&v->kvm->lock);
	rec = (void __user *)skvm_kvm_gpa_uaddr(v->kvm, v->pvtime_ipa,
						sizeof(*rec));
	if (!rec)
		goto out;
	if (init) {
		if (clear_user(rec, sizeof(*rec)))
			goto out;
	} else {
		if (get_user(stolen, (u64 __user *)&rec->stolen_time))
			goto out;
		stolen = le64_to_cpu((__force __le64)stolen) + now -
			 v->last_steal;
		if (put_user((__force u64)cpu_to_le64(stolen),
			     (u64 __user *)&rec->stolen_time))
			goto out;
	}
	v->last_steal = now;
	ret = 0;
out:
	mutex_unlock(&v->kvm->lock);
	return ret;
}

/* Before an entry: account the time the vCPU thread was runnable, waiting. */
void skvm_steal_update(struct skvm_kvm_vcpu *v)
{
#ifdef CONFIG_SCHED_INFO
	if (v->pvtime_ipa != ~0ULL && v->steal_on &&
	    READ_ONCE(current->sched_info.run_delay) != v->last_steal)
		steal_write(v, false);
#endif
}

static long pvtime_call(struct skvm_kvm_vcpu *v, u32 fn, u64 arg)
{
	if (fn == ARM_SMCCC_HV_PV_TIME_FEATURES)
		return arg == ARM_SMCCC_HV_PV_TIME_FEATURES ||
		       arg == ARM_SMCCC_HV_PV_TIME_ST ? SMCCC_RET_SUCCESS :
							SMCCC_RET_NOT_SUPPORTED;
	if (v->pvtime_ipa == ~0ULL || steal_write(v, true))
		return SMCCC_RET_NOT_SUPPORTED;
	v->steal_on = true;
	return v->pvtime_ipa;
}

static long vendor_call(struct skvm_kvm_vcpu *v, u32 fn, u64 arg, u64 *res)
{
	switch (fn) {
	case ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID:
		/* The services are KVM's (ABI and ids), so is the UID. */
		res[1] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1;
		res[2] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2;
		res[3] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3;
		return ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0;
	case ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID:
		return BIT(ARM_SMCCC_KVM_FUNC_FEATURES) |
		       (has(v, 2, VENDOR_PTP) ? BIT(ARM_SMCCC_KVM_FUNC_PTP) : 0);
	default:
		return ptp_call(v, arg, res);
	}
}

/* Which bitmap bit a function needs, if it is an optional service. */
static bool allowed(struct skvm_kvm_vcpu *v, u32 fn)
{
	switch (fn) {
	case ARM_SMCCC_TRNG_VERSION:
	case ARM_SMCCC_TRNG_FEATURES:
	case ARM_SMCCC_TRNG_GET_UUID:
	case ARM_SMCCC_TRNG_RND32:
	case ARM_SMCCC_TRNG_RND64:
		return has(v, 0, STD_TRNG);
	case ARM_SMCCC_HV_PV_TIME_FEATURES:
	case ARM_SMCCC_HV_PV_TIME_ST:
		return has(v, 1, STD_HYP_PVTIME);
	case ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID:
	case ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID:
		return has(v, 2, VENDOR_FEAT);
	case ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID:
		return has(v, 2, VENDOR_PTP);
	}
	return true;
}

/*
 * The SMCCC filter (KVM_ARM_VM_SMCCC_FILTER): ranges of function ids the
 * VMM denies or takes for itself (KVM_EXIT_HYPERCALL), taking precedence
 * over the firmware bitmaps. The architecture's own ranges are always the
 * kernel's. Fixed once the VM has run, so the run path reads it
 * without a lock.
 */
#define SMC32_ARCH_FIRST	ARM_SMCCC_VERSION_FUNC_ID
#define SMC32_ARCH_LAST		ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, \
						   ARM_SMCCC_SMC_32, 0, 0xffff)
#define SMC64_ARCH_FIRST	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, \
						   ARM_SMCCC_SMC_64, 0, 0)
#define SMC64_ARCH_LAST		ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, \
						   ARM_SMCCC_SMC_64, 0, 0xffff)

static bool overlaps(u32 a0, u32 a1, u32 b0, u32 b1)
{
	return a0 <= b1 && b0 <= a1;
}

static int set_filter(struct skvm_kvm *kvm, const struct kvm_smccc_filter *f)
{
	struct skvm_smccc_range *r;
	u32 last = f->base + f->nr_functions - 1;
	unsigned int i;
	int ret = 0;

	if (memchr_inv(f->pad, 0, sizeof(f->pad)) || !f->nr_functions ||
	    last < f->base || f->action > KVM_SMCCC_FILTER_FWD_TO_USER)
		return -EINVAL;
	mutex_lock(&kvm->lock);
	if (kvm->has_run) {
		ret = -EBUSY;
		goto out;
	}
	ret = -EEXIST;
	if (overlaps(f->base, last, SMC32_ARCH_FIRST, SMC32_ARCH_LAST) ||
	    overlaps(f->base, last, SMC64_ARCH_FIRST, SMC64_ARCH_LAST))
		goto out;
	for (i = 0; i < kvm->nr_filter; i++)
		if (overlaps(f->base, last, kvm->filter[i].first,
			     kvm->filter[i].last))
			goto out;
	ret = -ENOSPC;
	if (kvm->nr_filter == SKVM_SMCCC_FILTER_MAX)
		goto out;
	ret = -ENOMEM;
	r = krealloc_array(kvm->filter, kvm->nr_filter + 1, sizeof(*r),
			   GFP_KERNEL_ACCOUNT);
	if (!r)
		goto out;
	r[kvm->nr_filter++] = (struct skvm_smccc_range){
		.first = f->base, .last = last, .action = f->action,
	};
	kvm->filter = r;
	ret = 0;
out:
	mutex_unlock(&kvm->lock);
	return ret;
}

static u8 filter_action(struct skvm_kvm *kvm, u32 fn)
{
	unsigned int i;

	for (i = 0; i < kvm->nr_filter; i++)
		if (fn >= kvm->filter[i].first && fn <= kvm->filter[i].last)
			return kvm->filter[i].action;
	return KVM_SMCCC_FILTER_HANDLE;
}

/*
 * Let EL2 answer PSCI_VERSION and SMCCC_VERSION for this VM (a world switch
 * less per call), unless the VMM's filter takes PSCI_VERSION. Once the VM
 * has run (the filter is fixed then), and again when the version changes.
 */
int skvm_fw_sync_el2(struct skvm_kvm_vcpu *v)
{
	struct skvm_kvm *kvm = v->kvm;
	int err = 0;

	lockdep_assert_held(&kvm->lock);
	skvm_vcpu_set(v, SKVM_REG_PSCI_VERSION,
		      filter_action(kvm, PSCI_0_2_FN_PSCI_VERSION) ==
		      KVM_SMCCC_FILTER_HANDLE ? kvm->psci_version : 0, &err);
	return err;
}

/* VM device attributes: KVM_ARM_VM_SMCCC_CTRL / KVM_ARM_VM_SMCCC_FILTER. */
long skvm_vm_attr(struct skvm_kvm *kvm, unsigned int cmd, void __user *uarg)
{
	struct kvm_smccc_filter f;
	struct kvm_device_attr attr;

	if (copy_from_user(&attr, uarg, sizeof(attr)))
		return -EFAULT;
	if (attr.group != KVM_ARM_VM_SMCCC_CTRL ||
	    attr.attr != KVM_ARM_VM_SMCCC_FILTER)
		return -ENXIO;
	if (cmd == KVM_HAS_DEVICE_ATTR)
		return 0;
	if (cmd != KVM_SET_DEVICE_ATTR)
		return -EINVAL;
	if (copy_from_user(&f, u64_to_user_ptr(attr.addr), sizeof(f)))
		return -EFAULT;
	return set_filter(kvm, &f);
}

/*
 * A guest HVC or SMC. Return: 1 to enter the guest again, 0 with a system
 * event or a hypercall for the VMM, or -errno.
 */
int skvm_handle_hypercall(struct skvm_kvm_vcpu *v, bool smc)
{
	u64 x[4], res[4] = { 0 };
	long ret = SMCCC_RET_NOT_SUPPORTED;
	int err = 0, i, nres = 1;
	u32 fn;

	for (i = 0; i < 4; i++)
		x[i] = skvm_vcpu_get(v, SKVM_REG_X0 + i, &err);
	if (err)
		return err;
	fn = x[0];
	switch (filter_action(v->kvm, fn)) {
	case KVM_SMCCC_FILTER_DENY:
		goto out;
	case KVM_SMCCC_FILTER_FWD_TO_USER:
		/* The VMM answers in x0..x3 (ONE_REG); the call is done. */
		v->run->exit_reason = KVM_EXIT_HYPERCALL;
		memset(&v->run->hypercall, 0, sizeof(v->run->hypercall));
		v->run->hypercall.nr = fn;
		v->run->hypercall.flags = smc ? KVM_HYPERCALL_EXIT_SMC : 0;
		return 0;
	}
	if (!allowed(v, fn))
		goto out;
	switch (fn) {
	case ARM_SMCCC_VERSION_FUNC_ID:
		ret = ARM_SMCCC_VERSION_1_1;
		break;
	case ARM_SMCCC_ARCH_FEATURES_FUNC_ID:
		ret = arch_features(v, x[1]);
		break;
	case ARM_SMCCC_ARCH_WORKAROUND_1:
	case ARM_SMCCC_ARCH_WORKAROUND_2:
	case ARM_SMCCC_ARCH_WORKAROUND_3:
		/* Done on the way out of the guest, if at all (see above). */
		ret = SMCCC_RET_SUCCESS;
		break;
	case ARM_SMCCC_TRNG_VERSION:
	case ARM_SMCCC_TRNG_FEATURES:
	case ARM_SMCCC_TRNG_GET_UUID:
	case ARM_SMCCC_TRNG_RND32:
	case ARM_SMCCC_TRNG_RND64:
		ret = trng_call(fn, x[1], res);
		nres = 4;
		break;
	case ARM_SMCCC_HV_PV_TIME_FEATURES:
	case ARM_SMCCC_HV_PV_TIME_ST:
		ret = pvtime_call(v, fn, x[1]);
		break;
	case ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID:
	case ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID:
	case ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID:
		ret = vendor_call(v, fn, x[1], res);
		nres = 4;
		break;
	default:
		if (!psci_call(v, x, &ret))
			return 0;
	}
out:
	res[0] = ret;
	for (i = 0; i < nres; i++)
		skvm_vcpu_set(v, SKVM_REG_X0 + i, res[i], &err);
	return err ? err : 1;
}

/*
 * vCPU device attributes: KVM_ARM_VCPU_PVTIME_CTRL / KVM_ARM_VCPU_PVTIME_IPA,
 * the IPA of the vCPU's stolen-time record (64-byte aligned, in a memslot,
 * set once), and the timers' (kvm-timer.c). PMU attributes are not
 * offered.
 */
long skvm_vcpu_attr(struct skvm_kvm_vcpu *v, unsigned int cmd,
		    void __user *uarg)
{
	struct kvm_device_attr attr;
	u64 __user *uval;
	u64 ipa;
	long ret;

	if (copy_from_user(&attr, uarg, sizeof(attr)))
		return -EFAULT;
	if (attr.group == KVM_ARM_VCPU_TIMER_CTRL)
		return skvm_timer_attr(v, cmd, &attr);
	if (attr.group != KVM_ARM_VCPU_PVTIME_CTRL ||
	    attr.attr != KVM_ARM_VCPU_PVTIME_IPA || !pvtime_supported())
		return -ENXIO;
	uval = (u64 __user *)(unsigned long)attr.addr;
	switch (cmd) {
	case KVM_HAS_DEVICE_ATTR:
		return 0;
	case KVM_GET_DEVICE_ATTR:
		if (v->pvtime_ipa == ~0ULL)
			return -ENXIO;
		return put_user(v->pvtime_ipa, uval);
	}
	if (get_user(ipa, uval))
		return -EFAULT;
	if (!IS_ALIGNED(ipa, 64))
		return -EINVAL;
	if (v->pvtime_ipa != ~0ULL)
		return -EEXIST;
	mutex_lock(&v->kvm->lock);
	ret = skvm_kvm_gpa_uaddr(v->kvm, ipa, sizeof(struct pvtime_record)) ?
	      0 : -EINVAL;
	mutex_unlock(&v->kvm->lock);
	if (!ret)
		v->pvtime_ipa = ipa;
	return ret;
}
