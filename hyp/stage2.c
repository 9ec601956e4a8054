// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest stage-2 tables, 4 KiB granule, built from the page pool the host
 * donated. Leaves are 4 KiB pages (level 3) or 2 MiB blocks (level 2),
 * for a huge page of the host's. Everything here runs under the VM's lock.
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
/* The same attributes as a level-2 block: bit 1 clear. */
#define S2_BLOCK_NORMAL_RWX	(S2_PAGE_NORMAL_RWX & ~S2_TABLE)
#define PTRS_PER_TABLE		512
#define BLOCK_LEVEL		2
#define BLOCK_SIZE		(1UL << 21)
#define BLOCK_PAGES		(BLOCK_SIZE >> SKVM_PAGE_SHIFT)

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

/* A valid level-2 descriptor that is not a table link. */
static bool is_block(u64 desc)
{
	return (desc & (S2_VALID | S2_TABLE)) == S2_VALID;
}

/*
 * How many table pages a leaf for @ipa at level @to (3: a page, 2: a
 * block) would take from the pool; if none, *@leaf is its descriptor. A
 * block on the way down is the leaf itself: *@leaf is the block, at
 * *@level 2.
 */
static u64 tables_needed(const struct hyp_vm *vm, u64 ipa, unsigned int to,
			 u64 **leaf, unsigned int *level)
{
	u64 *table = root_table(vm);
	unsigned int l;

	for (l = start_level(vm); l < to; l++) {
		u64 *desc = &table[level_index(ipa, l)];

		if (l == BLOCK_LEVEL && is_block(*desc)) {
			*leaf = desc;
			*level = l;
			return 0;
		}
		table = table_va(vm, *desc);
		if (!table) {
			*leaf = NULL;
			return to - l;
		}
	}
	*leaf = &table[level_index(ipa, to)];
	*level = to;
	return 0;
}

