// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM table at EL2. Every argument comes from the untrusted host: each
 * call checks all of them first and changes nothing unless all are good.
 * Every index the host supplies is clamped under speculation as well.
 *
 * A VM and its vCPUs live in pages the host donated; the table of slots
 * is EL2's own. Locks: hyp.lock guards the table itself (a slot going
 * FREE <-> LIVE); each slot's lock guards its VM's stage 2, its reclaim,
 * its vCPU creation and register access, and keeps the VM from going.
 * Lock order: a slot's lock, then hyp.lock. Running a vCPU takes neither.
 */
#include <linux/errno.h>
#include <hyp/lib.h>
#include <splitkvm/hypercalls.h>
#include <splitkvm/regs.h>
#include <hwregs.h>
#include <hyp/mem.h>
#include <hyp/spinlock.h>
#include <hyp/vm.h>

/* VTCR_EL2 fields (Arm ARM, VTCR_EL2). */
#define VTCR_RES1		(1UL << 31)
#define VTCR_PS_SHIFT		16
#define VTCR_SH0_INNER		(3UL << 12)
#define VTCR_ORGN0_WBWA		(1UL << 10)
#define VTCR_IRGN0_WBWA		(1UL << 8)
#define VTCR_SL0_SHIFT		6
#define VTTBR_VMID_SHIFT	48

/* A vCPU starts in EL1h with DAIF masked and the MMU off. */
#define PSR_MODE_EL0t		0x0UL
#define PSR_MODE_EL1t		0x4UL
#define PSR_MODE_EL1h		0x5UL
#define PSR_MODE_MASK		0x1fUL
#define PSR_DAIF		(0xfUL << 6)
#define SCTLR_EL1_RES1		0x30d00800UL
#define MPIDR_RES1		(1UL << 31)
#define MAX_POOL_PAGES		(1UL << 18)
#define MAX_VM_PAGES		64
#define MAX_VCPU_PAGES		16

static u64 pa_range_field(u64 pa_bits)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48 };
	u64 i;

	for (i = 0; i < ARRAY_SIZE(bits) - 1; i++)
		if (pa_bits <= bits[i])
			break;
	return i;
}

/*
 * A 4 KiB stage 2 starting at level 1 covers up to 39 bits with one root
 * page; 40..48 bits start at level 0, which the Arm ARM only permits when
 * the PA size is at least 44 bits (VTCR_EL2.SL0, "4KB granule").
 */
static int check_ipa_bits(u64 ipa_bits)
{
	if (ipa_bits < SKVM_MIN_IPA_BITS || ipa_bits > SKVM_MAX_IPA_BITS ||
	    ipa_bits > hyp.mem.pa_bits)
		return -EINVAL;
	if (ipa_bits > 39 && hyp.mem.pa_bits < 44)
		return -EINVAL;
	return 0;
}

/*
 * KVM's MPIDR_EL1 for vCPU @id: 16 vCPUs per Aff0 range (the most a GICv3
 * SGI can target at once), then Aff1 and Aff2.
 */
static u64 vcpu_mpidr(u64 id)
{
	return MPIDR_RES1 | (id & 0xf) | ((id >> 4) & 0xff) << 8 |
	       ((id >> 12) & 0xff) << 16;
}

/*
 * Take @pages pages at @pa from the host for the hyp, each with a
 * compare-and-swap (a stage-2 map of another VM may race for the same
 * page): all of them, or none.
 */
static int take_host_range(u64 pa, u64 pages)
{
	u64 i;

	if (!page_aligned(pa) || !pages || pages > MAX_POOL_PAGES)
		return -EINVAL;
	for (i = 0; i < pages; i++) {
		if (!claim_page(pa + (i << SKVM_PAGE_SHIFT), SKVM_OWNER_HOST,
				SKVM_OWNER_HYP)) {
			while (i--)
				set_page_owner(pa + (i << SKVM_PAGE_SHIFT),
					       SKVM_OWNER_HOST);
			return -EPERM;
		}
	}
	return 0;
}

