// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv3 as a KVM device (KVM_CREATE_DEVICE, KVM_DEV_TYPE_ARM_VGIC_V3):
 * its attribute groups, its life cycle (created, initialised with
 * KVM_DEV_ARM_VGIC_CTRL_INIT, mapped at the first run) and KVM_IRQ_LINE,
 * with KVM's errnos. No ITS and no GICv2 emulation: those device types
 * are refused with ENODEV, as KVM refuses a device it does not have.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "kvm.h"

#define VGIC_MAX_SPI_IRQS	992	/* NR_IRQS: multiple of 32, below 1020 */
#define REGION_INDEX		GENMASK_ULL(11, 0)
#define REGION_FLAGS		GENMASK_ULL(15, 12)
#define REGION_BASE		GENMASK_ULL(51, 16)
#define REGION_COUNT_SHIFT	52

static bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/* The region redistributor @idx (the vCPU created idx-th) is in, or NULL. */
static const struct skvm_vgic_region *rdist_region(struct skvm_kvm *kvm,
						   u32 idx)
{
	struct skvm_vgic *vgic = &kvm->vgic;
	unsigned int i;

	if (vgic->legacy_redist)
		return &vgic->regions[0];
	for (i = 0; i < vgic->nr_regions; i++) {
		const struct skvm_vgic_region *r = &vgic->regions[i];

		if (idx >= r->first && idx - r->first < r->count)
			return r;
	}
	return NULL;
}

/* Frames a region has given to vCPUs. */
static u32 region_used(struct skvm_kvm *kvm, const struct skvm_vgic_region *r)
{
	u32 n = kvm->nr_vcpus > r->first ? kvm->nr_vcpus - r->first : 0;

	return kvm->vgic.legacy_redist ? n : min(n, r->count);
}

/*
 * Redistributor @idx's frame, or SKVM_VGIC_ADDR_UNDEF. @last: GICR_TYPER.Last,
 * as KVM sets it: the last frame its region has given, unless the region
 * is full and another region in use follows it without a gap.
 */
u64 skvm_vgic_rdist_base(struct skvm_kvm *kvm, u32 idx, bool *last)
{
	const struct skvm_vgic_region *r = rdist_region(kvm, idx);
	struct skvm_vgic *vgic = &kvm->vgic;
	u64 end;
	u32 ri;
	unsigned int i;

	*last = false;
	if (!r)
		return SKVM_VGIC_ADDR_UNDEF;
	ri = idx - r->first;
	*last = ri + 1 >= region_used(kvm, r);
	if (*last && !vgic->legacy_redist && ri == r->count - 1) {
		end = r->base + (u64)r->count * KVM_VGIC_V3_REDIST_SIZE;
		for (i = 0; i < vgic->nr_regions; i++)
			if (vgic->regions[i].base == end &&
			    region_used(kvm, &vgic->regions[i]))
				*last = false;
	}
	return r->base + (u64)ri * KVM_VGIC_V3_REDIST_SIZE;
}

struct skvm_kvm_vcpu *skvm_vgic_rdist_vcpu(struct skvm_kvm *kvm, u64 gpa,
					   u64 *off)
{
	struct skvm_vgic *vgic = &kvm->vgic;
	unsigned int i;
	u64 idx;

	for (i = 0; i < vgic->nr_regions; i++) {
		const struct skvm_vgic_region *r = &vgic->regions[i];
		u64 count = region_used(kvm, r);

		if (gpa < r->base ||
		    gpa - r->base >= count * KVM_VGIC_V3_REDIST_SIZE)
			continue;
		idx = r->first + (gpa - r->base) / KVM_VGIC_V3_REDIST_SIZE;
		*off = (gpa - r->base) % KVM_VGIC_V3_REDIST_SIZE;
		return READ_ONCE(kvm->by_idx[idx]);
	}
	return NULL;
}

/* A vCPU's private interrupts, as KVM resets them for a GICv3. */
static void init_private(struct skvm_kvm_vcpu *v)
{
	unsigned int i;

	INIT_LIST_HEAD(&v->gic.ap_list);
	for (i = 0; i < SKVM_VGIC_NR_PRIVATE; i++) {
		struct skvm_irq *irq = &v->gic.priv[i];

		irq->intid = i;
		irq->vcpu = &v->gic;
		irq->group1 = true;
		irq->edge = i < SKVM_VGIC_NR_SGIS;
		irq->enabled = i < SKVM_VGIC_NR_SGIS;
	}
}

