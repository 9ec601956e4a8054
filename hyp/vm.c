// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM table at EL2. Every argument comes from the untrusted host: each
 * call checks all of them first and changes nothing unless all are good.
 */
#include <linux/errno.h>
#include <hyp/lib.h>
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

static int check_host_range(u64 pa, u64 pages)
{
	u64 i;

	if (!page_aligned(pa) || !pages || pages > MAX_POOL_PAGES)
		return -EINVAL;
	for (i = 0; i < pages; i++)
		if (page_owner(pa + (i << SKVM_PAGE_SHIFT)) != SKVM_OWNER_HOST)
			return -EPERM;
	return 0;
}

int hyp_vm_create(u64 pool_pa, u64 pool_pages, u64 ipa_bits, u64 *vmid)
{
	struct hyp_vm *vm = NULL;
	u64 i, id;
	int ret;

	ret = check_ipa_bits(ipa_bits);
	if (ret)
		return ret;
	hyp_lock(&hyp.lock);
	ret = check_host_range(pool_pa, pool_pages);
	if (ret)
		goto out;
	for (id = 1; id < SKVM_MAX_VMS; id++) {
		if (hyp.vms[id].state == HYP_VM_FREE) {
			vm = &hyp.vms[id];
			break;
		}
	}
	ret = -ENOSPC;
	if (!vm)
		goto out;

	/* Commit: nothing below can fail. */
	for (i = 0; i < pool_pages; i++)
		set_page_owner(pool_pa + (i << SKVM_PAGE_SHIFT), SKVM_OWNER_HYP);
	memset(vm, 0, sizeof(*vm));
	vm->ipa_bits = ipa_bits;
	vm->pool_pa = pool_pa;
	vm->pool_pages = pool_pages;
	vm->pool_used = 1;		/* the root table */
	memset(hyp_va(pool_pa), 0, SKVM_PAGE_SIZE);
	vm->vttbr = pool_pa | (id << VTTBR_VMID_SHIFT);
	vm->vtcr = VTCR_RES1 | (pa_range_field(hyp.mem.pa_bits) << VTCR_PS_SHIFT) |
		   VTCR_SH0_INNER | VTCR_ORGN0_WBWA | VTCR_IRGN0_WBWA |
		   ((ipa_bits > 39 ? 2UL : 1UL) << VTCR_SL0_SHIFT) |
		   (64 - ipa_bits);
	for (i = 0; i < SKVM_MAX_CPUS; i++)
		vm->last_vcpu_ran[i] = SKVM_MAX_VCPUS;
	vm->state = HYP_VM_LIVE;
	*vmid = id;
	ret = 0;
out:
	hyp_unlock(&hyp.lock);
	return ret;
}

static struct hyp_vm *live_vm(u64 vmid)
{
	if (vmid == SKVM_HOST_VMID || vmid >= SKVM_MAX_VMS ||
	    hyp.vms[vmid].state != HYP_VM_LIVE)
		return NULL;
	return &hyp.vms[vmid];
}

int hyp_vm_destroy(u64 vmid)
{
	struct hyp_vm *vm;
	u64 i;
	int ret = -EINVAL;

	hyp_lock(&hyp.lock);
	vm = live_vm(vmid);
	if (!vm)
		goto out;
	ret = -EBUSY;
	for (i = 0; i < SKVM_MAX_VCPUS; i++)
		if (vm->vcpus[i].state == HYP_VCPU_ACTIVE)
			goto out;
	hyp_stage2_teardown(vm);
	for (i = 0; i < vm->pool_pages; i++)
		set_page_owner(vm->pool_pa + (i << SKVM_PAGE_SHIFT),
			       SKVM_OWNER_HOST);
	memset(vm, 0, sizeof(*vm));
	ret = 0;
out:
	hyp_unlock(&hyp.lock);
	return ret;
}

int hyp_vcpu_create(u64 vmid, u64 vcpuid)
{
	struct hyp_vcpu *vcpu;
	struct hyp_vm *vm;
	int ret = -EINVAL;

	hyp_lock(&hyp.lock);
	vm = live_vm(vmid);
	if (!vm || vcpuid >= SKVM_MAX_VCPUS)
		goto out;
	vcpu = &vm->vcpus[vcpuid];
	ret = -EEXIST;
	if (vcpu->state != HYP_VCPU_FREE)
		goto out;
	memset(&vcpu->ctxt, 0, sizeof(vcpu->ctxt));
	vcpu->ctxt.pstate = PSR_DAIF | PSR_MODE_EL1h;
	vcpu->ctxt.sys[SKVM_SCTLR_EL1] = SCTLR_EL1_RES1;
	vcpu->ctxt.sys[SKVM_MPIDR_EL1] = MPIDR_RES1 | vcpuid;
	vcpu->state = HYP_VCPU_READY;
	ret = 0;
out:
	hyp_unlock(&hyp.lock);
	return ret;
}

/* The register @id names in @c, or NULL if there is no such register. */
static u64 *ctxt_reg(struct skvm_ctxt *c, u64 id)
{
	if (id <= 30)
		return &c->regs[id];
	if (id == SKVM_REG_PC)
		return &c->pc;
	if (id == SKVM_REG_PSTATE)
		return &c->pstate;
	if (id >= SKVM_REG_SYS && id < SKVM_REG_SYS + SKVM_NR_SYSREGS)
		return &c->sys[id - SKVM_REG_SYS];
	if (id >= SKVM_REG_V && id < SKVM_REG_FPSR)
		return &c->fp.vregs[id - SKVM_REG_V];
	if (id == SKVM_REG_FPSR)
		return &c->fp.fpsr;
	if (id == SKVM_REG_FPCR)
		return &c->fp.fpcr;
	return NULL;
}

/* The guest may only ever be entered at EL1 or EL0, in AArch64. */
static bool pstate_ok(u64 pstate)
{
	u64 mode = pstate & PSR_MODE_MASK;

	return mode == PSR_MODE_EL0t || mode == PSR_MODE_EL1t ||
	       mode == PSR_MODE_EL1h;
}

static struct hyp_vcpu *ready_vcpu(u64 vmid, u64 vcpuid)
{
	struct hyp_vm *vm = live_vm(vmid);

	if (!vm || vcpuid >= SKVM_MAX_VCPUS ||
	    vm->vcpus[vcpuid].state != HYP_VCPU_READY)
		return NULL;
	return &vm->vcpus[vcpuid];
}

/* One register of a READY vCPU, read or written under the lock. */
static int vcpu_reg_access(u64 vmid, u64 vcpuid, u64 id, u64 *val,
			   bool write)
{
	struct hyp_vcpu *vcpu;
	int ret = -EINVAL;
	u64 *reg;

	hyp_lock(&hyp.lock);
	vcpu = ready_vcpu(vmid, vcpuid);
	reg = vcpu ? ctxt_reg(&vcpu->ctxt, id) : NULL;
	if (reg && !write) {
		*val = *reg;
		ret = 0;
	} else if (reg && (id != SKVM_REG_PSTATE || pstate_ok(*val))) {
		*reg = *val;
		ret = 0;
	}
	hyp_unlock(&hyp.lock);
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
