// SPDX-License-Identifier: GPL-2.0-only
/*
 * The executable spec of save_host, restore_vm, save_vm and restore_host.
 *
 * Mirrors the Coq specs of SeKVM's CtxtSwitch layer, step by step, over
 * struct spec_state. Where splitkvm deliberately differs, it says so here,
 * and the spec follows splitkvm:
 *
 *  D1. save_host also saves the host's x0..x30, ELR_EL2 (pc) and SPSR_EL2
 *      (pstate): the seed restores them in restore_host without saving.
 *  D2. ESR_EL1 and the virtual timer (CNTV_CTL/CVAL_EL0) are part of the
 *      EL1 context; the seed omits them.
 *  D3. A bad restore_vm request (out of range, VM not VERIFIED, vCPU not
 *      READY) halts the seed's machine; splitkvm refuses it and changes
 *      nothing. The spec still sets halt, and the test requires the
 *      implementation to have refused with every other part unchanged.
 *  D4. TPIDR_EL2 always holds EL2's per-CPU pointer; the seed loads it per
 *      VM. The current vCPU is cur_vmid/cur_vcpuid instead.
 *  D5. Flag values (HCR, CPTR, MDCR, CNTHCTL) are real: the guests' from
 *      the host at install, the host's as the kernel's init_el2 left them.
 *      MDCR_EL2.HPMN stays the host's. CNTVOFF_EL2 is per VM (host: 0).
 *  D6. PMSELR_EL0/PMUSERENR_EL0 are only touched when a PMU exists, and the
 *      host's values are saved by save_host and put back by restore_host.
 *  D7. VTCR_EL2 is loaded with the VM's stage 2 (the seed has one VTCR).
 *  D8. save_vm also records ESR/FAR/HPFAR_EL2 in the vCPU's slot.
 */
#include <linux/string.h>
#include "ctxtswitch_spec.h"

#define CNTHCTL_EL1PCTEN	(1UL << 0)
#define CNTHCTL_EL1PCEN		(1UL << 1)

static struct skvm_ctxt *cur_slot(struct spec_state *s)
{
	return &s->shadow[spec_ctxt_id(s->cur_vmid, s->cur_vcpuid)];
}

/* save_host: EL1 sysregs and FP/SIMD of hw into the host's slot (+D1, D6). */
void spec_save_host(struct spec_state *s)
{
	struct skvm_ctxt *slot;

	if (s->halt)
		return;
	slot = &s->shadow[spec_ctxt_id(SKVM_HOST_VMID, s->cpu)];
	memcpy(slot->regs, s->hw.gpr, sizeof(slot->regs));
	slot->pc = s->hw.pc;
	slot->pstate = s->hw.pstate;
	memcpy(slot->sys, s->hw.el1, sizeof(slot->sys));
	slot->fp = s->hw.fp;
	if (s->has_pmu) {
		s->host_el2.pmselr = s->hw.pmselr;
		s->host_el2.pmuserenr = s->hw.pmuserenr;
	}
}

/*
 * restore_vm: check vmid/vcpuid, set the owner, READY -> ACTIVE for a
 * VERIFIED VM, restore the shadow registers, load the VM's EL2 state,
 * timer traps, activate traps, EL1 sysregs, FP/SIMD.
 */
void spec_restore_vm(struct spec_state *s, u64 vmid, u64 vcpuid)
{
	struct skvm_ctxt *slot;
	u32 id;

	if (s->halt)
		return;
	if (!(vmid > 0 && vmid < SKVM_MAX_VMS) || vcpuid >= SKVM_MAX_VCPUS) {
		s->halt = true;
		return;
	}
	id = spec_ctxt_id(vmid, vcpuid);
	if (s->vm_state[vmid] != SPEC_VM_VERIFIED ||
	    s->vcpu_state[id] != SPEC_VCPU_READY) {
		s->halt = true;
		return;
	}
	s->cur_vmid = vmid;
	s->cur_vcpuid = vcpuid;
	s->vcpu_state[id] = SPEC_VCPU_ACTIVE;
	slot = &s->shadow[id];
	/* shadow registers */
	memcpy(s->hw.gpr, slot->regs, sizeof(s->hw.gpr));
	s->hw.pc = slot->pc;
	s->hw.pstate = slot->pstate;
	/* EL2 state of the VM (D4, D7) */
	s->hw.vttbr = s->vm_vttbr[vmid];
	s->hw.vtcr = s->vm_vtcr[vmid];
	s->hw.hcr = s->guest_hcr;
	/* timer traps (D5) */
	s->hw.cnthctl = (s->host_el2.cnthctl | CNTHCTL_EL1PCTEN) &
			~CNTHCTL_EL1PCEN;
	s->hw.cntvoff = s->vm_cntvoff[vmid];
	/* activate traps (D5, D6) */
	s->hw.hstr = 0;
	if (s->has_pmu) {
		s->hw.pmselr = 0;
		s->hw.pmuserenr = s->guest_pmuserenr;
	}
	s->hw.mdcr = (s->host_el2.mdcr & 0x1f) | s->guest_mdcr_traps;
	s->hw.cptr = s->guest_cptr;
	/* EL1 sysregs (D2), FP/SIMD */
	memcpy(s->hw.el1, slot->sys, sizeof(s->hw.el1));
	s->hw.fp = slot->fp;
}

/* save_vm: EL1 sysregs, FP/SIMD, shadow registers; ACTIVE -> READY (D8). */
void spec_save_vm(struct spec_state *s)
{
	struct skvm_ctxt *slot;

	if (s->halt)
		return;
	if (s->cur_vmid == SKVM_HOST_VMID) {
		s->halt = true;		/* no guest on this CPU */
		return;
	}
	slot = cur_slot(s);
	memcpy(slot->sys, s->hw.el1, sizeof(slot->sys));
	slot->fp = s->hw.fp;
	memcpy(slot->regs, s->hw.gpr, sizeof(slot->regs));
	slot->pc = s->hw.pc;
	slot->pstate = s->hw.pstate;
	slot->esr_el2 = s->hw.esr_el2;
	slot->far_el2 = s->hw.far_el2;
	slot->hpfar_el2 = s->hw.hpfar_el2;
	s->vcpu_state[spec_ctxt_id(s->cur_vmid, s->cur_vcpuid)] =
		SPEC_VCPU_READY;
}

/* restore_host: owner = host; host EL2 state; EL1 sysregs; FP/SIMD (D1). */
void spec_restore_host(struct spec_state *s)
{
	struct skvm_ctxt *slot;

	if (s->halt)
		return;
	s->cur_vmid = SKVM_HOST_VMID;
	s->cur_vcpuid = s->cpu;
	slot = cur_slot(s);
	s->hw.vttbr = 0;
	s->hw.hcr = s->host_el2.hcr;
	s->hw.hstr = s->host_el2.hstr;
	s->hw.cnthctl = s->host_el2.cnthctl;
	s->hw.cntvoff = 0;
	if (s->has_pmu) {
		s->hw.pmselr = s->host_el2.pmselr;
		s->hw.pmuserenr = s->host_el2.pmuserenr;
	}
	s->hw.mdcr = s->host_el2.mdcr;
	s->hw.cptr = s->host_el2.cptr;
	memcpy(s->hw.el1, slot->sys, sizeof(s->hw.el1));
	s->hw.fp = slot->fp;
	memcpy(s->hw.gpr, slot->regs, sizeof(s->hw.gpr));
	s->hw.pc = slot->pc;
	s->hw.pstate = slot->pstate;
}
