// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM API VM file descriptors: memslots with KVM's checks and errnos,
 * vCPU creation, and guest RAM mapped on demand from the VMM's memory.
 *
 * Guest RAM is the VMM's own anonymous (or shared) memory. A page is
 * pinned and mapped for the guest at its first stage-2 fault; it stays
 * pinned until its slot changes or the VM is gone, when it leaves the
 * guest's stage 2 first. The VMM keeps its access (the VM is created
 * with SKVM_VM_SHARED_MEM).
 */
#define pr_fmt(fmt) "splitkvm: " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "kvm.h"

static void kvm_release_all(struct kref *ref)
{
	struct skvm_kvm *kvm = container_of(ref, struct skvm_kvm, ref);
	unsigned long gfn;
	struct page *page;

	/* Pages EL2 did not give back must stay pinned: leak them. */
	if (!splitkvm_vm_destroy(kvm->vm)) {
		xa_for_each(&kvm->pins, gfn, page)
			unpin_user_page(page);
	}
	xa_destroy(&kvm->pins);
	skvm_kvm_free_vcpus(kvm);
	mmdrop(kvm->mm);
	kfree(kvm);
}

void skvm_kvm_put(struct skvm_kvm *kvm)
{
	kref_put(&kvm->ref, kvm_release_all);
}

