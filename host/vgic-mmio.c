// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv3's distributor and redistributors, emulated from the guest's
 * MMIO (GICv3 spec, chapter 12: GICD_* and GICR_*), with one security
 * state (GICD_CTLR.DS = 1), affinity routing always on and no LPIs, as
 * KVM's vGICv3 without an ITS. Unknown or reserved offsets read as zero
 * and ignore writes.
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include "kvm.h"

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_IROUTER		0x6000
#define GICD_PIDR2		0xffe8
#define GICD_CTLR_ENABLE_G1	BIT(1)
#define GICD_CTLR_ARE_NS	BIT(4)
#define GICD_CTLR_DS		BIT(6)
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_SGI		0x10000
#define GICR_FRAME		(2 * 0x10000)

/* KVM's IIDR: implementer Arm (0x43b), revision 3, product 0x4b. */
#define VGIC_IIDR		0x4b00343b
/* ArchRev 3 (GICv3), and the JEP106 bits KVM reports. */
#define VGIC_PIDR2		0x3b
/* INTIDs of 10 bits: SPIs only, no LPIs. */
#define VGIC_ID_BITS		10

/* The per-interrupt register arrays, at the same offsets in both frames. */
enum irq_reg {
	REG_GROUP,
	REG_SET_ENABLE,
	REG_CLEAR_ENABLE,
	REG_SET_PENDING,
	REG_CLEAR_PENDING,
	REG_SET_ACTIVE,
	REG_CLEAR_ACTIVE,
	REG_PRIORITY,
	REG_CONFIG,
	REG_GROUP_MOD,
};

static const struct {
	u32 start;
	u32 end;
	u8 bits;		/* per interrupt */
} irq_regs[] = {
	[REG_GROUP] = { 0x0080, 0x0100, 1 },
	[REG_SET_ENABLE] = { 0x0100, 0x0180, 1 },
	[REG_CLEAR_ENABLE] = { 0x0180, 0x0200, 1 },
	[REG_SET_PENDING] = { 0x0200, 0x0280, 1 },
	[REG_CLEAR_PENDING] = { 0x0280, 0x0300, 1 },
	[REG_SET_ACTIVE] = { 0x0300, 0x0380, 1 },
	[REG_CLEAR_ACTIVE] = { 0x0380, 0x0400, 1 },
	[REG_PRIORITY] = { 0x0400, 0x0800, 8 },
	[REG_CONFIG] = { 0x0c00, 0x0d00, 2 },
	[REG_GROUP_MOD] = { 0x0d00, 0x0d80, 1 },
};

/* The priority bits the CPU interface implements (the rest RAZ/WI). */
static u8 prio_mask(struct skvm_kvm *kvm)
{
	return GENMASK(7, 8 - SKVM_ICH_VTR_PRI_BITS(kvm->vgic.vtr));
}

static u64 irq_field(struct skvm_kvm *kvm, struct skvm_irq *irq,
		     enum irq_reg reg)
{
	switch (reg) {
	case REG_GROUP:
		return irq->group1;
	case REG_SET_ENABLE:
	case REG_CLEAR_ENABLE:
		return irq->enabled;
	case REG_SET_PENDING:
	case REG_CLEAR_PENDING:
		return irq->pending_latch || (!irq->edge && irq->line_level);
	case REG_SET_ACTIVE:
	case REG_CLEAR_ACTIVE:
		return irq->active;
	case REG_PRIORITY:
		return irq->priority;
	case REG_CONFIG:
		return irq->edge ? 2 : 0;
	default:
		return 0;
	}
}

static void irq_field_write(struct skvm_kvm *kvm, struct skvm_irq *irq,
			    enum irq_reg reg, u64 f)
{
	bool set = f & 1;

	switch (reg) {
	case REG_GROUP:
		irq->group1 = set;
		break;
	case REG_SET_ENABLE:
		irq->enabled |= set;
		break;
	case REG_CLEAR_ENABLE:
		irq->enabled &= !set;
		break;
	case REG_SET_PENDING:
		irq->pending_latch |= set;
		break;
	case REG_CLEAR_PENDING:
		irq->pending_latch &= !set;
		break;
	case REG_SET_ACTIVE:
		irq->active |= set;
		break;
	case REG_CLEAR_ACTIVE:
		irq->active &= !set;
		break;
	case REG_PRIORITY:
		irq->priority = f & prio_mask(kvm);
		break;
	case REG_CONFIG:
		/* SGIs are edge-triggered for good. */
		if (irq->intid >= SKVM_VGIC_NR_SGIS)
			irq->edge = f & 2;
		break;
	default:
		break;
	}
}

/*
 * An access to one of the per-interrupt arrays at @off: of @v's private
 * interrupts (a redistributor's SGI frame, @v set) or of the SPIs (the
 * distributor, @v NULL: INTIDs below 32 are RAZ/WI there).
 */