/* Bytes of the VM region after its root table: struct, vCPUs, CPUs. */
static u64 vm_struct_bytes(u64 nr_vcpus)
{
	return sizeof(struct hyp_vm) + nr_vcpus * sizeof(struct hyp_vcpu *) +
	       hyp.nr_cpus * sizeof(u32);
}

static bool vm_in_state(struct hyp_vm_slot *slot, u32 state)
{
	return __atomic_load_n(&slot->state, __ATOMIC_ACQUIRE) == state;
}

/* Lay out a VM in its zeroed region (root table, then the structure). */
static struct hyp_vm *vm_init(u64 pa, u64 pages, u64 nr_vcpus)
{
	struct hyp_vm *vm = hyp_va(pa + SKVM_PAGE_SIZE);
	u64 i;

	vm->region_pa = pa;
	vm->region_pages = pages;
	vm->nr_vcpus = nr_vcpus;
	vm->vcpus = (struct hyp_vcpu **)(vm + 1);
	vm->last_vcpu_ran = (u32 *)(vm->vcpus + nr_vcpus);
	for (i = 0; i < hyp.nr_cpus; i++)
		vm->last_vcpu_ran[i] = nr_vcpus;
	return vm;
}

/**
 * hyp_vm_create() - make a VM from pages the host donates.
 * @pa: the VM's region, page aligned: a page for the stage-2 root table,
 *	then room for HYP_VM_SIZE bytes, a pointer per vCPU and a u32 per CPU.
 * @pages: its size in pages, at most 64.
 * @ipa_bits: the guest's IPA size.
 * @flags: SKVM_VM_SHARED_MEM or 0.
 * @nr_vcpus: vCPU ids the VM may use, 1..SKVM_MAX_VCPUS.
 * @vmid: set to the new VM's id.
 *
 * Return: 0; -EINVAL for a bad argument; -EPERM if a page is not the
 * host's; -ENOSPC if every VM slot is taken.
 */
int hyp_vm_create(u64 pa, u64 pages, u64 ipa_bits, u64 flags, u64 nr_vcpus,
		  u64 *vmid)
{
	struct hyp_vm_slot *slot = NULL;
	struct hyp_vm *vm;
	u64 id;
	int ret;

	ret = check_ipa_bits(ipa_bits);
	if (ret)
		return ret;
	if ((flags & ~SKVM_VM_SHARED_MEM) || !nr_vcpus ||
	    nr_vcpus > SKVM_MAX_VCPUS || !pages || pages > MAX_VM_PAGES ||
	    (pages - 1) << SKVM_PAGE_SHIFT < vm_struct_bytes(nr_vcpus))
		return -EINVAL;
	hyp_lock(&hyp.lock);
	for (id = 1; id < SKVM_MAX_VMS; id++) {
		if (hyp.vms[id].state == HYP_VM_FREE) {
			slot = &hyp.vms[id];
			break;
		}
	}
	ret = -ENOSPC;
	if (!slot)
		goto out;
	ret = take_host_range(pa, pages);
	if (ret)
		goto out;

	/* Commit: nothing below can fail. */
	memset(hyp_va(pa), 0, pages << SKVM_PAGE_SHIFT);
	vm = vm_init(pa, pages, nr_vcpus);
	vm->ipa_bits = ipa_bits;
	vm->shared_mem = !!(flags & SKVM_VM_SHARED_MEM);
	memcpy(vm->id_regs, hyp.guest_el2.id_regs, sizeof(vm->id_regs));
	vm->ctr = hw_read(ctr_el0);
	vm->clidr = hw_read(clidr_el1);
	vm->vttbr = pa | (id << VTTBR_VMID_SHIFT);
	vm->vtcr = VTCR_RES1 | (pa_range_field(hyp.mem.pa_bits) << VTCR_PS_SHIFT) |
		   VTCR_SH0_INNER | VTCR_ORGN0_WBWA | VTCR_IRGN0_WBWA |
		   ((ipa_bits > 39 ? 2UL : 1UL) << VTCR_SL0_SHIFT) |
		   (64 - ipa_bits);
	slot->vm = vm;
	/* The zeroed root and the VM are in place before any CPU uses them. */
	hw_pte_publish();
	__atomic_store_n(&slot->state, HYP_VM_LIVE, __ATOMIC_RELEASE);
	*vmid = id;
	ret = 0;
out:
	hyp_unlock(&hyp.lock);
	return ret;
}

