// SPDX-License-Identifier: GPL-2.0-only
/*
 * The arch timers as the KVM API shows them: the vCPU attributes of
 * KVM_ARM_VCPU_TIMER_CTRL, the PPI each timer interrupts on. They are the
 * VM's (KVM keeps one set for all its vCPUs). Until the VM has an
 * in-kernel interrupt controller they can only be read: a set is refused
 * with EINVAL, as KVM refuses it without a vGIC.
 */
#include <linux/kvm.h>
#include <linux/uaccess.h>
#include "kvm.h"

/* KVM's defaults, by attribute (vtimer, ptimer, hvtimer, hptimer). */
static const u32 default_ppi[SKVM_NR_TIMERS] = { 27, 30, 28, 26 };

void skvm_timer_init(struct skvm_kvm *kvm)
{
	memcpy(kvm->timer_ppi, default_ppi, sizeof(kvm->timer_ppi));
}

long skvm_timer_attr(struct skvm_kvm_vcpu *v, unsigned int cmd,
		     const struct kvm_device_attr *attr)
{
	int __user *uval = (int __user *)(unsigned long)attr->addr;

	if (attr->attr >= SKVM_NR_TIMERS)
		return -ENXIO;
	switch (cmd) {
	case KVM_HAS_DEVICE_ATTR:
		return 0;
	case KVM_GET_DEVICE_ATTR:
		return put_user((int)READ_ONCE(v->kvm->timer_ppi[attr->attr]),
				uval);
	}
	return -EINVAL;		/* no in-kernel irqchip yet */
}
