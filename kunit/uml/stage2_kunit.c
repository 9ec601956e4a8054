// SPDX-License-Identifier: GPL-2.0-only
/*
 * splitkvm_vm: the EL2 VM table and guest stage 2 (hyp/vm.c, hyp/stage2.c)
 * on a simulated CPU and a small RAM arena: every host argument is checked
 * before anything changes, pages change owner exactly when they should,
 * and the side effects (PTE publication, TLB flushes) are recorded.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <splitkvm/hypercalls.h>
#include <splitkvm/regs.h>
#include <hwregs.h>
#include <hyp/mem.h>
#include <hyp/vm.h>

#define ARENA_ORDER	10			/* 1024 pages of "RAM" */
#define ARENA_PAGES	(1UL << ARENA_ORDER)
#define HYP_PAGE	(ARENA_PAGES - 1)	/* the hyp's own */
#define POOL_PAGES	7			/* create_vm()'s, at page 0 */
#define IPA_BITS	40
#define TEST_CPUS		2
#define NR_VCPUS	8
/* A VM's region: the root table, then the VM with NR_VCPUS vCPUs. */
#define VM_PAGES	2
#define REGION(k)	(64 + VM_PAGES * (k))	/* VM k's region */
#define VCPU_PAGE(k)	(600 + (k))

struct arena {
	struct page *pages;
	u64 base;
	u8 *owner;
};

static u64 arena_pa(struct arena *a, unsigned long page)
{
	return a->base + page * SKVM_PAGE_SIZE;
}

static void arena_free(void *data)
{
	struct arena *a = data;

	__free_pages(a->pages, ARENA_ORDER);
	kfree(a->owner);
}

/* Fresh EL2 state over a fresh arena, all of it the host's. */
static struct arena *setup(struct kunit *test)
{
	struct arena *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	a->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, ARENA_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, a->pages);
	a->owner = kzalloc(ARENA_PAGES, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a->owner);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, arena_free,
							     a));
	a->base = hyp_pa(page_address(a->pages));
	memset(&hyp, 0, sizeof(hyp));
	memset(&sim_log, 0, sizeof(sim_log));
	hyp.mem.pa_bits = 48;
	hyp.mem.ram_base = a->base;
	hyp.mem.ram_pages = ARENA_PAGES;
	hyp.mem.owner = a->owner;
	hyp.cpus = kunit_kcalloc(test, TEST_CPUS, sizeof(*hyp.cpus), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hyp.cpus);
	hyp.nr_cpus = TEST_CPUS;
	a->owner[HYP_PAGE] = SKVM_OWNER_HYP;
	return a;
}

/* A VM in region @k, with NR_VCPUS vCPU ids. */
static int new_vm(struct arena *a, unsigned int k, u64 ipa_bits, u64 flags,
		  u64 *vmid)
{
	return hyp_vm_create(arena_pa(a, REGION(k)), VM_PAGES, ipa_bits, flags,
			     NR_VCPUS, vmid);
}

/* VM 1 in region 0, its pool the POOL_PAGES pages at 0. */
static u64 create_vm(struct kunit *test, struct arena *a)
{
	u64 vmid = 0;

	KUNIT_ASSERT_EQ(test, 0, new_vm(a, 0, IPA_BITS, 0, &vmid));
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_add_pool(vmid, arena_pa(a, 0),
						 POOL_PAGES));
	return vmid;
}

static struct hyp_vm *vm_of(u64 vmid)
{
	return hyp.vms[vmid].vm;
}

static int new_vcpu(struct arena *a, u64 vmid, u64 vcpuid)
{
	return hyp_vcpu_create(vmid, vcpuid,
			       arena_pa(a, VCPU_PAGE(vmid * NR_VCPUS + vcpuid)),
			       1);
}

static void vm_create_checks_everything(struct kunit *test)
{
	struct arena *a = setup(test);
	struct hyp_state *before = kunit_kmalloc(test, sizeof(hyp), GFP_KERNEL);
	static const u64 bad_bits[] = { 0, 31, 49, 64, ~0ULL };
	u64 vmid = 99;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, &hyp, sizeof(hyp));
	u64 pa = arena_pa(a, REGION(0));

	for (i = 0; i < ARRAY_SIZE(bad_bits); i++)
		KUNIT_EXPECT_EQ(test, -EINVAL, new_vm(a, 0, bad_bits[i], 0,
						      &vmid));
	KUNIT_EXPECT_EQ(test, -EINVAL, new_vm(a, 0, IPA_BITS, 2, &vmid));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_create(pa + 8, VM_PAGES,
						     IPA_BITS, 0, NR_VCPUS, &vmid));
	/* No pages, no room for the VM past the root, too many pages. */
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_create(pa, 0, IPA_BITS, 0,
						     NR_VCPUS, &vmid));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_create(pa, 1, IPA_BITS, 0,
						     NR_VCPUS, &vmid));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_create(pa, VM_PAGES, IPA_BITS, 0,
						     SKVM_MAX_VCPUS, &vmid));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_create(pa, 65, IPA_BITS, 0,
						     NR_VCPUS, &vmid));
	/* No vCPU at all, or more than KVM allows. */
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_create(pa, VM_PAGES, IPA_BITS, 0,
						     0, &vmid));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_create(pa, 64, IPA_BITS, 0,
						     SKVM_MAX_VCPUS + 1, &vmid));
	/* Not the host's: the hyp's page, and memory outside RAM. */
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vm_create(arena_pa(a, HYP_PAGE - 1),
						    VM_PAGES, IPA_BITS, 0,
						    NR_VCPUS, &vmid));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vm_create(arena_pa(a, ARENA_PAGES),
						    VM_PAGES, IPA_BITS, 0,
						    NR_VCPUS, &vmid));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vm_create(0, VM_PAGES, IPA_BITS, 0,
						    NR_VCPUS, &vmid));
	/* A PA size below 44 bits allows no level-0 start. */
	hyp.mem.pa_bits = 40;
	before->mem.pa_bits = 40;
	KUNIT_EXPECT_EQ(test, -EINVAL, new_vm(a, 0, 40, 0, &vmid));
	KUNIT_EXPECT_EQ(test, 99, vmid);
	KUNIT_EXPECT_EQ(test, 0, memcmp(before, &hyp, sizeof(hyp)));
}