static bool irq_array(struct skvm_kvm *kvm, struct skvm_kvm_vcpu *v,
		      u32 off, unsigned int len, bool write, u64 *val)
{
	struct skvm_vgic_cpu *kick[32];
	unsigned int reg, i, n, nr_kick = 0;
	unsigned long flags;
	u32 first;

	for (reg = 0; reg < ARRAY_SIZE(irq_regs); reg++)
		if (off >= irq_regs[reg].start && off < irq_regs[reg].end)
			break;
	if (reg == ARRAY_SIZE(irq_regs))
		return false;
	if (len != 4 && !(reg == REG_PRIORITY && len == 1))
		return true;	/* not a width the GIC allows: RAZ/WI */
	n = len * 8 / irq_regs[reg].bits;
	first = (off - irq_regs[reg].start) * 8 / irq_regs[reg].bits;
	if (!write)
		*val = 0;
	spin_lock_irqsave(&kvm->vgic.lock, flags);
	for (i = 0; i < n; i++) {
		u32 intid = first + i;
		struct skvm_irq *irq;
		u64 f;

		if (v ? intid >= SKVM_VGIC_NR_PRIVATE :
			intid < SKVM_VGIC_NR_PRIVATE)
			continue;
		irq = skvm_vgic_irq(&kvm->vgic, v ? &v->gic : NULL, intid);
		if (!irq)
			continue;
		if (!write) {
			*val |= irq_field(kvm, irq, reg) <<
				(i * irq_regs[reg].bits);
			continue;
		}
		f = (*val >> (i * irq_regs[reg].bits)) &
		    GENMASK(irq_regs[reg].bits - 1, 0);
		if (!f && irq_regs[reg].bits == 1 && reg != REG_GROUP)
			continue;	/* writing 0 to a set/clear bit: no effect */
		irq_field_write(kvm, irq, reg, f);
		kick[nr_kick] = skvm_vgic_enqueue(&kvm->vgic, irq);
		if (kick[nr_kick])
			nr_kick++;
	}
	spin_unlock_irqrestore(&kvm->vgic.lock, flags);
	for (i = 0; i < nr_kick; i++)
		kvm->vgic.ops->kick(kick[i]);
	return true;
}

/* GICD_CTLR: turning group 1 on queues what was pending meanwhile. */
static void dist_enable(struct skvm_kvm *kvm, bool on)
{
	unsigned int i, j;
	unsigned long flags;

	spin_lock_irqsave(&kvm->vgic.lock, flags);
	kvm->vgic.enabled = on;
	for (i = 0; on && i < kvm->vgic.nr_irqs - SKVM_VGIC_NR_PRIVATE; i++)
		skvm_vgic_enqueue(&kvm->vgic, &kvm->vgic.spis[i]);
	for (i = 0; on && i < SKVM_MAX_VCPUS; i++) {
		struct skvm_kvm_vcpu *t = READ_ONCE(kvm->vcpus[i]);

		for (j = 0; t && t->gic.gif && j < SKVM_VGIC_NR_PRIVATE; j++)
			skvm_vgic_enqueue(&kvm->vgic, &t->gic.priv[j]);
	}
	spin_unlock_irqrestore(&kvm->vgic.lock, flags);
	for (i = 0; on && i < SKVM_MAX_VCPUS; i++) {
		struct skvm_kvm_vcpu *t = READ_ONCE(kvm->vcpus[i]);

		if (t && t->gic.gif)
			skvm_vgic_kick(t);
	}
}

/* GICD_IROUTER<n>: Aff2.Aff1.Aff0 (KVM keeps neither Aff3 nor IRM). */
static void irouter(struct skvm_kvm *kvm, u32 off, unsigned int len,
		    bool write, u64 *val)
{
	u32 intid = (off - GICD_IROUTER) / 8, shift = (off & 4) * 8;
	struct skvm_vgic_cpu *old = NULL;
	struct skvm_irq *irq;
	unsigned long flags;
	u64 mask;

	irq = intid >= SKVM_VGIC_NR_PRIVATE ?
	      skvm_vgic_irq(&kvm->vgic, NULL, intid) : NULL;
	if (!write)
		*val = 0;
	if (!irq || (len != 4 && len != 8) || (len == 8 && shift))
		return;
	mask = len == 8 ? ~0ULL : GENMASK_ULL(31, 0) << shift;
	spin_lock_irqsave(&kvm->vgic.lock, flags);
	if (!write) {
		*val = (irq->mpidr & mask) >> shift;
		spin_unlock_irqrestore(&kvm->vgic.lock, flags);
		return;
	}
	irq->mpidr = ((irq->mpidr & ~mask) | (*val << shift)) &
		     GENMASK_ULL(23, 0);
	old = irq->queued;
	/* Its old vCPU's next flush moves it: make that happen now. */
	spin_unlock_irqrestore(&kvm->vgic.lock, flags);
	if (old)
		kvm->vgic.ops->kick(old);
}

