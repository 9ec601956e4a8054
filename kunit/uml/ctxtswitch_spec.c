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
 *      MDCR_EL2.HPMN stays the host's. CNTVOFF_EL2 is per VM (host: 0),
 *      and so are some HCR_EL2 bits (TID2 for a VM whose CTR_EL0 or
 *      CLIDR_EL1 the VMM changed), ORed into the guests' HCR_EL2.
 *  D6. PMSELR_EL0/PMUSERENR_EL0 are only touched when a PMU exists, and the
 *      host's values are saved by save_host and put back by restore_host.
 *  D7. VTCR_EL2 is loaded with the VM's stage 2 (the seed has one VTCR).
 *  D8. ACTLR_EL1 is not part of a context: it stays the host's (TACR
 *      traps it, EL2 emulates it). The exit syndrome (ESR/FAR/HPFAR_EL2)
 *      is decoded into the exit, not kept in the slot.
 *  D9. save_vm leaves the vCPU ACTIVE; restore_host makes it READY once
 *      the host's stage 2 and traps are back, so that no other CPU may
 *      take the VM's memory while this one can still walk its tables.
 *  D10. Where the CPU has them, HCRX_EL2, the fine-grained trap registers
 *      and ICH_HCR_EL2 are loaded with the guests' values by restore_vm
 *      and the host's by restore_host; TPIDR2_EL0 is part of the EL1 context only
 *      where FGT cannot trap it (switch_tpidr2).
 *  D12. With RAS, a guest's DISR_EL1 (VDISR_EL2) is loaded by restore_vm
 *      and saved by save_vm; the host's DISR_EL1 is not switched.
 *  D11. save_host saves the host's PMSCR_EL1 / TRFCR_EL1 (SPE, TRF) and
 *      clears whichever is set; restore_host puts back what was set.
 */
#include <linux/string.h>
#include "ctxtswitch_spec.h"

#define CNTHCTL_EL1PCTEN	(1UL << 0)
#define CNTHCTL_EL1PCEN		(1UL << 1)

static struct skvm_ctxt *cur_slot(struct spec_state *s)
{
	return &s->shadow[spec_ctxt_id(s->cur_vmid, s->cur_vcpuid)];
}

/* The EL1 registers of a context: the base set, TPIDR2_EL0 if switched. */
static size_t el1_bytes(const struct spec_state *s)
{
	return (s->switch_tpidr2 ? SKVM_TPIDR2_EL0 + 1 : SKVM_NR_BASE_SYSREGS) *
	       sizeof(u64);
}

/* save_host: EL1 sysregs and FP/SIMD of hw into the host's slot (+D1, D6, D11). */
void spec_save_host(struct spec_state *s)
{
	struct skvm_ctxt *slot;

	if (s->halt)
		return;
	slot = &s->shadow[spec_ctxt_id(SKVM_HOST_VMID, s->cpu)];
	memcpy(slot->regs, s->hw.gpr, sizeof(slot->regs));
	slot->pc = s->hw.pc;
	slot->pstate = s->hw.pstate;
	memcpy(slot->sys, s->hw.el1, el1_bytes(s));
	slot->fp = s->hw.fp;
	if (s->has_pmu) {
		s->host_el2.pmselr = s->hw.pmselr;
		s->host_el2.pmuserenr = s->hw.pmuserenr;
	}
	if (s->has_spe) {
		s->host_el2.pmscr = s->hw.pmscr;
		s->hw.pmscr = 0;
	}
	if (s->has_trf) {
		s->host_el2.trfcr = s->hw.trfcr;
		s->hw.trfcr = 0;
	}
}

/* D10: the optional trap registers, guest's or host's values. */
static void load_optional_traps(struct spec_state *s, u64 hcrx,
				const u64 *fgt, u64 ich_hcr)
{
	if (s->guest_ich_hcr)
		s->hw.ich_hcr = ich_hcr;
	if (s->has_hcrx)
		s->hw.hcrx = hcrx;
	if (s->has_fgt)
		memcpy(s->hw.fgt, fgt, sizeof(s->hw.fgt));
}

/*
 * A list register the host wrote, as the hardware may take it: only the
 * architected fields (vINTID 31:0, pINTID 44:32, priority 55:48, group,
 * HW, state); a reserved vINTID (1020..8191) is an empty register; a
 * pINTID of 1020 or more drops the hardware link.
 */
static u64 spec_lr(u64 lr)
{
	u64 vintid = lr & 0xffffffffULL, pintid = (lr >> 32) & 0x1fff;

	lr &= 0xf0ff1fffffffffffULL;
	if (vintid >= 1020 && vintid <= 8191)
		return 0;
	if ((lr & (1ULL << 61)) && pintid >= 1020)
		lr &= ~((1ULL << 61) | (0x1fffULL << 32));
	return lr;
}

/*
 * The vGIC (beyond the seed): the vCPU's virtual CPU interface from its
 * shared page, at most the CPUs' list registers; En set, and only the
 * maintenance requests of the host's ICH_HCR_EL2.
 */
