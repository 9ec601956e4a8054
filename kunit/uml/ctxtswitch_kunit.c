// SPDX-License-Identifier: GPL-2.0-only
/*
 * splitkvm_ctxtswitch: differential test of hyp/switch.c (built against a
 * simulated register bank) against the executable spec in
 * ctxtswitch_spec.c. For thousands of random states, each primitive runs
 * on both, and the implementation's state, seen through the abstraction
 * function below, must equal the spec's on every register and every slot,
 * refusals included. The same checker must catch a broken world switch.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <hwregs.h>
#include <hyp/switch.h>
#include "ctxtswitch_spec.h"

#define ITERATIONS	5000
#define SEED		0x5eed5eedULL

/* Where each abstract register lives in the simulated CPU. */
#define HW(field)	offsetof(struct sim_hw, field)
static const size_t el1_map[SKVM_NR_SYSREGS] = {
	[SKVM_MPIDR_EL1] = HW(vmpidr_el2),
	[SKVM_CSSELR_EL1] = HW(csselr_el1),
	[SKVM_SCTLR_EL1] = HW(sctlr_el1),
	[SKVM_CPACR_EL1] = HW(cpacr_el1),
	[SKVM_TTBR0_EL1] = HW(ttbr0_el1),
	[SKVM_TTBR1_EL1] = HW(ttbr1_el1),
	[SKVM_TCR_EL1] = HW(tcr_el1),
	[SKVM_ESR_EL1] = HW(esr_el1),
	[SKVM_AFSR0_EL1] = HW(afsr0_el1),
	[SKVM_AFSR1_EL1] = HW(afsr1_el1),
	[SKVM_FAR_EL1] = HW(far_el1),
	[SKVM_MAIR_EL1] = HW(mair_el1),
	[SKVM_VBAR_EL1] = HW(vbar_el1),
	[SKVM_CONTEXTIDR_EL1] = HW(contextidr_el1),
	[SKVM_AMAIR_EL1] = HW(amair_el1),
	[SKVM_CNTKCTL_EL1] = HW(cntkctl_el1),
	[SKVM_PAR_EL1] = HW(par_el1),
	[SKVM_TPIDR_EL1] = HW(tpidr_el1),
	[SKVM_SP_EL1] = HW(sp_el1),
	[SKVM_ELR_EL1] = HW(elr_el1),
	[SKVM_SPSR_EL1] = HW(spsr_el1),
	[SKVM_MDSCR_EL1] = HW(mdscr_el1),
	[SKVM_SP_EL0] = HW(sp_el0),
	[SKVM_TPIDR_EL0] = HW(tpidr_el0),
	[SKVM_TPIDRRO_EL0] = HW(tpidrro_el0),
	[SKVM_CNTV_CTL_EL0] = HW(cntv_ctl_el0),
	[SKVM_CNTV_CVAL_EL0] = HW(cntv_cval_el0),
	[SKVM_TPIDR2_EL0] = HW(tpidr2_el0),
	[SKVM_DISR_EL1] = HW(vdisr_el2),
};

static u64 *sim_el1(enum skvm_sysreg idx)
{
	return (u64 *)((u8 *)&sim_hw + el1_map[idx]);
}

/* The other abstract registers, 64 bits each, and their simulated homes. */
#define PAIR(spec_field, sim_field) \
	{ offsetof(struct spec_hw, spec_field), HW(sim_field) }