static void vm_create_takes_its_pages(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = create_vm(test, a);
	struct hyp_vm *vm = vm_of(vmid);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, 1, vmid);
	for (i = 0; i < POOL_PAGES; i++)
		KUNIT_EXPECT_EQ(test, SKVM_OWNER_HYP, a->owner[i]);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[POOL_PAGES]);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HYP, a->owner[REGION(0)]);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HYP, a->owner[REGION(0) + 1]);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[REGION(1)]);
	/* The VM past its root table; the root is the VTTBR's. */
	KUNIT_EXPECT_PTR_EQ(test, hyp_va(arena_pa(a, REGION(0) + 1)), vm);
	KUNIT_EXPECT_EQ(test, NR_VCPUS, vm->nr_vcpus);
	KUNIT_EXPECT_EQ(test, arena_pa(a, REGION(0)) | (1ULL << 48),
			vm->vttbr);
	/* VTCR: T0SZ 24, level-0 start (SL0 2), 48-bit PS, WBWA, IS. */
	KUNIT_EXPECT_EQ(test, 24, vm->vtcr & 0x3f);
	KUNIT_EXPECT_EQ(test, 2, (vm->vtcr >> 6) & 3);
	KUNIT_EXPECT_EQ(test, 5, (vm->vtcr >> 16) & 7);
	/* Every VM gets its own VMID until none is left. */
	for (i = 2; i < SKVM_MAX_VMS; i++) {
		u64 id;

		KUNIT_ASSERT_EQ(test, 0, new_vm(a, i - 1, 32, 0, &id));
		KUNIT_EXPECT_EQ(test, i, id);
	}
	KUNIT_EXPECT_EQ(test, -ENOSPC, new_vm(a, SKVM_MAX_VMS - 1, 32, 0,
					      &vmid));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST,
			a->owner[REGION(SKVM_MAX_VMS - 1)]);
}

/* Walk the guest's stage 2 the way the MMU would, for one IPA. */
static u64 s2_leaf(struct hyp_vm *vm, u64 ipa)
{
	u64 *table = hyp_va(vm->region_pa);
	int level;

	for (level = vm->ipa_bits > 39 ? 0 : 1; level < 3; level++) {
		u64 desc = table[(ipa >> (39 - 9 * level)) & 511];

		if ((desc & 3) != 3)
			return 0;
		table = hyp_va(desc & 0x0000fffffffff000ULL);
	}
	return table[(ipa >> 12) & 511];
}

static void stage2_map_installs_and_owns(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = create_vm(test, a);
	struct hyp_vm *vm = vm_of(vmid);
	u64 ipa = 0x80001000ULL, pa = arena_pa(a, 20), leaf;

	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, ipa, pa));
	leaf = s2_leaf(vm, ipa);
	KUNIT_EXPECT_EQ(test, pa, leaf & 0x0000fffffffff000ULL);
	KUNIT_EXPECT_EQ(test, 3, leaf & 3);		/* page descriptor */
	KUNIT_EXPECT_EQ(test, 0xf, (leaf >> 2) & 0xf);	/* normal WB */
	KUNIT_EXPECT_EQ(test, 3, (leaf >> 6) & 3);	/* S2AP RW */
	KUNIT_EXPECT_TRUE(test, leaf & (1 << 10));	/* AF */
	KUNIT_EXPECT_EQ(test, vmid, a->owner[20]);
	/* The root, each new table before its link, then the leaf. */
	KUNIT_EXPECT_EQ(test, 1 + 3 + 1, sim_log.pte_publishes);
	/* Level 1, 2 and 3 tables: three pool pages (the root is apart). */
	KUNIT_EXPECT_EQ(test, 3, vm->pool[0].used);
	/* The next page of the same 2 MiB needs no new table. */
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, ipa + 0x1000,
						arena_pa(a, 21)));
	KUNIT_EXPECT_EQ(test, 3, vm->pool[0].used);
	KUNIT_EXPECT_EQ(test, 5 + 1, sim_log.pte_publishes);
}

/* The pool comes unzeroed from the host: a new table must not inherit. */
static void stage2_tables_start_empty(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid;

	memset(hyp_va(arena_pa(a, 0)), 0xff, POOL_PAGES * SKVM_PAGE_SIZE);
	memset(hyp_va(arena_pa(a, REGION(0))), 0xff, VM_PAGES * SKVM_PAGE_SIZE);
	vmid = create_vm(test, a);
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, 0x80000000ULL,
						arena_pa(a, 20)));
	KUNIT_EXPECT_EQ(test, 0, s2_leaf(vm_of(vmid), 0x80001000ULL));
	KUNIT_EXPECT_EQ(test, 0, s2_leaf(vm_of(vmid), 0xc0000000ULL));
	KUNIT_EXPECT_EQ(test, 0, s2_leaf(vm_of(vmid), 1ULL << 39));
}