/* The VM slot @vmid names, clamped under speculation, or NULL. */
struct hyp_vm_slot *hyp_vm_slot(u64 vmid)
{
	if (vmid == SKVM_HOST_VMID || vmid >= SKVM_MAX_VMS)
		return NULL;
	return &hyp.vms[hw_index_nospec(vmid, SKVM_MAX_VMS)];
}

/*
 * Lock the slot of a VM in @state: its VM stays while the lock is held.
 * Return: the VM, or NULL (nothing held) if @vmid names no such VM.
 */
struct hyp_vm *hyp_vm_lock(u64 vmid, u32 state)
{
	struct hyp_vm_slot *slot = hyp_vm_slot(vmid);

	if (!slot)
		return NULL;
	hyp_lock(&slot->lock);
	if (vm_in_state(slot, state))
		return slot->vm;
	hyp_unlock(&slot->lock);
	return NULL;
}

void hyp_vm_unlock(u64 vmid)
{
	hyp_unlock(&hyp_vm_slot(vmid)->lock);
}

/**
 * hyp_vm_destroy() - stop a VM for good: no vCPU of it runs again. Its
 * pages stay the guest's until hyp_vm_reclaim() has scrubbed them.
 * @vmid: the VM.
 *
 * Return: 0, or -EINVAL if @vmid is not a LIVE VM.
 */
int hyp_vm_destroy(u64 vmid)
{
	struct hyp_vm_slot *slot = hyp_vm_slot(vmid);
	int ret = -EINVAL;

	if (!slot)
		return ret;
	hyp_lock(&hyp.lock);
	if (vm_in_state(slot, HYP_VM_LIVE)) {
		/* Sequentially consistent: pairs with hyp_vcpu_claim(). */
		__atomic_store_n(&slot->state, HYP_VM_DYING, __ATOMIC_SEQ_CST);
		ret = 0;
	}
	hyp_unlock(&hyp.lock);
	return ret;
}

/* No CPU is claiming or running a vCPU of VM @vmid (which is DYING). */
static bool vm_unused(u64 vmid)
{
	u32 i;

	for (i = 0; i < hyp.nr_cpus; i++)
		if (__atomic_load_n(&hyp.cpus[i].claim_vmid, __ATOMIC_SEQ_CST) ==
		    vmid)
			return false;
	return true;
}

/* Scrub @pages pages at @pa that EL2 held and give them to the host. */
static void give_pages(u64 pa, u64 pages)
{
	u64 i;

	for (i = 0; i < pages; i++, pa += SKVM_PAGE_SIZE) {
		hw_scrub_page(hyp_va(pa));
		set_page_owner(pa, SKVM_OWNER_HOST);
	}
}

/* Scrub the pool's table pages and hand every chunk back. */
static bool reclaim_pool(struct hyp_vm *vm, unsigned int *budget)
{
	while (vm->reclaim_chunk < vm->nr_pool) {
		struct hyp_pool_chunk *c = &vm->pool[vm->reclaim_chunk];
		u64 pa = c->pa + (vm->reclaim_page << SKVM_PAGE_SHIFT);

		if (vm->reclaim_page == c->pages) {
			vm->reclaim_chunk++;
			vm->reclaim_page = 0;
			continue;
		}
		if (*budget < SKVM_RECLAIM_SCRUB)
			return false;
		/* Pages past the used ones were never written by EL2. */
		if (vm->reclaim_page < c->used) {
			hw_scrub_page(hyp_va(pa));
			*budget -= SKVM_RECLAIM_SCRUB;
		}
		set_page_owner(pa, SKVM_OWNER_HOST);
		vm->reclaim_page++;
	}
	return true;
}