static const size_t hw_pairs[][2] = {
	PAIR(pc, elr_el2), PAIR(pstate, spsr_el2), PAIR(vttbr, vttbr_el2),
	PAIR(vtcr, vtcr_el2), PAIR(hcr, hcr_el2), PAIR(hstr, hstr_el2),
	PAIR(cnthctl, cnthctl_el2), PAIR(cntvoff, cntvoff_el2),
	PAIR(mdcr, mdcr_el2), PAIR(cptr, cptr_el2), PAIR(hcrx, hcrx_el2),
	PAIR(fgt[HYP_HFGRTR], hfgrtr_el2), PAIR(fgt[HYP_HFGWTR], hfgwtr_el2),
	PAIR(fgt[HYP_HFGITR], hfgitr_el2), PAIR(fgt[HYP_HDFGRTR], hdfgrtr_el2),
	PAIR(fgt[HYP_HDFGWTR], hdfgwtr_el2), PAIR(pmselr, pmselr_el0),
	PAIR(pmuserenr, pmuserenr_el0), PAIR(pmscr, pmscr_el1),
	PAIR(trfcr, trfcr_el1), PAIR(actlr, actlr_el1),
	PAIR(ich_hcr, ich_hcr_el2), PAIR(ich_vmcr, ich_vmcr_el2),
	PAIR(ich_apr[0][0], ich_apr[0][0]), PAIR(ich_apr[0][1], ich_apr[0][1]),
	PAIR(ich_apr[0][2], ich_apr[0][2]), PAIR(ich_apr[0][3], ich_apr[0][3]),
	PAIR(ich_apr[1][0], ich_apr[1][0]), PAIR(ich_apr[1][1], ich_apr[1][1]),
	PAIR(ich_apr[1][2], ich_apr[1][2]), PAIR(ich_apr[1][3], ich_apr[1][3]),
	PAIR(ich_lr[0], ich_lr[0]), PAIR(ich_lr[1], ich_lr[1]),
	PAIR(ich_lr[2], ich_lr[2]), PAIR(ich_lr[3], ich_lr[3]),
	PAIR(ich_lr[4], ich_lr[4]), PAIR(ich_lr[5], ich_lr[5]),
	PAIR(ich_lr[6], ich_lr[6]), PAIR(ich_lr[7], ich_lr[7]),
	PAIR(ich_lr[8], ich_lr[8]), PAIR(ich_lr[9], ich_lr[9]),
	PAIR(ich_lr[10], ich_lr[10]), PAIR(ich_lr[11], ich_lr[11]),
	PAIR(ich_lr[12], ich_lr[12]), PAIR(ich_lr[13], ich_lr[13]),
	PAIR(ich_lr[14], ich_lr[14]), PAIR(ich_lr[15], ich_lr[15]),
};

/*
 * Every abstract register is listed once: GPRs, FP, EL1 and the pairs
 * (and the padding word, always 0).
 */
static_assert(sizeof(struct spec_hw) ==
	      sizeof(struct skvm_fpsimd) + sizeof(u64) *
	      (31 + SKVM_NR_SYSREGS + ARRAY_SIZE(hw_pairs) + 1));

/* Between the spec's register file and the simulated CPU, either way. */
static void copy_hw(struct spec_hw *h, bool to_spec)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hw_pairs); i++) {
		u64 *spec = (u64 *)((u8 *)h + hw_pairs[i][0]);
		u64 *sim = (u64 *)((u8 *)&sim_hw + hw_pairs[i][1]);

		if (to_spec)
			*spec = *sim;
		else
			*sim = *spec;
	}
	for (i = 0; i < SKVM_NR_SYSREGS; i++) {
		if (to_spec)
			h->el1[i] = *sim_el1(i);
		else
			*sim_el1(i) = h->el1[i];
	}
	if (to_spec) {
		memcpy(h->gpr, sim_hw.gpr, sizeof(h->gpr));
		h->fp = sim_hw.fp;
	} else {
		memcpy(sim_hw.gpr, h->gpr, sizeof(h->gpr));
		sim_hw.fp = h->fp;
	}
}

#define HOST_PAIR(field) \
	{ offsetof(struct spec_host_el2, field), \
	  offsetof(struct hyp_host_el2, field) }
static const size_t host_pairs[][2] = {
	HOST_PAIR(hcr), HOST_PAIR(cptr), HOST_PAIR(mdcr), HOST_PAIR(cnthctl),
	HOST_PAIR(hstr), HOST_PAIR(hcrx), HOST_PAIR(fgt[HYP_HFGRTR]),
	HOST_PAIR(fgt[HYP_HFGWTR]), HOST_PAIR(fgt[HYP_HFGITR]),
	HOST_PAIR(fgt[HYP_HDFGRTR]), HOST_PAIR(fgt[HYP_HDFGWTR]),
	HOST_PAIR(ich_hcr),
	HOST_PAIR(pmselr), HOST_PAIR(pmuserenr), HOST_PAIR(pmscr),
	HOST_PAIR(trfcr),
};

