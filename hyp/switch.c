// SPDX-License-Identifier: GPL-2.0-only
/*
 * The world switch: save_host, restore_vm, save_vm and restore_host, the
 * four primitives of SeKVM's verified CtxtSwitch layer (see
 * kunit/ctxtswitch_spec.c for the executable spec and where we differ).
 *
 * Every register access goes through <hwregs.h>: at EL2 that is mrs/msr,
 * in the UML KUnit build a simulated register bank, so this very file is
 * what the differential test checks against the spec.
 *
 * Ordering: none of the registers written here changes how EL2 itself
 * executes, and each world is entered by an ERET, a context synchronization
 * event after which all of them are in effect together (Arm ARM DDI 0487,
 * "Synchronization requirements for AArch64 System registers" and
 * "Context synchronization event"). So the lists below need no ISB; where an
 * order does matter, the comment says why.
 */
#include <hwregs.h>
#include <hyp/spinlock.h>
#include <hyp/switch.h>

/* CNTHCTL_EL2 (E2H == 0 layout): EL1 access to the physical counter/timer. */
#define CNTHCTL_EL1PCTEN	(1UL << 0)
#define CNTHCTL_EL1PCEN		(1UL << 1)
#define MDCR_HPMN_MASK		0x1fUL

static void save_el1_sysregs(struct skvm_ctxt *c)
{
	u64 *s = c->sys;

	s[SKVM_MPIDR_EL1] = hw_read(vmpidr_el2);
	s[SKVM_CSSELR_EL1] = hw_read(csselr_el1);
	s[SKVM_SCTLR_EL1] = hw_read(sctlr_el1);
	s[SKVM_ACTLR_EL1] = hw_read(actlr_el1);
	s[SKVM_CPACR_EL1] = hw_read(cpacr_el1);
	s[SKVM_TTBR0_EL1] = hw_read(ttbr0_el1);
	s[SKVM_TTBR1_EL1] = hw_read(ttbr1_el1);
	s[SKVM_TCR_EL1] = hw_read(tcr_el1);
	s[SKVM_ESR_EL1] = hw_read(esr_el1);
	s[SKVM_AFSR0_EL1] = hw_read(afsr0_el1);
	s[SKVM_AFSR1_EL1] = hw_read(afsr1_el1);
	s[SKVM_FAR_EL1] = hw_read(far_el1);
	s[SKVM_MAIR_EL1] = hw_read(mair_el1);
	s[SKVM_VBAR_EL1] = hw_read(vbar_el1);
	s[SKVM_CONTEXTIDR_EL1] = hw_read(contextidr_el1);
	s[SKVM_AMAIR_EL1] = hw_read(amair_el1);
	s[SKVM_CNTKCTL_EL1] = hw_read(cntkctl_el1);
	s[SKVM_PAR_EL1] = hw_read(par_el1);
	s[SKVM_TPIDR_EL1] = hw_read(tpidr_el1);
	s[SKVM_SP_EL1] = hw_read(sp_el1);
	s[SKVM_ELR_EL1] = hw_read(elr_el1);
	s[SKVM_SPSR_EL1] = hw_read(spsr_el1);
	s[SKVM_MDSCR_EL1] = hw_read(mdscr_el1);
	s[SKVM_SP_EL0] = hw_read(sp_el0);
	s[SKVM_TPIDR_EL0] = hw_read(tpidr_el0);
	s[SKVM_TPIDRRO_EL0] = hw_read(tpidrro_el0);
	s[SKVM_CNTV_CTL_EL0] = hw_read(cntv_ctl_el0);
	s[SKVM_CNTV_CVAL_EL0] = hw_read(cntv_cval_el0);
}

