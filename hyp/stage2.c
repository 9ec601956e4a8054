// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest stage-2 tables, 4 KiB granule, built from the page pool the host
 * donated at VM creation. Only 4 KiB leaves: the host maps page by page.
 * Everything here runs under the VM's lock.
 */
#include <linux/errno.h>
#include <hwregs.h>
#include <hyp/lib.h>
#include <hyp/mem.h>
#include <hyp/spinlock.h>
#include <hyp/vm.h>
#include <splitkvm/hypercalls.h>

#define S2_VALID		(1UL << 0)
#define S2_TABLE		(1UL << 1)	/* table at levels 0-2, page at 3 */
#define S2_ADDR_MASK		0x0000fffffffff000UL
/* Normal memory, outer and inner write-back (MemAttr 0b1111, FWB off). */
#define S2_MEMATTR_NORMAL	(0xfUL << 2)
#define S2_AP_RW		(3UL << 6)
#define S2_AP_W			(2UL << 6)	/* S2AP[1]: writes allowed */
#define S2_SH_INNER		(3UL << 8)
#define S2_AF			(1UL << 10)
#define S2_PAGE_NORMAL_RWX	(S2_VALID | S2_TABLE | S2_MEMATTR_NORMAL | \
				 S2_AP_RW | S2_SH_INNER | S2_AF)
#define PTRS_PER_TABLE		512

static unsigned int start_level(const struct hyp_vm *vm)
{
	return vm->ipa_bits > 39 ? 0 : 1;
}

static unsigned int level_shift(unsigned int level)
{
	return 39 - 9 * level;
}

static unsigned int level_index(u64 ipa, unsigned int level)
{
	return (ipa >> level_shift(level)) & (PTRS_PER_TABLE - 1);
}

/*
 * The next-level table @desc links to. EL2 only ever links pool pages it
 * has handed out; anything else (the host can still write the pool, there
 * is no host stage 2 yet) reads as no table at all.
 */
static u64 *table_va(const struct hyp_vm *vm, u64 desc)
{
	u64 pa = desc & S2_ADDR_MASK;
	unsigned int i;

	if (!(desc & S2_VALID))
		return NULL;
	for (i = 0; i < vm->nr_pool; i++)
		if (pa >= vm->pool[i].pa &&
		    pa - vm->pool[i].pa < vm->pool[i].used << SKVM_PAGE_SHIFT)
			return hyp_va(pa);
	return NULL;
}

/* The root table: the first page of the VM's region. */
static u64 *root_table(const struct hyp_vm *vm)
{
	return hyp_va(vm->region_pa);
}

static u64 pool_free_pages(const struct hyp_vm *vm)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < vm->nr_pool; i++)
		n += vm->pool[i].pages - vm->pool[i].used;
	return n;
}

/* A descriptor store that a walker on another CPU may see at any time. */
static void set_desc(u64 *p, u64 desc)
{
	__atomic_store_n(p, desc, __ATOMIC_RELAXED);
}

/* How many table pages mapping @ipa would take from the pool. */
static u64 tables_needed(const struct hyp_vm *vm, u64 ipa, u64 **leaf)
{
	u64 *table = root_table(vm);
	unsigned int level;

	for (level = start_level(vm); level < 3; level++) {
		table = table_va(vm, table[level_index(ipa, level)]);
		if (!table) {
			*leaf = NULL;
			return 3 - level;
		}
	}
	*leaf = &table[level_index(ipa, 3)];
	return 0;
}

/*
 * A zeroed table page from the pool (the caller checked there is one, and
 * publishes it).
 */
static u64 *pool_alloc(struct hyp_vm *vm)
{
	struct hyp_pool_chunk *c = vm->pool;
	u64 pa;

	while (c->used == c->pages)
		c++;
	pa = c->pa + (c->used++ << SKVM_PAGE_SHIFT);
	memset(hyp_va(pa), 0, SKVM_PAGE_SIZE);
	return hyp_va(pa);
}

int hyp_stage2_map(u64 vmid, u64 ipa, u64 pa)
{
	return hyp_stage2_map_prot(vmid, ipa, pa, 0);
}

/**
 * hyp_stage2_map_prot() - give the host's page at @pa to the guest at @ipa.
 * @vmid: the VM (from the host).
 * @ipa: page-aligned IPA (from the host).
 * @pa: the page (from the host): must be the host's.
 * @flags: SKVM_S2_READONLY for a mapping the guest may only read.
 *
 * Return: 0 or -errno, with nothing changed on error.
 */
int hyp_stage2_map_prot(u64 vmid, u64 ipa, u64 pa, u64 flags)
{
	struct hyp_vm *vm = hyp_vm_lock(vmid, HYP_VM_LIVE);
	u64 *table, *leaf, need;
	unsigned int level;
	int ret = -EINVAL;

	if (!vm)
		return ret;
	if (!page_aligned(ipa) || !page_aligned(pa) || ipa >> vm->ipa_bits ||
	    (flags & ~SKVM_S2_READONLY))
		goto out;
	ret = -EPERM;
	if (page_owner(pa) != SKVM_OWNER_HOST)
		goto out;
	need = tables_needed(vm, ipa, &leaf);
	ret = -EEXIST;
	if (leaf && (*leaf & S2_VALID))
		goto out;
	ret = -ENOMEM;
	if (need > pool_free_pages(vm))
		goto out;
	/* The last check, and the commit: nothing below can fail. */
	ret = -EPERM;
	if (!claim_page(pa, SKVM_OWNER_HOST, vmid))
		goto out;

	table = root_table(vm);
	for (level = start_level(vm); level < 3; level++) {
		u64 *desc = &table[level_index(ipa, level)];
		u64 *next = table_va(vm, *desc);

		if (!next) {
			next = pool_alloc(vm);
			/* The zeroes before the link that makes them walkable. */
			hw_pte_publish();
			set_desc(desc, hyp_pa(next) | S2_TABLE | S2_VALID);
		}
		table = next;
	}
	set_desc(&table[level_index(ipa, 3)], (pa | S2_PAGE_NORMAL_RWX) &
		 ~((flags & SKVM_S2_READONLY) ? S2_AP_W : 0));
	/* Complete before the host can run a vCPU that uses it. */
	hw_pte_publish();
	ret = 0;
out:
	hyp_vm_unlock(vmid);
	return ret;
}

