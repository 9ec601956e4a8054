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
#include <splitkvm/vgic.h>

/*
 * The seed's VM life cycle: a VM must be LIVE (their VERIFIED) to run.
 * Destroying it makes it DYING for good; the host then reclaims its pages
 * in bounded batches, and the last batch makes the slot FREE again.
 */
enum hyp_vm_state {
	HYP_VM_FREE,
	HYP_VM_LIVE,
	HYP_VM_DYING,
};

/* A vCPU is READY to run, or ACTIVE on exactly one physical CPU. */
enum hyp_vcpu_state {
	HYP_VCPU_FREE,
	HYP_VCPU_READY,
	HYP_VCPU_ACTIVE,
};

/* Breakpoint and watchpoint registers: DBGBVR, DBGBCR, DBGWVR, DBGWCR. */
#define HYP_DBG_KINDS	4
#define HYP_DBG_MAX	16

struct hyp_dbg_regs {
	u64 r[HYP_DBG_KINDS][HYP_DBG_MAX];
};

/*
 * A vCPU's debug state (hyp/debug.c). @guest: its breakpoints and
 * watchpoints while they are not in the hardware; @ext: the host
 * debugger's (SKVM_RUN_HW_BP); @mdccint, @oslk: its MDCCINT_EL1 and OS
 * Lock. Per run: @in_hw, whose breakpoints are in the hardware
 * (the host's are then in this CPU's record); @mdscr_virt, MDSCR_EL1 in
 * the hardware is not the guest's (the host debugs it, or the OS Lock is
 * set), so every debug register access traps and is emulated;
 * @run_flags, the host's SKVM_RUN_DEBUG/_STEP/_HW_BP. @stepping: the host
 * single-steps the vCPU; @step_done: the last exit was its step.
 */
struct hyp_vcpu_debug {
	struct hyp_dbg_regs guest;
	struct hyp_dbg_regs ext;
	u64 mdccint;
	u64 run_flags;
	/* All zero (@any) unless debug is in use: one load on the exit path. */
	union {
		struct {
			u8 oslk;
			u8 stepping;
			u8 in_hw;
			u8 mdscr_virt;
		};
		u32 any;
	};
	u32 step_done;
};

/*
 * A vCPU lives in pages the host donated for it (@pages from its own
 * address). @state changes only with atomics: READY -> ACTIVE by the CPU
 * that claims the vCPU, ACTIVE -> READY (release) by that CPU once it has
 * stopped using the VM's stage 2. @may_skip: the last exit was a data
 * abort the host may emulate, so it may ask EL2 to step over the
 * instruction.
 */
struct hyp_vcpu {
	struct skvm_ctxt ctxt;
	u32 state;
	u32 may_skip;
	u64 pages;
	struct hyp_vcpu_debug debug;
	/* Its virtual CPU interface, shared with the host (NULL: no vGIC). */
	struct skvm_vgic_if *gic;
};

/* Physically contiguous pages a VM's stage 2 takes its tables from. */
struct hyp_pool_chunk {
	u64 pa;
	u64 pages;
	u64 used;
};

/*
 * A guest's EL2 configuration: what restore_vm loads besides the context.
 * It lives in the pages the host donated at creation (@region_pa,
 * @region_pages): the stage-2 root table first, then this structure, then
 * @vcpus (@nr_vcpus entries) and @last_vcpu_ran (one per CPU).
 * @pool: the stage-2 page-table pool, in chunks the host donated.
 * @reclaim_ipa, @reclaim_chunk, @reclaim_page, @reclaim_vcpu: how far a
 * DYING VM's reclaim has got.
 */
struct hyp_vm {
	u64 region_pa;
	u64 region_pages;
	u32 nr_vcpus;
	u32 reclaim_vcpu;
	u32 ipa_bits;
	u32 tlb_flushed;
	u32 shared_mem;		/* SKVM_VM_SHARED_MEM: no scrub on the way out */
	u32 reserved;
	u64 vttbr;
	u64 vtcr;
	u64 cntvoff;
	u64 hcr_set;		/* HCR_EL2 bits of this VM only (TID2) */
	/*
	 * The physical counter's offset for its guests (SKVM_REG_CNTPOFF);
	 * while it is not 0, CNTHCTL_EL2 bits cleared for this VM
	 * (EL1PCTEN: CNTPCT_EL0 traps, exit.c answers).
	 */
	u64 cntpoff;
	u64 cnthctl_clr;
	u64 ctr;		/* CTR_EL0 and CLIDR_EL1 as its guests read them */
	u64 clidr;
	u64 id_regs[SKVM_NR_ID_REGS];	/* what HCR_EL2.TID3 reads answer */
	u64 psci_version;	/* SKVM_REG_PSCI_VERSION */
	struct hyp_pool_chunk pool[SKVM_POOL_CHUNKS];
	u32 nr_pool;
	u32 reclaim_chunk;
	u64 reclaim_ipa;
	u64 reclaim_page;
	struct hyp_vcpu **vcpus;
	u32 *last_vcpu_ran;
};