static void restore_el1_sysregs(const struct skvm_ctxt *c)
{
	const u64 *s = c->sys;

	hw_write(vmpidr_el2, s[SKVM_MPIDR_EL1]);
	hw_write(csselr_el1, s[SKVM_CSSELR_EL1]);
	hw_write(sctlr_el1, s[SKVM_SCTLR_EL1]);
	hw_write(actlr_el1, s[SKVM_ACTLR_EL1]);
	hw_write(cpacr_el1, s[SKVM_CPACR_EL1]);
	hw_write(ttbr0_el1, s[SKVM_TTBR0_EL1]);
	hw_write(ttbr1_el1, s[SKVM_TTBR1_EL1]);
	hw_write(tcr_el1, s[SKVM_TCR_EL1]);
	hw_write(esr_el1, s[SKVM_ESR_EL1]);
	hw_write(afsr0_el1, s[SKVM_AFSR0_EL1]);
	hw_write(afsr1_el1, s[SKVM_AFSR1_EL1]);
	hw_write(far_el1, s[SKVM_FAR_EL1]);
	hw_write(mair_el1, s[SKVM_MAIR_EL1]);
	hw_write(vbar_el1, s[SKVM_VBAR_EL1]);
	hw_write(contextidr_el1, s[SKVM_CONTEXTIDR_EL1]);
	hw_write(amair_el1, s[SKVM_AMAIR_EL1]);
	hw_write(cntkctl_el1, s[SKVM_CNTKCTL_EL1]);
	hw_write(par_el1, s[SKVM_PAR_EL1]);
	hw_write(tpidr_el1, s[SKVM_TPIDR_EL1]);
	hw_write(sp_el1, s[SKVM_SP_EL1]);
	hw_write(elr_el1, s[SKVM_ELR_EL1]);
	hw_write(spsr_el1, s[SKVM_SPSR_EL1]);
	hw_write(mdscr_el1, s[SKVM_MDSCR_EL1]);
	hw_write(sp_el0, s[SKVM_SP_EL0]);
	hw_write(tpidr_el0, s[SKVM_TPIDR_EL0]);
	hw_write(tpidrro_el0, s[SKVM_TPIDRRO_EL0]);
	/*
	 * CNTVOFF_EL2 is already the incoming world's (restore_vm and
	 * restore_host write it first), so the comparator is armed against
	 * that world's virtual count, never the other's (Arm ARM, "The
	 * Generic Timer in AArch64 state", virtual timer condition).
	 */
	hw_write(cntv_cval_el0, s[SKVM_CNTV_CVAL_EL0]);
	hw_write(cntv_ctl_el0, s[SKVM_CNTV_CTL_EL0]);
}

/* GPRs and the return state: the live frame <-> a context slot. */
static void save_gprs(struct skvm_ctxt *c)
{
	const u64 *x = hw_gprs();
	int i;

	for (i = 0; i < 31; i++)
		c->regs[i] = x[i];
	c->pc = hw_read(elr_el2);
	c->pstate = hw_read(spsr_el2);
}

static void restore_gprs(const struct skvm_ctxt *c)
{
	u64 *x = hw_gprs();
	int i;

	for (i = 0; i < 31; i++)
		x[i] = c->regs[i];
	hw_write(elr_el2, c->pc);
	hw_write(spsr_el2, c->pstate);
}

/**
 * save_host() - save the host world of this CPU into its slot (0, cpu).
 * @cpu: this CPU's record.
 *
 * Saves more than the seed: the host's x0..x30, ELR_EL2 and SPSR_EL2 too,
 * because restore_vm overwrites them, and the host's EL0 PMU selection.
 */
void save_host(struct hyp_cpu *cpu)
{
	struct skvm_ctxt *h = &cpu->host;

	save_gprs(h);
	save_el1_sysregs(h);
	if (hyp.guest_el2.has_pmu) {
		cpu->host_el2.pmselr = hw_read(pmselr_el0);
		cpu->host_el2.pmuserenr = hw_read(pmuserenr_el0);
	}
	hw_fp_save(&h->fp);
}

/* Validate, then claim: READY -> ACTIVE only for a LIVE VM's vCPU. */
static struct hyp_vcpu *claim_vcpu(u64 vmid, u64 vcpuid)
{
	struct hyp_vcpu *vcpu = NULL;
	struct hyp_vm *vm;

	if (vmid == SKVM_HOST_VMID || vmid >= SKVM_MAX_VMS ||
	    vcpuid >= SKVM_MAX_VCPUS)
		return NULL;
	hyp_lock(&hyp.lock);
	vm = &hyp.vms[vmid];
	if (vm->state == HYP_VM_LIVE &&
	    vm->vcpus[vcpuid].state == HYP_VCPU_READY) {
		vcpu = &vm->vcpus[vcpuid];
		vcpu->state = HYP_VCPU_ACTIVE;
	}
	hyp_unlock(&hyp.lock);
	return vcpu;
}