/*
 * The page at @pa goes back to the host, if it really is the VM's (the host
 * can forge leaves in the pool): scrubbed first, so that the guest's data
 * does not reach the host, unless the VM shares its memory with the host.
 */
static void give_back(struct hyp_vm *vm, u64 pa)
{
	if (page_owner(pa) != ((vm->vttbr >> 48) & 0xff))
		return;
	if (!vm->shared_mem)
		hw_scrub_page(hyp_va(pa));
	set_page_owner(pa, SKVM_OWNER_HOST);
}

/* A DYING VM's leaf: no CPU can use its VMID any more (reclaim flushed). */
static void reclaim_leaf(struct hyp_vm *vm, u64 *leaf)
{
	u64 pa = *leaf & S2_ADDR_MASK;

	set_desc(leaf, 0);
	give_back(vm, pa);
}

/**
 * hyp_stage2_protect() - let the guest write the page at @ipa, or not (as
 * dirty logging does); a page made read-only is so on every CPU when this
 * returns. Permissions change without break-before-make (Arm ARM, "TLB
 * maintenance requirements": only the access permissions change).
 * @vmid: the VM (from the host).
 * @ipa: page-aligned IPA (from the host).
 * @writable: whether the guest may write it.
 *
 * Return: 0; -EINVAL for a bad VM or IPA; -ENOENT if nothing is mapped.
 */
int hyp_stage2_protect(u64 vmid, u64 ipa, u64 writable)
{
	struct hyp_vm *vm = hyp_vm_lock(vmid, HYP_VM_LIVE);
	u64 *leaf;
	int ret = -EINVAL;

	if (!vm)
		return ret;
	if (!page_aligned(ipa) || ipa >> vm->ipa_bits || writable > 1)
		goto out;
	ret = -ENOENT;
	if (tables_needed(vm, ipa, &leaf) || !(*leaf & S2_VALID))
		goto out;
	set_desc(leaf, writable ? *leaf | S2_AP_W : *leaf & ~S2_AP_W);
	hw_pte_publish();
	hw_tlb_flush_ipa(vm->vttbr, ipa);
	ret = 0;
out:
	hyp_vm_unlock(vmid);
	return ret;
}

/**
 * hyp_stage2_unmap() - take the page at @ipa out of a LIVE VM's stage 2 and
 * give it back to the host, once no CPU can translate through it any more.
 * @vmid: the VM (from the host).
 * @ipa: page-aligned IPA (from the host).
 *
 * Return: 0; -EINVAL for a bad VM or IPA; -ENOENT if nothing is mapped.
 */
int hyp_stage2_unmap(u64 vmid, u64 ipa)
{
	struct hyp_vm *vm = hyp_vm_lock(vmid, HYP_VM_LIVE);
	u64 *leaf, pa;
	int ret = -EINVAL;

	if (!vm)
		return ret;
	if (!page_aligned(ipa) || ipa >> vm->ipa_bits)
		goto out;
	ret = -ENOENT;
	if (tables_needed(vm, ipa, &leaf) || !(*leaf & S2_VALID))
		goto out;
	/*
	 * Break before the page changes hands: the cleared entry is visible
	 * to every walker, and every TLB has dropped it, before the host may
	 * reuse the page (Arm ARM, "Using break-before-make when updating
	 * translation table entries").
	 */
	pa = *leaf & S2_ADDR_MASK;
	set_desc(leaf, 0);
	hw_pte_publish();
	hw_tlb_flush_ipa(vm->vttbr, ipa);
	give_back(vm, pa);
	ret = 0;
out:
	hyp_vm_unlock(vmid);
	return ret;
}

/**
 * hyp_stage2_reclaim() - give back the pages a DYING VM's stage 2 maps,
 * scrubbed, resuming where the last call stopped.
 * @vm: the VM, DYING, no vCPU of it running, its TLB entries gone.
 * @budget: work units left for this call, decremented.
 *
 * Return: true once every leaf is gone.
 */
bool hyp_stage2_reclaim(struct hyp_vm *vm, unsigned int *budget)
{
	u64 end = 1UL << vm->ipa_bits;

	while (vm->reclaim_ipa < end) {
		u64 *table = root_table(vm), ipa = vm->reclaim_ipa;
		unsigned int level = start_level(vm);

		if (*budget < SKVM_RECLAIM_SCRUB)
			return false;
		for (;;) {
			u64 *desc = &table[level_index(ipa, level)];
			u64 size = 1UL << level_shift(level);

			if (level == 3 && (*desc & S2_VALID)) {
				reclaim_leaf(vm, desc);
				*budget -= SKVM_RECLAIM_SCRUB;
				vm->reclaim_ipa = ipa + size;
				break;
			}
			table = level < 3 ? table_va(vm, *desc) : NULL;
			if (!table) {
				(*budget)--;
				vm->reclaim_ipa = (ipa | (size - 1)) + 1;
				break;
			}
			level++;
		}
	}
	return true;
}
