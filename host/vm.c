// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMs from the host's side: memory, the stage-2 pool, vCPUs, and running
 * them through EL2. The host fills guest memory only before the first run;
 * from then on the pages belong to the guest (EL2 records it).
 */
#define pr_fmt(fmt) "splitkvm: " fmt

#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <asm/cacheflush.h>
#include <asm/neon.h>
#include <generated/hyp-offsets.h>
#include "splitkvm.h"

/* Tables for a 4 KiB stage 2: one leaf table per 2 MiB, plus the levels above. */
static unsigned int pool_order(u64 ram_size)
{
	return get_order(((ram_size >> 21) + 8) << PAGE_SHIFT);
}

static void free_vm_pages(struct splitkvm_vm *vm)
{
	unsigned long i;

	for (i = 0; i < vm->nr_pages; i++)
		if (vm->pages[i])
			__free_page(vm->pages[i]);
	kvfree(vm->pages);
	if (vm->pool)
		__free_pages(vm->pool, vm->pool_order);
	for (i = 0; i < vm->nr_extra_pool; i++)
		__free_pages(vm->extra_pool[i], vm->extra_order);
	if (vm->el2)
		free_pages((unsigned long)vm->el2, get_order(vm->el2_size));
}

/*
 * EL2 gives a destroyed VM's pages back a bounded batch per call, so that
 * no CPU is held at EL2 for long; the host may reschedule in between.
 */
static int reclaim_vm(struct splitkvm_vm *vm)
{
	u64 res[8];
	int ret;

	do {
		ret = splitkvm_hcall(SKVM_HC_VM_RECLAIM, vm->vmid, 0, 0, 0,
				     res);
		cond_resched();
	} while (!ret && res[1]);
	return ret;
}

/* Destroy the EL2 VM and take its pages back; the module ref goes too. */
static int destroy_at_el2(struct splitkvm_vm *vm)
{
	int ret = splitkvm_hcall(SKVM_HC_VM_DESTROY, vm->vmid, 0, 0, 0, NULL);

	if (!ret)
		ret = reclaim_vm(vm);
	if (ret) {
		pr_err("VM %llu: destroy refused (%d), leaking its memory\n",
		       vm->vmid, ret);
		return ret;
	}
	module_put(THIS_MODULE);
	return 0;
}

/*
 * EL2's VM: a page for the stage-2 root table, then EL2's structure, a
 * vCPU pointer per possible vCPU id and a word per CPU (hyp/vm.c), in
 * whole 2^order blocks: with alloc_pages_exact() about three pages per VM
 * never came back (kvm-fuzz's memory check, in the QEMU host).
 */
static size_t el2_vm_size(void)
{
	return PAGE_SIZE << get_order(PAGE_SIZE + HYP_VM_SIZE +
				      SKVM_MAX_VCPUS * sizeof(u64) +
				      nr_cpu_ids * sizeof(u32));
}

/* EL2's vCPU. */
#define VCPU_ORDER	get_order(HYP_VCPU_SIZE)

/*
 * The EL2 VM in pages donated for it, then its first chunk of stage-2
 * table pages, for a @vm whose RAM (if any) is allocated.
 */
static int create_at_el2(struct splitkvm_vm *vm, u32 ipa_bits,
			 unsigned int order, u64 flags)
{
	u64 args[5], res[8];
	int ret;

	vm->el2_size = el2_vm_size();
	vm->el2 = (void *)__get_free_pages(GFP_KERNEL_ACCOUNT,
					   get_order(vm->el2_size));
	vm->pool_order = order;
	vm->pool = alloc_pages(GFP_KERNEL_ACCOUNT, order);
	if (!vm->el2 || !vm->pool)
		return -ENOMEM;
	args[0] = virt_to_phys(vm->el2);
	args[1] = vm->el2_size >> PAGE_SHIFT;
	args[2] = ipa_bits;
	args[3] = flags;
	args[4] = SKVM_MAX_VCPUS;
	ret = splitkvm_hcall_args(SKVM_HC_VM_CREATE, args, res);
	if (ret)
		return ret;
	vm->vmid = res[1];
	/* Held until the VM is gone: rmmod must not pull EL2 from under it. */
	__module_get(THIS_MODULE);
	ret = splitkvm_hcall(SKVM_HC_VM_ADD_POOL, vm->vmid,
			     page_to_phys(vm->pool), 1UL << order, 0, NULL);
	if (ret && destroy_at_el2(vm)) {
		/* EL2 keeps the VM's pages: leaking them is the safe choice. */
		vm->el2 = NULL;
		vm->pool = NULL;
	}
	return ret;
}

