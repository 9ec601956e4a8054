/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL2-private state: the VM table, the per-CPU records and the values EL2
 * loads into its own configuration registers. Host code must not include
 * this file.
 */
#ifndef __SPLITKVM_HYP_STATE_H__
#define __SPLITKVM_HYP_STATE_H__

#include <linux/types.h>
#include <splitkvm/boot.h>
#include <splitkvm/ctxt.h>
#include <splitkvm/limits.h>

/* The seed's VM life cycle: a VM must be LIVE (their VERIFIED) to run. */
enum hyp_vm_state {
	HYP_VM_FREE,
	HYP_VM_LIVE,
};

/* A vCPU is READY to run, or ACTIVE on exactly one physical CPU. */
enum hyp_vcpu_state {
	HYP_VCPU_FREE,
	HYP_VCPU_READY,
	HYP_VCPU_ACTIVE,
};

struct hyp_vcpu {
	struct skvm_ctxt ctxt;
	u32 state;
};

/*
 * A guest's EL2 configuration: what restore_vm loads besides the context.
 * The page-table pool is a physically contiguous range the host donated.
 */
struct hyp_vm {
	u32 state;
	u32 ipa_bits;
	u64 vttbr;
	u64 vtcr;
	u64 cntvoff;
	u64 pool_pa;
	u64 pool_pages;
	u64 pool_used;
	u32 last_vcpu_ran[SKVM_MAX_CPUS];
	struct hyp_vcpu vcpus[SKVM_MAX_VCPUS];
};

/* EL2 configuration of the host world on one CPU. */
struct hyp_host_el2 {
	u64 hcr;
	u64 cptr;
	u64 mdcr;
	u64 cnthctl;
	u64 hstr;
	/* Host EL0 PMU state, saved by save_host (only if the PMU exists). */
	u64 pmselr;
	u64 pmuserenr;
};

/* Trap configuration for every guest, computed by the host at install. */
struct hyp_guest_el2 {
	u64 hcr;
	u64 cptr;
	u64 mdcr_traps;		/* OR'ed with the host's MDCR_EL2.HPMN */
	u64 pmuserenr;
	u64 has_pmu;
	u64 id_regs[SKVM_NR_ID_REGS];
};

struct hyp_cpu {
	/* The lower EL's x0..x30 while EL2 runs: entry.S fills and drains it. */
	u64 frame[31];
	struct skvm_ctxt host;
	struct hyp_host_el2 host_el2;
	u32 cur_vmid;
	u32 cur_vcpuid;
	u32 index;
};

/* Physical memory as EL2 sees it: VA == PA, one owner byte per page. */
struct hyp_mem {
	u64 pa_bits;
	u64 ram_base;
	u64 ram_pages;
	u8 *owner;
};

struct hyp_state {
	struct hyp_vm vms[SKVM_MAX_VMS];
	struct hyp_cpu cpus[SKVM_MAX_CPUS];
	struct hyp_guest_el2 guest_el2;
	struct hyp_mem mem;
	u32 lock;
	u32 booted;
};

extern struct hyp_state hyp;
/* PA of the Linux hyp-stub vectors, put back on teardown. */
extern u64 hyp_stub_vectors;

#endif /* __SPLITKVM_HYP_STATE_H__ */