static void stage2_map_refuses_cleanly(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = create_vm(test, a);
	struct hyp_vm *vm = vm_of(vmid);
	u64 ipa = 0x80000000ULL;
	unsigned int used;

	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, ipa, arena_pa(a, 20)));
	used = vm->pool[0].used;
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_stage2_map(vmid, ipa + 0x1000,
						     arena_pa(a, 20)));
	KUNIT_EXPECT_EQ(test, -EEXIST, hyp_stage2_map(vmid, ipa,
						      arena_pa(a, 21)));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_stage2_map(vmid, ipa + 0x1000,
						     arena_pa(a, 1)));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_stage2_map(vmid, ipa + 0x1000,
						     arena_pa(a, HYP_PAGE)));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_stage2_map(vmid, ipa + 0x1000,
						     arena_pa(a, REGION(0))));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_map(vmid, ipa + 1,
						      arena_pa(a, 21)));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_map(vmid, 1ULL << IPA_BITS,
						      arena_pa(a, 21)));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_map(0, ipa,
						      arena_pa(a, 21)));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_map(2, ipa,
						      arena_pa(a, 21)));
	KUNIT_EXPECT_EQ(test, used, vm->pool[0].used);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[21]);

	/* Another level-0 entry takes three tables, leaving one of the pool. */
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, 1ULL << 39,
						arena_pa(a, 22)));
	used = vm->pool[0].used;
	KUNIT_EXPECT_EQ(test, POOL_PAGES - 1, used);
	/* This one needs a level-2 and a level-3 table: refused whole. */
	KUNIT_EXPECT_EQ(test, -ENOMEM, hyp_stage2_map(vmid, 0x40000000ULL,
						      arena_pa(a, 23)));
	KUNIT_EXPECT_EQ(test, used, vm->pool[0].used);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[23]);
	KUNIT_EXPECT_EQ(test, 0, s2_leaf(vm, 0x40000000ULL));
}

/* Reclaim until done; returns the number of calls, checking each. */
static unsigned int reclaim_all(struct kunit *test, u64 vmid)
{
	unsigned int calls = 0, scrubs;
	u64 more = 1;

	while (more && calls < 1000) {
		scrubs = sim_log.scrubs;
		KUNIT_ASSERT_EQ(test, 0, hyp_vm_reclaim(vmid, &more));
		/* Bounded work per call. */
		KUNIT_EXPECT_LE(test, sim_log.scrubs - scrubs,
				SKVM_RECLAIM_BUDGET / SKVM_RECLAIM_SCRUB);
		calls++;
	}
	KUNIT_EXPECT_EQ(test, 0, more);
	return calls;
}

static void vm_destroy_scrubs_and_returns(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = create_vm(test, a), more = 0;
	u64 vttbr = vm_of(vmid)->vttbr;
	u8 *guest_page = hyp_va(arena_pa(a, 30));
	unsigned int i;

	for (i = 0; i < 20; i++)
		KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, 0x80000000ULL +
				i * SKVM_PAGE_SIZE, arena_pa(a, 30 + i)));
	memset(guest_page, 0xaa, SKVM_PAGE_SIZE);	/* the guest's secret */
	KUNIT_ASSERT_EQ(test, 0, new_vcpu(a, vmid, 0));
	memset(vm_of(vmid)->vcpus[0]->ctxt.regs, 0xbb, 8);	/* its secret */
	/* Only a destroyed VM is reclaimed. */
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_reclaim(vmid, &more));
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_destroy(vmid));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_destroy(vmid));
	/* Dying: nothing runs, nothing maps, nothing is created. */
	KUNIT_EXPECT_NULL(test, hyp_vcpu_claim(&hyp.cpus[0], vmid, 0));
	KUNIT_EXPECT_EQ(test, 0, hyp.cpus[0].claim_vmid);
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_map(vmid, 0x90000000ULL,
						      arena_pa(a, 55)));
	KUNIT_EXPECT_EQ(test, -EINVAL, new_vcpu(a, vmid, 1));

	/* A CPU that claims or runs one of its vCPUs holds everything back. */
	hyp.cpus[1].claim_vmid = vmid;
	KUNIT_EXPECT_EQ(test, -EBUSY, hyp_vm_reclaim(vmid, &more));
	KUNIT_EXPECT_EQ(test, vmid, a->owner[30]);
	KUNIT_EXPECT_EQ(test, 0, sim_log.tlb_flushes_all);
	hyp.cpus[1].claim_vmid = 0;

	/* A 40-bit IPA space takes several bounded calls to walk. */
	KUNIT_EXPECT_GT(test, reclaim_all(test, vmid), 1);
	for (i = 0; i < 20; i++)
		KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[30 + i]);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(guest_page, 0, SKVM_PAGE_SIZE));
	/*
	 * The three table pages, the vCPU's and the VM's two scrubbed too;
	 * every one of them is the host's again.
	 */
	KUNIT_EXPECT_EQ(test, 20 + 3 + 1 + VM_PAGES, sim_log.scrubs);
	for (i = 0; i < POOL_PAGES; i++)
		KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[i]);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(hyp_va(arena_pa(a, 0)), 0,
					    3 * SKVM_PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[REGION(0)]);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[REGION(0) + 1]);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(hyp_va(arena_pa(a, REGION(0))), 0,
					    VM_PAGES * SKVM_PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[VCPU_PAGE(NR_VCPUS)]);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(hyp_va(arena_pa(a,
					VCPU_PAGE(NR_VCPUS))), 0, SKVM_PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, 1, sim_log.tlb_flushes_all);
	KUNIT_EXPECT_EQ(test, vttbr, sim_log.last_flush_vttbr);
	KUNIT_EXPECT_EQ(test, HYP_VM_FREE, hyp.vms[vmid].state);
	KUNIT_EXPECT_NULL(test, hyp.vms[vmid].vm);
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_reclaim(vmid, &more));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_destroy(vmid));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_map(vmid, 0x80000000ULL,
						      arena_pa(a, 31)));
	/* The slot is free for the next VM. */
	KUNIT_EXPECT_EQ(test, vmid, create_vm(test, a));
}

