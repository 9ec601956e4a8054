// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest stage-2 tables, 4 KiB granule, built from the page pool the host
 * donated at VM creation. Only 4 KiB leaves: the host maps page by page.
 */
#include <linux/errno.h>
#include <hwregs.h>
#include <hyp/lib.h>
#include <hyp/mem.h>
#include <hyp/spinlock.h>
#include <hyp/vm.h>

#define S2_VALID		(1UL << 0)
#define S2_TABLE		(1UL << 1)	/* table at levels 0-2, page at 3 */
#define S2_ADDR_MASK		0x0000fffffffff000UL
/* Normal memory, outer and inner write-back (MemAttr 0b1111, FWB off). */
#define S2_MEMATTR_NORMAL	(0xfUL << 2)
#define S2_AP_RW		(3UL << 6)
#define S2_SH_INNER		(3UL << 8)
#define S2_AF			(1UL << 10)
#define S2_PAGE_NORMAL_RWX	(S2_VALID | S2_TABLE | S2_MEMATTR_NORMAL | \
				 S2_AP_RW | S2_SH_INNER | S2_AF)
#define PTRS_PER_TABLE		512

static unsigned int start_level(const struct hyp_vm *vm)
{
	return vm->ipa_bits > 39 ? 0 : 1;
}

static unsigned int level_index(u64 ipa, unsigned int level)
{
	return (ipa >> (39 - 9 * level)) & (PTRS_PER_TABLE - 1);
}

static u64 *table_va(u64 desc)
{
	return hyp_va(desc & S2_ADDR_MASK);
}

/* How many table pages mapping @ipa would take from the pool. */
static u64 tables_needed(const struct hyp_vm *vm, u64 ipa, u64 **leaf)
{
	u64 *table = hyp_va(vm->pool_pa);
	unsigned int level;

	for (level = start_level(vm); level < 3; level++) {
		u64 desc = table[level_index(ipa, level)];

		if (!(desc & S2_VALID)) {
			*leaf = NULL;
			return 3 - level;
		}
		table = table_va(desc);
	}
	*leaf = &table[level_index(ipa, 3)];
	return 0;
}

static u64 *pool_alloc(struct hyp_vm *vm)
{
	u64 pa = vm->pool_pa + (vm->pool_used++ << SKVM_PAGE_SHIFT);

	memset(hyp_va(pa), 0, SKVM_PAGE_SIZE);
	return hyp_va(pa);
}

int hyp_stage2_map(u64 vmid, u64 ipa, u64 pa)
{
	u64 *table, *leaf, need;
	struct hyp_vm *vm;
	unsigned int level;
	int ret = -EINVAL;

	hyp_lock(&hyp.lock);
	if (vmid == SKVM_HOST_VMID || vmid >= SKVM_MAX_VMS)
		goto out;
	vm = &hyp.vms[vmid];
	if (vm->state != HYP_VM_LIVE || !page_aligned(ipa) ||
	    !page_aligned(pa) || ipa >> vm->ipa_bits)
		goto out;
	ret = -EPERM;
	if (page_owner(pa) != SKVM_OWNER_HOST)
		goto out;
	need = tables_needed(vm, ipa, &leaf);
	ret = -EEXIST;
	if (leaf && (*leaf & S2_VALID))
		goto out;
	ret = -ENOMEM;
	if (need > vm->pool_pages - vm->pool_used)
		goto out;

	/* Commit. */
	table = hyp_va(vm->pool_pa);
	for (level = start_level(vm); level < 3; level++) {
		u64 *desc = &table[level_index(ipa, level)];

		if (!(*desc & S2_VALID))
			*desc = hyp_pa(pool_alloc(vm)) | S2_TABLE | S2_VALID;
		table = table_va(*desc);
	}
	table[level_index(ipa, 3)] = pa | S2_PAGE_NORMAL_RWX;
	set_page_owner(pa, vmid);
	hw_pte_publish();
	ret = 0;
out:
	hyp_unlock(&hyp.lock);
	return ret;
}

static void teardown_table(u64 *table, unsigned int level)
{
	unsigned int i;

	for (i = 0; i < PTRS_PER_TABLE; i++) {
		u64 desc = table[i];

		if (!(desc & S2_VALID))
			continue;
		if (level < 3) {
			teardown_table(table_va(desc), level + 1);
			continue;
		}
		/* The guest's data must not reach the host: scrub first. */
		memset(table_va(desc), 0, SKVM_PAGE_SIZE);
		set_page_owner(desc & S2_ADDR_MASK, SKVM_OWNER_HOST);
	}
}

/**
 * hyp_stage2_teardown() - give every page of @vm back to the host, scrubbed,
 * and drop the VM's TLB entries everywhere. Called with the lock held and
 * no vCPU of the VM active.
 * @vm: the VM.
 */
void hyp_stage2_teardown(struct hyp_vm *vm)
{
	teardown_table(hyp_va(vm->pool_pa), start_level(vm));
	hw_tlb_flush_vmid_all(vm->vttbr);
}