/* The page or block mapping @ipa, at *@level, or NULL. */
static u64 *find_leaf(const struct hyp_vm *vm, u64 ipa, unsigned int *level)
{
	u64 *leaf;

	if (tables_needed(vm, ipa, 3, &leaf, level) || !(*leaf & S2_VALID))
		return NULL;
	return leaf;
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

/*
 * @n pages from @pa go from the host to VM @vmid, each with a
 * compare-and-swap (another VM's map may race for one): all, or none.
 */
static bool claim_pages(u64 pa, u64 n, u8 vmid)
{
	u64 i;

	for (i = 0; i < n; i++) {
		if (!claim_page(pa + (i << SKVM_PAGE_SHIFT), SKVM_OWNER_HOST,
				vmid)) {
			while (i--)
				set_page_owner(pa + (i << SKVM_PAGE_SHIFT),
					       SKVM_OWNER_HOST);
			return false;
		}
	}
	return true;
}

/**
 * hyp_stage2_map_prot() - give the host's page at @pa to the guest at @ipa,
 * or with SKVM_S2_BLOCK its 2 MiB from @pa at the 2 MiB from @ipa, as one
 * level-2 block.
 * @vmid: the VM (from the host).
 * @ipa: page-aligned (block: 2 MiB aligned) IPA (from the host).
 * @pa: the page, or the first of 512 (2 MiB aligned): the host's.
 * @flags: SKVM_S2_READONLY for a mapping the guest may only read;
 *	SKVM_S2_BLOCK.
 *
 * Return: 0 or -errno, with nothing changed on error (-EEXIST if anything
 * maps any of it, a table included for a block).
 */
int hyp_stage2_map_prot(u64 vmid, u64 ipa, u64 pa, u64 flags)
{
	struct hyp_vm *vm = hyp_vm_lock(vmid, HYP_VM_LIVE);
	bool block = flags & SKVM_S2_BLOCK;
	unsigned int to = block ? BLOCK_LEVEL : 3, level;
	u64 size = block ? BLOCK_SIZE : SKVM_PAGE_SIZE;
	u64 *table, *leaf, need, desc;
	int ret = -EINVAL;

	if (!vm)
		return ret;
	if ((ipa | pa) & (size - 1) || ipa >> vm->ipa_bits ||
	    (flags & ~(SKVM_S2_READONLY | SKVM_S2_BLOCK)))
		goto out;
	ret = -EPERM;
	if (page_owner(pa) != SKVM_OWNER_HOST)
		goto out;
	need = tables_needed(vm, ipa, to, &leaf, &level);
	ret = -EEXIST;
	if (leaf && (*leaf & S2_VALID))
		goto out;
	ret = -ENOMEM;
	if (need > pool_free_pages(vm))
		goto out;
	/* The last check, and the commit: nothing below can fail. */
	ret = -EPERM;
	if (!claim_pages(pa, size >> SKVM_PAGE_SHIFT, vmid))
		goto out;

	table = root_table(vm);
	for (level = start_level(vm); level < to; level++) {
		u64 *d = &table[level_index(ipa, level)];
		u64 *next = table_va(vm, *d);

		if (!next) {
			next = pool_alloc(vm);
			/* The zeroes before the link that makes them walkable. */
			hw_pte_publish();
			set_desc(d, hyp_pa(next) | S2_TABLE | S2_VALID);
		}
		table = next;
	}
	desc = pa | (block ? S2_BLOCK_NORMAL_RWX : S2_PAGE_NORMAL_RWX);
	if (flags & SKVM_S2_READONLY)
		desc &= ~S2_AP_W;
	set_desc(&table[level_index(ipa, to)], desc);
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

/*
 * After a leaf at @level changed, no TLB of any CPU may keep the old one:
 * a page by its IPA; a block by the whole VMID, as a TLB may hold a block
 * split in smaller entries (Arm ARM, "TLB maintenance requirements and
 * the TLB maintenance instructions", block and table entries).
 */
static void flush_leaf(const struct hyp_vm *vm, u64 ipa, unsigned int level)
{
	if (level == 3)
		hw_tlb_flush_ipa(vm->vttbr, ipa);
	else
		hw_tlb_flush_vmid_all(vm->vttbr);
}

/*
 * Lock LIVE VM @vmid and find the leaf that maps @ipa (page aligned, in
 * its IPA space; the caller's @arg at most 1). Return: the leaf, with the
 * VM locked; or NULL, with the VM unlocked and *@err -EINVAL (bad VM, IPA
 * or @arg) or -ENOENT (nothing mapped there).
 */
static u64 *lock_leaf(u64 vmid, u64 ipa, u64 arg, struct hyp_vm **vm,
		      unsigned int *level, int *err)
{
	u64 *leaf;

	*err = -EINVAL;
	*vm = hyp_vm_lock(vmid, HYP_VM_LIVE);
	if (!*vm)
		return NULL;
	if (page_aligned(ipa) && !(ipa >> (*vm)->ipa_bits) && arg <= 1) {
		leaf = find_leaf(*vm, ipa, level);
		if (leaf)
			return leaf;
		*err = -ENOENT;
	}
	hyp_vm_unlock(vmid);
	return NULL;
}

/**
 * hyp_stage2_protect() - let the guest write the page (or block) at @ipa,
 * or not (as dirty logging does); a leaf made read-only is so on every CPU
 * when this returns. Permissions change without break-before-make (Arm
 * ARM, "TLB maintenance requirements": only the access permissions
 * change).
 * @vmid: the VM (from the host).
 * @ipa: page-aligned IPA (from the host).
 * @writable: whether the guest may write it.
 *
 * Return: 0; -EINVAL for a bad VM or IPA; -ENOENT if nothing is mapped.
 */
int hyp_stage2_protect(u64 vmid, u64 ipa, u64 writable)
{
	unsigned int level;
	struct hyp_vm *vm;
	u64 *leaf;
	int ret;

	leaf = lock_leaf(vmid, ipa, writable, &vm, &level, &ret);
	if (!leaf)
		return ret;
	set_desc(leaf, writable ? *leaf | S2_AP_W : *leaf & ~S2_AP_W);
	hw_pte_publish();
	flush_leaf(vm, ipa, level);
	hyp_vm_unlock(vmid);
	return 0;
}

/**
 * hyp_stage2_unmap() - take the page at @ipa out of a LIVE VM's stage 2 and
 * give it back to the host, once no CPU can translate through it any more;
 * if a block maps @ipa, all of the block's 2 MiB.
 * @vmid: the VM (from the host).
 * @ipa: page-aligned IPA (from the host).
 *
 * Return: 0; -EINVAL for a bad VM or IPA; -ENOENT if nothing is mapped.
 */
int hyp_stage2_unmap(u64 vmid, u64 ipa)
{
	unsigned int level;
	struct hyp_vm *vm;
	u64 *leaf, pa, i;
	int ret;

	leaf = lock_leaf(vmid, ipa, 0, &vm, &level, &ret);
	if (!leaf)
		return ret;
	/*
	 * Break before the page changes hands: the cleared entry is visible
	 * to every walker, and every TLB has dropped it, before the host may
	 * reuse the page (Arm ARM, "Using break-before-make when updating
	 * translation table entries").
	 */
	pa = *leaf & S2_ADDR_MASK;
	set_desc(leaf, 0);
	hw_pte_publish();
	flush_leaf(vm, ipa, level);
	for (i = 0; i < (level == 3 ? 1 : BLOCK_PAGES); i++)
		give_back(vm, pa + (i << SKVM_PAGE_SHIFT));
	hyp_vm_unlock(vmid);
	return 0;
}

/**
 * hyp_stage2_age() - has the guest used the page (or block) at @ipa since
 * its access flag was last cleared? Clear it if @clear: the guest's next
 * access sets it again (hyp_stage2_access()). No TLB invalidation: a TLB
 * entry that outlives the clear only makes the page look used a while
 * longer, which is all aging needs.
 * @vmid: the VM (from the host).
 * @ipa: page-aligned IPA (from the host).
 * @clear: 1 to clear the flag, 0 to look.
 *
 * Return: 1 (used) or 0; -EINVAL for a bad VM or IPA; -ENOENT if nothing
 * is mapped there.
 */
int hyp_stage2_age(u64 vmid, u64 ipa, u64 clear)
{
	unsigned int level;
	struct hyp_vm *vm;
	u64 *leaf;
	int ret;

	leaf = lock_leaf(vmid, ipa, clear, &vm, &level, &ret);
	if (!leaf)
		return ret;
	ret = !!(*leaf & S2_AF);
	if (ret && clear)
		set_desc(leaf, *leaf & ~S2_AF);
	hyp_vm_unlock(vmid);
	return ret;
}

/**
 * hyp_stage2_access() - the guest's access flag fault at @ipa: set the
 * flag and let it go on. Setting the flag needs no break-before-make and
 * no TLB invalidation: no TLB holds an entry without it (Arm ARM, "The
 * Access flag").
 * @vmid: the VM this CPU runs.
 * @ipa: the faulting IPA.
 *
 * Return: true if the guest can retry its access.
 */
bool hyp_stage2_access(u64 vmid, u64 ipa)
{
	struct hyp_vm *vm = hyp_vm_lock(vmid, HYP_VM_LIVE);
	unsigned int level;
	u64 *leaf;

	if (!vm)
		return false;
	leaf = find_leaf(vm, ipa & ~(SKVM_PAGE_SIZE - 1), &level);
	if (leaf)
		set_desc(leaf, *leaf | S2_AF);
	hyp_vm_unlock(vmid);
	return leaf;
}

/**
 * hyp_stage2_reclaim() - give back the pages a DYING VM's stage 2 maps,
 * scrubbed, resuming where the last call stopped (within a block too: one
 * page of it per step, the block entry cleared with its last).
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

			if ((level == 3 && (*desc & S2_VALID)) ||
			    (level == BLOCK_LEVEL && is_block(*desc))) {
				u64 off = ipa & (size - 1);

				give_back(vm, (*desc & S2_ADDR_MASK) + off);
				if (off + SKVM_PAGE_SIZE == size)
					set_desc(desc, 0);
				*budget -= SKVM_RECLAIM_SCRUB;
				vm->reclaim_ipa = ipa + SKVM_PAGE_SIZE;
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