static_assert(sizeof(struct spec_host_el2) ==
	      sizeof(u64) * ARRAY_SIZE(host_pairs));

static void copy_host_el2(struct spec_host_el2 *spec,
			  struct hyp_host_el2 *impl, bool to_spec)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(host_pairs); i++) {
		u64 *a = (u64 *)((u8 *)spec + host_pairs[i][0]);
		u64 *b = (u64 *)((u8 *)impl + host_pairs[i][1]);

		if (to_spec)
			*a = *b;
		else
			*b = *a;
	}
}

/*
 * What the host donates on hardware: the implementation's VMs, vCPUs and
 * CPU records, for the spec's bounds. A vCPU the spec has FREE has no
 * pointer in its VM.
 */
static struct hyp_vm impl_vms[SPEC_MAX_VMS];
static struct hyp_vcpu impl_vcpus[SPEC_MAX_VMS][SPEC_MAX_VCPUS];
static struct hyp_vcpu *impl_vcpu_ptrs[SPEC_MAX_VMS][SPEC_MAX_VCPUS];
static u32 impl_last_ran[SPEC_MAX_VMS][SPEC_MAX_CPUS];
static struct hyp_cpu impl_cpus[SPEC_MAX_CPUS];
static struct skvm_vgic_if impl_gic[SPEC_MAX_VMS][SPEC_MAX_VCPUS];

static struct skvm_ctxt *impl_slot(u32 vmid, u32 vcpuid)
{
	if (vmid == SKVM_HOST_VMID)
		return &impl_cpus[vcpuid].host;
	return &impl_vcpus[vmid][vcpuid].ctxt;
}

/* The abstraction function: implementation state -> spec state. */
static void abstract(struct spec_state *a, u32 cpu)
{
	struct hyp_cpu *c = &hyp.cpus[cpu];
	u32 vm, i;

	memset(a, 0, sizeof(*a));
	copy_hw(&a->hw, true);
	for (vm = 0; vm < SPEC_MAX_VMS; vm++) {
		for (i = 0; i < SPEC_MAX_VCPUS; i++) {
			u32 id = spec_ctxt_id(vm, i);

			a->shadow[id] = *impl_slot(vm, i);
			a->gic[id] = impl_gic[vm][i];
			if (vm && impl_vms[vm].vcpus[i]) {
				a->vcpu_state[id] = impl_vms[vm].vcpus[i]->state;
				a->gic_on[id] = impl_vms[vm].vcpus[i]->gic;
			}
		}
		if (vm) {
			a->vm_state[vm] = hyp.vms[vm].state == HYP_VM_LIVE ?
					  SPEC_VM_VERIFIED : SPEC_VM_FREE;
			a->vm_vttbr[vm] = impl_vms[vm].vttbr;
			a->vm_vtcr[vm] = impl_vms[vm].vtcr;
			a->vm_cntvoff[vm] = impl_vms[vm].cntvoff;
			a->vm_hcr_set[vm] = impl_vms[vm].hcr_set;
			a->vm_cnthctl_clr[vm] = impl_vms[vm].cnthctl_clr;
		}
	}
	a->cpu = cpu;
	a->cur_vmid = c->cur_vmid;
	a->cur_vcpuid = c->cur_vcpuid;
	a->cur_gic = c->cur_gic;
	a->cur_nr_lr = c->cur_nr_lr;
	a->nr_lr = hyp.nr_lr;
	a->nr_apr = hyp.nr_apr;
	copy_host_el2(&a->host_el2, &c->host_el2, true);
	a->guest_hcr = hyp.guest_el2.hcr;
	a->guest_cptr = hyp.guest_el2.cptr;
	a->guest_mdcr_traps = hyp.guest_el2.mdcr_traps;
	a->guest_pmuserenr = hyp.guest_el2.pmuserenr;
	a->guest_hcrx = hyp.guest_el2.hcrx;
	a->guest_ich_hcr = hyp.guest_el2.ich_hcr;
	memcpy(a->guest_fgt, hyp.guest_el2.fgt, sizeof(a->guest_fgt));
	a->has_pmu = hyp.guest_el2.has_pmu;
	a->has_hcrx = hyp.guest_el2.has_hcrx;
	a->has_fgt = hyp.guest_el2.has_fgt;
	a->has_spe = hyp.guest_el2.has_spe;
	a->has_trf = hyp.guest_el2.has_trf;
	a->switch_tpidr2 = hyp.guest_el2.switch_tpidr2;
	a->has_ras = hyp.guest_el2.has_ras;
}