/* Scrub every vCPU's pages (its registers are the guest's) and give them. */
static bool reclaim_vcpus(struct hyp_vm *vm, unsigned int *budget)
{
	for (; vm->reclaim_vcpu < vm->nr_vcpus; vm->reclaim_vcpu++) {
		struct hyp_vcpu *vcpu = vm->vcpus[vm->reclaim_vcpu];

		if (!vcpu) {
			if (!*budget)
				return false;
			*budget -= 1;
			continue;
		}
		if (*budget < vcpu->pages * SKVM_RECLAIM_SCRUB)
			return false;
		*budget -= vcpu->pages * SKVM_RECLAIM_SCRUB;
		vm->vcpus[vm->reclaim_vcpu] = NULL;
		if (vcpu->gic)
			set_page_owner(hyp_pa(vcpu->gic), SKVM_OWNER_HOST);
		give_pages(hyp_pa(vcpu), vcpu->pages);
	}
	return true;
}

/**
 * hyp_vm_add_pool() - the host donates more pages for a LIVE VM's stage-2
 * tables (one more chunk, at most SKVM_POOL_CHUNKS in all).
 * @vmid: the VM.
 * @pa: first page, page aligned, the host's.
 * @pages: how many.
 *
 * Return: 0; -EINVAL for a bad VM or range; -EPERM if a page is not the
 * host's; -ENOSPC if the VM has all its chunks.
 */
int hyp_vm_add_pool(u64 vmid, u64 pa, u64 pages)
{
	struct hyp_vm *vm = hyp_vm_lock(vmid, HYP_VM_LIVE);
	int ret = -ENOSPC;

	if (!vm)
		return -EINVAL;
	if (vm->nr_pool == SKVM_POOL_CHUNKS)
		goto out;
	ret = take_host_range(pa, pages);
	if (ret)
		goto out;
	vm->pool[vm->nr_pool++] = (struct hyp_pool_chunk){
		.pa = pa, .pages = pages,
	};
out:
	hyp_vm_unlock(vmid);
	return ret;
}

/**
 * hyp_vm_reclaim() - give back a bounded batch of a DYING VM's pages,
 * scrubbed (about SKVM_RECLAIM_BUDGET units of work); the call that gives
 * back the last frees the slot, and the VM's own pages with it.
 * @vmid: the VM.
 * @more: set to 1 while pages are left, 0 once the slot is free.
 *
 * Return: 0; -EINVAL if @vmid is not DYING; -EBUSY while a CPU still
 * claims or runs one of its vCPUs (nothing is given back then).
 */
int hyp_vm_reclaim(u64 vmid, u64 *more)
{
	struct hyp_vm *vm = hyp_vm_lock(vmid, HYP_VM_DYING);
	unsigned int budget = SKVM_RECLAIM_BUDGET;
	struct hyp_vm_slot *slot = hyp_vm_slot(vmid);
	int ret = -EBUSY;

	if (!vm)
		return -EINVAL;
	if (!vm_unused(vmid))
		goto out;
	ret = 0;
	/* No CPU may keep a translation of a page once it is the host's. */
	if (!vm->tlb_flushed) {
		hw_tlb_flush_vmid_all(vm->vttbr);
		vm->tlb_flushed = 1;
	}
	*more = 1;
	if (!hyp_stage2_reclaim(vm, &budget) || !reclaim_pool(vm, &budget) ||
	    !reclaim_vcpus(vm, &budget) ||
	    budget < vm->region_pages * SKVM_RECLAIM_SCRUB)
		goto out;
	hyp_lock(&hyp.lock);
	slot->vm = NULL;
	__atomic_store_n(&slot->state, HYP_VM_FREE, __ATOMIC_RELEASE);
	hyp_unlock(&hyp.lock);
	/* Under the slot's lock still: nobody can reach the VM any more. */
	give_pages(vm->region_pa, vm->region_pages);
	*more = 0;
out:
	hyp_vm_unlock(vmid);
	return ret;
}

