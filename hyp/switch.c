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
#include <hyp/switch.h>
#include <hyp/vm.h>

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
	if (hyp.guest_el2.switch_tpidr2)
		s[SKVM_TPIDR2_EL0] = hw_read(tpidr2_el0);
}

static void restore_el1_sysregs(const struct skvm_ctxt *c)
{
	const u64 *s = c->sys;

	hw_write(vmpidr_el2, s[SKVM_MPIDR_EL1]);
	hw_write(csselr_el1, s[SKVM_CSSELR_EL1]);
	hw_write(sctlr_el1, s[SKVM_SCTLR_EL1]);
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
	if (hyp.guest_el2.switch_tpidr2)
		hw_write(tpidr2_el0, s[SKVM_TPIDR2_EL0]);
}

/*
 * The optional EL2 trap registers: HCRX_EL2 (FEAT_HCX), the fine-grained
 * traps (FEAT_FGT) and ICH_HCR_EL2 (GICv3). Guests get values that trap
 * every register splitkvm does not switch, the GIC CPU interface included
 * (its traps apply to the host's EL1 as well, so they cannot stay set);
 * the host gets back what it had at install.
 */
static void load_optional_traps(u64 hcrx, const u64 *fgt, u64 ich_hcr)
{
	const struct skvm_guest_el2 *g = &hyp.guest_el2;

	if (g->ich_hcr)
		hw_write(ich_hcr_el2, ich_hcr);
	if (g->has_hcrx)
		hw_write(hcrx_el2, hcrx);
	if (g->has_fgt) {
		hw_write(hfgrtr_el2, fgt[HYP_HFGRTR]);
		hw_write(hfgwtr_el2, fgt[HYP_HFGWTR]);
		hw_write(hfgitr_el2, fgt[HYP_HFGITR]);
		hw_write(hdfgrtr_el2, fgt[HYP_HDFGRTR]);
		hw_write(hdfgwtr_el2, fgt[HYP_HDFGWTR]);
	}
}

/*
 * A list register as the host wrote it, made safe to load: only the
 * architected fields; an interrupt ID the GIC reserves (1020..8191) leaves
 * the register empty, and a hardware interrupt ID that could not be one
 * (1020 and up) loses the hardware link. Either would make the virtual
 * CPU interface UNPREDICTABLE (GICv3 spec, ICH_LR<n>_EL2).
 */
#define ICH_LR_DEFINED	(SKVM_ICH_LR_VINTID | SKVM_ICH_LR_PINTID | \
			 SKVM_ICH_LR_PRIO | SKVM_ICH_LR_GROUP | \
			 SKVM_ICH_LR_HW | SKVM_ICH_LR_STATE)

/* A field of a page the host shares: read once, as it may change. */
#define SHARED_READ(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)

static u64 vgic_lr_sanitize(u64 lr)
{
	u64 intid = lr & SKVM_ICH_LR_VINTID;

	lr &= ICH_LR_DEFINED;
	if (intid >= 1020 && intid < 8192)
		return 0;
	if ((lr & SKVM_ICH_LR_HW) &&
	    (lr & SKVM_ICH_LR_PINTID) >> SKVM_ICH_LR_PINTID_SHIFT >= 1020)
		lr &= ~(SKVM_ICH_LR_HW | SKVM_ICH_LR_PINTID);
	return lr;
}

/*
 * The vCPU's virtual CPU interface, from the page it shares with the host:
 * each field read once (the host may change it under us), at most the
 * CPUs' list registers. Returns the ICH_HCR_EL2 to run it with. Out of
 * line, as save_vgic(): inlined, they cost a VM without a vGIC 7
 * instructions per exit in spills.
 */
static noinline u64 restore_vgic(struct hyp_cpu *cpu,
				 struct skvm_vgic_if *gic)
{
	u64 nr = SHARED_READ(gic->nr_lr);
	unsigned int i;

	if (nr > hyp.nr_lr)
		nr = hyp.nr_lr;
	cpu->cur_nr_lr = nr;
	hw_write(ich_vmcr_el2, SHARED_READ(gic->vmcr) & SKVM_ICH_VMCR_FIELDS);
	for (i = 0; i < hyp.nr_apr; i++) {
		hw_ich_apr_write(0, i, SHARED_READ(gic->ap0r[i]));
		hw_ich_apr_write(1, i, SHARED_READ(gic->ap1r[i]));
	}
	for (i = 0; i < nr; i++)
		hw_ich_lr_write(i, vgic_lr_sanitize(SHARED_READ(gic->lr[i])));
	return SKVM_ICH_HCR_EN | (SHARED_READ(gic->hcr) & SKVM_ICH_HCR_MAINT);
}