/*
 * The host can still write the pool (no host stage 2 yet): a leaf forged
 * to point at a hyp page must not make reclaim hand that page out.
 */
static void reclaim_ignores_forged_leaves(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = create_vm(test, a), more;
	u64 *leaf;

	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, 0x80000000ULL,
						arena_pa(a, 30)));
	leaf = hyp_va(arena_pa(a, 2));		/* the level-3 table */
	leaf[1] = arena_pa(a, HYP_PAGE) | 0x7c3;	/* the hyp's page */
	leaf[2] = arena_pa(a, 40) | 0x7c3;	/* a host page */
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_destroy(vmid));
	do {
		KUNIT_ASSERT_EQ(test, 0, hyp_vm_reclaim(vmid, &more));
	} while (more);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HYP, a->owner[HYP_PAGE]);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[40]);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[30]);
}

/* Two VMs given the same page: exactly one gets it. */
static void page_goes_to_one_vm(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vm1 = create_vm(test, a), vm2 = 0;

	KUNIT_ASSERT_EQ(test, 0, new_vm(a, 1, IPA_BITS, 0, &vm2));
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_add_pool(vm2, arena_pa(a, 10), 4));
	KUNIT_EXPECT_EQ(test, 0, hyp_stage2_map(vm1, 0x80000000ULL,
						arena_pa(a, 30)));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_stage2_map(vm2, 0x80000000ULL,
						     arena_pa(a, 30)));
	/*
	 * A VM region or pool overlapping a guest page, a pool or another
	 * VM's region is refused; the vCPU pages likewise.
	 */
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vm_create(arena_pa(a, 29), 2,
						    IPA_BITS, 0, NR_VCPUS,
						    &vm2));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[29]);
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vm_create(arena_pa(a, 12), 2,
						    IPA_BITS, 0, NR_VCPUS,
						    &vm2));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vm_create(arena_pa(a, REGION(1) + 1),
						    VM_PAGES, IPA_BITS, 0,
						    NR_VCPUS, &vm2));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vm_add_pool(vm1, arena_pa(a, REGION(1)),
						      1));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vcpu_create(vm1, 0,
						      arena_pa(a, REGION(1)), 1));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vcpu_create(vm1, 0,
						      arena_pa(a, 30), 1));
}

/*
 * Unmap: the leaf goes, every TLB of the VMID drops the IPA before the page
 * changes hands, and the page goes back scrubbed (a VM that shares its
 * memory with the host keeps the contents).
 */
static void stage2_unmap_gives_back(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = create_vm(test, a), shared = 0, ipa = 0x80002000ULL;
	u8 *page = hyp_va(arena_pa(a, 30));

	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, ipa, arena_pa(a, 30)));
	memset(page, 0xaa, SKVM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_unmap(vmid, ipa + 8));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_unmap(vmid, 1ULL << 40));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_unmap(0, ipa));
	KUNIT_EXPECT_EQ(test, -ENOENT, hyp_stage2_unmap(vmid, ipa + 0x1000));
	KUNIT_EXPECT_EQ(test, -ENOENT, hyp_stage2_unmap(vmid, 1ULL << 39));
	KUNIT_EXPECT_EQ(test, vmid, a->owner[30]);
	KUNIT_EXPECT_EQ(test, 0, sim_log.tlb_flushes_ipa);

	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_unmap(vmid, ipa));
	KUNIT_EXPECT_EQ(test, 0, s2_leaf(vm_of(vmid), ipa));
	KUNIT_EXPECT_EQ(test, 1, sim_log.tlb_flushes_ipa);
	KUNIT_EXPECT_EQ(test, ipa, sim_log.last_flush_ipa);
	KUNIT_EXPECT_EQ(test, vm_of(vmid)->vttbr, sim_log.last_flush_vttbr);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[30]);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(page, 0, SKVM_PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, -ENOENT, hyp_stage2_unmap(vmid, ipa));
	/* Mapped again: the same IPA, the same page. */
	KUNIT_EXPECT_EQ(test, 0, hyp_stage2_map(vmid, ipa, arena_pa(a, 30)));

	/* A VM whose memory the host shares: no scrub, here or at reclaim. */
	KUNIT_ASSERT_EQ(test, 0, new_vm(a, 1, IPA_BITS, SKVM_VM_SHARED_MEM,
					&shared));
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_add_pool(shared, arena_pa(a, 10), 4));
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(shared, ipa, arena_pa(a, 31)));
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(shared, ipa + 0x1000,
						arena_pa(a, 32)));
	memset(hyp_va(arena_pa(a, 31)), 0x55, 2 * SKVM_PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_unmap(shared, ipa));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[31]);
	KUNIT_EXPECT_EQ(test, 1, sim_log.scrubs);	/* the first VM's page */
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_destroy(shared));
	reclaim_all(test, shared);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[32]);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(hyp_va(arena_pa(a, 31)), 0x55,
					    2 * SKVM_PAGE_SIZE));
}