/* The inverse of abstract(), to set the implementation up in a state. */
static void concretize(struct spec_state *a)
{
	struct hyp_cpu *c = &impl_cpus[a->cpu];
	u32 vm, i;

	memset(&hyp, 0, sizeof(hyp));
	memset(&sim_hw, 0, sizeof(sim_hw));
	memset(impl_vms, 0, sizeof(impl_vms));
	memset(impl_vcpus, 0, sizeof(impl_vcpus));
	memset(impl_vcpu_ptrs, 0, sizeof(impl_vcpu_ptrs));
	memset(impl_cpus, 0, sizeof(impl_cpus));
	memcpy(impl_gic, a->gic, sizeof(impl_gic));
	hyp.cpus = impl_cpus;
	hyp.nr_lr = a->nr_lr;
	hyp.nr_apr = a->nr_apr;
	hyp.nr_cpus = SPEC_MAX_CPUS;
	copy_hw(&a->hw, false);
	for (vm = 0; vm < SPEC_MAX_VMS; vm++) {
		struct hyp_vm *v = &impl_vms[vm];

		for (i = 0; i < SPEC_MAX_VCPUS; i++) {
			u32 state = a->vcpu_state[spec_ctxt_id(vm, i)];

			*impl_slot(vm, i) = a->shadow[spec_ctxt_id(vm, i)];
			if (!vm || state == SPEC_VCPU_FREE)
				continue;
			impl_vcpus[vm][i].state = state;
			if (a->gic_on[spec_ctxt_id(vm, i)])
				impl_vcpus[vm][i].gic = &impl_gic[vm][i];
			impl_vcpu_ptrs[vm][i] = &impl_vcpus[vm][i];
		}
		if (!vm)
			continue;
		v->nr_vcpus = SPEC_MAX_VCPUS;
		v->vcpus = impl_vcpu_ptrs[vm];
		v->last_vcpu_ran = impl_last_ran[vm];
		v->vttbr = a->vm_vttbr[vm];
		v->vtcr = a->vm_vtcr[vm];
		v->cntvoff = a->vm_cntvoff[vm];
		v->hcr_set = a->vm_hcr_set[vm];
		v->cnthctl_clr = a->vm_cnthctl_clr[vm];
		if (a->vm_state[vm] == SPEC_VM_VERIFIED) {
			hyp.vms[vm].state = HYP_VM_LIVE;
			hyp.vms[vm].vm = v;
		}
	}
	for (i = 0; i < SPEC_MAX_CPUS; i++)
		hyp.cpus[i].index = i;
	c->cur_vmid = a->cur_vmid;
	c->cur_vcpuid = a->cur_vcpuid;
	c->cur_gic = a->cur_gic ? &impl_gic[a->cur_vmid][a->cur_vcpuid] : NULL;
	c->cur_nr_lr = a->cur_nr_lr;
	copy_host_el2(&a->host_el2, &c->host_el2, false);
	hyp.guest_el2.hcr = a->guest_hcr;
	hyp.guest_el2.cptr = a->guest_cptr;
	hyp.guest_el2.mdcr_traps = a->guest_mdcr_traps;
	hyp.guest_el2.pmuserenr = a->guest_pmuserenr;
	hyp.guest_el2.hcrx = a->guest_hcrx;
	hyp.guest_el2.ich_hcr = a->guest_ich_hcr;
	memcpy(hyp.guest_el2.fgt, a->guest_fgt, sizeof(a->guest_fgt));
	hyp.guest_el2.has_pmu = a->has_pmu;
	hyp.guest_el2.has_hcrx = a->has_hcrx;
	hyp.guest_el2.has_fgt = a->has_fgt;
	hyp.guest_el2.has_spe = a->has_spe;
	hyp.guest_el2.has_trf = a->has_trf;
	hyp.guest_el2.switch_tpidr2 = a->switch_tpidr2;
	hyp.guest_el2.has_ras = a->has_ras;
}