/**
 * hyp_vcpu_create() - make vCPU @vcpuid of a LIVE VM in pages the host
 * donates for it.
 * @vmid: the VM.
 * @vcpuid: below the VM's nr_vcpus, not yet created.
 * @pa: page aligned, the host's.
 * @pages: enough for the vCPU (HYP_VCPU_SIZE bytes), at most 16.
 *
 * Return: 0; -EINVAL for a bad argument; -EEXIST if the vCPU exists;
 * -EPERM if a page is not the host's.
 */
int hyp_vcpu_create(u64 vmid, u64 vcpuid, u64 pa, u64 pages)
{
	struct hyp_vm *vm = hyp_vm_lock(vmid, HYP_VM_LIVE);
	struct hyp_vcpu **slot, *vcpu;
	int ret = -EINVAL;

	if (!vm)
		return ret;
	if (vcpuid >= vm->nr_vcpus || pages > MAX_VCPU_PAGES ||
	    pages << SKVM_PAGE_SHIFT < sizeof(*vcpu))
		goto out;
	slot = &vm->vcpus[hw_index_nospec(vcpuid, vm->nr_vcpus)];
	ret = -EEXIST;
	if (*slot)
		goto out;
	ret = take_host_range(pa, pages);
	if (ret)
		goto out;
	vcpu = hyp_va(pa);
	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->ctxt.pstate = PSR_DAIF | PSR_MODE_EL1h;
	vcpu->ctxt.sys[SKVM_SCTLR_EL1] = SCTLR_EL1_RES1;
	vcpu->ctxt.sys[SKVM_MPIDR_EL1] = vcpu_mpidr(vcpuid);
	vcpu->pages = pages;
	vcpu->state = HYP_VCPU_READY;
	/* A claim that finds the pointer finds the vCPU ready. */
	__atomic_store_n(slot, vcpu, __ATOMIC_RELEASE);
out:
	hyp_vm_unlock(vmid);
	return ret;
}

/**
 * hyp_vcpu_share_gic() - give a vCPU its GICv3 virtual CPU interface: a
 * page of the host's it shares with EL2 (struct skvm_vgic_if) for as long
 * as the vCPU lives. From the next run on, the guest's GIC CPU interface
 * is the hardware's virtual one.
 * @vmid: the VM.
 * @vcpuid: the vCPU.
 * @pa: the page, the host's.
 * @vtr: set to ICH_VTR_EL2 (the list registers and priority bits).
 *
 * Return: 0; -EINVAL for a bad argument; -ENODEV without a GICv3 system
 * register interface; -EEXIST if the vCPU has one; -EPERM if the page is
 * not the host's.
 */
int hyp_vcpu_share_gic(u64 vmid, u64 vcpuid, u64 pa, u64 *vtr)
{
	struct hyp_vm *vm = hyp_vm_lock(vmid, HYP_VM_LIVE);
	struct hyp_vcpu *vcpu;
	int ret = -EINVAL;

	if (!vm)
		return ret;
	if (vcpuid >= vm->nr_vcpus || !page_aligned(pa))
		goto out;
	vcpu = vm->vcpus[hw_index_nospec(vcpuid, vm->nr_vcpus)];
	if (!vcpu)
		goto out;
	ret = -ENODEV;
	if (!hyp.nr_lr)
		goto out;
	ret = -EEXIST;
	if (vcpu->gic)
		goto out;
	ret = -EPERM;
	if (!claim_page(pa, SKVM_OWNER_HOST, SKVM_OWNER_SHARED))
		goto out;
	ret = 0;
	*vtr = hyp.ich_vtr;
	/* A run that finds the pointer finds the page shared. */
	__atomic_store_n(&vcpu->gic, hyp_va(pa), __ATOMIC_RELEASE);
out:
	hyp_vm_unlock(vmid);
	return ret;
}