/*
 * Back to the host's page; the list registers EL2 loaded are emptied, so
 * that no later world finds this guest's interrupts in them. The virtual
 * timer's state and the guest's interrupt masks go with them: its
 * interrupt is the host's to deliver.
 */
static noinline void save_vgic(struct hyp_cpu *cpu,
			       struct skvm_vgic_if *gic,
			       const struct skvm_ctxt *c)
{
	unsigned int i;

	gic->cntv_ctl = c->sys[SKVM_CNTV_CTL_EL0];
	gic->cntv_cval = c->sys[SKVM_CNTV_CVAL_EL0];
	gic->pstate = c->pstate;
	gic->vmcr = hw_read(ich_vmcr_el2);
	for (i = 0; i < hyp.nr_apr; i++) {
		gic->ap0r[i] = hw_ich_apr_read(0, i);
		gic->ap1r[i] = hw_ich_apr_read(1, i);
	}
	for (i = 0; i < cpu->cur_nr_lr; i++) {
		gic->lr[i] = hw_ich_lr_read(i);
		hw_ich_lr_write(i, 0);
	}
}

/*
 * With MDCR_EL2.E2PB/E2TB == 0 while a guest runs, the profiling and trace
 * buffers belong to EL2: the host's sampling and tracing must stop before
 * the guest's EL1 regime is loaded, and the buffered records must be
 * written out with the host's translation still in place (Arm ARM, "PSB
 * CSYNC" and "TSB CSYNC": the ISB makes the disable take effect, the
 * barrier then drains what was generated before it).
 */
static void stop_host_profiling(struct hyp_host_el2 *h)
{
	const struct skvm_guest_el2 *g = &hyp.guest_el2;

	if (g->has_spe) {
		h->pmscr = hw_read(pmscr_el1);
		if (h->pmscr) {
			hw_write(pmscr_el1, 0);
			hw_profiling_sync();
		}
	}
	if (g->has_trf) {
		h->trfcr = hw_read(trfcr_el1);
		if (h->trfcr) {
			hw_write(trfcr_el1, 0);
			hw_trace_sync();
		}
	}
}

/* The host's EL1 regime is back (restore_host): let its sampling resume. */
static void resume_host_profiling(const struct hyp_host_el2 *h)
{
	const struct skvm_guest_el2 *g = &hyp.guest_el2;

	if (g->has_spe && h->pmscr)
		hw_write(pmscr_el1, h->pmscr);
	if (g->has_trf && h->trfcr)
		hw_write(trfcr_el1, h->trfcr);
}

/*
 * x0..x30. Four copies per exit: as a loop of single loads and stores
 * they were a third of an exit's instructions; a fixed-size copy is 16
 * ldp/stp pairs.
 */
static void copy_gprs(u64 *dst, const u64 *src)
{
	__builtin_memcpy(dst, src, 31 * sizeof(u64));
}

/* GPRs and the return state: the live frame <-> a context slot. */
static void save_gprs(struct skvm_ctxt *c)
{
	copy_gprs(c->regs, hw_gprs());
	c->pc = hw_read(elr_el2);
	c->pstate = hw_read(spsr_el2);
}

static void restore_gprs(const struct skvm_ctxt *c)
{
	copy_gprs(hw_gprs(), c->regs);
	hw_write(elr_el2, c->pc);
	hw_write(spsr_el2, c->pstate);
}

/**
 * save_host() - save the host world of this CPU into its slot (0, cpu).
 * @cpu: this CPU's record.
 *
 * Saves more than the seed: the host's x0..x30, ELR_EL2 and SPSR_EL2 too,
 * because restore_vm overwrites them, the host's EL0 PMU selection, and
 * its profiling and trace controls, which it stops.
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
	stop_host_profiling(&cpu->host_el2);
	hw_fp_save(&h->fp);
}

/**
 * restore_vm() - load vCPU (@vmid, @vcpuid) onto this CPU.
 * @cpu: this CPU's record; the host must have been saved already.
 * @vmid: guest VM, 1..SKVM_MAX_VMS-1, from the host (untrusted).
 * @vcpuid: vCPU index, below the VM's nr_vcpus, from the host (untrusted).
 *
 * Return: 0, or -EINVAL with nothing changed if the VM or vCPU is out of
 * range, not LIVE, or not READY (the seed halts the machine instead).
 */