/* The level-@level descriptor for @ipa, walking as the MMU would, or 0. */
static u64 s2_desc(struct hyp_vm *vm, u64 ipa, int to)
{
	u64 *table = hyp_va(vm->region_pa);
	int level;

	for (level = vm->ipa_bits > 39 ? 0 : 1; level < to; level++) {
		u64 desc = table[(ipa >> (39 - 9 * level)) & 511];

		if ((desc & 3) != 3)
			return 0;
		table = hyp_va(desc & 0x0000fffffffff000ULL);
	}
	return table[(ipa >> (39 - 9 * to)) & 511];
}

/*
 * 2 MiB blocks (the upper half of the arena, 2 MiB aligned): all 512
 * pages or none, never over a table or another leaf; a permission change
 * or an unmap anywhere in one is the whole block's, with every TLB entry
 * of the VMID gone; reclaim gives a block back page by page.
 */
static void stage2_blocks(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = create_vm(test, a), ipa = 0x40000000ULL, desc;
	u64 pa = arena_pa(a, 512), flags = SKVM_S2_BLOCK;
	unsigned int i, scrubs;

	KUNIT_ASSERT_EQ(test, 0, pa & 0x1fffff);
	/* The hyp's page is the block's last: nothing changes hands. */
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_stage2_map_prot(vmid, ipa, pa, flags));
	for (i = 512; i < HYP_PAGE; i++)
		KUNIT_ASSERT_EQ(test, SKVM_OWNER_HOST, a->owner[i]);
	a->owner[HYP_PAGE] = SKVM_OWNER_HOST;
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_map_prot(vmid, ipa + 0x1000,
							   pa, flags));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_map_prot(vmid, ipa,
							   pa + 0x1000, flags));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_map_prot(vmid, ipa, pa, 4));
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map_prot(vmid, ipa, pa, flags));
	desc = s2_desc(vm_of(vmid), ipa, 2);
	KUNIT_EXPECT_EQ(test, pa, desc & 0x0000fffffffff000ULL);
	KUNIT_EXPECT_EQ(test, 1, desc & 3);		/* a block */
	KUNIT_EXPECT_EQ(test, 3, (desc >> 6) & 3);	/* S2AP RW */
	KUNIT_EXPECT_TRUE(test, desc & (1 << 10));	/* AF */
	for (i = 512; i < ARENA_PAGES; i++)
		KUNIT_ASSERT_EQ(test, vmid, a->owner[i]);
	/* Level 1 and 2 tables only. */
	KUNIT_EXPECT_EQ(test, 2, vm_of(vmid)->pool[0].used);
	/* Nothing maps over it, or over a table, as a page or a block. */
	KUNIT_EXPECT_EQ(test, -EEXIST, hyp_stage2_map(vmid, ipa + 0x5000,
						      arena_pa(a, 30)));
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, ipa + 0x200000,
						arena_pa(a, 30)));
	/* Read-only, the whole block, on every CPU. */
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_protect(vmid, ipa + 0x7000, 0));
	KUNIT_EXPECT_EQ(test, 1, (s2_desc(vm_of(vmid), ipa, 2) >> 6) & 3);
	KUNIT_EXPECT_EQ(test, 1, sim_log.tlb_flushes_all);
	/* An unmap in the middle takes it all back, scrubbed. */
	memset(hyp_va(pa + 0x100000), 0xaa, SKVM_PAGE_SIZE);
	scrubs = sim_log.scrubs;
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_unmap(vmid, ipa + 0x3000));
	KUNIT_EXPECT_EQ(test, 0, s2_desc(vm_of(vmid), ipa, 2));
	KUNIT_EXPECT_EQ(test, 2, sim_log.tlb_flushes_all);
	KUNIT_EXPECT_EQ(test, scrubs + 512, sim_log.scrubs);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(hyp_va(pa + 0x100000), 0,
					    SKVM_PAGE_SIZE));
	for (i = 512; i < ARENA_PAGES; i++)
		KUNIT_ASSERT_EQ(test, SKVM_OWNER_HOST, a->owner[i]);
	KUNIT_EXPECT_EQ(test, -ENOENT, hyp_stage2_unmap(vmid, ipa));
	/* Where a table of pages is, no block. */
	KUNIT_EXPECT_EQ(test, -EEXIST, hyp_stage2_map_prot(vmid, ipa + 0x200000,
							   pa, flags));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[512]);

	/* Read-only from the start; then reclaimed in bounded steps. */
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map_prot(vmid, ipa, pa, flags |
						     SKVM_S2_READONLY));
	KUNIT_EXPECT_EQ(test, 1, (s2_desc(vm_of(vmid), ipa, 2) >> 6) & 3);
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_destroy(vmid));
	KUNIT_EXPECT_GT(test, reclaim_all(test, vmid), 8);
	for (i = 512; i < ARENA_PAGES; i++)
		KUNIT_ASSERT_EQ(test, SKVM_OWNER_HOST, a->owner[i]);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[30]);
}

/*
 * Page aging with the stage-2 access flag: a map starts used, a clear
 * makes it unused until the guest's access flag fault, which EL2 answers
 * by setting the flag. No TLB invalidation either way.
 */
