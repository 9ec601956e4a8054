// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM table at EL2. Every argument comes from the untrusted host: each
 * call checks all of them first and changes nothing unless all are good.
 * Every index the host supplies is clamped under speculation as well.
 *
 * Locks: hyp.lock guards the table itself (a slot going FREE <-> LIVE);
 * each VM's own lock guards its stage 2, its reclaim and its vCPU slots.
 * Lock order: a VM's lock, then hyp.lock. Running a vCPU takes neither.
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

/* Everything of a slot but its lock, which a reclaim may still hold. */
static void vm_clear(struct hyp_vm *vm)
{
	memset(&vm->state, 0, sizeof(*vm) - offsetof(struct hyp_vm, state));
}

int hyp_vm_create(u64 pool_pa, u64 pool_pages, u64 ipa_bits, u64 flags,
		  u64 *vmid)
{
	struct hyp_vm *vm = NULL;
	u64 i, id;
	int ret;

	ret = check_ipa_bits(ipa_bits);
	if (ret)
		return ret;
	if (flags & ~SKVM_VM_SHARED_MEM)
		return -EINVAL;
	hyp_lock(&hyp.lock);
	for (id = 1; id < SKVM_MAX_VMS; id++) {
		if (hyp.vms[id].state == HYP_VM_FREE) {
			vm = &hyp.vms[id];
			break;
		}
	}
	ret = -ENOSPC;
	if (!vm)
		goto out;
	ret = take_host_range(pool_pa, pool_pages);
	if (ret)
		goto out;

	/* Commit: nothing below can fail. */
	vm_clear(vm);
	vm->ipa_bits = ipa_bits;
	vm->shared_mem = !!(flags & SKVM_VM_SHARED_MEM);
	memcpy(vm->id_regs, hyp.guest_el2.id_regs, sizeof(vm->id_regs));
	vm->ctr = hw_read(ctr_el0);
	vm->clidr = hw_read(clidr_el1);
	vm->pool[0] = (struct hyp_pool_chunk){
		.pa = pool_pa, .pages = pool_pages,
		.used = 1,		/* the root table */
	};
	vm->nr_pool = 1;
	memset(hyp_va(pool_pa), 0, SKVM_PAGE_SIZE);
	vm->vttbr = pool_pa | (id << VTTBR_VMID_SHIFT);
	vm->vtcr = VTCR_RES1 | (pa_range_field(hyp.mem.pa_bits) << VTCR_PS_SHIFT) |
		   VTCR_SH0_INNER | VTCR_ORGN0_WBWA | VTCR_IRGN0_WBWA |
		   ((ipa_bits > 39 ? 2UL : 1UL) << VTCR_SL0_SHIFT) |
		   (64 - ipa_bits);
	for (i = 0; i < SKVM_MAX_CPUS; i++)
		vm->last_vcpu_ran[i] = SKVM_MAX_VCPUS;
	/* The zeroed root is in place before any CPU can use the VM. */
	hw_pte_publish();
	__atomic_store_n(&vm->state, HYP_VM_LIVE, __ATOMIC_RELEASE);
	*vmid = id;
	ret = 0;
out:
	hyp_unlock(&hyp.lock);
	return ret;
}

/* The VM slot @vmid names, clamped under speculation, or NULL. */
struct hyp_vm *hyp_vm_slot(u64 vmid)
{
	if (vmid == SKVM_HOST_VMID || vmid >= SKVM_MAX_VMS)
		return NULL;
	return &hyp.vms[hw_index_nospec(vmid, SKVM_MAX_VMS)];
}

static bool vm_in_state(struct hyp_vm *vm, u32 state)
{
	return __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == state;
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
	struct hyp_vm *vm = hyp_vm_slot(vmid);
	int ret = -EINVAL;

	if (!vm)
		return ret;
	hyp_lock(&hyp.lock);
	if (vm_in_state(vm, HYP_VM_LIVE)) {
		/* Sequentially consistent: pairs with claim_vcpu(). */
		__atomic_store_n(&vm->state, HYP_VM_DYING, __ATOMIC_SEQ_CST);
		ret = 0;
	}
	hyp_unlock(&hyp.lock);
	return ret;
}

static bool vcpus_all_stopped(struct hyp_vm *vm)
{
	unsigned int i;

	for (i = 0; i < SKVM_MAX_VCPUS; i++)
		if (__atomic_load_n(&vm->vcpus[i].state, __ATOMIC_SEQ_CST) ==
		    HYP_VCPU_ACTIVE)
			return false;
	return true;
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
	struct hyp_vm *vm = hyp_vm_slot(vmid);
	int ret = -EINVAL;

	if (!vm)
		return ret;
	hyp_lock(&vm->lock);
	if (!vm_in_state(vm, HYP_VM_LIVE))
		goto out;
	ret = -ENOSPC;
	if (vm->nr_pool == SKVM_POOL_CHUNKS)
		goto out;
	ret = take_host_range(pa, pages);
	if (ret)
		goto out;
	vm->pool[vm->nr_pool++] = (struct hyp_pool_chunk){
		.pa = pa, .pages = pages,
	};
out:
	hyp_unlock(&vm->lock);
	return ret;
}

/**
 * hyp_vm_reclaim() - give back up to SKVM_RECLAIM_BUDGET pages of a DYING
 * VM, scrubbed; the call that gives back the last frees the slot.
 * @vmid: the VM.
 * @more: set to 1 while pages are left, 0 once the slot is free.
 *
 * Return: 0; -EINVAL if @vmid is not DYING; -EBUSY while one of its vCPUs
 * is still running somewhere (nothing is given back then).
 */