/*
 * One entry of the VM table, in EL2's own memory, so that it outlives the
 * VM's donated pages. @lock serialises this VM's stage 2, vCPU creation,
 * register access and reclaim (lock order: a slot's lock, then hyp.lock);
 * @state is the VM's (enum hyp_vm_state); @vm is set while it is not FREE.
 */
struct hyp_vm_slot {
	u32 lock;
	u32 state;
	struct hyp_vm *vm;
};

/* The fine-grained trap registers (FEAT_FGT), in one order everywhere. */
enum hyp_fgt_reg {
	HYP_HFGRTR,
	HYP_HFGWTR,
	HYP_HFGITR,
	HYP_HDFGRTR,
	HYP_HDFGWTR,
	HYP_NR_FGT,
};

static_assert(HYP_NR_FGT == SKVM_NR_FGT);

/*
 * EL2 configuration of the host world on one CPU: what the kernel's
 * init_el2 left, read once at install, plus what save_host saves.
 */
struct hyp_host_el2 {
	u64 hcr;
	u64 cptr;
	u64 mdcr;
	u64 cnthctl;
	u64 hstr;
	u64 hcrx;		/* FEAT_HCX only */
	u64 fgt[HYP_NR_FGT];	/* FEAT_FGT only */
	u64 ich_hcr;		/* GICv3 system registers only */
	/* Host EL0 PMU state, saved by save_host (only if the PMU exists). */
	u64 pmselr;
	u64 pmuserenr;
	/* Host profiling/trace controls, saved and stopped by save_host. */
	u64 pmscr;		/* FEAT_SPE only */
	u64 trfcr;		/* FEAT_TRF only */
};

/*
 * One per possible CPU, in pages the host donated at install.
 * @claim_vmid: the VM whose vCPU this CPU is claiming or running (0: none);
 * a VM's reclaim waits until no CPU names it, so its pages cannot go while
 * a CPU uses them.
 * @cur_vm, @cur_vcpu: what cur_vmid and cur_vcpuid name, while a guest's.
 */
struct hyp_cpu {
	/* The lower EL's x0..x30 while EL2 runs: entry.S fills and drains it. */
	u64 frame[31];
	struct skvm_ctxt host;
	struct hyp_host_el2 host_el2;
	u32 cur_vmid;
	u32 cur_vcpuid;
	u32 index;
	u32 claim_vmid;
	struct hyp_vm *cur_vm;
	struct hyp_vcpu *cur_vcpu;
	struct hyp_dbg_regs host_dbg;	/* while a guest's are loaded */
	/* The running vCPU's shared CPU interface and how many LRs it uses. */
	struct skvm_vgic_if *cur_gic;
	u32 cur_nr_lr;
};

/* Physical memory as EL2 sees it: VA == PA, one owner byte per page. */
struct hyp_mem {
	u64 pa_bits;
	u64 ram_base;
	u64 ram_pages;
	u8 *owner;
};

/*
 * Branch-predictor hardening on every guest exit (Spectre-v2 and BHB), as
 * the host's kernel chose it for these CPUs: @bhb_loop taken branches,
 * then, if @fw_workaround is an SMCCC function ID, that firmware call.
 */
struct hyp_spectre {
	u64 bhb_loop;
	u64 fw_workaround;
};

/*
 * @lock serialises the VM table (create, destroy, the end of a reclaim)
 * and nothing else: running a vCPU never takes it.
 * @cpus: @nr_cpus records, indexed by the host's CPU number.
 */
struct hyp_state {
	struct hyp_vm_slot vms[SKVM_MAX_VMS];
	struct hyp_cpu *cpus;
	u32 nr_cpus;
	/* The GICv3 virtual CPU interface: list and active-priority registers. */
	u64 ich_vtr;
	u32 nr_lr;
	u32 nr_apr;
	struct skvm_guest_el2 guest_el2;
	struct hyp_mem mem;
	u32 lock;
	u32 booted;
};

extern struct hyp_state hyp;
extern struct hyp_spectre hyp_spectre;
/* PA of the Linux hyp-stub vectors, put back on teardown. */
extern u64 hyp_stub_vectors;

#endif /* __SPLITKVM_HYP_STATE_H__ */