static void stage2_access_flag(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = create_vm(test, a), ipa = 0x80004000ULL;

	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, ipa, arena_pa(a, 30)));
	KUNIT_EXPECT_EQ(test, 1, hyp_stage2_age(vmid, ipa, 0));
	KUNIT_EXPECT_EQ(test, 1, hyp_stage2_age(vmid, ipa, 1));
	KUNIT_EXPECT_FALSE(test, s2_leaf(vm_of(vmid), ipa) & (1 << 10));
	KUNIT_EXPECT_EQ(test, 0, hyp_stage2_age(vmid, ipa, 0));
	KUNIT_EXPECT_EQ(test, 0, hyp_stage2_age(vmid, ipa, 1));
	KUNIT_EXPECT_EQ(test, -ENOENT, hyp_stage2_age(vmid, ipa + 0x1000, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_age(vmid, ipa + 8, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_age(vmid, ipa, 2));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_age(vmid + 1, ipa, 0));
	/* The guest's access flag fault, anywhere in the page. */
	KUNIT_EXPECT_TRUE(test, hyp_stage2_access(vmid, ipa + 0x123));
	KUNIT_EXPECT_TRUE(test, s2_leaf(vm_of(vmid), ipa) & (1 << 10));
	KUNIT_EXPECT_EQ(test, arena_pa(a, 30), s2_leaf(vm_of(vmid), ipa) &
			0x0000fffffffff000ULL);
	KUNIT_EXPECT_EQ(test, 1, hyp_stage2_age(vmid, ipa, 0));
	KUNIT_EXPECT_FALSE(test, hyp_stage2_access(vmid, ipa + 0x1000));
	KUNIT_EXPECT_FALSE(test, hyp_stage2_access(vmid + 1, ipa));
	KUNIT_EXPECT_EQ(test, 0, sim_log.tlb_flushes_ipa);
	KUNIT_EXPECT_EQ(test, 0, sim_log.tlb_flushes_all);
	/* A block ages as one. */
	a->owner[HYP_PAGE] = SKVM_OWNER_HOST;
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map_prot(vmid, 0x40000000ULL,
						     arena_pa(a, 512),
						     SKVM_S2_BLOCK));
	KUNIT_EXPECT_EQ(test, 1, hyp_stage2_age(vmid, 0x40123000ULL, 1));
	KUNIT_EXPECT_EQ(test, 0, hyp_stage2_age(vmid, 0x40000000ULL, 0));
	KUNIT_EXPECT_TRUE(test, hyp_stage2_access(vmid, 0x401ff008ULL));
	KUNIT_EXPECT_EQ(test, 1, hyp_stage2_age(vmid, 0x40000000ULL, 0));
}

/* Read-only mappings and permission changes, as dirty logging uses them. */
static void stage2_permissions(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = create_vm(test, a), ipa = 0x80003000ULL;
	struct hyp_vm *vm = vm_of(vmid);

	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_map_prot(vmid, ipa,
						arena_pa(a, 30), 2));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[30]);
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map_prot(vmid, ipa, arena_pa(a, 30),
						     SKVM_S2_READONLY));
	KUNIT_EXPECT_EQ(test, 1, (s2_leaf(vm, ipa) >> 6) & 3);	/* S2AP RO */
	KUNIT_EXPECT_EQ(test, -ENOENT, hyp_stage2_protect(vmid, ipa + 0x1000, 1));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_protect(vmid, ipa, 2));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_stage2_protect(vmid, ipa + 4, 1));
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_protect(vmid, ipa, 1));
	KUNIT_EXPECT_EQ(test, 3, (s2_leaf(vm, ipa) >> 6) & 3);	/* RW */
	KUNIT_EXPECT_EQ(test, arena_pa(a, 30), s2_leaf(vm, ipa) &
			0x0000fffffffff000ULL);
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_protect(vmid, ipa, 0));
	KUNIT_EXPECT_EQ(test, 1, (s2_leaf(vm, ipa) >> 6) & 3);
	/* Every change reached every TLB. */
	KUNIT_EXPECT_EQ(test, 2, sim_log.tlb_flushes_ipa);
	KUNIT_EXPECT_EQ(test, ipa, sim_log.last_flush_ipa);
}

/* The pool grows by chunks the host donates; all come back at reclaim. */
static void pool_grows(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = 0, more = 1;
	unsigned int i;

	/* Two table pages: not enough for a first map, which takes three. */
	KUNIT_ASSERT_EQ(test, 0, new_vm(a, 0, IPA_BITS, 0, &vmid));
	KUNIT_EXPECT_EQ(test, -ENOMEM, hyp_stage2_map(vmid, 0x80000000ULL,
						      arena_pa(a, 30)));
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_add_pool(vmid, arena_pa(a, 0), 2));
	KUNIT_EXPECT_EQ(test, -ENOMEM, hyp_stage2_map(vmid, 0x80000000ULL,
						      arena_pa(a, 30)));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[30]);
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vm_add_pool(vmid, arena_pa(a, 1), 1));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vm_add_pool(vmid, arena_pa(a, HYP_PAGE),
						      1));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_add_pool(vmid, arena_pa(a, 4) + 8,
						       1));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vm_add_pool(vmid + 1, arena_pa(a, 4),
						       1));
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_add_pool(vmid, arena_pa(a, 4), 2));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HYP, a->owner[4]);
	KUNIT_ASSERT_EQ(test, 0, hyp_stage2_map(vmid, 0x80000000ULL,
						arena_pa(a, 30)));
	KUNIT_EXPECT_EQ(test, arena_pa(a, 30),
			s2_leaf(vm_of(vmid), 0x80000000ULL) &
			0x0000fffffffff000ULL);
	KUNIT_EXPECT_EQ(test, 1, vm_of(vmid)->pool[1].used);
	/* At most SKVM_POOL_CHUNKS chunks. */
	for (i = 2; i < SKVM_POOL_CHUNKS; i++)
		KUNIT_ASSERT_EQ(test, 0, hyp_vm_add_pool(vmid, arena_pa(a, 4 + i),
							 1));
	KUNIT_EXPECT_EQ(test, -ENOSPC, hyp_vm_add_pool(vmid, arena_pa(a, 40),
						       1));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[40]);
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_destroy(vmid));
	while (more)
		KUNIT_ASSERT_EQ(test, 0, hyp_vm_reclaim(vmid, &more));
	for (i = 0; i < 4 + SKVM_POOL_CHUNKS; i++)
		KUNIT_EXPECT_EQ_MSG(test, SKVM_OWNER_HOST, a->owner[i], "page %u", i);
	/* The guest's page, the three table pages and the VM's own. */
	KUNIT_EXPECT_EQ(test, 1 + 3 + VM_PAGES, sim_log.scrubs);
}