static void dist_access(struct skvm_kvm *kvm, u32 off, unsigned int len,
			bool write, u64 *val)
{
	if (irq_array(kvm, NULL, off, len, write, val))
		return;
	if (off >= GICD_IROUTER + 8 * SKVM_VGIC_NR_PRIVATE &&
	    off < GICD_IROUTER + 8 * SKVM_VGIC_MAX_NR_IRQS) {
		irouter(kvm, off, len, write, val);
		return;
	}
	if (write) {
		if (off == GICD_CTLR && len == 4)
			dist_enable(kvm, *val & GICD_CTLR_ENABLE_G1);
		return;
	}
	*val = 0;
	if (len != 4)
		return;
	switch (off) {
	case GICD_CTLR:
		*val = (kvm->vgic.enabled ? GICD_CTLR_ENABLE_G1 : 0) |
		       GICD_CTLR_ARE_NS | GICD_CTLR_DS;
		break;
	case GICD_TYPER:
		*val = (kvm->vgic.nr_irqs / 32 - 1) |
		       (VGIC_ID_BITS - 1) << 19;
		break;
	case GICD_IIDR:
		*val = VGIC_IIDR;
		break;
	case GICD_PIDR2:
		*val = VGIC_PIDR2;
		break;
	}
}

/* GICR_TYPER: affinity, processor number, Last in its region. */
static u64 rdist_typer(struct skvm_kvm_vcpu *v)
{
	u64 mpidr = skvm_vcpu_mpidr(v);
	u64 aff = (mpidr & GENMASK_ULL(23, 0)) |
		  ((mpidr >> 32) & 0xff) << 24;
	bool last = false;

	skvm_vgic_rdist_base(v->kvm, v->idx, &last);
	return aff << 32 | (u64)v->id << 8 | (last ? BIT(4) : 0);
}

static void rdist_access(struct skvm_kvm_vcpu *v, u32 off, unsigned int len,
			 bool write, u64 *val)
{
	if (off >= GICR_SGI) {
		if (!irq_array(v->kvm, v, off - GICR_SGI, len, write, val) &&
		    !write)
			*val = 0;
		return;
	}
	if (write)
		return;
	*val = 0;
	switch (off) {
	case GICR_TYPER:
		if (len == 8)
			*val = rdist_typer(v);
		else if (len == 4)
			*val = lower_32_bits(rdist_typer(v));
		break;
	case GICR_TYPER + 4:
		if (len == 4)
			*val = upper_32_bits(rdist_typer(v));
		break;
	case GICR_IIDR:
		*val = len == 4 ? VGIC_IIDR : 0;
		break;
	case GICD_PIDR2:
		*val = len == 4 ? VGIC_PIDR2 : 0;
		break;
	}
}

/**
 * skvm_vgic_mmio() - the guest's access to the distributor or a
 * redistributor, if @gpa is in one.
 * @v: the vCPU that made it.
 * @gpa: where.
 * @len: 1, 2, 4 or 8 bytes.
 * @write: a store of *@val, or a load into *@val.
 * @val: the data.
 *
 * Return: true if the vGIC took the access.
 */
bool skvm_vgic_mmio(struct skvm_kvm_vcpu *v, u64 gpa, unsigned int len,
		    bool write, u64 *val)
{
	struct skvm_kvm *kvm = v->kvm;
	struct skvm_kvm_vcpu *r;
	u64 off;

	if (!kvm->vgic.ready || !kvm->vgic.mapped)
		return false;
	if (gpa - kvm->vgic.dist_base < KVM_VGIC_V3_DIST_SIZE) {
		dist_access(kvm, gpa - kvm->vgic.dist_base, len, write, val);
		return true;
	}
	r = skvm_vgic_rdist_vcpu(kvm, gpa, &off);
	if (!r)
		return false;
	rdist_access(r, off, len, write, val);
	return true;
}

/*
 * KVM_DEV_ARM_VGIC_GRP_DIST_REGS / REDIST_REGS: the VMM's 32-bit access to
 * a distributor register or to @v's redistributor.
 */
bool skvm_vgic_uaccess(struct skvm_kvm_vcpu *v, bool dist, u32 off, bool write,
		       u64 *val)
{
	if (dist) {
		if (off >= KVM_VGIC_V3_DIST_SIZE)
			return false;
		dist_access(v->kvm, off, 4, write, val);
		return true;
	}
	if (off >= GICR_FRAME)
		return false;
	rdist_access(v, off, 4, write, val);
	return true;
}