static u64 spec_restore_gic(struct spec_state *s, u32 id)
{
	const struct skvm_vgic_if *g = &s->gic[id];
	u32 i;

	s->cur_gic = true;
	s->cur_nr_lr = g->nr_lr < s->nr_lr ? g->nr_lr : s->nr_lr;
	s->hw.ich_vmcr = g->vmcr & 0xfffc021fULL;	/* defined fields */
	for (i = 0; i < s->nr_apr; i++) {
		s->hw.ich_apr[0][i] = g->ap0r[i];
		s->hw.ich_apr[1][i] = g->ap1r[i];
	}
	for (i = 0; i < s->cur_nr_lr; i++)
		s->hw.ich_lr[i] = spec_lr(g->lr[i]);
	return 1 | (g->hcr & 0xfe);
}

/*
 * Saved back, with the virtual timer the host delivers; the loaded list
 * registers are left empty.
 */
static void spec_save_gic(struct spec_state *s, u32 id)
{
	struct skvm_vgic_if *g = &s->gic[id];
	u32 i;

	g->cntv_ctl = s->hw.el1[SKVM_CNTV_CTL_EL0];
	g->cntv_cval = s->hw.el1[SKVM_CNTV_CVAL_EL0];
	g->pstate = s->hw.pstate;
	g->vmcr = s->hw.ich_vmcr;
	for (i = 0; i < s->nr_apr; i++) {
		g->ap0r[i] = s->hw.ich_apr[0][i];
		g->ap1r[i] = s->hw.ich_apr[1][i];
	}
	for (i = 0; i < s->cur_nr_lr; i++) {
		g->lr[i] = s->hw.ich_lr[i];
		s->hw.ich_lr[i] = 0;
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
	if (!(vmid > 0 && vmid < SPEC_MAX_VMS) || vcpuid >= SPEC_MAX_VCPUS) {
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
	s->hw.hcr = s->guest_hcr | s->vm_hcr_set[vmid];
	/* timer traps (D5) */
	s->hw.cnthctl = (s->host_el2.cnthctl | CNTHCTL_EL1PCTEN) &
			~(CNTHCTL_EL1PCEN | s->vm_cnthctl_clr[vmid]);
	s->hw.cntvoff = s->vm_cntvoff[vmid];
	/* activate traps (D5, D6, D10) */
	s->hw.hstr = 0;
	s->cur_gic = false;
	load_optional_traps(s, s->guest_hcrx, s->guest_fgt,
			    s->gic_on[id] ? spec_restore_gic(s, id) :
					    s->guest_ich_hcr);
	if (s->has_pmu) {
		s->hw.pmselr = 0;
		s->hw.pmuserenr = s->guest_pmuserenr;
	}
	s->hw.mdcr = (s->host_el2.mdcr & 0x1f) | s->guest_mdcr_traps;
	s->hw.cptr = s->guest_cptr;
	/* EL1 sysregs (D2, D10), FP/SIMD */
	memcpy(s->hw.el1, slot->sys, el1_bytes(s));
	if (s->has_ras)
		s->hw.el1[SKVM_DISR_EL1] = slot->sys[SKVM_DISR_EL1];
	s->hw.fp = slot->fp;
}

/* save_vm: EL1 sysregs, FP/SIMD, shadow registers (D8, D9). */
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
	memcpy(slot->sys, s->hw.el1, el1_bytes(s));
	if (s->has_ras)
		slot->sys[SKVM_DISR_EL1] = s->hw.el1[SKVM_DISR_EL1];
	if (s->cur_gic)
		spec_save_gic(s, spec_ctxt_id(s->cur_vmid, s->cur_vcpuid));
	slot->fp = s->hw.fp;
	memcpy(slot->regs, s->hw.gpr, sizeof(slot->regs));
	slot->pc = s->hw.pc;
	slot->pstate = s->hw.pstate;
}

/*
 * restore_host: owner = host; host EL2 state; EL1 sysregs; FP/SIMD (D1);
 * then the vCPU that ran is READY again (D9).
 */
void spec_restore_host(struct spec_state *s)
{
	struct skvm_ctxt *slot;
	u32 ran;

	if (s->halt)
		return;
	ran = spec_ctxt_id(s->cur_vmid, s->cur_vcpuid);
	s->cur_vmid = SKVM_HOST_VMID;
	s->cur_vcpuid = s->cpu;
	slot = cur_slot(s);
	s->hw.vttbr = 0;
	s->hw.hcr = s->host_el2.hcr;
	s->hw.hstr = s->host_el2.hstr;
	load_optional_traps(s, s->host_el2.hcrx, s->host_el2.fgt,
			    s->host_el2.ich_hcr);
	s->hw.cnthctl = s->host_el2.cnthctl;
	s->hw.cntvoff = 0;
	if (s->has_pmu) {
		s->hw.pmselr = s->host_el2.pmselr;
		s->hw.pmuserenr = s->host_el2.pmuserenr;
	}
	s->hw.mdcr = s->host_el2.mdcr;
	s->hw.cptr = s->host_el2.cptr;
	memcpy(s->hw.el1, slot->sys, el1_bytes(s));
	if (s->has_spe && s->host_el2.pmscr)
		s->hw.pmscr = s->host_el2.pmscr;
	if (s->has_trf && s->host_el2.trfcr)
		s->hw.trfcr = s->host_el2.trfcr;
	s->hw.fp = slot->fp;
	memcpy(s->hw.gpr, slot->regs, sizeof(s->hw.gpr));
	s->hw.pc = slot->pc;
	s->hw.pstate = slot->pstate;
	s->vcpu_state[ran] = SPEC_VCPU_READY;
}