/**
 * skvm_vgic_vcpu_init() - give @v its redistributor and virtual CPU
 * interface, if its VM has a vGIC (at vCPU creation, or at the vGIC's for
 * the vCPUs that exist).
 * @v: the vCPU.
 *
 * Return: 0 or -errno.
 */
int skvm_vgic_vcpu_init(struct skvm_kvm_vcpu *v)
{
	struct skvm_kvm *kvm = v->kvm;
	u64 vtr;
	int ret;

	if (!kvm->vgic.created || v->gic.gif)
		return 0;
	ret = splitkvm_vcpu_share_gic(v->vcpu, &vtr);
	if (ret)
		return ret;
	init_private(v);
	v->gic.nr_lr = min_t(u32, SKVM_ICH_VTR_NR_LR(vtr), SKVM_VGIC_MAX_LR);
	kvm->vgic.vtr = vtr;
	/* Published last: whoever sees it sees the interrupts set up. */
	smp_store_release(&v->gic.gif, v->vcpu->gic);
	return 0;
}

/* The state machine's view of the VM's vCPUs (vgic.h). */
static struct skvm_vgic_cpu *cpu_by_mpidr(struct skvm_vgic *vgic, u64 mpidr)
{
	struct skvm_kvm *kvm = container_of(vgic, struct skvm_kvm, vgic);
	struct skvm_kvm_vcpu *v = skvm_kvm_vcpu_by_mpidr(kvm, mpidr);

	return v && v->gic.gif ? &v->gic : NULL;
}

static struct skvm_vgic_cpu *cpu_by_index(struct skvm_vgic *vgic, u32 i)
{
	struct skvm_kvm *kvm = container_of(vgic, struct skvm_kvm, vgic);

	for (; i < READ_ONCE(kvm->nr_vcpus); i++) {
		struct skvm_kvm_vcpu *v = READ_ONCE(kvm->by_idx[i]);

		if (v && v->gic.gif)
			return &v->gic;
	}
	return NULL;
}

static void kick_cpu(struct skvm_vgic_cpu *c)
{
	skvm_vgic_kick(container_of(c, struct skvm_kvm_vcpu, gic));
}

static void spi_eoi(struct skvm_vgic *vgic, u32 intid)
{
	skvm_irqfd_eoi(container_of(vgic, struct skvm_kvm, vgic), intid);
}

static const struct skvm_vgic_ops vgic_ops = {
	.cpu_by_mpidr = cpu_by_mpidr,
	.cpu_by_index = cpu_by_index,
	.kick = kick_cpu,
	.eoi = spi_eoi,
};

/*
 * Make a running vCPU leave the guest (an IPI takes it to EL2 and back to
 * its host CPU) or a blocked one wake up, to see what changed.
 */
void skvm_vgic_kick(struct skvm_kvm_vcpu *v)
{
	int cpu;

	WRITE_ONCE(v->kick, true);
	wake_up(&v->wait);
	/* Pairs with the barrier between setting running_cpu and flushing. */
	smp_mb();
	cpu = READ_ONCE(v->running_cpu);
	/* An IPI takes that CPU out of the guest (busy: one is on its way). */
	if (cpu >= 0 && cpu != raw_smp_processor_id())
		smp_call_function_single_async(cpu, &v->kick_csd);
}

/*
 * Before a run, on the CPU it runs on: the list registers, and the
 * virtual timer's physical interrupt active or not to match.
 */
void skvm_vcpu_gic_flush(struct skvm_kvm_vcpu *v)
{
	struct skvm_kvm *kvm = v->kvm;
	struct skvm_vgic_timers t = {
		.vcount = skvm_guest_vcount(v),
		.vtimer_ppi = kvm->timer_ppi[0],
		.ptimer_ppi = kvm->timer_ppi[1],
		.ptimer_level = skvm_ptimer_level(v),
		.after_wfi = v->gic.after_wfi,
	};

	skvm_vgic_flush(&kvm->vgic, &v->gic, &t);
	skvm_vtimer_load(t.phys_active);
	if (t.recheck)
		skvm_vtimer_recheck(v);
}

