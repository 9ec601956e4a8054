/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual GICv3 (KVM_DEV_TYPE_ARM_VGIC_V3): the distributor and the
 * redistributors are emulated here, from the guest's MMIO; the guest's CPU
 * interface is the hardware's virtual one, whose list registers the host
 * fills before every run and reads back after it (struct skvm_vgic_if,
 * shared with EL2).
 *
 * Interrupt state is KVM's model: an interrupt is pending (edge: a latch;
 * level: the line, or a latch set through ISPENDR) and/or active; one that
 * is pending and enabled, or active, sits on its target vCPU's ap_list,
 * from which the highest-priority ones go into the list registers. One
 * lock per VM (vgic->lock, a spinlock taken with IRQs off) covers all of
 * it.
 */
#ifndef __SPLITKVM_HOST_VGIC_H__
#define __SPLITKVM_HOST_VGIC_H__

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <splitkvm/vgic.h>

struct skvm_kvm;
struct skvm_kvm_vcpu;

#define SKVM_VGIC_NR_PRIVATE	32
#define SKVM_VGIC_NR_SGIS	16
#define SKVM_VGIC_DEF_NR_IRQS	256	/* KVM's default: 224 SPIs */
#define SKVM_VGIC_MAX_NR_IRQS	1020
#define SKVM_VGIC_ADDR_UNDEF	(~0ULL)
#define SKVM_VGIC_MAX_REGIONS	8
#define SKVM_VGIC_VTIMER_HWINTID	27	/* the CPUs' virtual timer PPI */

/**
 * struct skvm_irq - one interrupt of the guest.
 * @ap: its place on @queued's ap_list.
 * @queued: the vCPU whose ap_list it is on (NULL: none).
 * @vcpu: a private interrupt's vCPU (NULL for SPIs).
 * @mpidr: an SPI's GICD_IROUTER affinity.
 * @intid: its INTID.
 * @hwintid: the physical interrupt it is tied to (HW list register), or 0.
 */
struct skvm_irq {
	struct list_head ap;
	struct skvm_kvm_vcpu *queued;
	struct skvm_kvm_vcpu *vcpu;
	u64 mpidr;
	u32 intid;
	u32 hwintid;
	u8 priority;
	bool group1;
	bool enabled;
	bool edge;
	bool pending_latch;
	bool line_level;
	bool active;
};

/* A redistributor region: @count frames from @base, vCPUs from @first. */
struct skvm_vgic_region {
	u64 base;
	u32 count;
	u32 first;
};

/**
 * struct skvm_vgic - the VM's distributor and redistributor layout.
 * @created: KVM_CREATE_DEVICE made it; @ready: CTRL_INIT (or the first
 * run) sized it; @mapped: a vCPU ran with it.
 * @nr_irqs: SPIs + 32 (KVM_DEV_ARM_VGIC_GRP_NR_IRQS), 0 until set.
 * @legacy_redist: the redistributors came as one REDIST base, not regions.
 */
struct skvm_vgic {
	spinlock_t lock;
	bool created;
	bool ready;
	bool mapped;
	bool enabled;		/* GICD_CTLR.EnableGrp1 */
	bool legacy_redist;
	u32 nr_irqs;
	struct skvm_irq *spis;
	u64 dist_base;
	struct skvm_vgic_region regions[SKVM_VGIC_MAX_REGIONS];
	u32 nr_regions;
	u64 vtr;		/* ICH_VTR_EL2 */
};

/**
 * struct skvm_vgic_cpu - a vCPU's redistributor and list registers.
 * @gif: the CPU interface EL2 loads (the vCPU's shared page), NULL until
 * the vCPU has a vGIC.
 */
struct skvm_vgic_cpu {
	struct skvm_irq priv[SKVM_VGIC_NR_PRIVATE];
	struct list_head ap_list;
	struct skvm_vgic_if *gif;
	u32 nr_lr;
	bool timer_in_lr;	/* the vtimer's HW list register is pending/active */
	bool after_wfi;		/* the last exit was a WFI */
};

int skvm_vgic_create(struct skvm_kvm *kvm);
int skvm_vgic_vcpu_init(struct skvm_kvm_vcpu *v);
int skvm_vgic_init(struct skvm_kvm *kvm);
int skvm_vgic_map(struct skvm_kvm *kvm);
void skvm_vgic_free(struct skvm_kvm *kvm);
struct skvm_irq *skvm_vgic_irq(struct skvm_kvm *kvm,
			       struct skvm_kvm_vcpu *v, u32 intid);
int skvm_vgic_set_level(struct skvm_kvm *kvm, struct skvm_kvm_vcpu *v,
			u32 intid, bool level);
struct skvm_kvm_vcpu *skvm_vgic_enqueue(struct skvm_kvm *kvm,
					struct skvm_irq *irq);
void skvm_vgic_queue(struct skvm_kvm *kvm, struct skvm_irq *irq,
		     unsigned long flags);
void skvm_vgic_flush(struct skvm_kvm_vcpu *v);
void skvm_vgic_fold(struct skvm_kvm_vcpu *v);
bool skvm_vgic_pending(struct skvm_kvm_vcpu *v);
void skvm_vgic_sgi(struct skvm_kvm_vcpu *v, u64 val, bool group1);
bool skvm_vgic_mmio(struct skvm_kvm_vcpu *v, u64 gpa, unsigned int len,
		    bool write, u64 *val);
struct skvm_kvm_vcpu *skvm_vgic_rdist_vcpu(struct skvm_kvm *kvm, u64 gpa,
					   u64 *off);
u64 skvm_vgic_rdist_base(struct skvm_kvm *kvm, u32 idx, bool *last);
void skvm_vgic_kick(struct skvm_kvm_vcpu *v);

#endif /* __SPLITKVM_HOST_VGIC_H__ */