struct splitkvm_vm *splitkvm_vm_create(u64 ram_ipa, u64 ram_size,
				       u32 ipa_bits)
{
	struct splitkvm_vm *vm;
	unsigned long i;
	int ret;

	if (!ram_size || !PAGE_ALIGNED(ram_ipa) || !PAGE_ALIGNED(ram_size) ||
	    ram_ipa + ram_size < ram_ipa || (ram_ipa + ram_size - 1) >> ipa_bits)
		return ERR_PTR(-EINVAL);
	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	mutex_init(&vm->lock);
	vm->ram_ipa = ram_ipa;
	vm->ram_size = ram_size;
	vm->nr_pages = ram_size >> PAGE_SHIFT;
	ret = -ENOMEM;
	vm->pages = kvcalloc(vm->nr_pages, sizeof(*vm->pages), GFP_KERNEL);
	if (!vm->pages)
		goto out_free;
	for (i = 0; i < vm->nr_pages; i++) {
		vm->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!vm->pages[i])
			goto out_free;
	}
	ret = create_at_el2(vm, ipa_bits, pool_order(ram_size), 0);
	if (ret)
		goto out_free;
	return vm;
out_free:
	free_vm_pages(vm);
	kfree(vm);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(splitkvm_vm_create);

/**
 * splitkvm_vm_create_empty() - a VM with no RAM of its own: its user maps
 * pages it owns with splitkvm_vm_map() (the KVM API maps the VMM's). The
 * guest shares them with the host: EL2 does not scrub them when they go.
 * @ipa_bits: IPA size.
 * @pool_order: the stage-2 table pool, 2^order pages.
 *
 * Return: the VM, or an ERR_PTR.
 */
struct splitkvm_vm *splitkvm_vm_create_empty(u32 ipa_bits,
					     unsigned int pool_order)
{
	struct splitkvm_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	int ret;

	if (!vm)
		return ERR_PTR(-ENOMEM);
	mutex_init(&vm->lock);
	vm->mapped = true;
	vm->extra_order = 9;
	ret = create_at_el2(vm, ipa_bits, pool_order, SKVM_VM_SHARED_MEM);
	if (ret) {
		free_vm_pages(vm);
		kfree(vm);
		return ERR_PTR(ret);
	}
	return vm;
}
EXPORT_SYMBOL_GPL(splitkvm_vm_create_empty);

/**
 * splitkvm_vm_map() - give @page to the guest at @ipa. The caller keeps
 * the page (pinned) until splitkvm_vm_destroy() has returned 0: EL2 owns
 * it until then, and scrubs it before it gives it back.
 * @vm: a VM from splitkvm_vm_create_empty().
 * @ipa: page-aligned guest address.
 * @page: the page.
 * @writable: whether the guest may write it.
 *
 * Return: 0 or -errno (-EEXIST if @ipa is mapped, -EPERM if the page is
 * not the host's to give, -ENOMEM if the table pool is used up).
 */
int splitkvm_vm_map(struct splitkvm_vm *vm, u64 ipa, struct page *page,
		    bool writable)
{
	/* A guest with its MMU off reads what is at the PoC. */
	splitkvm_clean_poc(page_address(page), PAGE_SIZE);
	return splitkvm_hcall(SKVM_HC_STAGE2_MAP, vm->vmid, ipa,
			      page_to_phys(page),
			      writable ? 0 : SKVM_S2_READONLY, NULL);
}
EXPORT_SYMBOL_GPL(splitkvm_vm_map);

