// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/kvm: the system file descriptor of the KVM API (Linux 6.12 uapi, no
 * new ABI), as a misc device at KVM's fixed minor so devtmpfs and udev
 * create the usual node.
 */
#define pr_fmt(fmt) "splitkvm: " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <asm/cpufeature.h>
#include <linux/module.h>
#include "kvm.h"

/*
 * What is implemented, with KVM's meaning of each answer; everything else
 * answers 0. A capability answered here works.
 */
long skvm_kvm_check_extension(struct skvm_kvm *kvm, long cap)
{
	switch (cap) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_USER_MEMORY2:
	case KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
	case KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
	case KVM_CAP_ONE_REG:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_ARM_PSCI:
	case KVM_CAP_ARM_PSCI_0_2:
	case KVM_CAP_CHECK_EXTENSION_VM:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_ARM_SYSTEM_SUSPEND:
	case KVM_CAP_BINARY_STATS_FD:
	case KVM_CAP_READONLY_MEM:
	case KVM_CAP_SYNC_MMU:
		return 1;
	case KVM_CAP_SET_GUEST_DEBUG:
	case KVM_CAP_COUNTER_OFFSET:
		return 1;
	case KVM_CAP_SET_GUEST_DEBUG2:
		return KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP |
		       KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW;
	case KVM_CAP_GUEST_DEBUG_HW_BPS:
		return 1 + cpuid_feature_extract_unsigned_field(
			read_sanitised_ftr_reg(SYS_ID_AA64DFR0_EL1),
			ID_AA64DFR0_EL1_BRPs_SHIFT);
	case KVM_CAP_GUEST_DEBUG_HW_WPS:
		return 1 + cpuid_feature_extract_unsigned_field(
			read_sanitised_ftr_reg(SYS_ID_AA64DFR0_EL1),
			ID_AA64DFR0_EL1_WRPs_SHIFT);
	case KVM_CAP_NR_MEMSLOTS:
		return SKVM_KVM_MEMSLOTS;
	case KVM_CAP_NR_VCPUS:
		return min_t(unsigned int, num_online_cpus(), SKVM_MAX_VCPUS);
	case KVM_CAP_MAX_VCPUS:
	case KVM_CAP_MAX_VCPU_ID:
		return SKVM_MAX_VCPUS;
	case KVM_CAP_ARM_VM_IPA_SIZE:
		return SKVM_KVM_MAX_IPA_BITS;
	case KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES:
		return BIT(KVM_ARM_FEATURE_ID_RANGE);
	case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2:
		return SKVM_DIRTY_LOG_MANUAL_CAPS;
	case KVM_CAP_COALESCED_MMIO:
		return SKVM_COALESCED_PAGE;
	case KVM_CAP_STEAL_TIME:
		return !!skvm_fw_bmap_offered(1);
	case KVM_CAP_DEVICE_CTRL:
	case KVM_CAP_ARM_IRQ_LINE_LAYOUT_2:
	case KVM_CAP_IRQFD:
	case KVM_CAP_IRQFD_RESAMPLE:
	case KVM_CAP_IOEVENTFD:
	case KVM_CAP_IOEVENTFD_NO_LENGTH:
	case KVM_CAP_IOEVENTFD_ANY_LENGTH:
		return 1;
	case KVM_CAP_IRQ_ROUTING:
		return 4096;		/* KVM_MAX_IRQ_ROUTES */
	case KVM_CAP_IRQCHIP:
		/* A vGICv3 can be created (KVM: "vgic_present"). */
		return splitkvm_has_gicv3() && skvm_vgic_host_ready();
	}
	return 0;
}

static long kvm_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	switch (cmd) {
	case KVM_GET_API_VERSION:
		return arg ? -EINVAL : KVM_API_VERSION;
	case KVM_CHECK_EXTENSION:
		return skvm_kvm_check_extension(NULL, arg);
	case KVM_CREATE_VM:
		return skvm_kvm_create_vm(arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		/* kvm_run, then the coalesced MMIO ring. */
		return arg ? -EINVAL : (SKVM_COALESCED_PAGE + 1) * PAGE_SIZE;
	}
	return -EINVAL;
}

static const struct file_operations kvm_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = kvm_dev_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice kvm_dev = {
	.minor = KVM_MINOR,
	.name = "kvm",
	.fops = &kvm_dev_fops,
};

int skvm_kvm_dev_init(void)
{
	int ret = skvm_vgic_host_init();

	if (ret)
		return ret;
	ret = misc_register(&kvm_dev);
	if (ret) {
		skvm_vgic_host_exit();
		pr_err("cannot register /dev/kvm (misc minor %d): %d; is KVM or another hypervisor module loaded?\n",
		       KVM_MINOR, ret);
	}
	return ret;
}

void skvm_kvm_dev_exit(void)
{
	misc_deregister(&kvm_dev);
	skvm_vgic_host_exit();
}