/**
 * restore_vm() - load vCPU (@vmid, @vcpuid) onto this CPU.
 * @cpu: this CPU's record; the host must have been saved already.
 * @vmid: guest VM, 1..SKVM_MAX_VMS-1, from the host (untrusted).
 * @vcpuid: vCPU index, 0..SKVM_MAX_VCPUS-1, from the host (untrusted).
 *
 * Return: 0, or -EINVAL with nothing changed if the VM or vCPU is out of
 * range, not LIVE, or not READY (the seed halts the machine instead).
 */
int restore_vm(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid)
{
	const struct hyp_guest_el2 *g = &hyp.guest_el2;
	struct hyp_vcpu *vcpu;
	struct hyp_vm *vm;

	vcpu = claim_vcpu(vmid, vcpuid);
	if (!vcpu)
		return -EINVAL;
	vm = &hyp.vms[vmid];
	cpu->cur_vmid = vmid;
	cpu->cur_vcpuid = vcpuid;

	restore_gprs(&vcpu->ctxt);
	/* Stage 2 and traps: in effect from the ERET into the guest. */
	hw_write(vtcr_el2, vm->vtcr);
	hw_write(vttbr_el2, vm->vttbr);
	hw_write(hcr_el2, g->hcr);
	hw_write(hstr_el2, 0);
	hw_write(cnthctl_el2, (cpu->host_el2.cnthctl | CNTHCTL_EL1PCTEN) &
			      ~CNTHCTL_EL1PCEN);
	hw_write(cntvoff_el2, vm->cntvoff);
	if (g->has_pmu) {
		hw_write(pmselr_el0, 0);
		hw_write(pmuserenr_el0, g->pmuserenr);
	}
	hw_write(mdcr_el2, (cpu->host_el2.mdcr & MDCR_HPMN_MASK) |
			   g->mdcr_traps);
	/*
	 * CPTR_EL2 also governs EL2's own FP/SIMD accesses; both worlds keep
	 * TFP clear, so hw_fp_restore() below is never trapped.
	 */
	hw_write(cptr_el2, g->cptr);
	restore_el1_sysregs(&vcpu->ctxt);
	hw_fp_restore(&vcpu->ctxt.fp);
	return 0;
}

/**
 * save_vm() - save the vCPU this CPU runs, and make it READY again.
 * @cpu: this CPU's record; cur_vmid/cur_vcpuid name a guest.
 */
void save_vm(struct hyp_cpu *cpu)
{
	struct hyp_vcpu *vcpu;

	vcpu = &hyp.vms[cpu->cur_vmid].vcpus[cpu->cur_vcpuid];
	save_el1_sysregs(&vcpu->ctxt);
	hw_fp_save(&vcpu->ctxt.fp);
	save_gprs(&vcpu->ctxt);
	vcpu->ctxt.esr_el2 = hw_read(esr_el2);
	vcpu->ctxt.far_el2 = hw_read(far_el2);
	vcpu->ctxt.hpfar_el2 = hw_read(hpfar_el2);
	/* Only this CPU can leave ACTIVE, so no lock is needed to store. */
	__atomic_store_n(&vcpu->state, HYP_VCPU_READY, __ATOMIC_RELEASE);
}

/**
 * restore_host() - give this CPU back to the host.
 * @cpu: this CPU's record.
 */
void restore_host(struct hyp_cpu *cpu)
{
	const struct hyp_host_el2 *h = &cpu->host_el2;

	cpu->cur_vmid = SKVM_HOST_VMID;
	cpu->cur_vcpuid = cpu->index;
	/*
	 * The host runs without stage 2 (HCR_EL2.VM == 0) but its TLB entries
	 * are still tagged with VTTBR_EL2.VMID, so it must be VMID 0, which no
	 * guest uses (Arm ARM, "VMID and ASID").
	 */
	hw_write(vttbr_el2, 0);
	hw_write(hcr_el2, h->hcr);
	hw_write(hstr_el2, h->hstr);
	hw_write(cnthctl_el2, h->cnthctl);
	hw_write(cntvoff_el2, 0);
	if (hyp.guest_el2.has_pmu) {
		hw_write(pmselr_el0, h->pmselr);
		hw_write(pmuserenr_el0, h->pmuserenr);
	}
	hw_write(mdcr_el2, h->mdcr);
	hw_write(cptr_el2, h->cptr);
	restore_el1_sysregs(&cpu->host);
	hw_fp_restore(&cpu->host.fp);
	restore_gprs(&cpu->host);
}