/**
 * splitkvm_vm_map_block() - give the 2 MiB from @page (2 MiB aligned and
 * physically contiguous, e.g. a huge page) to the guest at @ipa, as one
 * stage-2 block. As splitkvm_vm_map() otherwise; an unmap of any page in
 * it takes all of it back.
 * @vm: a VM from splitkvm_vm_create_empty().
 * @ipa: 2 MiB aligned guest address.
 * @page: the first of the 512 pages.
 * @writable: whether the guest may write them.
 *
 * Return: 0 or -errno (-EEXIST if anything maps any of it).
 */
int splitkvm_vm_map_block(struct splitkvm_vm *vm, u64 ipa, struct page *page,
			  bool writable)
{
	splitkvm_clean_poc(page_address(page), PMD_SIZE);
	return splitkvm_hcall(SKVM_HC_STAGE2_MAP, vm->vmid, ipa,
			      page_to_phys(page), SKVM_S2_BLOCK |
			      (writable ? 0 : SKVM_S2_READONLY), NULL);
}
EXPORT_SYMBOL_GPL(splitkvm_vm_map_block);

/**
 * splitkvm_vm_unmap() - take the page at @ipa back from the guest: when
 * this returns 0 no CPU can reach it through the guest any more.
 * @vm: a VM from splitkvm_vm_create_empty().
 * @ipa: page-aligned guest address.
 *
 * Return: 0, or -errno (-ENOENT if nothing is mapped there).
 */