static void random_hw(struct rnd_state *rnd, struct spec_hw *h)
{
	prandom_bytes_state(rnd, h, sizeof(*h));
	h->pad = 0;
}

static void random_state(struct rnd_state *rnd, struct spec_state *s)
{
	u32 vm, i;

	memset(s, 0, sizeof(*s));
	random_hw(rnd, &s->hw);
	prandom_bytes_state(rnd, s->shadow, sizeof(s->shadow));
	prandom_bytes_state(rnd, s->vm_vttbr, sizeof(s->vm_vttbr));
	prandom_bytes_state(rnd, s->vm_vtcr, sizeof(s->vm_vtcr));
	prandom_bytes_state(rnd, s->vm_cntvoff, sizeof(s->vm_cntvoff));
	prandom_bytes_state(rnd, s->vm_hcr_set, sizeof(s->vm_hcr_set));
	/* A physical counter offset traps CNTPCT_EL0 for some VMs. */
	for (vm = 0; vm < SPEC_MAX_VMS; vm++)
		s->vm_cnthctl_clr[vm] = prandom_u32_state(rnd) & 1;
	prandom_bytes_state(rnd, &s->host_el2, sizeof(s->host_el2));
	s->cpu = prandom_u32_state(rnd) % SPEC_MAX_CPUS;
	s->cur_vmid = SKVM_HOST_VMID;
	s->cur_vcpuid = s->cpu;
	for (vm = 1; vm < SPEC_MAX_VMS; vm++) {
		s->vm_state[vm] = prandom_u32_state(rnd) % 4 ?
				  SPEC_VM_VERIFIED : SPEC_VM_FREE;
		for (i = 0; i < SPEC_MAX_VCPUS; i++) {
			u32 r = prandom_u32_state(rnd) % 8;

			s->vcpu_state[spec_ctxt_id(vm, i)] =
				r < 5 ? SPEC_VCPU_READY :
				r < 7 ? SPEC_VCPU_ACTIVE : SPEC_VCPU_FREE;
		}
	}
	s->guest_hcr = (u64)prandom_u32_state(rnd) << 32 | prandom_u32_state(rnd);
	s->guest_cptr = prandom_u32_state(rnd);
	s->guest_mdcr_traps = prandom_u32_state(rnd) & ~0x1fUL;
	s->guest_pmuserenr = prandom_u32_state(rnd) & 0xf;
	prandom_bytes_state(rnd, &s->guest_hcrx, sizeof(s->guest_hcrx));
	/* No GICv3 system registers sometimes. */
	s->guest_ich_hcr = prandom_u32_state(rnd) & 1 ? 0x1c00 : 0;
	/*
	 * With them, vCPUs with a vGIC, on CPUs with 1..16 list registers
	 * and 5..7 priority bits; a host may ask for more list registers
	 * than there are.
	 */
	prandom_bytes_state(rnd, s->gic, sizeof(s->gic));
	if (s->guest_ich_hcr) {
		s->nr_lr = 1 + prandom_u32_state(rnd) % SKVM_VGIC_MAX_LR;
		s->nr_apr = 1 << prandom_u32_state(rnd) % 3;
		for (i = 0; i < SPEC_NR_SLOTS; i++) {
			u64 *lr = s->gic[i].lr;
			u32 n;

			s->gic_on[i] = i >= SPEC_MAX_VCPUS &&
				       s->vcpu_state[i] != SPEC_VCPU_FREE &&
				       prandom_u32_state(rnd) & 1;
			s->gic[i].nr_lr = prandom_u32_state(rnd) % 20;
			/* Half of them near the reserved interrupt IDs. */
			for (n = 0; n < SKVM_VGIC_MAX_LR; n++)
				if (prandom_u32_state(rnd) & 1)
					lr[n] = (lr[n] & ~0xffffffffULL) |
						prandom_u32_state(rnd) % 9000;
		}
	}
	prandom_bytes_state(rnd, s->guest_fgt, sizeof(s->guest_fgt));
	s->has_pmu = prandom_u32_state(rnd) & 1;
	s->has_hcrx = prandom_u32_state(rnd) & 1;
	s->has_fgt = prandom_u32_state(rnd) & 1;
	s->has_spe = prandom_u32_state(rnd) & 1;
	s->has_trf = prandom_u32_state(rnd) & 1;
	s->switch_tpidr2 = prandom_u32_state(rnd) & 1;
	s->has_ras = prandom_u32_state(rnd) & 1;
	/* Profiling off in the host sometimes: nothing to stop then. */
	if (prandom_u32_state(rnd) & 1)
		s->hw.pmscr = 0;
}

