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

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <splitkvm/vgic.h>

struct skvm_vgic;
struct skvm_vgic_cpu;

#define SKVM_VGIC_NR_PRIVATE	32
#define SKVM_VGIC_NR_SGIS	16
#define SKVM_VGIC_DEF_NR_IRQS	256	/* KVM's default: 224 SPIs */
#define SKVM_VGIC_MAX_NR_IRQS	1020
#define SKVM_VGIC_ADDR_UNDEF	(~0ULL)
#define SKVM_VGIC_MAX_REGIONS	8
#define SKVM_VGIC_VTIMER_HWINTID	27	/* the CPUs' virtual timer PPI */
#define SKVM_PSTATE_I		BIT_ULL(7)	/* PSTATE.I: IRQs masked */

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
	struct skvm_vgic_cpu *queued;
	struct skvm_vgic_cpu *vcpu;
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
 * struct skvm_vgic_ops - what the state machine needs of the VM around it.
 * @cpu_by_mpidr: the vCPU with that affinity, or NULL.
 * @cpu_by_index: the vCPU created @i-th, or NULL past the last.
 * @kick: make the vCPU look at its interrupts again (out of the guest,
 *	or out of WFI); called without the lock held.
 * @eoi: the guest completed level SPI @intid (only while @notify_eoi);
 *	called without the lock held.
 */
struct skvm_vgic_ops {
	struct skvm_vgic_cpu *(*cpu_by_mpidr)(struct skvm_vgic *vgic, u64 mpidr);
	struct skvm_vgic_cpu *(*cpu_by_index)(struct skvm_vgic *vgic, u32 i);
	void (*kick)(struct skvm_vgic_cpu *c);
	void (*eoi)(struct skvm_vgic *vgic, u32 intid);
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
	const struct skvm_vgic_ops *ops;
	bool created;
	bool ready;
	bool mapped;
	bool enabled;		/* GICD_CTLR.EnableGrp1 */
	bool legacy_redist;
	bool notify_eoi;	/* ops->eoi wanted (resampling irqfds) */
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

/* A vCPU's timers around a flush: see skvm_vgic_flush(). */
struct skvm_vgic_timers {
	u64 vcount;		/* the guest's virtual counter, now */
	u32 vtimer_ppi;
	u32 ptimer_ppi;
	bool ptimer_level;
	bool after_wfi;
	bool phys_active;
	bool recheck;
};

struct skvm_irq *skvm_vgic_irq(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c,
			       u32 intid);
int skvm_vgic_set_level(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c,
			u32 intid, bool level);
struct skvm_vgic_cpu *skvm_vgic_enqueue(struct skvm_vgic *vgic,
					struct skvm_irq *irq);
void skvm_vgic_queue(struct skvm_vgic *vgic, struct skvm_irq *irq,
		     unsigned long flags);
void skvm_vgic_flush(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c,
		     struct skvm_vgic_timers *t);
void skvm_vgic_fold(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c);
bool skvm_vgic_pending(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c);
bool skvm_vgic_timer_can_wake(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c,
			      u32 ppi);
void skvm_vgic_sgi(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c, u64 val,
		   bool group1);

#endif /* __SPLITKVM_HOST_VGIC_H__ */
