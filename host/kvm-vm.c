// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM API VM file descriptors: memslots with KVM's checks and errnos,
 * vCPU creation, and guest RAM mapped on demand from the VMM's memory.
 *
 * Guest RAM is the VMM's own anonymous (or shared) memory. A page is
 * pinned and mapped for the guest at its first stage-2 fault (read-only in
 * a KVM_MEM_READONLY slot, whose writes reach the VMM as MMIO); it stays
 * pinned until the VMM's mapping of it changes (an MMU notifier), its slot
 * changes or the VM is gone, when it leaves the guest's stage 2 first.
 *
 * Locks: kvm->lock guards the memslots; kvm->mmu_lock, which the MMU
 * notifier takes, guards the pins and the stage-2 map; a memslot changes
 * under both. Nothing under mmu_lock may allocate with reclaim (reclaim can
 * call this mm's notifier). mmu_seq, bumped by every change, tells a fault
 * that pinned pages without the locks that it must start again. The VMM
 * keeps its access (the VM is created with SKVM_VM_SHARED_MEM).
 */
#define pr_fmt(fmt) "splitkvm: " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "kvm.h"

#ifndef CONFIG_MMU_NOTIFIER
#error "splitkvm's KVM API needs CONFIG_MMU_NOTIFIER in the host kernel"
#endif

static void kvm_release_all(struct kref *ref)
{
	struct skvm_kvm *kvm = container_of(ref, struct skvm_kvm, ref);
	unsigned long gfn;
	struct page *page;

	if (kvm->mn.ops)
		mmu_notifier_unregister(&kvm->mn, kvm->mm);
	/* Pages EL2 did not give back must stay pinned: leak them. */
	if (!splitkvm_vm_destroy(kvm->vm)) {
		xa_for_each(&kvm->pins, gfn, page)
			unpin_user_page(page);
	}
	xa_destroy(&kvm->pins);
	xa_destroy(&kvm->blocks);
	kfree(kvm->filter);
	skvm_coalesced_free(kvm);
	skvm_ioeventfd_free(kvm);
	skvm_irqfd_free(kvm);
	skvm_kvm_free_vcpus(kvm);
	skvm_vgic_free(kvm);
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

static bool slot_writable(const struct skvm_memslot *s)
{
	return !(s->flags & KVM_MEM_READONLY);
}

/*
 * Pin the VMM's page behind @ipa of slot @s, faulted in as the VMM's own
 * write would be (a read-only slot may be backed by memory the VMM cannot
 * write either, a ROM image mapped read-only: then the page as it is).
 * No lock held: this may sleep on userfaultfd or in reclaim.
 */
static int pin_page(const struct skvm_memslot *s, u64 ipa, struct page **page)
{
	u64 uaddr = s->uaddr + ipa - s->gpa;
	int ret;

	ret = pin_user_pages_fast(uaddr, 1, FOLL_WRITE | FOLL_LONGTERM, page);
	if (ret == -EFAULT && !slot_writable(s))
		ret = pin_user_pages_fast(uaddr, 1, FOLL_LONGTERM, page);
	if (ret == 1)
		return 0;
	return ret < 0 ? ret : -EFAULT;
}

/* Is the VMM's page at @uaddr there, and writable, without a fault? */
static bool present_writable(u64 uaddr)
{
	struct page *page;

	if (get_user_pages_fast_only(uaddr, 1, FOLL_WRITE, &page) != 1)
		return false;
	put_page(page);
	return true;
}

/*
 * Give pinned @page to the guest at @ipa. Under kvm->mmu_lock, which the
 * MMU notifier takes: nothing here may enter reclaim (it could call the
 * notifier of this very mm). -ENOMEM: the caller makes room (see below)
 * without the lock and tries again. On failure @page is still the
 * caller's.
 */
static int map_pinned(struct skvm_kvm *kvm, u64 ipa, struct page *page,
		      bool writable)
{
	u64 gfn = ipa >> PAGE_SHIFT;
	int ret;

	lockdep_assert_held(&kvm->mmu_lock);
	ret = xa_err(xa_store(&kvm->pins, gfn, page,
			      GFP_NOWAIT | __GFP_NOWARN));
	if (ret)
		return ret;
	ret = splitkvm_vm_map(kvm->vm, ipa, page, writable);
	if (ret) {
		xa_erase(&kvm->pins, gfn);
		return ret;
	}
	kvm->stats[SKVM_VM_STAT_PAGES_MAPPED]++;
	return 0;
}

/*
 * Room for the next map, outside kvm->mmu_lock: a node of the pin tree
 * for @gfn (reserved, so the store needs no allocation) and, once per
 * fault, another chunk of stage-2 tables for EL2.
 */
static int make_room(struct skvm_kvm *kvm, u64 gfn, bool grow)
{
	int ret;

	ret = xa_reserve(&kvm->pins, gfn, GFP_KERNEL_ACCOUNT);
	if (ret || !grow)
		return ret;
	mutex_lock(&kvm->lock);
	ret = splitkvm_vm_grow_pool(kvm->vm);
	mutex_unlock(&kvm->lock);
	return ret;
}

/* Has the VMM's memory (or a memslot) changed since @seq was read? */
static bool mmu_changed(struct skvm_kvm *kvm, u64 seq)
{
	bool changed;

	spin_lock(&kvm->mmu_seq_lock);
	changed = kvm->mmu_seq != seq || kvm->mmu_invalidating;
	spin_unlock(&kvm->mmu_seq_lock);
	return changed;
}

static u64 mmu_seq(struct skvm_kvm *kvm)
{
	u64 seq;

	spin_lock(&kvm->mmu_seq_lock);
	seq = kvm->mmu_seq;
	spin_unlock(&kvm->mmu_seq_lock);
	return seq;
}

/* A memslot changes: a fault that looked at the old one starts again. */
static void mmu_bump(struct skvm_kvm *kvm)
{
	spin_lock(&kvm->mmu_seq_lock);
	kvm->mmu_seq++;
	spin_unlock(&kvm->mmu_seq_lock);
}

/*
 * Map the pinned @pages (@n of them, from @ipa on, the first one the
 * faulting one) unless the VMM's memory changed since @seq. Pages not
 * mapped are unpinned. Return: 0 once the faulting page is the guest's
 * (the others are best effort), -EAGAIN to fault again, or -errno.
 */
static int map_fault(struct skvm_kvm *kvm, const struct skvm_memslot *s,
		     u64 ipa, struct page **pages, unsigned int n, u64 seq,
		     bool write, bool *grew)
{
	unsigned long mapped = 0;
	unsigned int i = 0, j;
	int ret = -EAGAIN;

	mutex_lock(&kvm->mmu_lock);
	if (mmu_changed(kvm, seq))
		goto out;
	for (; i < n; i++) {
		u64 next = ipa + ((u64)i << PAGE_SHIFT);
		/* A logging slot's pages are read-only until written. */
		bool w = slot_writable(s) && (!s->dirty || (!i && write));

		/* Another vCPU may have mapped it meanwhile. */
		ret = xa_load(&kvm->pins, next >> PAGE_SHIFT) ? 0 :
		      map_pinned(kvm, next, pages[i], w);
		if (ret)
			break;
		if (!xa_load(&kvm->pins, next >> PAGE_SHIFT) ||
		    xa_load(&kvm->pins, next >> PAGE_SHIFT) != pages[i])
			continue;
		__set_bit(i, &mapped);
		if (!i && write)
			mark_dirty(s, next);
	}
out:
	mutex_unlock(&kvm->mmu_lock);
	for (j = 0; j < n; j++)
		if (!test_bit(j, &mapped))
			unpin_user_page(pages[j]);
	/* Past the faulting page, a failure only ends the fault-around. */
	if (i > 0 && ret != -EAGAIN)
		return 0;
	if (ret == -ENOMEM) {
		ret = make_room(kvm, ipa >> PAGE_SHIFT, !*grew) ?: -EAGAIN;
		*grew = true;
	}
	return ret;
}

/* Does the guest have any of gfns [first, last]? */
static int any_mapped(struct skvm_kvm *kvm, unsigned long first,
		      unsigned long last)
{
	unsigned long gfn = first;

	return !!xa_find(&kvm->pins, &gfn, last, XA_PRESENT);
}

/*
 * Could the 2 MiB around @ipa be one stage-2 block? Only if the slot does
 * not log, holds all of it, at a 2 MiB aligned address of the VMM's, and
 * @page (the VMM's page at @ipa, pinned) is part of a huge page that holds
 * all of it too.
 */
static bool block_candidate(const struct skvm_memslot *s, u64 ipa,
			    struct page *page)
{
	u64 base = ipa & PMD_MASK;

	return !s->dirty && base >= s->gpa &&
	       base + PMD_SIZE <= s->gpa + s->size &&
	       !((s->uaddr + base - s->gpa) & ~PMD_MASK) &&
	       folio_size(page_folio(page)) >= PMD_SIZE &&
	       IS_ALIGNED(page_to_pfn(page) - ((ipa - base) >> PAGE_SHIFT),
			  PTRS_PER_PMD);
}

/*
 * Map the 2 MiB around @ipa as one block: 512 pins (the VMM's huge page,
 * physically contiguous), one EL2 map, none of it the guest's yet.
 * Return: 0 once mapped, -EAGAIN to fault again, -ENOENT to map the
 * faulting page alone instead.
 */
static int fault_block(struct skvm_kvm *kvm, const struct skvm_memslot *s,
		       u64 ipa, u64 seq)
{
	u64 base = ipa & PMD_MASK, gfn = base >> PAGE_SHIFT;
	unsigned int flags = FOLL_LONGTERM | (slot_writable(s) ? FOLL_WRITE : 0);
	struct page **pages;
	int n, i, ret = -ENOENT;

	pages = kvmalloc_array(PTRS_PER_PMD, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!pages)
		return -ENOENT;
	n = pin_user_pages_fast(s->uaddr + base - s->gpa, PTRS_PER_PMD, flags,
				pages);
	if (n != PTRS_PER_PMD ||
	    !IS_ALIGNED(page_to_pfn(pages[0]), PTRS_PER_PMD))
		goto unpin;
	for (i = 1; i < PTRS_PER_PMD; i++)
		if (page_to_pfn(pages[i]) != page_to_pfn(pages[0]) + i)
			goto unpin;
	/* Room in the trees first: nothing below may allocate. */
	for (i = 0; i < PTRS_PER_PMD; i++)
		if (xa_reserve(&kvm->pins, gfn + i, GFP_KERNEL_ACCOUNT))
			goto release;
	if (xa_reserve(&kvm->blocks, gfn / PTRS_PER_PMD, GFP_KERNEL_ACCOUNT))
		goto release;
	mutex_lock(&kvm->mmu_lock);
	ret = -EAGAIN;
	if (mmu_changed(kvm, seq))
		goto unlock;
	/* Any page of it the guest has already, or EL2 refusing: pages. */
	ret = -ENOENT;
	if (any_mapped(kvm, gfn, gfn + PTRS_PER_PMD - 1) ||
	    splitkvm_vm_map_block(kvm->vm, base, pages[0], slot_writable(s)))
		goto unlock;
	for (i = 0; i < PTRS_PER_PMD; i++)
		xa_store(&kvm->pins, gfn + i, pages[i], GFP_NOWAIT);
	xa_store(&kvm->blocks, gfn / PTRS_PER_PMD, pages[0], GFP_NOWAIT);
	kvm->stats[SKVM_VM_STAT_PAGES_MAPPED] += PTRS_PER_PMD;
	kvm->stats[SKVM_VM_STAT_BLOCKS_MAPPED]++;
	mutex_unlock(&kvm->mmu_lock);
	kvfree(pages);
	return 0;
unlock:
	mutex_unlock(&kvm->mmu_lock);
release:
	for (i = 0; i < PTRS_PER_PMD; i++)
		xa_release(&kvm->pins, gfn + i);
	xa_release(&kvm->blocks, gfn / PTRS_PER_PMD);
unpin:
	if (n > 0)
		unpin_user_pages(pages, n);
	kvfree(pages);
	return ret;
}

/**
 * skvm_kvm_fault_in() - map the page of guest RAM at @ipa, if a memslot
 * has it, from the VMM's memory (faulted in as the VMM itself would); for
 * a write to a page mapped read-only for dirty logging, log it and let the
 * guest write. Fault-around: the next pages of the slot that the guest
 * does not have yet come along (one exit instead of several), but only
 * those the VMM's page tables already hold, writable: the guest's own
 * access must be what faults a page in (userfaultfd, demand paging and
 * copy-on-write see exactly the guest's faults).
 * @kvm: the VM.
 * @ipa: the faulting guest address.
 * @write: the access was a write.
 * @handled: set if @ipa is guest RAM (mapped now, or already, or the
 *	VMM's memory changed under the fault: the guest faults again).
 *
 * Return: 0, or -errno (-EFAULT if the VMM's memory there is gone).
 */
int skvm_kvm_fault_in(struct skvm_kvm *kvm, u64 ipa, bool write,
		      bool *handled)
{
	struct page *pages[SKVM_KVM_FAULT_AROUND];
	u64 page = ipa & PAGE_MASK, next, seq;
	const struct skvm_memslot *s;
	struct skvm_memslot slot;
	unsigned int n;
	bool grew = false;
	int ret, tries;

	*handled = false;
	for (tries = 0; tries < 3; tries++) {
		mutex_lock(&kvm->lock);
		s = slot_of(kvm, ipa);
		/* A write to a read-only slot is the VMM's, as MMIO. */
		if (!s || (write && !slot_writable(s))) {
			mutex_unlock(&kvm->lock);
			return 0;
		}
		*handled = true;
		slot = *s;
		seq = mmu_seq(kvm);
		mutex_lock(&kvm->mmu_lock);
		if (xa_load(&kvm->pins, page >> PAGE_SHIFT)) {
			/* Mapped: a write to a read-only (logged) page. */
			ret = 0;
			if (write) {
				mark_dirty(s, ipa);
				ret = splitkvm_vm_protect(kvm->vm, page, true);
			}
			mutex_unlock(&kvm->mmu_lock);
			mutex_unlock(&kvm->lock);
			return ret;
		}
		mutex_unlock(&kvm->mmu_lock);
		mutex_unlock(&kvm->lock);

		ret = pin_page(&slot, page, &pages[0]);
		if (ret)
			return ret;
		/* All of a huge page at once: a 2 MiB stage-2 block. */
		if (block_candidate(&slot, page, pages[0])) {
			ret = fault_block(kvm, &slot, page, seq);
			if (ret != -ENOENT) {
				unpin_user_page(pages[0]);
				if (ret == -EAGAIN)
					continue;
				return ret;
			}
		}
		for (n = 1; n < SKVM_KVM_FAULT_AROUND; n++) {
			next = page + ((u64)n << PAGE_SHIFT);
			if (next - slot.gpa >= slot.size ||
			    !present_writable(slot.uaddr + next - slot.gpa) ||
			    pin_page(&slot, next, &pages[n]))
				break;
		}
		/* The slot itself may be gone: then @seq changed. */
		ret = map_fault(kvm, &slot, page, pages, n, seq, write, &grew);
		if (ret != -EAGAIN)
			return ret;
	}
	/* Still changing: let the guest fault again. */
	return 0;
}

/* Take block @block (gfn / 512) back from the guest, all 2 MiB of it. */
static int unmap_block(struct skvm_kvm *kvm, unsigned long block)
{
	unsigned long gfn = block * PTRS_PER_PMD, i;
	struct page *page;
	int ret;

	ret = splitkvm_vm_unmap(kvm->vm, (u64)gfn << PAGE_SHIFT);
	if (ret)
		return ret;
	for (i = 0; i < PTRS_PER_PMD; i++) {
		page = xa_erase(&kvm->pins, gfn + i);
		if (page)
			unpin_user_page(page);
	}
	xa_erase(&kvm->blocks, block);
	kvm->stats[SKVM_VM_STAT_PAGES_UNMAPPED] += PTRS_PER_PMD;
	return 0;
}

/*
 * Take the guest's pages in [@first, @last] (gfns) back and unpin them,
 * and all of any block one of them is in. Under kvm->mmu_lock. Return: 0,
 * or -errno with the pages not yet taken back still there.
 */
static int unmap_gfns(struct skvm_kvm *kvm, unsigned long first,
		      unsigned long last)
{
	unsigned long gfn;
	struct page *page;
	int ret;

	lockdep_assert_held(&kvm->mmu_lock);
	xa_for_each_range(&kvm->pins, gfn, page, first, last) {
		if (xa_load(&kvm->blocks, gfn / PTRS_PER_PMD)) {
			ret = unmap_block(kvm, gfn / PTRS_PER_PMD);
			if (ret)
				return ret;
			continue;
		}
		ret = splitkvm_vm_unmap(kvm->vm, (u64)gfn << PAGE_SHIFT);
		if (ret)
			return ret;
		xa_erase(&kvm->pins, gfn);
		unpin_user_page(page);
		kvm->stats[SKVM_VM_STAT_PAGES_UNMAPPED]++;
	}
	return 0;
}

/* Take every page of @s back from the guest (see unmap_gfns()). */
static int unmap_slot(struct skvm_kvm *kvm, const struct skvm_memslot *s)
{
	int ret;

	mutex_lock(&kvm->mmu_lock);
	ret = unmap_gfns(kvm, s->gpa >> PAGE_SHIFT,
			 (s->gpa + s->size - 1) >> PAGE_SHIFT);
	mutex_unlock(&kvm->mmu_lock);
	return ret;
}

/*
 * Write-protect the pages of @s the guest has whose bits are set in @mask
 * (all of them: NULL), so that their next write is logged. A block such a
 * page is in goes: the guest faults its pages back one by one, logged.
 */
static int protect_slot(struct skvm_kvm *kvm, const struct skvm_memslot *s,
			const unsigned long *mask)
{
	unsigned long gfn, base = s->gpa >> PAGE_SHIFT;
	struct page *page;
	int ret = 0;

	mutex_lock(&kvm->mmu_lock);
	xa_for_each_range(&kvm->pins, gfn, page, base,
			  base + (s->size >> PAGE_SHIFT) - 1) {
		if (mask && !test_bit(gfn - base, mask))
			continue;
		if (xa_load(&kvm->blocks, gfn / PTRS_PER_PMD))
			ret = unmap_block(kvm, gfn / PTRS_PER_PMD);
		else
			ret = splitkvm_vm_protect(kvm->vm,
						  (u64)gfn << PAGE_SHIFT, false);
		if (ret)
			break;
	}
	mutex_unlock(&kvm->mmu_lock);
	return ret;
}

/*
 * Only KVM_MEM_LOG_DIRTY_PAGES changes on slot @s: start logging with the
 * bitmap in *@dirty (every page the guest has becomes read-only), or stop
 * (the old bitmap goes back in *@dirty, to be freed).
 */
static int set_logging(struct skvm_kvm *kvm, struct skvm_memslot *s,
		       unsigned long **dirty)
{
	bool protect = *dirty &&
		       !(kvm->manual_dirty_log & KVM_DIRTY_LOG_INITIALLY_SET);
	int ret = 0;

	if (!!*dirty == !!s->dirty)
		return 0;
	/*
	 * KVM_DIRTY_LOG_INITIALLY_SET: every page starts dirty and writable;
	 * CLEAR_DIRTY_LOG write-protects what the VMM has taken.
	 */
	if (*dirty && !protect)
		bitmap_fill(*dirty, s->size >> PAGE_SHIFT);
	/*
	 * The slot logs before its pages are write-protected: a fault that
	 * read the old slot must not map a page writable after that (bump),
	 * and a new one sees the bitmap.
	 */
	mutex_lock(&kvm->mmu_lock);
	swap(s->dirty, *dirty);
	s->flags ^= KVM_MEM_LOG_DIRTY_PAGES;
	mmu_bump(kvm);
	mutex_unlock(&kvm->mmu_lock);
	if (protect)
		ret = protect_slot(kvm, s, NULL);
	if (ret) {
		mutex_lock(&kvm->mmu_lock);
		swap(s->dirty, *dirty);
		s->flags ^= KVM_MEM_LOG_DIRTY_PAGES;
		mmu_bump(kvm);
		mutex_unlock(&kvm->mmu_lock);
	}
	return ret;
}

/* Slot @slot (address space in the high half), if it logs; under kvm->lock. */
static struct skvm_memslot *logging_slot(struct skvm_kvm *kvm, u32 slot,
					 int *err)
{
	u16 id = slot, as = slot >> 16;

	lockdep_assert_held(&kvm->lock);
	*err = -EINVAL;
	if (as || id >= SKVM_KVM_MEMSLOTS)
		return NULL;
	*err = -ENOENT;
	if (!kvm->slots[id].size || !kvm->slots[id].dirty)
		return NULL;
	*err = 0;
	return &kvm->slots[id];
}

/*
 * KVM_GET_DIRTY_LOG: the pages written since the last call, which become
 * read-only again so that the next write is logged too.
 */
static int get_dirty_log(struct skvm_kvm *kvm, const struct kvm_dirty_log *log)
{
	unsigned long *snap = NULL;
	struct skvm_memslot *s;
	size_t i, longs;
	int ret;

	mutex_lock(&kvm->lock);
	s = logging_slot(kvm, log->slot, &ret);
	if (!s)
		goto out;
	longs = BITS_TO_LONGS(s->size >> PAGE_SHIFT);
	ret = -ENOMEM;
	snap = kvmalloc_array(longs, sizeof(long), GFP_KERNEL_ACCOUNT);
	if (!snap)
		goto out;
	/* With manual protection, CLEAR_DIRTY_LOG clears and protects. */
	if (kvm->manual_dirty_log) {
		for (i = 0; i < longs; i++)
			snap[i] = READ_ONCE(s->dirty[i]);
		ret = 0;
	} else {
		for (i = 0; i < longs; i++)
			snap[i] = xchg(&s->dirty[i], 0);
		ret = protect_slot(kvm, s, snap);
	}
	if (!ret && copy_to_user(log->dirty_bitmap, snap, longs * sizeof(long)))
		ret = -EFAULT;
out:
	mutex_unlock(&kvm->lock);
	kvfree(snap);
	return ret;
}

/*
 * KVM_CLEAR_DIRTY_LOG: the pages of [first_page, first_page + num_pages)
 * whose bits the VMM sets are clean again and write-protected, so that
 * their next write is logged. The range starts on a multiple of 64 pages
 * and is a multiple of 64 long unless it ends with the slot, as in KVM.
 */
static int clear_dirty_log(struct skvm_kvm *kvm,
			   const struct kvm_clear_dirty_log *log)
{
	void __user *ubits = log->dirty_bitmap;
	unsigned long *mask = NULL, word;
	struct skvm_memslot *s;
	u64 npages, i, first = log->first_page, n = log->num_pages;
	int ret;

	if (first & 63)
		return -EINVAL;
	mutex_lock(&kvm->lock);
	s = logging_slot(kvm, log->slot, &ret);
	if (!s)
		goto out;
	npages = s->size >> PAGE_SHIFT;
	ret = -EINVAL;
	if (first > npages || n > npages - first ||
	    (n < npages - first && (n & 63)))
		goto out;
	ret = -ENOMEM;
	mask = bitmap_zalloc(npages, GFP_KERNEL_ACCOUNT);
	if (!mask)
		goto out;
	ret = -EFAULT;
	for (i = 0; i < n; i += BITS_PER_LONG) {
		if (copy_from_user(&word, ubits + i / 8, sizeof(word)))
			goto out;
		if (n - i < BITS_PER_LONG)
			word &= BIT(n - i) - 1;
		/* Only what is dirty now; the log loses exactly that. */
		word &= READ_ONCE(s->dirty[(first + i) / BITS_PER_LONG]);
		atomic_long_andnot(word, (atomic_long_t *)
				   &s->dirty[(first + i) / BITS_PER_LONG]);
		mask[(first + i) / BITS_PER_LONG] = word;
	}
	ret = protect_slot(kvm, s, mask);
out:
	mutex_unlock(&kvm->lock);
	bitmap_free(mask);
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

	if ((r->flags & ~(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY)) || as ||
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
			/* Only logging may change on a slot that stays. */
			ret = (r->flags ^ s->flags) & KVM_MEM_READONLY ?
			      -EINVAL : set_logging(kvm, s, &dirty);
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
	mutex_lock(&kvm->mmu_lock);
	s->gpa = r->guest_phys_addr;
	s->size = r->memory_size;
	s->uaddr = r->userspace_addr;
	s->flags = r->flags;
	swap(s->dirty, dirty);
	mmu_bump(kvm);
	mutex_unlock(&kvm->mmu_lock);
	ret = 0;
out:
	mutex_unlock(&kvm->lock);
	bitmap_free(dirty);
	return ret;
}

/* vCPU @v's MPIDR_EL1, the inverse of skvm_kvm_vcpu_by_mpidr(). */
u64 skvm_vcpu_mpidr(struct skvm_kvm_vcpu *v)
{
	return (v->id % 16) | (u64)(v->id / 16 % 256) << 8 |
	       (u64)(v->id / 4096) << 16;
}

struct skvm_kvm_vcpu *skvm_kvm_vcpu_by_mpidr(struct skvm_kvm *kvm, u64 mpidr)
{
	u64 aff0 = mpidr & 0xff, aff1 = (mpidr >> 8) & 0xff;
	u64 aff2 = (mpidr >> 16) & 0xff, id;

	/* vCPU n is Aff0 = n % 16, Aff1 = n / 16 % 256, Aff2 above (hyp/vm.c). */
	if (aff0 >= 16 || (mpidr & 0xff00000000ULL))
		return NULL;
	id = aff0 | aff1 << 4 | aff2 << 12;
	if (id >= SKVM_MAX_VCPUS)
		return NULL;
	return READ_ONCE(kvm->vcpus[id]);
}

/*
 * Calls @fn(kvm, first gfn, last gfn) for each memslot part of the VMM's
 * [start, end); stops at the first non-zero result and returns it.
 */
static int on_slot_parts(struct skvm_kvm *kvm, unsigned long start,
			      unsigned long end,
			      int (*fn)(struct skvm_kvm *kvm, unsigned long first,
					unsigned long last))
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < SKVM_KVM_MEMSLOTS && !ret; i++) {
		const struct skvm_memslot *s = &kvm->slots[i];
		u64 a = max_t(u64, start, s->uaddr);
		u64 b = min_t(u64, end, s->uaddr + s->size);

		if (!s->size || a >= b)
			continue;
		ret = fn(kvm, (s->gpa + a - s->uaddr) >> PAGE_SHIFT,
			 (s->gpa + b - 1 - s->uaddr) >> PAGE_SHIFT);
	}
	return ret;
}

/*
 * The VMM's memory changes (munmap, MADV_DONTNEED, mprotect, migration,
 * reclaim, fork's copy-on-write): every guest page behind [start, end)
 * leaves stage 2 first (EL2 invalidates the VMID's TLBs on every CPU) and
 * is unpinned, and no fault maps one until the change is over.
 */
static int mn_invalidate_start(struct mmu_notifier *mn,
			       const struct mmu_notifier_range *range)
{
	struct skvm_kvm *kvm = container_of(mn, struct skvm_kvm, mn);
	int ret;

	spin_lock(&kvm->mmu_seq_lock);
	kvm->mmu_invalidating++;
	kvm->mmu_seq++;
	spin_unlock(&kvm->mmu_seq_lock);
	/*
	 * A start may not fail when there is an end (mm/mmu_notifier.c). Only
	 * the OOM reaper cannot wait: if the map is busy, the guest's pages,
	 * pinned, stay valid (not reused) until the dying VM gives them back.
	 */
	if (mmu_notifier_range_blockable(range))
		mutex_lock(&kvm->mmu_lock);
	else if (!mutex_trylock(&kvm->mmu_lock))
		return 0;
	ret = on_slot_parts(kvm, range->start, range->end, unmap_gfns);
	mutex_unlock(&kvm->mmu_lock);
	WARN_ONCE(ret, "splitkvm: EL2 kept guest pages the host took (%d)\n",
		  ret);
	return 0;
}

static void mn_invalidate_end(struct mmu_notifier *mn,
			      const struct mmu_notifier_range *range)
{
	struct skvm_kvm *kvm = container_of(mn, struct skvm_kvm, mn);

	spin_lock(&kvm->mmu_seq_lock);
	kvm->mmu_invalidating--;
	kvm->mmu_seq++;
	spin_unlock(&kvm->mmu_seq_lock);
}

/* Take gfns [first, last] from the guest; say if there were any. */
/*
 * Has the guest used any of its pages in gfns [first, last] since the
 * last look? Clear their access flags if @clear (the guest's next access
 * sets one again, at EL2). A block is looked at once.
 */
static int look_young(struct skvm_kvm *kvm, unsigned long first,
		      unsigned long last, bool clear)
{
	unsigned long gfn, block = ULONG_MAX;
	struct page *page;
	int young = 0;

	xa_for_each_range(&kvm->pins, gfn, page, first, last) {
		if (xa_load(&kvm->blocks, gfn / PTRS_PER_PMD)) {
			if (block == gfn / PTRS_PER_PMD)
				continue;
			block = gfn / PTRS_PER_PMD;
		}
		young |= splitkvm_vm_age(kvm->vm, (u64)gfn << PAGE_SHIFT,
					 clear) > 0;
	}
	return young;
}

static int age_gfns(struct skvm_kvm *kvm, unsigned long first,
		    unsigned long last)
{
	return look_young(kvm, first, last, true);
}

static int young_gfns(struct skvm_kvm *kvm, unsigned long first,
		      unsigned long last)
{
	return look_young(kvm, first, last, false);
}

/*
 * Access tracking (page aging, idle page tracking). Stage 2 keeps no
 * access flag here, so a page is young while the guest has it mapped:
 * clearing takes it out of stage 2, and the guest's next access maps it
 * again (a fault, whose pin makes the host's PTE young). These run under
 * page-table locks and cannot sleep: a busy map makes the range look old
 * rather than wait.
 */
static int mn_clear_young(struct mmu_notifier *mn, struct mm_struct *mm,
			  unsigned long start, unsigned long end)
{
	struct skvm_kvm *kvm = container_of(mn, struct skvm_kvm, mn);
	int young;

	if (!mutex_trylock(&kvm->mmu_lock))
		return 0;
	young = on_slot_parts(kvm, start, end, age_gfns);
	mutex_unlock(&kvm->mmu_lock);
	return young;
}

static int mn_test_young(struct mmu_notifier *mn, struct mm_struct *mm,
			 unsigned long address)
{
	struct skvm_kvm *kvm = container_of(mn, struct skvm_kvm, mn);

	/*
	 * The pin tree is safe to look at under RCU, as this caller does;
	 * EL2 answers for a page that went meanwhile with -ENOENT.
	 */
	return on_slot_parts(kvm, address, address + 1, young_gfns);
}

static const struct mmu_notifier_ops kvm_mmu_notifier_ops = {
	.invalidate_range_start = mn_invalidate_start,
	.invalidate_range_end = mn_invalidate_end,
	.clear_flush_young = mn_clear_young,
	.clear_young = mn_clear_young,
	.test_young = mn_test_young,
};

/*
 * The user address behind guest range [@gpa, @gpa + @len) if one memslot
 * holds all of it, else 0. Under kvm->lock.
 */
u64 skvm_kvm_gpa_uaddr(struct skvm_kvm *kvm, u64 gpa, u64 len)
{
	const struct skvm_memslot *s = slot_of(kvm, gpa);

	lockdep_assert_held(&kvm->lock);
	if (!s || !len || gpa + len < gpa || gpa + len - s->gpa > s->size)
		return 0;
	return s->uaddr + (gpa - s->gpa);
}


/*
 * KVM_ARM_SET_COUNTER_OFFSET: every vCPU's virtual and physical counters
 * lag the hardware's by @o->counter_offset from now on (CNTVOFF_EL2, and
 * CNTPCT_EL0 trapped and answered at EL2), and their counter registers
 * ignore writes. EBUSY while a vCPU is in an ioctl of its own, as KVM.
 */
static int set_counter_offset(struct skvm_kvm *kvm,
			      const struct kvm_arm_counter_offset *o)
{
	unsigned int i, locked = 0;
	int ret = 0;

	if (o->reserved)
		return -EINVAL;
	mutex_lock(&kvm->lock);
	for (i = 0; i < SKVM_MAX_VCPUS && !ret; i++) {
		if (!kvm->vcpus[i])
			continue;
		if (!mutex_trylock(&kvm->vcpus[i]->lock))
			ret = -EBUSY;
		else
			locked = i + 1;
	}
	if (!ret) {
		kvm->counter_offset = o->counter_offset;
		kvm->counter_offset_set = true;
		WRITE_ONCE(kvm->cntpoff, o->counter_offset);
		WRITE_ONCE(kvm->cntvoff, o->counter_offset);
		/*
		 * The offsets are the VM's: any vCPU reaches them (with none
		 * yet, the first one created does).
		 */
		for (i = 0; i < locked; i++)
			if (kvm->vcpus[i])
				break;
		if (i < locked)
			ret = skvm_counter_offset_sync(kvm->vcpus[i]);
	}
	for (i = 0; i < locked; i++)
		if (kvm->vcpus[i])
			mutex_unlock(&kvm->vcpus[i]->lock);
	mutex_unlock(&kvm->lock);
	return ret;
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
		if (cap.flags)
			return -EINVAL;
		if (cap.cap == KVM_CAP_ARM_SYSTEM_SUSPEND) {
			WRITE_ONCE(kvm->system_suspend, true);
			return 0;
		}
		if (cap.cap != KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 ||
		    cap.args[0] & ~SKVM_DIRTY_LOG_MANUAL_CAPS)
			return -EINVAL;
		mutex_lock(&kvm->lock);
		kvm->manual_dirty_log = cap.args[0];
		mutex_unlock(&kvm->lock);
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
	case KVM_HAS_DEVICE_ATTR:
	case KVM_SET_DEVICE_ATTR:
		return skvm_vm_attr(kvm, cmd, uarg);
	case KVM_REGISTER_COALESCED_MMIO:
	case KVM_UNREGISTER_COALESCED_MMIO: {
		struct kvm_coalesced_mmio_zone z;

		if (copy_from_user(&z, uarg, sizeof(z)))
			return -EFAULT;
		return skvm_coalesced_zone(kvm,
					   cmd == KVM_REGISTER_COALESCED_MMIO,
					   &z);
	}
	case KVM_CREATE_DEVICE: {
		struct kvm_create_device cd;
		int ret;

		if (copy_from_user(&cd, uarg, sizeof(cd)))
			return -EFAULT;
		ret = skvm_kvm_create_device(kvm, &cd);
		if (!ret && copy_to_user(uarg, &cd, sizeof(cd)))
			return -EFAULT;
		return ret;
	}
	case KVM_IOEVENTFD: {
		struct kvm_ioeventfd args;

		if (copy_from_user(&args, uarg, sizeof(args)))
			return -EFAULT;
		return skvm_ioeventfd(kvm, &args);
	}
	case KVM_IRQFD: {
		struct kvm_irqfd args;

		if (copy_from_user(&args, uarg, sizeof(args)))
			return -EFAULT;
		return skvm_irqfd(kvm, &args);
	}
	case KVM_SET_GSI_ROUTING:
		return skvm_set_gsi_routing(kvm, uarg);
	case KVM_SIGNAL_MSI:
		return -ENODEV;		/* MSIs go through the ITS: none */
	case KVM_IRQ_LINE: {
		struct kvm_irq_level irq;

		if (copy_from_user(&irq, uarg, sizeof(irq)))
			return -EFAULT;
		return skvm_vgic_irq_line(kvm, irq.irq, irq.level);
	}
	case KVM_CLEAR_DIRTY_LOG: {
		struct kvm_clear_dirty_log log;

		if (copy_from_user(&log, uarg, sizeof(log)))
			return -EFAULT;
		return clear_dirty_log(kvm, &log);
	}
	case KVM_ARM_GET_REG_WRITABLE_MASKS:
		return skvm_id_writable_masks(uarg);
	case KVM_ARM_SET_COUNTER_OFFSET: {
		struct kvm_arm_counter_offset off;

		if (copy_from_user(&off, uarg, sizeof(off)))
			return -EFAULT;
		return set_counter_offset(kvm, &off);
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
	skvm_ioeventfd_init(kvm);
	skvm_irqfd_init(kvm);
	if (skvm_coalesced_init(kvm)) {
		skvm_coalesced_free(kvm);
		kfree(kvm);
		return -ENOMEM;
	}
	kvm->vm = splitkvm_vm_create_empty(ipa_bits, SKVM_KVM_POOL_ORDER);
	if (IS_ERR(kvm->vm)) {
		fd = PTR_ERR(kvm->vm);
		skvm_coalesced_free(kvm);
		kfree(kvm);
		return fd;
	}
	kref_init(&kvm->ref);
	mutex_init(&kvm->lock);
	mutex_init(&kvm->mmu_lock);
	spin_lock_init(&kvm->mmu_seq_lock);
	xa_init(&kvm->pins);
	xa_init(&kvm->blocks);
	kvm->ipa_bits = ipa_bits;
	skvm_fw_init(kvm);
	skvm_timer_init(kvm);
	skvm_id_regs_init(kvm);
	kvm->mm = current->mm;
	mmgrab(kvm->mm);
	kvm->mn.ops = &kvm_mmu_notifier_ops;
	fd = mmu_notifier_register(&kvm->mn, kvm->mm);
	if (fd) {
		kvm->mn.ops = NULL;
		skvm_kvm_put(kvm);
		return fd;
	}
	fd = anon_inode_getfd("kvm-vm", &kvm_vm_fops, kvm, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		skvm_kvm_put(kvm);
	return fd;
}