int hyp_vm_reclaim(u64 vmid, u64 *more)
{
	struct hyp_vm *vm = hyp_vm_slot(vmid);
	unsigned int budget = SKVM_RECLAIM_BUDGET;
	int ret = -EINVAL;

	if (!vm)
		return ret;
	hyp_lock(&vm->lock);
	if (!vm_in_state(vm, HYP_VM_DYING))
		goto out;
	ret = -EBUSY;
	if (!vcpus_all_stopped(vm))
		goto out;
	ret = 0;
	/* No CPU may keep a translation of a page once it is the host's. */
	if (!vm->tlb_flushed) {
		hw_tlb_flush_vmid_all(vm->vttbr);
		vm->tlb_flushed = 1;
	}
	*more = 1;
	if (!hyp_stage2_reclaim(vm, &budget) || !reclaim_pool(vm, &budget))
		goto out;
	hyp_lock(&hyp.lock);
	vm_clear(vm);
	hyp_unlock(&hyp.lock);
	*more = 0;
out:
	hyp_unlock(&vm->lock);
	return ret;
}

int hyp_vcpu_create(u64 vmid, u64 vcpuid)
{
	struct hyp_vm *vm = hyp_vm_slot(vmid);
	struct hyp_vcpu *vcpu;
	int ret = -EINVAL;

	if (!vm || vcpuid >= SKVM_MAX_VCPUS)
		return ret;
	hyp_lock(&vm->lock);
	if (!vm_in_state(vm, HYP_VM_LIVE))
		goto out;
	vcpu = &vm->vcpus[hw_index_nospec(vcpuid, SKVM_MAX_VCPUS)];
	ret = -EEXIST;
	if (__atomic_load_n(&vcpu->state, __ATOMIC_ACQUIRE) != HYP_VCPU_FREE)
		goto out;
	memset(&vcpu->ctxt, 0, sizeof(vcpu->ctxt));
	vcpu->ctxt.pstate = PSR_DAIF | PSR_MODE_EL1h;
	vcpu->ctxt.sys[SKVM_SCTLR_EL1] = SCTLR_EL1_RES1;
	vcpu->ctxt.sys[SKVM_MPIDR_EL1] = MPIDR_RES1 | vcpuid;
	vcpu->may_skip = 0;
	__atomic_store_n(&vcpu->state, HYP_VCPU_READY, __ATOMIC_RELEASE);
	ret = 0;
out:
	hyp_unlock(&vm->lock);
	return ret;
}

/**
 * hyp_vcpu_claim() - make a LIVE VM's READY vCPU ACTIVE, for this CPU
 * alone, without a lock shared by all VMs. The VM's state is read after
 * the claim: a destroy marks the VM DYING first and its reclaim then waits
 * for every vCPU to be READY, so one of the two always sees the other
 * (both sides are sequentially consistent).
 * @vmid: from the host (untrusted).
 * @vcpuid: from the host (untrusted).
 *
 * Return: the vCPU, or NULL with nothing changed.
 */
struct hyp_vcpu *hyp_vcpu_claim(u64 vmid, u64 vcpuid)
{
	struct hyp_vm *vm = hyp_vm_slot(vmid);
	u32 ready = HYP_VCPU_READY;
	struct hyp_vcpu *vcpu;

	if (!vm || vcpuid >= SKVM_MAX_VCPUS)
		return NULL;
	vcpu = &vm->vcpus[hw_index_nospec(vcpuid, SKVM_MAX_VCPUS)];
	if (!__atomic_compare_exchange_n(&vcpu->state, &ready,
					 HYP_VCPU_ACTIVE, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		return NULL;
	if (__atomic_load_n(&vm->state, __ATOMIC_SEQ_CST) != HYP_VM_LIVE) {
		hyp_vcpu_release(vcpu);
		return NULL;
	}
	return vcpu;
}

/* ACTIVE -> READY: everything this CPU did to the vCPU happens before. */
void hyp_vcpu_release(struct hyp_vcpu *vcpu)
{
	__atomic_store_n(&vcpu->state, HYP_VCPU_READY, __ATOMIC_RELEASE);
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

/* A register of the whole VM that @id names, or NULL. */
static u64 *vm_reg(struct hyp_vm *vm, u64 id)
{
	if (id == SKVM_REG_CNTVOFF)
		return &vm->cntvoff;
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
 * One register of a READY vCPU: the vCPU is claimed for the access, so a
 * run on another CPU cannot see it half written.
 */
static int vcpu_reg_access(u64 vmid, u64 vcpuid, u64 id, u64 *val,
			   bool write)
{
	struct hyp_vcpu *vcpu = hyp_vcpu_claim(vmid, vcpuid);
	int ret = -EINVAL;
	u64 *reg;

	if (!vcpu)
		return ret;
	reg = vm_reg(hyp_vm_slot(vmid), id) ?: ctxt_reg(&vcpu->ctxt, id);
	if (reg && !write) {
		*val = *reg;
		ret = 0;
	} else if (reg && (id != SKVM_REG_PSTATE || pstate_ok(*val))) {
		*reg = *val;
		ret = 0;
	}
	if (write && !ret && (id == SKVM_REG_CTR || id == SKVM_REG_CLIDR))
		update_cache_id_traps(hyp_vm_slot(vmid));
	hyp_vcpu_release(vcpu);
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
