// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host -> EL2 calls: one enum (include/splitkvm/hypercalls.h), one static
 * const table of thin adapters that unpack the host's registers and call
 * one plain C function. Negative errno inside, SMCCC status at the edge.
 */
#include <linux/errno.h>
#include <splitkvm/hypercalls.h>
#include <hwregs.h>
#include <hyp/entry.h>
#include <hyp/lib.h>
#include <hyp/vm.h>

typedef void (*hcall_fn)(struct hyp_cpu *cpu, u64 *x);

/* x0 = SMCCC status, x1 = the errno behind a failure. */
static void set_status(u64 *x, int err)
{
	x[0] = err ? SKVM_SMCCC_INVALID_PARAMETER : SKVM_SMCCC_SUCCESS;
	x[1] = -err;
}

static void hc_ping(struct hyp_cpu *cpu, u64 *x)
{
	u64 cookie = x[1];

	set_status(x, 0);
	x[1] = ~cookie;
	x[2] = cpu->index;
}

static void hc_vm_create(struct hyp_cpu *cpu, u64 *x)
{
	u64 vmid = 0;
	int ret = hyp_vm_create(x[1], x[2], x[3], x[4], x[5], &vmid);

	set_status(x, ret);
	if (!ret)
		x[1] = vmid;
}

static void hc_vm_add_pool(struct hyp_cpu *cpu, u64 *x)
{
	set_status(x, hyp_vm_add_pool(x[1], x[2], x[3]));
}

static void hc_vm_destroy(struct hyp_cpu *cpu, u64 *x)
{
	set_status(x, hyp_vm_destroy(x[1]));
}

static void hc_vm_reclaim(struct hyp_cpu *cpu, u64 *x)
{
	u64 more = 0;
	int ret = hyp_vm_reclaim(x[1], &more);

	set_status(x, ret);
	if (!ret)
		x[1] = more;
}

static void hc_vcpu_create(struct hyp_cpu *cpu, u64 *x)
{
	set_status(x, hyp_vcpu_create(x[1], x[2], x[3], x[4]));
}

static void hc_vcpu_share_gic(struct hyp_cpu *cpu, u64 *x)
{
	u64 vtr = 0;
	int ret = hyp_vcpu_share_gic(x[1], x[2], x[3], &vtr);

	set_status(x, ret);
	if (!ret)
		x[1] = vtr;
}

static void hc_vcpu_get_reg(struct hyp_cpu *cpu, u64 *x)
{
	u64 val = 0;
	int ret = hyp_vcpu_get_reg(x[1], x[2], x[3], &val);

	set_status(x, ret);
	if (!ret)
		x[1] = val;
}

static void hc_vcpu_set_reg(struct hyp_cpu *cpu, u64 *x)
{
	set_status(x, hyp_vcpu_set_reg(x[1], x[2], x[3], x[4]));
}

static void hc_stage2_map(struct hyp_cpu *cpu, u64 *x)
{
	set_status(x, hyp_stage2_map_prot(x[1], x[2], x[3], x[4]));
}

static void hc_stage2_protect(struct hyp_cpu *cpu, u64 *x)
{
	set_status(x, hyp_stage2_protect(x[1], x[2], x[3]));
}

static void hc_stage2_unmap(struct hyp_cpu *cpu, u64 *x)
{
	set_status(x, hyp_stage2_unmap(x[1], x[2]));
}

static void hc_stage2_age(struct hyp_cpu *cpu, u64 *x)
{
	int ret = hyp_stage2_age(x[1], x[2], x[3]);

	set_status(x, ret < 0 ? ret : 0);
	if (ret >= 0)
		x[1] = ret;
}

/*
 * A zeroed exit, field by field: "= { 0 }" becomes a call to memset at
 * EL2 (no SIMD, so GCC does not expand it inline), on every exit.
 */
static void clear_exit(struct skvm_exit *e)
{
	e->reason = 0;
	e->esr = 0;
	e->far = 0;
	e->ipa = 0;
	e->access = 0;
	e->data = 0;
	e->flags = 0;
}

/* cpu->frame is the host's until restore_vm and again after restore_host. */
static void hc_vcpu_run(struct hyp_cpu *cpu, u64 *x)
{
	struct skvm_exit exit;
	int ret;

	clear_exit(&exit);

	ret = hyp_vcpu_run(cpu, x[1], x[2], x[3], &exit);
	set_status(x, ret);
	if (ret)
		return;
	x[1] = exit.reason;
	x[2] = exit.esr;
	x[3] = exit.far;
	x[4] = exit.ipa;
	x[5] = exit.access;
	x[6] = exit.data;
	x[7] = exit.flags;
}

static const hcall_fn hcall_table[SKVM_HC_NR] = {
	[SKVM_HC_PING] = hc_ping,
	[SKVM_HC_VM_CREATE] = hc_vm_create,
	[SKVM_HC_VM_ADD_POOL] = hc_vm_add_pool,
	[SKVM_HC_VM_DESTROY] = hc_vm_destroy,
	[SKVM_HC_VM_RECLAIM] = hc_vm_reclaim,
	[SKVM_HC_VCPU_CREATE] = hc_vcpu_create,
	[SKVM_HC_VCPU_GET_REG] = hc_vcpu_get_reg,
	[SKVM_HC_VCPU_SET_REG] = hc_vcpu_set_reg,
	[SKVM_HC_STAGE2_MAP] = hc_stage2_map,
	[SKVM_HC_STAGE2_UNMAP] = hc_stage2_unmap,
	[SKVM_HC_STAGE2_PROTECT] = hc_stage2_protect,
	[SKVM_HC_VCPU_RUN] = hc_vcpu_run,
	[SKVM_HC_STAGE2_AGE] = hc_stage2_age,
	[SKVM_HC_VCPU_SHARE_GIC] = hc_vcpu_share_gic,
};

/* Called by entry.S for every host HVC that is not a stub call. */
void handle_host_hcall(struct hyp_cpu *cpu)
{
	u64 *x = cpu->frame;
	u64 id = x[0];
	hcall_fn fn = NULL;

	if ((id & ~0xffffUL) == SKVM_HC_BASE && (id & 0xffff) < SKVM_HC_NR)
		fn = hcall_table[hw_index_nospec(id & 0xffff, SKVM_HC_NR)];
	if (!fn) {
		x[0] = SKVM_SMCCC_NOT_SUPPORTED;
		return;
	}
	fn(cpu, x);
}

/*
 * The host trapped to EL2 with something other than an HVC. Nothing the
 * host configures should do that: it gets an UNDEF at its EL1, as it would
 * without EL2 (its registers untouched), rather than a stopped CPU or an
 * instruction silently skipped.
 */
void handle_host_bad_trap(struct hyp_cpu *cpu)
{
	hyp_inject_undef();
}