/**
 * hyp_vcpu_claim() - make a LIVE VM's READY vCPU ACTIVE on this CPU,
 * without a lock shared by all VMs. The CPU names the VM in its
 * claim_vmid before it reads the VM's state; a destroy marks the VM DYING
 * first and its reclaim then waits until no CPU names it, so one of the
 * two always sees the other (both sides are sequentially consistent), and
 * the VM's pages stay until this CPU lets go of them.
 * @cpu: this CPU.
 * @vmid: from the host (untrusted).
 * @vcpuid: from the host (untrusted).
 *
 * Return: the vCPU, or NULL with nothing changed.
 */
struct hyp_vcpu *hyp_vcpu_claim(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid)
{
	struct hyp_vm_slot *slot = hyp_vm_slot(vmid);
	u32 ready = HYP_VCPU_READY;
	struct hyp_vcpu *vcpu;
	struct hyp_vm *vm;

	if (!slot)
		return NULL;
	__atomic_store_n(&cpu->claim_vmid, vmid, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&slot->state, __ATOMIC_SEQ_CST) != HYP_VM_LIVE)
		goto fail;
	vm = slot->vm;
	if (vcpuid >= vm->nr_vcpus)
		goto fail;
	vcpu = __atomic_load_n(&vm->vcpus[hw_index_nospec(vcpuid,
							  vm->nr_vcpus)],
			       __ATOMIC_ACQUIRE);
	if (vcpu && __atomic_compare_exchange_n(&vcpu->state, &ready,
						HYP_VCPU_ACTIVE, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
		return vcpu;
fail:
	__atomic_store_n(&cpu->claim_vmid, SKVM_HOST_VMID, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * ACTIVE -> READY, then this CPU lets go of the VM: everything it did to
 * the vCPU happens before either is seen.
 */
void hyp_vcpu_release(struct hyp_cpu *cpu, struct hyp_vcpu *vcpu)
{
	__atomic_store_n(&vcpu->state, HYP_VCPU_READY, __ATOMIC_RELEASE);
	__atomic_store_n(&cpu->claim_vmid, SKVM_HOST_VMID, __ATOMIC_RELEASE);
}

/* The register @id names in @c, or NULL if there is no such register. */
static u64 *ctxt_reg(struct skvm_ctxt *c, u64 id)
{
	if (id <= 30)
		return &c->regs[hw_index_nospec(id, 31)];
	if (id == SKVM_REG_PC)
		return &c->pc;
	if (id == SKVM_REG_PSTATE)
		return &c->pstate;
	if (id >= SKVM_REG_SYS && id < SKVM_REG_SYS + SKVM_NR_SYSREGS)
		return &c->sys[hw_index_nospec(id - SKVM_REG_SYS,
					       SKVM_NR_SYSREGS)];
	if (id >= SKVM_REG_V && id < SKVM_REG_FPSR)
		return &c->fp.vregs[hw_index_nospec(id - SKVM_REG_V, 64)];
	if (id == SKVM_REG_FPSR)
		return &c->fp.fpsr;
	if (id == SKVM_REG_FPCR)
		return &c->fp.fpcr;
	return NULL;
}

#define HCR_TID2	(1UL << 17)
#define CNTHCTL_EL1PCTEN	(1UL << 0)

/* A register of the whole VM that @id names, or NULL. */
static u64 *vm_reg(struct hyp_vm *vm, u64 id)
{
	if (id == SKVM_REG_CNTVOFF)
		return &vm->cntvoff;
	if (id == SKVM_REG_CNTPOFF)
		return &vm->cntpoff;
	if (id >= SKVM_REG_ID0 && id < SKVM_REG_ID0 + SKVM_NR_ID_REGS)
		return &vm->id_regs[hw_index_nospec(id - SKVM_REG_ID0,
						    SKVM_NR_ID_REGS)];
	if (id == SKVM_REG_CTR)
		return &vm->ctr;
	if (id == SKVM_REG_CLIDR)
		return &vm->clidr;
	if (id == SKVM_REG_PSCI_VERSION)
		return &vm->psci_version;
	return NULL;
}

/*
 * Guests read the hardware's CTR_EL0 and cache ID registers unless the
 * VM's differ: then HCR_EL2.TID2 traps them all (exit.c answers).
 */
static void update_cache_id_traps(struct hyp_vm *vm)
{
	bool differ = vm->ctr != hw_read(ctr_el0) ||
		      vm->clidr != hw_read(clidr_el1);

	vm->hcr_set = differ ? HCR_TID2 : 0;
}

/* The guest may only ever be entered at EL1 or EL0, in AArch64. */
static bool pstate_ok(u64 pstate)
{
	u64 mode = pstate & PSR_MODE_MASK;

	return mode == PSR_MODE_EL0t || mode == PSR_MODE_EL1t ||
	       mode == PSR_MODE_EL1h;
}

/*
 * One register of a READY vCPU, under its VM's lock (which keeps the VM),
 * with the vCPU ACTIVE meanwhile, so a run on another CPU cannot see it
 * half written.
 */
static int vcpu_reg_access(u64 vmid, u64 vcpuid, u64 id, u64 *val,
			   bool write)
{
	struct hyp_vm *vm = hyp_vm_lock(vmid, HYP_VM_LIVE);
	u32 ready = HYP_VCPU_READY;
	struct hyp_vcpu *vcpu;
	int ret = -EINVAL;
	u64 *reg;

	if (!vm)
		return ret;
	if (vcpuid >= vm->nr_vcpus)
		goto out;
	vcpu = vm->vcpus[hw_index_nospec(vcpuid, vm->nr_vcpus)];
	if (!vcpu || !__atomic_compare_exchange_n(&vcpu->state, &ready,
						  HYP_VCPU_ACTIVE, false,
						  __ATOMIC_ACQUIRE,
						  __ATOMIC_RELAXED))
		goto out;
	reg = vm_reg(vm, id) ?: ctxt_reg(&vcpu->ctxt, id) ?:
	      hyp_debug_reg(vcpu, id);
	if (id == SKVM_REG_OSLK) {
		ret = hyp_debug_oslk(vcpu, val, write) ? 0 : -EINVAL;
	} else if (reg && !write) {
		*val = *reg;
		ret = 0;
	} else if (reg && (id != SKVM_REG_PSTATE || pstate_ok(*val))) {
		*reg = *val;
		ret = 0;
	}
	if (write && !ret && (id == SKVM_REG_CTR || id == SKVM_REG_CLIDR))
		update_cache_id_traps(vm);
	/* A physical counter offset traps the guests' counter reads. */
	if (write && !ret && id == SKVM_REG_CNTPOFF)
		vm->cnthctl_clr = vm->cntpoff ? CNTHCTL_EL1PCTEN : 0;
	__atomic_store_n(&vcpu->state, HYP_VCPU_READY, __ATOMIC_RELEASE);
out:
	hyp_vm_unlock(vmid);
	return ret;
}

int hyp_vcpu_get_reg(u64 vmid, u64 vcpuid, u64 id, u64 *val)
{
	return vcpu_reg_access(vmid, vcpuid, id, val, false);
}

int hyp_vcpu_set_reg(u64 vmid, u64 vcpuid, u64 id, u64 val)
{
	return vcpu_reg_access(vmid, vcpuid, id, &val, true);
}