void skvm_vcpu_gic_fold(struct skvm_kvm_vcpu *v)
{
	skvm_vgic_fold(&v->kvm->vgic, &v->gic);
}

/* An interrupt would wake the vCPU from WFI: one pending, or its timer. */
bool skvm_vcpu_gic_pending(struct skvm_kvm_vcpu *v)
{
	struct skvm_kvm *kvm = v->kvm;

	return skvm_vgic_pending(&kvm->vgic, &v->gic) ||
	       (skvm_vgic_timer_can_wake(&kvm->vgic, &v->gic,
					 kvm->timer_ppi[0]) &&
		skvm_vtimer_firing(v));
}

/* KVM_CREATE_DEVICE for the vGICv3, with kvm->lock held. */
static int vgic_create(struct skvm_kvm *kvm)
{
	unsigned int i;
	int ret;

	if (kvm->vgic.created)
		return -EEXIST;
	if (kvm->has_run)
		return -EBUSY;
	if (!splitkvm_has_gicv3() || !skvm_vgic_host_ready())
		return -ENODEV;
	spin_lock_init(&kvm->vgic.lock);
	kvm->vgic.ops = &vgic_ops;
	kvm->vgic.dist_base = SKVM_VGIC_ADDR_UNDEF;
	kvm->vgic.created = true;
	for (i = 0; i < SKVM_MAX_VCPUS; i++) {
		if (!kvm->vcpus[i])
			continue;
		ret = skvm_vgic_vcpu_init(kvm->vcpus[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* CTRL_INIT: the SPIs, sized now (NR_IRQS, or KVM's default). */
static int vgic_init_locked(struct skvm_kvm *kvm)
{
	struct skvm_vgic *vgic = &kvm->vgic;
	struct skvm_irq *spis;
	unsigned int i, nr;

	if (vgic->ready)
		return 0;
	if (!vgic->nr_irqs)
		vgic->nr_irqs = SKVM_VGIC_DEF_NR_IRQS;
	nr = vgic->nr_irqs - SKVM_VGIC_NR_PRIVATE;
	spis = kcalloc(nr, sizeof(*spis), GFP_KERNEL_ACCOUNT);
	if (!spis)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		spis[i].intid = SKVM_VGIC_NR_PRIVATE + i;
		spis[i].group1 = true;
	}
	spin_lock_irq(&vgic->lock);
	vgic->spis = spis;
	spin_unlock_irq(&vgic->lock);
	WRITE_ONCE(vgic->ready, true);
	return 0;
}


/*
 * The first run, with KVM's checks in KVM's order: every vCPU has a
 * redistributor frame (ENXIO), the distributor is placed (ENXIO), all of
 * them fit the IPA space without overlapping (EINVAL), and the VMM
 * initialised the vGIC (EBUSY).
 */
int skvm_vgic_map(struct skvm_kvm *kvm)
{
	struct skvm_vgic *vgic = &kvm->vgic;
	u64 limit = BIT_ULL(kvm->ipa_bits), base;
	unsigned int i;
	bool last;

	if (!vgic->created || vgic->mapped)
		return 0;
	for (i = 0; i < kvm->nr_vcpus; i++)
		if (skvm_vgic_rdist_base(kvm, i, &last) == SKVM_VGIC_ADDR_UNDEF)
			return -ENXIO;
	if (vgic->dist_base == SKVM_VGIC_ADDR_UNDEF)
		return -ENXIO;
	for (i = 0; i < kvm->nr_vcpus; i++) {
		base = skvm_vgic_rdist_base(kvm, i, &last);
		if (base + KVM_VGIC_V3_REDIST_SIZE > limit ||
		    ranges_overlap(base, KVM_VGIC_V3_REDIST_SIZE,
				   vgic->dist_base, KVM_VGIC_V3_DIST_SIZE))
			return -EINVAL;
	}
	if (!vgic->ready)
		return -EBUSY;
	/* The virtual timer's PPI, as the VMM chose it, is the hardware's. */
	for (i = 0; i < kvm->nr_vcpus; i++)
		if (kvm->by_idx[i]->gic.gif && skvm_vgic_host_ready())
			kvm->by_idx[i]->gic.priv[kvm->timer_ppi[0]].hwintid =
				SKVM_VGIC_VTIMER_HWINTID;
	WRITE_ONCE(vgic->mapped, true);
	return 0;
}

void skvm_vgic_free(struct skvm_kvm *kvm)
{
	kfree(kvm->vgic.spis);
}

/* Does [base, base + size) fit the VM's IPA space? */
static int check_range(struct skvm_kvm *kvm, u64 base, u64 size)
{
	if (!IS_ALIGNED(base, SZ_64K))
		return -EINVAL;
	if (base + size < base || base + size > BIT_ULL(kvm->ipa_bits))
		return -E2BIG;
	return 0;
}


/* A new region would overlap the distributor or another region. */
static bool region_collides(struct skvm_kvm *kvm, u64 base, u64 size)
{
	struct skvm_vgic *vgic = &kvm->vgic;
	unsigned int i;

	if (vgic->dist_base != SKVM_VGIC_ADDR_UNDEF &&
	    ranges_overlap(base, size, vgic->dist_base, KVM_VGIC_V3_DIST_SIZE))
		return true;
	for (i = 0; i < vgic->nr_regions; i++)
		if (ranges_overlap(base, size, vgic->regions[i].base,
				   (u64)vgic->regions[i].count *
				   KVM_VGIC_V3_REDIST_SIZE))
			return true;
	return false;
}

/* KVM_DEV_ARM_VGIC_GRP_ADDR, with kvm->lock held. */
static int addr_attr(struct skvm_kvm *kvm, u64 type, u64 *val, bool set)
{
	struct skvm_vgic *vgic = &kvm->vgic;
	struct skvm_vgic_region *r;
	u32 index, count;
	int ret;

	switch (type) {
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		if (!set) {
			*val = vgic->dist_base;
			return 0;
		}
		if (vgic->dist_base != SKVM_VGIC_ADDR_UNDEF)
			return -EEXIST;
		ret = check_range(kvm, *val, KVM_VGIC_V3_DIST_SIZE);
		if (ret)
			return ret;
		vgic->dist_base = *val;
		return 0;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		if (!set) {
			*val = vgic->legacy_redist ? vgic->regions[0].base :
			       SKVM_VGIC_ADDR_UNDEF;
			return 0;
		}
		if (vgic->nr_regions)
			return vgic->legacy_redist ? -EEXIST : -EINVAL;
		ret = check_range(kvm, *val, KVM_VGIC_V3_REDIST_SIZE);
		if (ret)
			return ret;
		vgic->regions[0].base = *val;
		vgic->regions[0].first = 0;
		vgic->nr_regions = 1;
		vgic->legacy_redist = true;
		return 0;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION:
		index = *val & REGION_INDEX;
		if (!set) {
			if (vgic->legacy_redist || index >= vgic->nr_regions)
				return -ENOENT;
			r = &vgic->regions[index];
			*val = r->base | (u64)r->count << REGION_COUNT_SHIFT |
			       index;
			return 0;
		}
		count = *val >> REGION_COUNT_SHIFT;
		if ((*val & REGION_FLAGS) || !count || vgic->legacy_redist)
			return -EINVAL;
		if (index != vgic->nr_regions)
			return -EINVAL;
		if (index >= SKVM_VGIC_MAX_REGIONS)
			return -ENOSPC;
		ret = check_range(kvm, *val & REGION_BASE,
				  (u64)count * KVM_VGIC_V3_REDIST_SIZE);
		if (ret)
			return ret;
		if (region_collides(kvm, *val & REGION_BASE,
				    (u64)count * KVM_VGIC_V3_REDIST_SIZE))
			return -EINVAL;
		r = &vgic->regions[index];
		r->base = *val & REGION_BASE;
		r->count = count;
		r->first = index ? r[-1].first + r[-1].count : 0;
		vgic->nr_regions++;
		return 0;
	}
	return -ENXIO;
}

/*
 * The GICv3 CPU interface registers as KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
 * names them (op0:op1:CRn:CRm:op2), on ICH_VMCR_EL2 and the APRs.
 */
#define SYSREG(op1, crn, crm, op2) \
	((3 << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
#define ICC_PMR		SYSREG(0, 4, 6, 0)
#define ICC_BPR0	SYSREG(0, 12, 8, 3)
#define ICC_AP0R0	SYSREG(0, 12, 8, 4)
#define ICC_AP1R0	SYSREG(0, 12, 9, 0)
#define ICC_BPR1	SYSREG(0, 12, 12, 3)
#define ICC_CTLR	SYSREG(0, 12, 12, 4)
#define ICC_SRE		SYSREG(0, 12, 12, 5)
#define ICC_IGRPEN0	SYSREG(0, 12, 12, 6)
#define ICC_IGRPEN1	SYSREG(0, 12, 12, 7)

struct vmcr_field {
	u32 reg;
	u8 shift;
	u8 width;
	u8 vmcr_shift;
};

/* ICH_VMCR_EL2: VENG0 0, VENG1 1, VCBPR 4, VEOIM 9, VBPR1 18, VBPR0 21, VPMR 24. */
static const struct vmcr_field vmcr_fields[] = {
	{ ICC_PMR, 0, 8, 24 },
	{ ICC_BPR0, 0, 3, 21 },
	{ ICC_BPR1, 0, 3, 18 },
	{ ICC_IGRPEN0, 0, 1, 0 },
	{ ICC_IGRPEN1, 0, 1, 1 },
	{ ICC_CTLR, 0, 1, 4 },		/* CBPR */
	{ ICC_CTLR, 1, 1, 9 },		/* EOImode */
};

static int cpu_sysreg(struct skvm_kvm_vcpu *v, u32 reg, u64 *val, bool set)
{
	struct skvm_vgic_if *gif = v->gic.gif;
	u64 vtr = v->kvm->vgic.vtr, out = 0;
	bool known = false;
	unsigned int i;

	if (reg >= ICC_AP0R0 && reg < ICC_AP0R0 + SKVM_VGIC_MAX_APR) {
		if (set)
			gif->ap0r[reg - ICC_AP0R0] = (u32)*val;
		else
			*val = gif->ap0r[reg - ICC_AP0R0];
		return 0;
	}
	if (reg >= ICC_AP1R0 && reg < ICC_AP1R0 + SKVM_VGIC_MAX_APR) {
		if (set)
			gif->ap1r[reg - ICC_AP1R0] = (u32)*val;
		else
			*val = gif->ap1r[reg - ICC_AP1R0];
		return 0;
	}
	if (reg == ICC_SRE) {
		/* SRE, DFB, DIB: the system register interface only. */
		if (!set)
			*val = 7;
		return set && (*val & 1) != 1 ? -EINVAL : 0;
	}
	for (i = 0; i < ARRAY_SIZE(vmcr_fields); i++) {
		const struct vmcr_field *f = &vmcr_fields[i];
		u64 mask = GENMASK_ULL(f->width - 1, 0);

		if (f->reg != reg)
			continue;
		known = true;
		if (set) {
			gif->vmcr &= ~(mask << f->vmcr_shift);
			gif->vmcr |= ((*val >> f->shift) & mask) << f->vmcr_shift;
		} else {
			out |= ((gif->vmcr >> f->vmcr_shift) & mask) << f->shift;
		}
	}
	if (!known)
		return -ENXIO;
	if (reg == ICC_CTLR && !set)
		/* PRIbits 10:8, IDbits 13:11 (16 bits: 1), A3V 15 as the CPUs'. */
		out |= ((vtr >> 29) & 7) << 8 | ((vtr >> 23) & 7) << 11 |
		       ((vtr >> 21) & 1) << 15;
	if (!set)
		*val = out;
	return 0;
}

/* Line levels of 32 interrupts from a multiple of 32 (LEVEL_INFO). */
static int level_info(struct skvm_kvm *kvm, struct skvm_kvm_vcpu *v,
		      u32 intid, u32 *val, bool set)
{
	unsigned long flags;
	unsigned int i;

	if (intid % 32)
		return -EINVAL;
	if (!set)
		*val = 0;
	for (i = 0; i < 32; i++) {
		struct skvm_irq *irq = skvm_vgic_irq(&kvm->vgic, &v->gic,
						     intid + i);

		if (!irq || irq->edge)
			continue;
		if (!set) {
			*val |= (u32)irq->line_level << i;
			continue;
		}
		spin_lock_irqsave(&kvm->vgic.lock, flags);
		irq->line_level = *val & BIT(i);
		skvm_vgic_queue(&kvm->vgic, irq, flags);
	}
	return 0;
}

static long vgic_attr(struct skvm_kvm *kvm, unsigned int cmd,
		      const struct kvm_device_attr *attr)
{
	void __user *uaddr = u64_to_user_ptr(attr->addr);
	bool set = cmd == KVM_SET_DEVICE_ATTR, has = cmd == KVM_HAS_DEVICE_ATTR;
	struct skvm_kvm_vcpu *v;
	u64 val64 = 0;
	u32 val32 = 0;
	long ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (has)
			return attr->attr == KVM_VGIC_V3_ADDR_TYPE_DIST ||
			       attr->attr == KVM_VGIC_V3_ADDR_TYPE_REDIST ||
			       attr->attr == KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION ?
			       0 : -ENXIO;
		if (copy_from_user(&val64, uaddr, sizeof(val64)))
			return -EFAULT;
		mutex_lock(&kvm->lock);
		ret = set && kvm->vgic.mapped ? -EBUSY :
		      addr_attr(kvm, attr->attr, &val64, set);
		mutex_unlock(&kvm->lock);
		if (!ret && !set && copy_to_user(uaddr, &val64, sizeof(val64)))
			return -EFAULT;
		return ret;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		if (has)
			return 0;
		if (!set)
			return put_user(kvm->vgic.nr_irqs, (u32 __user *)uaddr);
		if (get_user(val32, (u32 __user *)uaddr))
			return -EFAULT;
		if (val32 < 64 || val32 > VGIC_MAX_SPI_IRQS || val32 % 32)
			return -EINVAL;
		mutex_lock(&kvm->lock);
		ret = kvm->vgic.ready || kvm->vgic.nr_irqs ? -EBUSY : 0;
		if (!ret)
			kvm->vgic.nr_irqs = val32;
		mutex_unlock(&kvm->lock);
		return ret;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		if (attr->attr != KVM_DEV_ARM_VGIC_CTRL_INIT &&
		    attr->attr != KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES)
			return -ENXIO;
		if (has)
			return 0;
		if (!set)
			return -ENXIO;
		if (attr->attr == KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES)
			return kvm->vgic.ready ? 0 : -EBUSY;	/* no LPIs */
		mutex_lock(&kvm->lock);
		ret = vgic_init_locked(kvm);
		mutex_unlock(&kvm->lock);
		return ret;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		break;
	default:
		return -ENXIO;
	}
	/* Registers: a vCPU by MPIDR, the vGIC initialised. */
	v = skvm_kvm_vcpu_by_mpidr(kvm, (attr->attr &
					 KVM_DEV_ARM_VGIC_V3_MPIDR_MASK) >>
					KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT);
	if (attr->group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS)
		v = skvm_kvm_vcpu_by_mpidr(kvm, 0);
	if (!v || !v->gic.gif)
		return -EINVAL;
	if (has)
		return 0;
	if (!READ_ONCE(kvm->vgic.ready))
		return -EBUSY;
	if (attr->group == KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS) {
		if (set && get_user(val64, (u64 __user *)uaddr))
			return -EFAULT;
		mutex_lock(&v->lock);
		ret = cpu_sysreg(v, attr->attr &
				 KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK, &val64, set);
		mutex_unlock(&v->lock);
		if (!ret && !set && put_user(val64, (u64 __user *)uaddr))
			return -EFAULT;
		return ret;
	}
	if (set && get_user(val32, (u32 __user *)uaddr))
		return -EFAULT;
	val64 = val32;
	ret = 0;
	if (attr->group == KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO) {
		if ((attr->attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK) >>
		    KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT != VGIC_LEVEL_INFO_LINE_LEVEL)
			return -EINVAL;
		ret = level_info(kvm, v, attr->attr &
				 KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK,
				 &val32, set);
		val64 = val32;
	} else if (!skvm_vgic_uaccess(v, attr->group ==
				      KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				      attr->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK,
				      set, &val64)) {
		ret = -ENXIO;
	}
	if (!ret && !set && put_user((u32)val64, (u32 __user *)uaddr))
		return -EFAULT;
	return ret;
}

static long vgic_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct skvm_kvm *kvm = file->private_data;
	struct kvm_device_attr attr;

	switch (cmd) {
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		if (copy_from_user(&attr, (void __user *)arg, sizeof(attr)))
			return -EFAULT;
		return vgic_attr(kvm, cmd, &attr);
	}
	return -ENOTTY;
}

static int vgic_release(struct inode *inode, struct file *file)
{
	skvm_kvm_put(file->private_data);
	return 0;
}

static const struct file_operations vgic_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = vgic_ioctl,
	.release = vgic_release,
	.llseek = noop_llseek,
};

/* KVM_CREATE_DEVICE. */
int skvm_kvm_create_device(struct skvm_kvm *kvm, struct kvm_create_device *cd)
{
	int ret, fd;

	if (cd->flags & ~KVM_CREATE_DEVICE_TEST)
		return -EINVAL;
	if (cd->type != KVM_DEV_TYPE_ARM_VGIC_V3)
		return -ENODEV;
	if (cd->flags & KVM_CREATE_DEVICE_TEST)
		return splitkvm_has_gicv3() && skvm_vgic_host_ready() ?
		       0 : -ENODEV;
	mutex_lock(&kvm->lock);
	ret = vgic_create(kvm);
	mutex_unlock(&kvm->lock);
	if (ret)
		return ret;
	kref_get(&kvm->ref);
	fd = anon_inode_getfd("kvm-arm-vgic-v3", &vgic_fops, kvm,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		skvm_kvm_put(kvm);
		return fd;
	}
	cd->fd = fd;
	return 0;
}

/*
 * KVM_IRQ_LINE with an in-kernel vGIC: an SPI (vcpu field 0) or a PPI of
 * one vCPU; the CPU's own IRQ/FIQ lines belong to a VM without one.
 */
int skvm_vgic_irq_line(struct skvm_kvm *kvm, u32 irq, bool level)
{
	u32 type = (irq >> KVM_ARM_IRQ_TYPE_SHIFT) & KVM_ARM_IRQ_TYPE_MASK;
	u32 num = (irq >> KVM_ARM_IRQ_NUM_SHIFT) & KVM_ARM_IRQ_NUM_MASK;
	u32 idx = ((irq >> KVM_ARM_IRQ_VCPU_SHIFT) & KVM_ARM_IRQ_VCPU_MASK) |
		  ((irq >> KVM_ARM_IRQ_VCPU2_SHIFT) & KVM_ARM_IRQ_VCPU2_MASK) << 8;
	struct skvm_kvm_vcpu *v;

	if (!kvm->vgic.created)
		return -ENXIO;
	switch (type) {
	case KVM_ARM_IRQ_TYPE_PPI:
		if (num < SKVM_VGIC_NR_SGIS || num >= SKVM_VGIC_NR_PRIVATE ||
		    idx >= SKVM_MAX_VCPUS)
			return -EINVAL;
		v = READ_ONCE(kvm->vcpus[idx]);
		if (!v || !v->gic.gif)
			return -EINVAL;
		if (!READ_ONCE(kvm->vgic.ready))
			return -EBUSY;
		return skvm_vgic_set_level(&kvm->vgic, &v->gic, num, level);
	case KVM_ARM_IRQ_TYPE_SPI:
		if (num < SKVM_VGIC_NR_PRIVATE)
			return -EINVAL;
		if (!READ_ONCE(kvm->vgic.ready))
			return -EBUSY;
		if (num >= kvm->vgic.nr_irqs)
			return -EINVAL;
		return skvm_vgic_set_level(&kvm->vgic, NULL, num, level);
	}
	return -EINVAL;
}