/* Mostly well-formed requests, and every kind of bad one. */
static void random_request(struct rnd_state *rnd, u64 *vmid, u64 *vcpuid)
{
	static const u64 bad_vmid[] = { 0, 16, 17, 255, 1ULL << 32, ~0ULL };
	static const u64 bad_vcpu[] = { 8, 9, 64, 1ULL << 32, ~0ULL };
	u32 r = prandom_u32_state(rnd) % 10;

	*vmid = 1 + prandom_u32_state(rnd) % (SPEC_MAX_VMS - 1);
	*vcpuid = prandom_u32_state(rnd) % SPEC_MAX_VCPUS;
	if (r == 8)
		*vmid = bad_vmid[prandom_u32_state(rnd) % ARRAY_SIZE(bad_vmid)];
	else if (r == 9)
		*vcpuid = bad_vcpu[prandom_u32_state(rnd) % ARRAY_SIZE(bad_vcpu)];
}

static bool ctxt_equal(const struct skvm_ctxt *x, const struct skvm_ctxt *y,
		       const char **what)
{
	*what = memcmp(x->regs, y->regs, sizeof(x->regs)) ? "x0..x30" :
		x->pc != y->pc ? "pc" : x->pstate != y->pstate ? "pstate" :
		memcmp(x->sys, y->sys, sizeof(x->sys)) ? "EL1 sysregs" :
		memcmp(&x->fp, &y->fp, sizeof(x->fp)) ? "FP/SIMD" : NULL;
	return !*what;
}

/* Compare the implementation (abstracted) with the spec; NULL if equal. */
static const char *diff(const struct spec_state *impl,
			const struct spec_state *spec, char *buf, size_t len)
{
	const char *what;
	u32 i;

	if (memcmp(impl->hw.el1, spec->hw.el1, sizeof(impl->hw.el1))) {
		for (i = 0; i < SKVM_NR_SYSREGS; i++)
			if (impl->hw.el1[i] != spec->hw.el1[i])
				break;
		snprintf(buf, len, "hw EL1 register #%u", i);
		return buf;
	}
	if (memcmp(&impl->hw, &spec->hw, sizeof(impl->hw))) {
		const u64 *x = (const u64 *)&impl->hw, *y = (const u64 *)&spec->hw;

		for (i = 0; i < sizeof(impl->hw) / sizeof(u64); i++)
			if (x[i] != y[i])
				break;
		snprintf(buf, len, "hw word %u (GPRs, FP or EL2 registers)", i);
		return buf;
	}
	for (i = 0; i < SPEC_NR_SLOTS; i++) {
		if (!ctxt_equal(&impl->shadow[i], &spec->shadow[i], &what)) {
			snprintf(buf, len, "slot (%u, %u): %s",
				 i / SPEC_MAX_VCPUS, i % SPEC_MAX_VCPUS, what);
			return buf;
		}
	}
	if (impl->cur_vmid != spec->cur_vmid ||
	    impl->cur_vcpuid != spec->cur_vcpuid)
		return "current owner";
	if (memcmp(impl->vcpu_state, spec->vcpu_state, sizeof(impl->vcpu_state)))
		return "vCPU states";
	if (memcmp(impl->vm_state, spec->vm_state, sizeof(impl->vm_state)))
		return "VM states";
	if (memcmp(&impl->host_el2, &spec->host_el2, sizeof(impl->host_el2)))
		return "host EL2 configuration";
	if (memcmp(impl->gic, spec->gic, sizeof(impl->gic)) ||
	    memcmp(impl->gic_on, spec->gic_on, sizeof(impl->gic_on)))
		return "vGIC CPU interfaces";
	if (impl->cur_gic != spec->cur_gic ||
	    (spec->cur_gic && impl->cur_nr_lr != spec->cur_nr_lr))
		return "list registers in use";
	return NULL;
}

