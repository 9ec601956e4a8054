// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_IOEVENTFD on the MMIO bus: a guest write of the registered length
 * (any length, for length 0) at the registered address, with the
 * registered value if the VMM asked for a match, signals an eventfd and
 * goes straight back into the guest instead of exiting to the VMM (the
 * virtio queue notify path). No PIO bus on arm64.
 */
#include <linux/eventfd.h>
#include <linux/slab.h>
#include "kvm.h"

#define IOEVENTFD_VALID_FLAGS	(KVM_IOEVENTFD_FLAG_DATAMATCH | \
				 KVM_IOEVENTFD_FLAG_DEASSIGN)

struct skvm_ioeventfd {
	struct list_head list;
	struct eventfd_ctx *ctx;
	u64 addr;
	u64 datamatch;
	u32 len;		/* 0: any length */
	bool wildcard;		/* no DATAMATCH */
};

void skvm_ioeventfd_init(struct skvm_kvm *kvm)
{
	INIT_LIST_HEAD(&kvm->ioeventfds);
	spin_lock_init(&kvm->ioeventfd_lock);
}

void skvm_ioeventfd_free(struct skvm_kvm *kvm)
{
	struct skvm_ioeventfd *p, *tmp;

	list_for_each_entry_safe(p, tmp, &kvm->ioeventfds, list) {
		eventfd_ctx_put(p->ctx);
		kfree(p);
	}
}

/* The same registration: address, length and match (KVM's "collision"). */
static bool same(const struct skvm_ioeventfd *p, u64 addr, u32 len,
		 bool wildcard, u64 datamatch)
{
	return p->addr == addr && p->len == len &&
	       (p->wildcard || wildcard || p->datamatch == datamatch);
}

long skvm_ioeventfd(struct skvm_kvm *kvm, const struct kvm_ioeventfd *args)
{
	bool wildcard = !(args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	struct skvm_ioeventfd *p, *tmp, *found = NULL;
	struct eventfd_ctx *ctx;
	int ret = 0;

	if (args->flags & ~IOEVENTFD_VALID_FLAGS)
		return -EINVAL;
	switch (args->len) {
	case 0:
		if (!wildcard)
			return -EINVAL;	/* no value to match */
		break;
	case 1:
	case 2:
	case 4:
	case 8:
		break;
	default:
		return -EINVAL;
	}
	if (args->addr + args->len < args->addr)
		return -EINVAL;
	ctx = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	if (args->flags & KVM_IOEVENTFD_FLAG_DEASSIGN) {
		spin_lock(&kvm->ioeventfd_lock);
		list_for_each_entry_safe(p, tmp, &kvm->ioeventfds, list) {
			if (p->ctx != ctx || p->addr != args->addr ||
			    p->len != args->len || p->wildcard != wildcard ||
			    (!wildcard && p->datamatch != args->datamatch))
				continue;
			list_del(&p->list);
			found = p;
			break;
		}
		spin_unlock(&kvm->ioeventfd_lock);
		eventfd_ctx_put(ctx);
		if (!found)
			return -ENOENT;
		eventfd_ctx_put(found->ctx);
		kfree(found);
		return 0;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p) {
		eventfd_ctx_put(ctx);
		return -ENOMEM;
	}
	p->ctx = ctx;
	p->addr = args->addr;
	p->len = args->len;
	p->wildcard = wildcard;
	p->datamatch = args->datamatch;
	spin_lock(&kvm->ioeventfd_lock);
	list_for_each_entry(tmp, &kvm->ioeventfds, list)
		if (same(tmp, p->addr, p->len, wildcard, p->datamatch))
			ret = -EEXIST;
	if (!ret)
		list_add_tail(&p->list, &kvm->ioeventfds);
	spin_unlock(&kvm->ioeventfd_lock);
	if (ret) {
		eventfd_ctx_put(ctx);
		kfree(p);
	}
	return ret;
}

/* A guest MMIO write: true if an ioeventfd took it (and was signalled). */
bool skvm_ioeventfd_write(struct skvm_kvm *kvm, u64 addr, u32 len, u64 val)
{
	struct skvm_ioeventfd *p;
	bool hit = false;

	if (list_empty(&kvm->ioeventfds))
		return false;
	spin_lock(&kvm->ioeventfd_lock);
	list_for_each_entry(p, &kvm->ioeventfds, list) {
		if (p->addr != addr || (p->len && p->len != len))
			continue;
		if (!p->wildcard &&
		    p->datamatch != (len == 8 ? val : val & GENMASK_ULL(len * 8 - 1, 0)))
			continue;
		eventfd_signal(p->ctx);
		hit = true;
		break;
	}
	spin_unlock(&kvm->ioeventfd_lock);
	return hit;
}