/* Host indices are clamped under speculation to the table they index. */
static void indices_clamped(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 5, hw_index_nospec(5, 16));
	KUNIT_EXPECT_EQ(test, 0, hw_index_nospec(16, 16));
	KUNIT_EXPECT_EQ(test, 0, hw_index_nospec(~0ULL, 16));
	KUNIT_EXPECT_NULL(test, hyp_vm_slot(0));
	KUNIT_EXPECT_NULL(test, hyp_vm_slot(SKVM_MAX_VMS));
	KUNIT_EXPECT_PTR_EQ(test, &hyp.vms[3], hyp_vm_slot(3));
}

static void vcpu_regs_are_checked(struct kunit *test)
{
	struct arena *a = setup(test);
	u64 vmid = create_vm(test, a), val = 0, big = 0, other = 0;
	u64 pa = arena_pa(a, VCPU_PAGE(0));

	KUNIT_EXPECT_EQ(test, -EINVAL, new_vcpu(a, vmid, NR_VCPUS));
	KUNIT_EXPECT_EQ(test, -EINVAL, new_vcpu(a, vmid + 1, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_create(vmid, 0, pa, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_create(vmid, 0, pa, 17));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_create(vmid, 0, pa + 8, 1));
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vcpu_create(vmid, 0,
						      arena_pa(a, HYP_PAGE), 1));
	KUNIT_EXPECT_NULL(test, vm_of(vmid)->vcpus[0]);
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HOST, a->owner[VCPU_PAGE(0)]);
	KUNIT_ASSERT_EQ(test, 0, new_vcpu(a, vmid, 3));
	KUNIT_EXPECT_EQ(test, SKVM_OWNER_HYP,
			a->owner[VCPU_PAGE(vmid * NR_VCPUS + 3)]);
	KUNIT_EXPECT_EQ(test, -EEXIST, new_vcpu(a, vmid, 3));
	/* Its page is the hyp's now: no second vCPU there. */
	KUNIT_EXPECT_EQ(test, -EPERM, hyp_vcpu_create(vmid, 4,
				arena_pa(a, VCPU_PAGE(vmid * NR_VCPUS + 3)), 1));
	/* Reset state: EL1h, DAIF masked, MPIDR.Aff0 = vcpuid. */
	KUNIT_ASSERT_EQ(test, 0, hyp_vcpu_get_reg(vmid, 3, SKVM_REG_PSTATE,
						  &val));
	KUNIT_EXPECT_EQ(test, 0x3c5, val);
	KUNIT_ASSERT_EQ(test, 0, hyp_vcpu_get_reg(vmid, 3, SKVM_REG_SYS +
						  SKVM_MPIDR_EL1, &val));
	KUNIT_EXPECT_EQ(test, 0x80000003, val);
	/* KVM's layout past 16 vCPUs: Aff0 = id % 16, Aff1 = id / 16. */
	KUNIT_ASSERT_EQ(test, 0, hyp_vm_create(arena_pa(a, REGION(1)), 3,
					       IPA_BITS, 0, SKVM_MAX_VCPUS,
					       &big));
	KUNIT_ASSERT_EQ(test, 0, hyp_vcpu_create(big, 300,
					arena_pa(a, VCPU_PAGE(100)), 1));
	KUNIT_ASSERT_EQ(test, 0, hyp_vcpu_get_reg(big, 300, SKVM_REG_SYS +
						  SKVM_MPIDR_EL1, &val));
	KUNIT_EXPECT_EQ(test, 0x8000120c, val);
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_get_reg(big, 299, SKVM_REG_PC,
							&val));

	KUNIT_EXPECT_EQ(test, 0, hyp_vcpu_set_reg(vmid, 3, SKVM_REG_V + 63, 7));
	KUNIT_EXPECT_EQ(test, 7, vm_of(vmid)->vcpus[3]->ctxt.fp.vregs[63]);
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_set_reg(vmid, 3, SKVM_REG_NR,
							1));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_set_reg(vmid, 3, 33, 1));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_set_reg(vmid, 2, 0, 1));
	/* Never into EL2, never into AArch32. */
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_set_reg(vmid, 3,
							SKVM_REG_PSTATE, 0x3c9));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_set_reg(vmid, 3,
							SKVM_REG_PSTATE, 0x3d5));
	KUNIT_EXPECT_EQ(test, 0, hyp_vcpu_set_reg(vmid, 3, SKVM_REG_PSTATE,
						  0x3c4));
	/* CNTVOFF is the VM's, whichever vCPU names it; no other VM's. */
	KUNIT_ASSERT_EQ(test, 0, new_vcpu(a, vmid, 0));
	KUNIT_EXPECT_EQ(test, 0, hyp_vcpu_set_reg(vmid, 3, SKVM_REG_CNTVOFF,
						  0x1234));
	KUNIT_EXPECT_EQ(test, 0x1234, vm_of(vmid)->cntvoff);
	KUNIT_EXPECT_EQ(test, 0, hyp_vcpu_get_reg(vmid, 0, SKVM_REG_CNTVOFF,
						  &val));
	KUNIT_EXPECT_EQ(test, 0x1234, val);
	KUNIT_EXPECT_EQ(test, 0, vm_of(big)->cntvoff);
	/* A physical counter offset traps the counter (EL1PCTEN), 0 not. */
	KUNIT_EXPECT_EQ(test, 0, hyp_vcpu_set_reg(vmid, 3, SKVM_REG_CNTPOFF,
						  0x99));
	KUNIT_EXPECT_EQ(test, 1, vm_of(vmid)->cnthctl_clr);
	KUNIT_EXPECT_EQ(test, 0, hyp_vcpu_set_reg(vmid, 0, SKVM_REG_CNTPOFF, 0));
	KUNIT_EXPECT_EQ(test, 0, vm_of(vmid)->cnthctl_clr);
	other = big;
	/*
	 * The VM's ID registers start as the guests' table; its CTR_EL0 as
	 * the hardware's, and one that differs traps the cache ID registers.
	 */
	KUNIT_EXPECT_EQ(test, hyp.guest_el2.id_regs[SKVM_ID_REG_INDEX(4, 0)],
			vm_of(vmid)->id_regs[SKVM_ID_REG_INDEX(4, 0)]);
	KUNIT_EXPECT_EQ(test, 0, hyp_vcpu_set_reg(vmid, 3, SKVM_REG_ID0 +
						  SKVM_ID_REG_INDEX(4, 0), 7));
	KUNIT_EXPECT_EQ(test, 7, vm_of(vmid)->id_regs[SKVM_ID_REG_INDEX(4, 0)]);
	KUNIT_EXPECT_EQ(test, 0, vm_of(vmid)->hcr_set);
	KUNIT_EXPECT_EQ(test, 0, hyp_vcpu_set_reg(vmid, 3, SKVM_REG_CTR,
						  sim_hw.ctr_el0 ^ 1));
	KUNIT_EXPECT_EQ(test, 1UL << 17, vm_of(vmid)->hcr_set);
	KUNIT_EXPECT_EQ(test, 0, hyp_vcpu_set_reg(vmid, 3, SKVM_REG_CTR,
						  sim_hw.ctr_el0));
	KUNIT_EXPECT_EQ(test, 0, vm_of(vmid)->hcr_set);
	/* An ACTIVE vCPU belongs to the CPU running it. */
	vm_of(vmid)->vcpus[3]->state = HYP_VCPU_ACTIVE;
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_get_reg(vmid, 3, 0, &val));
	KUNIT_EXPECT_EQ(test, -EINVAL, hyp_vcpu_set_reg(vmid, 3, 0, 1));
	KUNIT_EXPECT_EQ(test, 0x3c4, vm_of(vmid)->vcpus[3]->ctxt.pstate);
	KUNIT_EXPECT_NULL(test, hyp_vcpu_claim(&hyp.cpus[0], vmid, 3));
	/* A READY one is claimed by one CPU, named in its claim_vmid. */
	KUNIT_EXPECT_PTR_EQ(test, vm_of(vmid)->vcpus[0],
			    hyp_vcpu_claim(&hyp.cpus[1], vmid, 0));
	KUNIT_EXPECT_EQ(test, vmid, hyp.cpus[1].claim_vmid);
	KUNIT_EXPECT_NULL(test, hyp_vcpu_claim(&hyp.cpus[0], vmid, 0));
	KUNIT_EXPECT_EQ(test, 0, hyp.cpus[0].claim_vmid);
	hyp_vcpu_release(&hyp.cpus[1], vm_of(vmid)->vcpus[0]);
	KUNIT_EXPECT_EQ(test, 0, hyp.cpus[1].claim_vmid);
	KUNIT_EXPECT_EQ(test, HYP_VCPU_READY, vm_of(vmid)->vcpus[0]->state);
	KUNIT_EXPECT_NULL(test, hyp_vcpu_claim(&hyp.cpus[0], other, 299));
}

static struct kunit_case splitkvm_vm_cases[] = {
	KUNIT_CASE(vm_create_checks_everything),
	KUNIT_CASE(vm_create_takes_its_pages),
	KUNIT_CASE(stage2_map_installs_and_owns),
	KUNIT_CASE(stage2_map_refuses_cleanly),
	KUNIT_CASE(stage2_tables_start_empty),
	KUNIT_CASE(vm_destroy_scrubs_and_returns),
	KUNIT_CASE(reclaim_ignores_forged_leaves),
	KUNIT_CASE(page_goes_to_one_vm),
	KUNIT_CASE(stage2_unmap_gives_back),
	KUNIT_CASE(stage2_permissions),
	KUNIT_CASE(stage2_blocks),
	KUNIT_CASE(stage2_access_flag),
	KUNIT_CASE(pool_grows),
	KUNIT_CASE(indices_clamped),
	KUNIT_CASE(vcpu_regs_are_checked),
	{}
};

static struct kunit_suite splitkvm_vm_suite = {
	.name = "splitkvm_vm",
	.test_cases = splitkvm_vm_cases,
};
kunit_test_suite(splitkvm_vm_suite);