int restore_vm(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid)
{
	const struct skvm_guest_el2 *g = &hyp.guest_el2;
	struct hyp_vcpu *vcpu;
	struct hyp_vm *vm;
	u64 ich_hcr;

	vcpu = hyp_vcpu_claim(cpu, vmid, vcpuid);
	if (!vcpu)
		return -EINVAL;
	vm = hyp_vm_slot(vmid)->vm;
	cpu->cur_vmid = vmid;
	cpu->cur_vcpuid = vcpuid;
	cpu->cur_vm = vm;
	cpu->cur_vcpu = vcpu;

	restore_gprs(&vcpu->ctxt);
	/* Stage 2 and traps: in effect from the ERET into the guest. */
	hw_write(vtcr_el2, vm->vtcr);
	hw_write(vttbr_el2, vm->vttbr);
	hw_write(hcr_el2, g->hcr | vm->hcr_set);
	hw_write(hstr_el2, 0);
	/* A vGIC: the guest's CPU interface is the hardware's virtual one. */
	ich_hcr = g->ich_hcr;
	cpu->cur_gic = __atomic_load_n(&vcpu->gic, __ATOMIC_ACQUIRE);
	if (cpu->cur_gic)
		ich_hcr = restore_vgic(cpu, cpu->cur_gic);
	load_optional_traps(g->hcrx, g->fgt, ich_hcr);
	hw_write(cnthctl_el2, (cpu->host_el2.cnthctl | CNTHCTL_EL1PCTEN) &
			      ~(CNTHCTL_EL1PCEN | vm->cnthctl_clr));
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
	if (g->has_ras)
		hw_write(vdisr_el2, vcpu->ctxt.sys[SKVM_DISR_EL1]);
	hw_fp_restore(&vcpu->ctxt.fp);
	return 0;
}

/**
 * save_vm() - save the vCPU this CPU runs. It stays ACTIVE: this CPU still
 * runs with its stage 2 until restore_host has put the host's back.
 * @cpu: this CPU's record; cur_vmid/cur_vcpuid name a guest.
 */
void save_vm(struct hyp_cpu *cpu)
{
	struct hyp_vcpu *vcpu = cpu->cur_vcpu;

	save_el1_sysregs(&vcpu->ctxt);
	if (hyp.guest_el2.has_ras)
		vcpu->ctxt.sys[SKVM_DISR_EL1] = hw_read(vdisr_el2);
	hw_fp_save(&vcpu->ctxt.fp);
	save_gprs(&vcpu->ctxt);
	/* After the context: it hands the host the timer and PSTATE saved. */
	if (cpu->cur_gic)
		save_vgic(cpu, cpu->cur_gic, &vcpu->ctxt);
}

/**
 * restore_host() - give this CPU back to the host, then make the vCPU that
 * ran READY again.
 * @cpu: this CPU's record.
 */
void restore_host(struct hyp_cpu *cpu)
{
	const struct hyp_host_el2 *h = &cpu->host_el2;
	struct hyp_vcpu *vcpu = cpu->cur_vcpu;

	cpu->cur_vmid = SKVM_HOST_VMID;
	cpu->cur_vcpuid = cpu->index;
	cpu->cur_vm = NULL;
	cpu->cur_vcpu = NULL;
	/*
	 * The host runs without stage 2 (HCR_EL2.VM == 0) but its TLB entries
	 * are still tagged with VTTBR_EL2.VMID, so it must be VMID 0, which no
	 * guest uses (Arm ARM, "VMID and ASID").
	 */
	hw_write(vttbr_el2, 0);
	hw_write(hcr_el2, h->hcr);
	hw_write(hstr_el2, h->hstr);
	load_optional_traps(h->hcrx, h->fgt, h->ich_hcr);
	hw_write(cnthctl_el2, h->cnthctl);
	hw_write(cntvoff_el2, 0);
	if (hyp.guest_el2.has_pmu) {
		hw_write(pmselr_el0, h->pmselr);
		hw_write(pmuserenr_el0, h->pmuserenr);
	}
	hw_write(mdcr_el2, h->mdcr);
	hw_write(cptr_el2, h->cptr);
	restore_el1_sysregs(&cpu->host);
	resume_host_profiling(h);
	hw_fp_restore(&cpu->host.fp);
	restore_gprs(&cpu->host);
	/*
	 * Only once the host's VTTBR_EL2 and HCR_EL2 are in effect (ISB: Arm
	 * ARM, "Synchronization requirements for AArch64 System registers")
	 * can no walk of this CPU use the guest's stage 2 any more; a destroy
	 * on another CPU may then take the VM's pages (release: it sees every
	 * store of this run once it sees READY).
	 */
	hw_isb();
	hyp_vcpu_release(cpu, vcpu);
}
