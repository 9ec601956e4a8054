/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An executable spec of the four CtxtSwitch primitives, written from SeKVM's
 * Coq specs (the seed: CtxtSwitchRefine.v and the CtxtSwitch layer's Spec),
 * over an abstract state, independently of hyp/switch.c.
 */
#ifndef __SPLITKVM_CTXTSWITCH_SPEC_H__
#define __SPLITKVM_CTXTSWITCH_SPEC_H__

#include <linux/types.h>
#include <splitkvm/ctxt.h>
#include <splitkvm/limits.h>
#include <hyp/state.h>

/*
 * The seed's bounds. The implementation's are larger and set at run time
 * (a VM's vCPUs, the CPUs); the differential test builds its VMs with
 * SPEC_MAX_VCPUS vCPUs each, on SPEC_MAX_CPUS CPUs.
 */
#define SPEC_MAX_VMS		16
#define SPEC_MAX_VCPUS		8
#define SPEC_MAX_CPUS		8

/* The seed's ctxt_id: one map for the host (vmid 0) and the guests. */
#define SPEC_NR_SLOTS		(SPEC_MAX_VMS * SPEC_MAX_VCPUS)
#define spec_ctxt_id(vmid, vcpuid)	((vmid) * SPEC_MAX_VCPUS + (vcpuid))

enum spec_vm_state { SPEC_VM_FREE, SPEC_VM_VERIFIED };
enum spec_vcpu_state { SPEC_VCPU_FREE, SPEC_VCPU_READY, SPEC_VCPU_ACTIVE };

/* The live register file of one physical CPU ("hw" in the seed). */
struct spec_hw {
	struct skvm_fpsimd fp;		/* first: no padding anywhere */
	u64 gpr[31];
	u64 pc;			/* ELR_EL2 */
	u64 pstate;		/* SPSR_EL2 */
	u64 el1[SKVM_NR_SYSREGS];	/* SKVM_MPIDR_EL1 is VMPIDR_EL2 */
	u64 vttbr, vtcr, hcr, hstr, cnthctl, cntvoff, mdcr, cptr;
	u64 hcrx, fgt[HYP_NR_FGT], ich_hcr;
	u64 pmselr, pmuserenr, pmscr, trfcr;
	u64 actlr;			/* the host's, always (D8) */
	/* The GICv3 virtual CPU interface (not in the seed: a vGIC). */
	u64 ich_vmcr;
	u64 ich_apr[2][SKVM_VGIC_MAX_APR];
	u64 ich_lr[SKVM_VGIC_MAX_LR];
	u64 pad;			/* 0: no tail padding (compared bytewise) */
};

static_assert(sizeof(struct spec_hw) ==
	      sizeof(struct skvm_fpsimd) +
	      (33 + SKVM_NR_SYSREGS + 17 + HYP_NR_FGT +
	       2 * SKVM_VGIC_MAX_APR + SKVM_VGIC_MAX_LR) * 8);

/* EL2 configuration the host world gets back (per CPU). */
struct spec_host_el2 {
	u64 hcr, cptr, mdcr, cnthctl, hstr, hcrx, fgt[HYP_NR_FGT], ich_hcr;
	u64 pmselr, pmuserenr, pmscr, trfcr;
};

struct spec_state {
	struct spec_hw hw;
	struct skvm_ctxt shadow[SPEC_NR_SLOTS];
	u32 cpu;			/* this physical CPU */
	u32 cur_vmid, cur_vcpuid;
	bool halt;
	u32 vm_state[SPEC_MAX_VMS];
	u32 vcpu_state[SPEC_NR_SLOTS];
	u64 vm_vttbr[SPEC_MAX_VMS], vm_vtcr[SPEC_MAX_VMS];
	u64 vm_cntvoff[SPEC_MAX_VMS];
	u64 vm_hcr_set[SPEC_MAX_VMS];	/* a VM's own HCR_EL2 bits (TID2) */
	u64 vm_cnthctl_clr[SPEC_MAX_VMS];	/* CNTHCTL_EL2 bits it clears */
	struct spec_host_el2 host_el2;
	/* Guest trap configuration (symbolic placeholders in the seed). */
	u64 guest_hcr, guest_cptr, guest_mdcr_traps, guest_pmuserenr;
	u64 guest_hcrx, guest_fgt[HYP_NR_FGT], guest_ich_hcr;
	/*
	 * A vCPU's virtual CPU interface, in the page it shares with the host
	 * (@gic_on: it has one); the CPUs' list and active-priority registers;
	 * the list registers restore_vm loaded for the vCPU that runs.
	 */
	struct skvm_vgic_if gic[SPEC_NR_SLOTS];
	bool gic_on[SPEC_NR_SLOTS];
	u32 nr_lr, nr_apr;
	bool cur_gic;
	u32 cur_nr_lr;
	/* What this CPU has (D6, D10, D11). */
	bool has_pmu, has_hcrx, has_fgt, has_spe, has_trf, has_ras;
	bool switch_tpidr2;
};

void spec_save_host(struct spec_state *s);
void spec_restore_vm(struct spec_state *s, u64 vmid, u64 vcpuid);
void spec_save_vm(struct spec_state *s);
void spec_restore_host(struct spec_state *s);

#endif /* __SPLITKVM_CTXTSWITCH_SPEC_H__ */