struct diff_run {
	struct spec_state spec, seen;
	char buf[96];
	char msg[128];
	unsigned int restores, refusals;
};

/* After a primitive ran on both: false if equal, else r->msg says how. */
static bool compare(struct diff_run *r, const char *primitive)
{
	const char *d;

	abstract(&r->seen, r->spec.cpu);
	r->seen.halt = r->spec.halt;
	d = diff(&r->seen, &r->spec, r->buf, sizeof(r->buf));
	if (d)
		snprintf(r->msg, sizeof(r->msg), "%s after %s", d, primitive);
	return d;
}

/*
 * One random state through save_host; restore_vm; (guest runs) save_vm;
 * restore_host. Returns NULL, or what differed and at which primitive.
 */
static const char *check_one(struct rnd_state *rnd, struct diff_run *r)
{
	struct spec_state *s = &r->spec;
	struct hyp_cpu *cpu;
	u64 vmid, vcpuid;
	int ret;

	random_state(rnd, s);
	concretize(s);
	cpu = &hyp.cpus[s->cpu];

	save_host(cpu);
	spec_save_host(s);
	if (compare(r, "save_host"))
		return r->msg;
	random_request(rnd, &vmid, &vcpuid);
	ret = restore_vm(cpu, vmid, vcpuid);
	spec_restore_vm(s, vmid, vcpuid);
	if (compare(r, "restore_vm"))
		return r->msg;
	r->restores++;
	if (s->halt != (ret != 0))
		return s->halt ? "restore_vm accepted what the spec refuses" :
				 "restore_vm refused what the spec accepts";
	if (s->halt) {
		r->refusals++;
		return NULL;
	}
	/* The guest runs: any register may change, and a fault may be taken. */
	random_hw(rnd, &s->hw);
	copy_hw(&s->hw, false);
	save_vm(cpu);
	spec_save_vm(s);
	if (compare(r, "save_vm"))
		return r->msg;
	random_hw(rnd, &s->hw);
	copy_hw(&s->hw, false);
	restore_host(cpu);
	spec_restore_host(s);
	if (compare(r, "restore_host"))
		return r->msg;
	return NULL;
}

static void ctxtswitch_matches_spec(struct kunit *test)
{
	struct diff_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct rnd_state rnd;
	const char *d;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	prandom_seed_state(&rnd, SEED);
	for (i = 0; i < ITERATIONS; i++) {
		d = check_one(&rnd, r);
		KUNIT_ASSERT_NULL_MSG(test, d, "iteration %d: %s", i, d);
	}
	/* Both paths must have been exercised, many times. */
	KUNIT_EXPECT_GT(test, r->refusals, ITERATIONS / 10);
	KUNIT_EXPECT_GT(test, r->restores - r->refusals, ITERATIONS / 3);
	kunit_info(test, "%d states, %u refused, %u switched", ITERATIONS,
		   r->refusals, r->restores - r->refusals);
}

static void clear_skip_write(void *unused)
{
	sim_skip_write = NULL;
}

/* Runs the differential test on a CPU that drops writes to @reg. */
static const char *run_dropping(struct diff_run *r, u64 *reg, int *at)
{
	struct rnd_state rnd;
	const char *d = NULL;
	int i;

	prandom_seed_state(&rnd, SEED);
	sim_skip_write = reg;
	for (i = 0; i < ITERATIONS && !d; i++)
		d = check_one(&rnd, r);
	sim_skip_write = NULL;
	*at = i - 1;
	return d;
}