static const struct skvm_memslot *slot_of(struct skvm_kvm *kvm, u64 ipa)
{
	unsigned int i;

	for (i = 0; i < SKVM_KVM_MEMSLOTS; i++) {
		const struct skvm_memslot *s = &kvm->slots[i];

		if (s->size && ipa >= s->gpa && ipa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

/*
 * A write to a page of a logging slot: it is dirty now, and the guest may
 * write it until the next KVM_GET_DIRTY_LOG.
 */
static void mark_dirty(const struct skvm_memslot *s, u64 ipa)
{
	if (s->dirty)
		set_bit((ipa - s->gpa) >> PAGE_SHIFT, s->dirty);
}

/*
 * Pin the VMM's page behind @ipa (in @s) and map it for the guest, growing
 * the table pool once if EL2 runs out. Called with kvm->lock held.
 */
static int map_page(struct skvm_kvm *kvm, const struct skvm_memslot *s,
		    u64 ipa, bool writable)
{
	u64 gfn = ipa >> PAGE_SHIFT;
	struct page *page;
	int ret;

	ret = pin_user_pages_fast(s->uaddr + ipa - s->gpa, 1,
				  FOLL_WRITE | FOLL_LONGTERM, &page);
	if (ret != 1)
		return ret < 0 ? ret : -EFAULT;
	ret = xa_err(xa_store(&kvm->pins, gfn, page, GFP_KERNEL));
	if (!ret)
		ret = splitkvm_vm_map(kvm->vm, ipa, page, writable);
	/* The table pool is used up: give EL2 another chunk, once. */
	if (ret == -ENOMEM && !splitkvm_vm_grow_pool(kvm->vm))
		ret = splitkvm_vm_map(kvm->vm, ipa, page, writable);
	if (ret) {
		xa_erase(&kvm->pins, gfn);
		unpin_user_page(page);
		return ret;
	}
	kvm->stats[SKVM_VM_STAT_PAGES_MAPPED]++;
	return 0;
}

/**
 * skvm_kvm_fault_in() - map the page of guest RAM at @ipa, if a memslot
 * has it, from the VMM's memory (faulted in as the VMM itself would); for
 * a write to a page mapped read-only for dirty logging, log it and let the
 * guest write. The slot's next pages come along (fault-around).
 * @kvm: the VM.
 * @ipa: the faulting guest address.
 * @write: the access was a write.
 * @handled: set if @ipa is guest RAM (mapped now, or already).
 *
 * Return: 0, or -errno (-EFAULT if the VMM's memory there is gone).
 */
int skvm_kvm_fault_in(struct skvm_kvm *kvm, u64 ipa, bool write,
		      bool *handled)
{
	const struct skvm_memslot *s;
	u64 page = ipa & PAGE_MASK, next;
	unsigned int i;
	int ret = 0;

	*handled = false;
	mutex_lock(&kvm->lock);
	s = slot_of(kvm, ipa);
	if (!s)
		goto out;
	*handled = true;
	if (xa_load(&kvm->pins, page >> PAGE_SHIFT)) {
		/* Mapped: a write to a read-only (logged) page. */
		if (write) {
			mark_dirty(s, ipa);
			ret = splitkvm_vm_protect(kvm->vm, page, true);
		}
		goto out;
	}
	/* A logging slot's pages are read-only until written. */
	ret = map_page(kvm, s, page, !s->dirty || write);
	if (ret)
		goto out;
	if (write)
		mark_dirty(s, ipa);
	/*
	 * Fault-around: the next pages of the slot that the guest does not
	 * have yet come with this one (one exit instead of several); any
	 * that cannot be had now is simply left to its own fault.
	 */
	for (i = 1; i < SKVM_KVM_FAULT_AROUND; i++) {
		next = page + ((u64)i << PAGE_SHIFT);
		if (next - s->gpa >= s->size)
			break;
		if (xa_load(&kvm->pins, next >> PAGE_SHIFT))
			continue;
		if (map_page(kvm, s, next, !s->dirty))
			break;
	}
out:
	mutex_unlock(&kvm->lock);
	return ret;
}

/*
 * Take every page of @s back from the guest and unpin it. Return: 0, or
 * -errno with the pages not yet taken back still there.
 */
static int unmap_slot(struct skvm_kvm *kvm, const struct skvm_memslot *s)
{
	unsigned long gfn;
	struct page *page;
	int ret;

	xa_for_each_range(&kvm->pins, gfn, page, s->gpa >> PAGE_SHIFT,
			  (s->gpa + s->size - 1) >> PAGE_SHIFT) {
		ret = splitkvm_vm_unmap(kvm->vm, (u64)gfn << PAGE_SHIFT);
		if (ret)
			return ret;
		xa_erase(&kvm->pins, gfn);
		unpin_user_page(page);
		kvm->stats[SKVM_VM_STAT_PAGES_UNMAPPED]++;
	}
	return 0;
}

/*
 * Write-protect the pages of @s the guest has whose bits are set in @mask
 * (all of them: NULL), so that their next write is logged.
 */
static int protect_slot(struct skvm_kvm *kvm, const struct skvm_memslot *s,
			const unsigned long *mask)
{
	unsigned long gfn, base = s->gpa >> PAGE_SHIFT;
	struct page *page;
	int ret;

	xa_for_each_range(&kvm->pins, gfn, page, base,
			  base + (s->size >> PAGE_SHIFT) - 1) {
		if (mask && !test_bit(gfn - base, mask))
			continue;
		ret = splitkvm_vm_protect(kvm->vm, (u64)gfn << PAGE_SHIFT,
					  false);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Only KVM_MEM_LOG_DIRTY_PAGES changes on slot @s: start logging with the
 * bitmap in *@dirty (every page the guest has becomes read-only), or stop
 * (the old bitmap goes back in *@dirty, to be freed).
 */
static int set_logging(struct skvm_kvm *kvm, struct skvm_memslot *s,
		       unsigned long **dirty)
{
	int ret = 0;

	if (!!*dirty == !!s->dirty)
		return 0;
	if (*dirty)
		ret = protect_slot(kvm, s, NULL);
	if (!ret) {
		swap(s->dirty, *dirty);
		s->flags ^= KVM_MEM_LOG_DIRTY_PAGES;
	}
	return ret;
}

/*
 * KVM_GET_DIRTY_LOG: the pages written since the last call, which become
 * read-only again so that the next write is logged too.
 */
static int get_dirty_log(struct skvm_kvm *kvm, const struct kvm_dirty_log *log)
{
	u16 id = log->slot, as = log->slot >> 16;
	unsigned long *snap = NULL;
	struct skvm_memslot *s;
	size_t i, longs;
	int ret = -EINVAL;

	if (as || id >= SKVM_KVM_MEMSLOTS)
		return ret;
	mutex_lock(&kvm->lock);
	s = &kvm->slots[id];
	ret = -ENOENT;
	if (!s->size || !s->dirty)
		goto out;
	longs = BITS_TO_LONGS(s->size >> PAGE_SHIFT);
	ret = -ENOMEM;
	snap = kvmalloc_array(longs, sizeof(long), GFP_KERNEL_ACCOUNT);
	if (!snap)
		goto out;
	for (i = 0; i < longs; i++)
		snap[i] = xchg(&s->dirty[i], 0);
	ret = protect_slot(kvm, s, snap);
	if (!ret && copy_to_user(log->dirty_bitmap, snap, longs * sizeof(long)))
		ret = -EFAULT;
out:
	mutex_unlock(&kvm->lock);
	kvfree(snap);
	return ret;
}

/*
 * KVM_SET_USER_MEMORY_REGION, with KVM's rules: page-aligned, inside the
 * IPA space, no overlap with another slot (EEXIST), size 0 deletes. The
 * guest loses the old slot's pages before the slot moves or goes.
 */
static int set_memory_region(struct skvm_kvm *kvm,
			     const struct kvm_userspace_memory_region *r)
{
	u16 id = r->slot, as = r->slot >> 16;
	unsigned long *dirty = NULL;
	struct skvm_memslot *s;
	unsigned int i;
	int ret = -EINVAL;

	/* Read-only slots are not there yet. */
	if ((r->flags & ~KVM_MEM_LOG_DIRTY_PAGES) || as ||
	    id >= SKVM_KVM_MEMSLOTS)
		return -EINVAL;
	if (!PAGE_ALIGNED(r->memory_size) || !PAGE_ALIGNED(r->guest_phys_addr) ||
	    !PAGE_ALIGNED(r->userspace_addr) ||
	    r->userspace_addr + r->memory_size < r->userspace_addr ||
	    !access_ok((void __user *)(unsigned long)r->userspace_addr,
		       r->memory_size))
		return -EINVAL;
	if (r->guest_phys_addr + r->memory_size < r->guest_phys_addr)
		return -EINVAL;
	/* Past the IPA space: EFAULT, as arm64 KVM says. */
	if (r->memory_size &&
	    (r->guest_phys_addr + r->memory_size - 1) >> kvm->ipa_bits)
		return -EFAULT;
	if ((r->flags & KVM_MEM_LOG_DIRTY_PAGES) && r->memory_size) {
		dirty = bitmap_zalloc(r->memory_size >> PAGE_SHIFT,
				      GFP_KERNEL_ACCOUNT);
		if (!dirty)
			return -ENOMEM;
	}
	mutex_lock(&kvm->lock);
	s = &kvm->slots[id];
	if (s->size) {
		ret = 0;
		if (r->memory_size == s->size &&
		    r->guest_phys_addr == s->gpa && r->userspace_addr == s->uaddr) {
			ret = set_logging(kvm, s, &dirty);
			goto out;
		}
	} else if (!r->memory_size) {
		ret = -EINVAL;		/* deleting a slot that is not there */
		goto out;
	}
	ret = -EEXIST;
	for (i = 0; i < SKVM_KVM_MEMSLOTS && r->memory_size; i++) {
		const struct skvm_memslot *o = &kvm->slots[i];

		if (i != id && o->size &&
		    r->guest_phys_addr < o->gpa + o->size &&
		    o->gpa < r->guest_phys_addr + r->memory_size)
			goto out;
	}
	if (s->size) {
		ret = unmap_slot(kvm, s);
		if (ret)
			goto out;
	}
	s->gpa = r->guest_phys_addr;
	s->size = r->memory_size;
	s->uaddr = r->userspace_addr;
	s->flags = r->flags;
	swap(s->dirty, dirty);
	ret = 0;
out:
	mutex_unlock(&kvm->lock);
	bitmap_free(dirty);
	return ret;
}

struct skvm_kvm_vcpu *skvm_kvm_vcpu_by_mpidr(struct skvm_kvm *kvm, u64 mpidr)
{
	unsigned int i;

	/* MPIDR_EL1 of vCPU n is Aff0 = n (hyp/vm.c), Aff1..3 = 0. */
	for (i = 0; i < SKVM_MAX_VCPUS; i++)
		if (kvm->vcpus[i] && (mpidr & 0xff00ffffffULL) == i)
			return kvm->vcpus[i];
	return NULL;
}

static long kvm_vm_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct skvm_kvm *kvm = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (kvm->mm != current->mm)
		return -EIO;
	switch (cmd) {
	case KVM_CHECK_EXTENSION:
		return skvm_kvm_check_extension(kvm, arg);
	case KVM_CREATE_VCPU:
		return skvm_kvm_create_vcpu(kvm, arg);
	case KVM_ENABLE_CAP: {
		struct kvm_enable_cap cap;

		if (copy_from_user(&cap, uarg, sizeof(cap)))
			return -EFAULT;
		if (cap.flags || cap.cap != KVM_CAP_ARM_SYSTEM_SUSPEND)
			return -EINVAL;
		WRITE_ONCE(kvm->system_suspend, true);
		return 0;
	}
	case KVM_SET_USER_MEMORY_REGION: {
		struct kvm_userspace_memory_region r;

		if (copy_from_user(&r, uarg, sizeof(r)))
			return -EFAULT;
		return set_memory_region(kvm, &r);
	}
	case KVM_SET_USER_MEMORY_REGION2: {
		struct kvm_userspace_memory_region2 r2;
		struct kvm_userspace_memory_region r;

		if (copy_from_user(&r2, uarg, sizeof(r2)))
			return -EFAULT;
		/* No guest_memfd on arm64 in 6.12: KVM_MEM_GUEST_MEMFD is EINVAL. */
		r = (struct kvm_userspace_memory_region){
			.slot = r2.slot, .flags = r2.flags,
			.guest_phys_addr = r2.guest_phys_addr,
			.memory_size = r2.memory_size,
			.userspace_addr = r2.userspace_addr,
		};
		return set_memory_region(kvm, &r);
	}
	case KVM_GET_STATS_FD:
		return skvm_kvm_vm_stats_fd(kvm);
	case KVM_GET_DIRTY_LOG: {
		struct kvm_dirty_log log;

		if (copy_from_user(&log, uarg, sizeof(log)))
			return -EFAULT;
		return get_dirty_log(kvm, &log);
	}
	case KVM_ARM_PREFERRED_TARGET: {
		struct kvm_vcpu_init init = {
			.target = KVM_ARM_TARGET_GENERIC_V8,
		};

		return copy_to_user(uarg, &init, sizeof(init)) ? -EFAULT : 0;
	}
	}
	return -EINVAL;
}

static int kvm_vm_release(struct inode *inode, struct file *file)
{
	skvm_kvm_put(file->private_data);
	return 0;
}

static const struct file_operations kvm_vm_fops = {
	.owner = THIS_MODULE,
	.release = kvm_vm_release,
	.unlocked_ioctl = kvm_vm_ioctl,
	.llseek = noop_llseek,
};

/* KVM_CREATE_VM: type 0 is a 40-bit IPA space, else the size it names. */
int skvm_kvm_create_vm(unsigned long type)
{
	u32 ipa_bits = type & KVM_VM_TYPE_ARM_IPA_SIZE_MASK;
	struct skvm_kvm *kvm;
	int fd;

	if (type & ~KVM_VM_TYPE_ARM_IPA_SIZE_MASK)
		return -EINVAL;
	if (!ipa_bits)
		ipa_bits = 40;
	if (ipa_bits < 32 || ipa_bits > SKVM_KVM_MAX_IPA_BITS)
		return -EINVAL;
	kvm = kzalloc(sizeof(*kvm), GFP_KERNEL_ACCOUNT);
	if (!kvm)
		return -ENOMEM;
	kvm->vm = splitkvm_vm_create_empty(ipa_bits, SKVM_KVM_POOL_ORDER);
	if (IS_ERR(kvm->vm)) {
		fd = PTR_ERR(kvm->vm);
		kfree(kvm);
		return fd;
	}
	kref_init(&kvm->ref);
	mutex_init(&kvm->lock);
	xa_init(&kvm->pins);
	kvm->ipa_bits = ipa_bits;
	kvm->mm = current->mm;
	mmgrab(kvm->mm);
	fd = anon_inode_getfd("kvm-vm", &kvm_vm_fops, kvm, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		skvm_kvm_put(kvm);
	return fd;
}