int splitkvm_vm_unmap(struct splitkvm_vm *vm, u64 ipa)
{
	return splitkvm_hcall(SKVM_HC_STAGE2_UNMAP, vm->vmid, ipa, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(splitkvm_vm_unmap);

/**
 * splitkvm_vm_protect() - let the guest write the page at @ipa, or stop
 * it (on every CPU by the time this returns).
 * @vm: a VM from splitkvm_vm_create_empty().
 * @ipa: page-aligned guest address of a mapped page.
 * @writable: what the guest may do from now on.
 *
 * Return: 0, or -errno (-ENOENT if nothing is mapped there).
 */
int splitkvm_vm_protect(struct splitkvm_vm *vm, u64 ipa, bool writable)
{
	return splitkvm_hcall(SKVM_HC_STAGE2_PROTECT, vm->vmid, ipa, writable,
			      0, NULL);
}
EXPORT_SYMBOL_GPL(splitkvm_vm_protect);

/**
 * splitkvm_vm_age() - has the guest used the page at @ipa (or its block)
 * since the last clear? Clear its access flag if @clear.
 * @vm: a VM from splitkvm_vm_create_empty().
 * @ipa: page-aligned guest address of a mapped page.
 * @clear: whether to clear it.
 *
 * Return: 1 (used), 0, or -errno (-ENOENT if nothing is mapped there).
 */
int splitkvm_vm_age(struct splitkvm_vm *vm, u64 ipa, bool clear)
{
	u64 res[8];
	int ret;

	ret = splitkvm_hcall(SKVM_HC_STAGE2_AGE, vm->vmid, ipa, clear, 0, res);
	return ret ?: !!res[1];
}
EXPORT_SYMBOL_GPL(splitkvm_vm_age);

/**
 * splitkvm_vm_grow_pool() - donate another chunk of stage-2 table pages to
 * @vm (for when a map says -ENOMEM): 2 MiB, tables for 1 GiB of RAM.
 * @vm: the VM.
 *
 * Return: 0, -ENOMEM, or -ENOSPC when the VM has all the chunks it can.
 */
int splitkvm_vm_grow_pool(struct splitkvm_vm *vm)
{
	struct page *chunk;
	int ret;

	if (vm->nr_extra_pool == ARRAY_SIZE(vm->extra_pool))
		return -ENOSPC;
	chunk = alloc_pages(GFP_KERNEL_ACCOUNT, vm->extra_order);
	if (!chunk)
		return -ENOMEM;
	ret = splitkvm_hcall(SKVM_HC_VM_ADD_POOL, vm->vmid, page_to_phys(chunk),
			     1UL << vm->extra_order, 0, NULL);
	if (ret) {
		__free_pages(chunk, vm->extra_order);
		return ret;
	}
	vm->extra_pool[vm->nr_extra_pool++] = chunk;
	return 0;
}
EXPORT_SYMBOL_GPL(splitkvm_vm_grow_pool);

/**
 * splitkvm_vm_destroy() - stop @vm for good and take all its pages back.
 * @vm: the VM; no vCPU of it may be running.
 *
 * Return: 0, or -errno if EL2 kept the pages: they are then leaked, and
 * pages given with splitkvm_vm_map() must stay pinned.
 */
int splitkvm_vm_destroy(struct splitkvm_vm *vm)
{
	unsigned int i;
	int ret;

	ret = destroy_at_el2(vm);
	if (ret)
		return ret;	/* EL2 keeps the pages: they leak, safely */
	for (i = 0; i < SKVM_MAX_VCPUS; i++) {
		if (!vm->vcpus[i])
			continue;
		free_pages((unsigned long)vm->vcpus[i]->el2, VCPU_ORDER);
		if (vm->vcpus[i]->gic)
			free_page((unsigned long)vm->vcpus[i]->gic);
		kfree(vm->vcpus[i]);
	}
	free_vm_pages(vm);
	kfree(vm);
	return 0;
}
EXPORT_SYMBOL_GPL(splitkvm_vm_destroy);

int splitkvm_vm_write(struct splitkvm_vm *vm, u64 ipa, const void *src,
		      size_t len)
{
	int ret = 0;

	if (ipa < vm->ram_ipa || len > vm->ram_size ||
	    ipa - vm->ram_ipa > vm->ram_size - len)
		return -EINVAL;
	mutex_lock(&vm->lock);
	if (vm->nr_mapped)
		ret = -EBUSY;
	while (!ret && len) {
		u64 off = ipa - vm->ram_ipa;
		size_t chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(off));

		memcpy(page_address(vm->pages[off >> PAGE_SHIFT]) +
		       offset_in_page(off), src, chunk);
		ipa += chunk;
		src += chunk;
		len -= chunk;
	}
	mutex_unlock(&vm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(splitkvm_vm_write);

/**
 * splitkvm_vm_seal() - give every RAM page to the guest; from then on the
 * host keeps out and splitkvm_vm_write() is refused. The first run does it
 * if the caller has not; it sleeps, so callers about to run a vCPU in
 * atomic context seal first.
 * @vm: the VM.
 *
 * Return: 0 or -errno; a failed attempt is resumed by the next call.
 */
int splitkvm_vm_seal(struct splitkvm_vm *vm)
{
	unsigned long i;
	int ret = 0;

	mutex_lock(&vm->lock);
	for (i = vm->nr_mapped; i < vm->nr_pages; i++) {
		/*
		 * A guest with its MMU off reads and fetches non-cacheable:
		 * what the host wrote must be at the PoC, and no stale line
		 * may be in the I-cache.
		 */
		splitkvm_clean_poc(page_address(vm->pages[i]), PAGE_SIZE);
		ret = splitkvm_hcall(SKVM_HC_STAGE2_MAP, vm->vmid,
				     vm->ram_ipa + (i << PAGE_SHIFT),
				     page_to_phys(vm->pages[i]), 0, NULL);
		if (ret)
			break;
		vm->nr_mapped++;
	}
	if (vm->nr_mapped == vm->nr_pages)
		WRITE_ONCE(vm->mapped, true);
	mutex_unlock(&vm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(splitkvm_vm_seal);

struct splitkvm_vcpu *splitkvm_vcpu_create(struct splitkvm_vm *vm, u32 id)
{
	struct splitkvm_vcpu *vcpu;
	int ret;

	if (id >= SKVM_MAX_VCPUS || vm->vcpus[id])
		return ERR_PTR(-EINVAL);
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL);
	if (!vcpu)
		return ERR_PTR(-ENOMEM);
	vcpu->el2 = (void *)__get_free_pages(GFP_KERNEL_ACCOUNT, VCPU_ORDER);
	ret = -ENOMEM;
	if (vcpu->el2)
		ret = splitkvm_hcall(SKVM_HC_VCPU_CREATE, vm->vmid, id,
				     virt_to_phys(vcpu->el2), 1UL << VCPU_ORDER,
				     NULL);
	if (ret) {
		if (vcpu->el2)
			free_pages((unsigned long)vcpu->el2, VCPU_ORDER);
		kfree(vcpu);
		return ERR_PTR(ret);
	}
	vcpu->vm = vm;
	vcpu->id = id;
	vm->vcpus[id] = vcpu;
	return vcpu;
}
EXPORT_SYMBOL_GPL(splitkvm_vcpu_create);

/**
 * splitkvm_vcpu_share_gic() - give @vcpu a GICv3 virtual CPU interface: a
 * zeroed page the host and EL2 share (vcpu->gic) until the VM is gone.
 * @vcpu: the vCPU.
 * @vtr: set to the CPUs' ICH_VTR_EL2.
 *
 * Return: 0 or -errno (-ENODEV without GICv3 system registers).
 */
int splitkvm_vcpu_share_gic(struct splitkvm_vcpu *vcpu, u64 *vtr)
{
	unsigned long page;
	u64 res[8];
	int ret;

	if (vcpu->gic)
		return -EEXIST;
	page = get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!page)
		return -ENOMEM;
	ret = splitkvm_hcall(SKVM_HC_VCPU_SHARE_GIC, vcpu->vm->vmid, vcpu->id,
			     virt_to_phys((void *)page), 0, res);
	if (ret) {
		free_page(page);
		return ret;
	}
	vcpu->gic = (struct skvm_vgic_if *)page;
	*vtr = res[1];
	return 0;
}
EXPORT_SYMBOL_GPL(splitkvm_vcpu_share_gic);

int splitkvm_vcpu_set_reg(struct splitkvm_vcpu *vcpu, u32 reg, u64 val)
{
	return splitkvm_hcall(SKVM_HC_VCPU_SET_REG, vcpu->vm->vmid, vcpu->id,
			      reg, val, NULL);
}
EXPORT_SYMBOL_GPL(splitkvm_vcpu_set_reg);

int splitkvm_vcpu_get_reg(struct splitkvm_vcpu *vcpu, u32 reg, u64 *val)
{
	u64 res[8];
	int ret;

	ret = splitkvm_hcall(SKVM_HC_VCPU_GET_REG, vcpu->vm->vmid, vcpu->id,
			     reg, 0, res);
	if (!ret)
		*val = res[1];
	return ret;
}
EXPORT_SYMBOL_GPL(splitkvm_vcpu_get_reg);

static bool ipa_in_ram(struct splitkvm_vm *vm, u64 ipa)
{
	return ipa >= vm->ram_ipa && ipa - vm->ram_ipa < vm->ram_size;
}

static void classify_exit(struct splitkvm_vcpu *vcpu)
{
	struct splitkvm_vcpu_exit *e = &vcpu->exit;
	const struct skvm_exit *raw = &e->raw;

	switch (raw->reason) {
	case SKVM_EXIT_HVC:
		e->kind = SPLITKVM_EXIT_HVC;
		break;
	case SKVM_EXIT_SMC:
		e->kind = SPLITKVM_EXIT_SMC;
		break;
	case SKVM_EXIT_WFX:
		e->kind = SPLITKVM_EXIT_WFX;
		break;
	case SKVM_EXIT_SYSREG:
		e->kind = SPLITKVM_EXIT_SYSREG;
		break;
	case SKVM_EXIT_IRQ:
		e->kind = SPLITKVM_EXIT_IRQ;
		break;
	case SKVM_EXIT_DABT:
		e->kind = SPLITKVM_EXIT_FAULT;
		if (ipa_in_ram(vcpu->vm, raw->ipa) ||
		    !(raw->access & SKVM_ACCESS_VALID))
			break;
		e->kind = SPLITKVM_EXIT_MMIO;
		e->mmio.ipa = raw->ipa;
		e->mmio.size = 1U << ((raw->access & SKVM_ACCESS_SIZE_MASK) >>
				      SKVM_ACCESS_SIZE_SHIFT);
		e->mmio.reg = (raw->access & SKVM_ACCESS_REG_MASK) >>
			      SKVM_ACCESS_REG_SHIFT;
		e->mmio.is_write = raw->access & SKVM_ACCESS_WRITE;
		e->mmio.sign_extend = raw->access & SKVM_ACCESS_SIGN_EXT;
		e->mmio.reg_is_64bit = raw->access & SKVM_ACCESS_64BIT_REG;
		e->mmio.data = raw->data;
		break;
	case SKVM_EXIT_IABT:
		e->kind = SPLITKVM_EXIT_FAULT;
		break;
	case SKVM_EXIT_DEBUG:
		e->kind = SPLITKVM_EXIT_DEBUG;
		break;
	default:
		e->kind = SPLITKVM_EXIT_OTHER;
		break;
	}
}

/**
 * __splitkvm_vcpu_run() - splitkvm_vcpu_run() for a caller already inside
 * kernel_neon_begin() (with the VM sealed: this does not sleep).
 * @vcpu: the vCPU.
 *
 * Return: as splitkvm_vcpu_run().
 */
int __splitkvm_vcpu_run(struct splitkvm_vcpu *vcpu)
{
	u64 flags = (vcpu->skip_insn ? SKVM_RUN_SKIP_INSN : 0) |
		    vcpu->debug_flags;
	u64 res[8];
	int ret;

	if (!READ_ONCE(vcpu->vm->mapped))
		return -EPERM;
	ret = splitkvm_hcall(SKVM_HC_VCPU_RUN, vcpu->vm->vmid, vcpu->id, flags,
			     0, res);
	if (ret)
		return ret;
	memset(&vcpu->exit, 0, sizeof(vcpu->exit));
	vcpu->exit.raw.reason = res[1];
	vcpu->exit.raw.esr = res[2];
	vcpu->exit.raw.far = res[3];
	vcpu->exit.raw.ipa = res[4];
	vcpu->exit.raw.access = res[5];
	vcpu->exit.raw.data = res[6];
	vcpu->exit.raw.flags = res[7];
	classify_exit(vcpu);
	vcpu->skip_insn = vcpu->exit.kind == SPLITKVM_EXIT_MMIO;
	return 0;
}
EXPORT_SYMBOL_GPL(__splitkvm_vcpu_run);

/**
 * splitkvm_vcpu_run() - run @vcpu once, until its next exit.
 * @vcpu: the vCPU.
 *
 * The guest's FP/SIMD registers take the CPU's while it runs, so the run
 * is a kernel-mode FP section: kernel_neon_begin() saves the current
 * task's full FP state (SVE and SME included, streaming mode left) and
 * has it reloaded before the task returns to userspace. Callers must be
 * where kernel-mode NEON is allowed (task or softirq context, IRQs on).
 *
 * Return: 0 with vcpu->exit filled, or -errno if EL2 refused to run it.
 * A physical IRQ ends the run with SPLITKVM_EXIT_IRQ; the interrupt is taken
 * by the host as soon as this returns and IRQs are enabled.
 */
int splitkvm_vcpu_run(struct splitkvm_vcpu *vcpu)
{
	int ret;

	if (!READ_ONCE(vcpu->vm->mapped)) {
		ret = splitkvm_vm_seal(vcpu->vm);
		if (ret)
			return ret;
	}
	kernel_neon_begin();
	ret = __splitkvm_vcpu_run(vcpu);
	kernel_neon_end();
	return ret;
}
EXPORT_SYMBOL_GPL(splitkvm_vcpu_run);