/*
 * Sensitivity: a world switch that fails to load any one register the
 * primitives write (every EL1 register, every EL2 register of the pairs
 * table but ACTLR_EL1, which none writes) must be caught, and a dropped
 * EL1 register is named on the first restore that loads it.
 */
static void every_dropped_register_is_caught(struct kunit *test)
{
	struct diff_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int i, caught = 0;
	const char *d;
	int at;

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
					clear_skip_write, NULL));
	for (i = 0; i < SKVM_NR_SYSREGS; i++) {
		d = run_dropping(r, sim_el1(i), &at);
		KUNIT_ASSERT_NOT_NULL_MSG(test, d, "EL1 register #%u", i);
		snprintf(r->buf, sizeof(r->buf), "hw EL1 register #%u after restore_",
			 i);
		KUNIT_EXPECT_TRUE_MSG(test, !strncmp(d, r->buf, strlen(r->buf)),
				      "EL1 register #%u dropped: %s", i, d);
		caught++;
	}
	for (i = 0; i < ARRAY_SIZE(hw_pairs); i++) {
		u64 *reg = (u64 *)((u8 *)&sim_hw + hw_pairs[i][1]);

		if (reg == &sim_hw.actlr_el1)
			continue;
		d = run_dropping(r, reg, &at);
		KUNIT_EXPECT_NOT_NULL_MSG(test, d, "EL2 pair #%u", i);
		caught += !!d;
	}
	kunit_info(test, "%u dropped registers, each caught", caught);
}

/* restore_vm validates before it changes anything (the seed's gap). */
static void restore_vm_refuses_cleanly(struct kunit *test)
{
	struct diff_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	static const u64 bad[][2] = {
		{ 0, 0 }, { 16, 0 }, { ~0ULL, 0 }, { 1, 8 }, { 1, ~0ULL },
		{ 1ULL << 32 | 1, 0 }, { 1, 1ULL << 32 },
	};
	struct rnd_state rnd;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	prandom_seed_state(&rnd, SEED + 1);
	random_state(&rnd, &r->spec);
	r->spec.vm_state[1] = SPEC_VM_VERIFIED;
	r->spec.vcpu_state[spec_ctxt_id(1, 0)] = SPEC_VCPU_READY;
	r->spec.vcpu_state[spec_ctxt_id(1, 1)] = SPEC_VCPU_ACTIVE;
	r->spec.vm_state[2] = SPEC_VM_FREE;
	r->spec.vcpu_state[spec_ctxt_id(2, 0)] = SPEC_VCPU_READY;
	concretize(&r->spec);
	for (i = 0; i < ARRAY_SIZE(bad) + 2; i++) {
		u64 vmid = i < ARRAY_SIZE(bad) ? bad[i][0] : i - ARRAY_SIZE(bad) + 1;
		u64 vcpuid = i < ARRAY_SIZE(bad) ? bad[i][1] : 1 - (i - ARRAY_SIZE(bad));

		/* vmid 1 vcpu 1 is ACTIVE elsewhere; VM 2 is not VERIFIED. */
		KUNIT_EXPECT_EQ(test, -EINVAL,
				restore_vm(&hyp.cpus[r->spec.cpu], vmid, vcpuid));
		abstract(&r->seen, r->spec.cpu);
		KUNIT_EXPECT_NULL_MSG(test, diff(&r->seen, &r->spec, r->buf,
						 sizeof(r->buf)),
				      "request (%llu, %llu)", vmid, vcpuid);
	}
}

static struct kunit_case splitkvm_ctxtswitch_cases[] = {
	KUNIT_CASE(ctxtswitch_matches_spec),
	KUNIT_CASE(every_dropped_register_is_caught),
	KUNIT_CASE(restore_vm_refuses_cleanly),
	{}
};

static struct kunit_suite splitkvm_ctxtswitch_suite = {
	.name = "splitkvm_ctxtswitch",
	.test_cases = splitkvm_ctxtswitch_cases,
};
kunit_test_suite(splitkvm_ctxtswitch_suite);
