// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv3's interrupt state machine: injection, the ap_lists, and the
 * list registers EL2 loads (flush before a run, fold after it). See
 * vgic.h for the model. It knows vCPUs only as their struct
 * skvm_vgic_cpu and reaches the rest through vgic->ops, so that UML KUnit
 * runs this very file (kunit/uml/vgic_kunit.c).
 */
#include <linux/errno.h>
#include <linux/list_sort.h>
#include "timer-regs.h"
#include "vgic.h"

static bool irq_pending(const struct skvm_irq *irq)
{
	return irq->pending_latch || (!irq->edge && irq->line_level);
}

struct skvm_irq *skvm_vgic_irq(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c,
			       u32 intid)
{
	if (intid < SKVM_VGIC_NR_PRIVATE)
		return c ? &c->priv[intid] : NULL;
	if (!vgic->spis || intid >= vgic->nr_irqs)
		return NULL;
	return &vgic->spis[intid - SKVM_VGIC_NR_PRIVATE];
}

/* Where an interrupt goes: its vCPU, or the one its IROUTER names. */
static struct skvm_vgic_cpu *irq_target(struct skvm_vgic *vgic,
					struct skvm_irq *irq)
{
	if (irq->vcpu)
		return irq->vcpu;
	return vgic->ops->cpu_by_mpidr(vgic, irq->mpidr);
}

/*
 * Does it belong on an ap_list, and whose? Active ones always; pending
 * ones only when enabled and the distributor forwards group 1.
 */
static struct skvm_vgic_cpu *irq_oracle(struct skvm_vgic *vgic,
					struct skvm_irq *irq)
{
	if (irq->active)
		return irq_target(vgic, irq);
	if (irq->enabled && irq_pending(irq) && vgic->enabled)
		return irq_target(vgic, irq);
	return NULL;
}

/*
 * With vgic->lock held: put @irq on the ap_list of the vCPU it now goes
 * to. One already on a list stays there; the next flush of that vCPU moves
 * or drops it. Return: the vCPU to kick once the lock is dropped, or NULL.
 */
struct skvm_vgic_cpu *skvm_vgic_enqueue(struct skvm_vgic *vgic,
					struct skvm_irq *irq)
{
	struct skvm_vgic_cpu *target;

	if (irq->queued)
		return irq->queued;
	target = irq_oracle(vgic, irq);
	if (target) {
		list_add_tail(&irq->ap, &target->ap_list);
		irq->queued = target;
	}
	return target;
}

/* skvm_vgic_enqueue(), then the lock (taken with @flags) dropped, a kick. */
void skvm_vgic_queue(struct skvm_vgic *vgic, struct skvm_irq *irq,
		     unsigned long flags)
{
	struct skvm_vgic_cpu *target = skvm_vgic_enqueue(vgic, irq);

	spin_unlock_irqrestore(&vgic->lock, flags);
	if (target)
		vgic->ops->kick(target);
}

/**
 * skvm_vgic_set_level() - an interrupt line of the VMM or a device.
 * @vgic: the VM's vGIC.
 * @c: the vCPU of a private interrupt (NULL for an SPI).
 * @intid: its INTID.
 * @level: high or low; for an edge-triggered interrupt, high makes it
 *	pending (each time: KVM's semantics, no edge detection) and low
 *	does nothing.
 *
 * Return: 0, or -EINVAL for an INTID the VM does not have.
 */
int skvm_vgic_set_level(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c,
			u32 intid, bool level)
{
	struct skvm_irq *irq = skvm_vgic_irq(vgic, c, intid);
	unsigned long flags;

	if (!irq)
		return -EINVAL;
	spin_lock_irqsave(&vgic->lock, flags);
	if (irq->edge)
		irq->pending_latch |= level;
	else
		irq->line_level = level;
	skvm_vgic_queue(vgic, irq, flags);
	return 0;
}

/* Active ones first, then by priority (lower value first), then INTID. */
static int ap_cmp(void *priv, const struct list_head *a,
		  const struct list_head *b)
{
	const struct skvm_irq *x = list_entry(a, struct skvm_irq, ap);
	const struct skvm_irq *y = list_entry(b, struct skvm_irq, ap);

	if (x->active != y->active)
		return x->active ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->intid < y->intid ? -1 : x->intid > y->intid;
}

static u64 make_lr(struct skvm_irq *irq)
{
	u64 lr = irq->intid | (u64)irq->priority << SKVM_ICH_LR_PRIO_SHIFT;
	bool pending = irq_pending(irq) && irq->enabled;

	if (irq->group1)
		lr |= SKVM_ICH_LR_GROUP;
	if (irq->active)
		lr |= SKVM_ICH_LR_ACTIVE;
	if (irq->hwintid) {
		/* The guest's EOI deactivates the physical interrupt too. */
		lr |= SKVM_ICH_LR_HW |
		      (u64)irq->hwintid << SKVM_ICH_LR_PINTID_SHIFT;
		if (pending && !irq->active)
			lr |= SKVM_ICH_LR_PENDING;
		return lr;
	}
	if (pending)
		lr |= SKVM_ICH_LR_PENDING;
	if (irq->edge)
		irq->pending_latch = false;	/* the list register has it */
	else
		lr |= SKVM_ICH_LR_EOI;		/* see the line again at EOI */
	return lr;
}

/*
 * The virtual timer's level now, from its registers as the guest left
 * them: enabled, not masked, and the count past the compare value (not
 * the ISTATUS saved at the exit, which time or a new counter offset may
 * have overtaken since).
 */
static bool vtimer_level(const struct skvm_vgic_if *gif, u64 vcount)
{
	return skvm_timer_fires(gif->cntv_ctl, gif->cntv_cval, vcount);
}

/**
 * skvm_vgic_flush() - fill a vCPU's list registers for its next run.
 * @vgic: the VM's vGIC.
 * @c: the vCPU.
 * @t: its timers: in, the virtual count, their PPIs, the physical
 *	timer's line and whether the last exit was a WFI; out, whether the virtual timer's physical
 *	interrupt must be kept active (the guest has its interrupt, or it
 *	fires but cannot be delivered yet: it would only fire again and
 *	again) and whether to look at the vCPU again soon.
 */
void skvm_vgic_flush(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c,
		     struct skvm_vgic_timers *t)
{
	struct skvm_irq *vtimer = &c->priv[t->vtimer_ppi];
	struct skvm_irq *ptimer = &c->priv[t->ptimer_ppi];
	struct skvm_vgic_if *gif = c->gif;
	unsigned int n = 0, queued = 0;
	struct skvm_irq *irq, *tmp;
	unsigned long flags;
	LIST_HEAD(moved);
	bool vlevel;

	spin_lock_irqsave(&vgic->lock, flags);
	/*
	 * The timers' lines, as of now. The virtual timer's is level until
	 * the guest takes it, but the guest may reprogram it without a trap:
	 * while the guest masks interrupts (and does not wait for one), it
	 * could take a stale one once it unmasks. So it gets the interrupt
	 * only when it can take it at once, and is looked at again soon.
	 */
	vlevel = vtimer_level(gif, t->vcount);
	vtimer->line_level = vlevel &&
			     (!(gif->pstate & SKVM_PSTATE_I) || t->after_wfi);
	skvm_vgic_enqueue(vgic, vtimer);
	ptimer->line_level = t->ptimer_level;
	skvm_vgic_enqueue(vgic, ptimer);
	list_for_each_entry_safe(irq, tmp, &c->ap_list, ap) {
		struct skvm_vgic_cpu *to = irq_oracle(vgic, irq);

		if (to == c)
			continue;
		list_del(&irq->ap);
		irq->queued = NULL;
		if (to)
			list_add_tail(&irq->ap, &moved);
	}
	if (c->ap_list.next != c->ap_list.prev)
		list_sort(NULL, &c->ap_list, ap_cmp);
	c->timer_in_lr = false;
	list_for_each_entry(irq, &c->ap_list, ap) {
		queued++;
		if (n == c->nr_lr)
			continue;
		if (irq == vtimer)
			c->timer_in_lr = true;
		gif->lr[n++] = make_lr(irq);
	}
	gif->nr_lr = n;
	/* More than fit: a maintenance interrupt once they run low. */
	gif->hcr = queued > n ? SKVM_ICH_HCR_UIE : 0;
	list_for_each_entry_safe(irq, tmp, &moved, ap) {
		struct skvm_vgic_cpu *to = irq_oracle(vgic, irq);

		list_del(&irq->ap);
		if (to) {
			list_add_tail(&irq->ap, &to->ap_list);
			irq->queued = to;
			vgic->ops->kick(to);
		}
	}
	spin_unlock_irqrestore(&vgic->lock, flags);
	t->phys_active = c->timer_in_lr || vlevel;
	t->recheck = vlevel && !vtimer->line_level;
}

/**
 * skvm_vgic_fold() - after a run, what the guest did with the interrupts
 * in its list registers: acknowledged (no longer pending), completed (no
 * longer active).
 * @vgic: the VM's vGIC.
 * @c: the vCPU that ran.
 */
void skvm_vgic_fold(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c)
{
	struct skvm_vgic_if *gif = c->gif;
	u32 done[SKVM_VGIC_MAX_LR];
	unsigned int i, nr_done = 0;
	unsigned long flags;

	spin_lock_irqsave(&vgic->lock, flags);
	for (i = 0; i < gif->nr_lr; i++) {
		u64 lr = gif->lr[i];
		struct skvm_irq *irq = skvm_vgic_irq(vgic, c,
						     lr & SKVM_ICH_LR_VINTID);

		if (!irq)
			continue;
		irq->active = lr & SKVM_ICH_LR_ACTIVE;
		if (irq->hwintid)
			continue;
		if (irq->edge && (lr & SKVM_ICH_LR_PENDING))
			irq->pending_latch = true;
		if (!irq->edge && !(lr & SKVM_ICH_LR_PENDING))
			irq->pending_latch = false;
		/* A level SPI the guest completed: its source may resample. */
		if (!irq->edge && !(lr & SKVM_ICH_LR_STATE) && !irq->vcpu &&
		    READ_ONCE(vgic->notify_eoi))
			done[nr_done++] = irq->intid;
	}
	gif->nr_lr = 0;
	spin_unlock_irqrestore(&vgic->lock, flags);
	for (i = 0; i < nr_done; i++)
		vgic->ops->eoi(vgic, done[i]);
}

/*
 * Would the guest take an interrupt now? One pending, enabled and above
 * its priority mask (ICH_VMCR_EL2.VPMR): what wakes it from WFI (its
 * virtual timer aside, which the caller looks at).
 */
bool skvm_vgic_pending(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c)
{
	u8 pmr = c->gif->vmcr >> 24;
	struct skvm_irq *irq;
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&vgic->lock, flags);
	list_for_each_entry(irq, &c->ap_list, ap) {
		if (irq->enabled && irq_pending(irq) && !irq->active &&
		    irq->priority < pmr) {
			ret = true;
			break;
		}
	}
	spin_unlock_irqrestore(&vgic->lock, flags);
	return ret;
}

/* Can the virtual timer's interrupt wake @c: enabled, above the mask? */
bool skvm_vgic_timer_can_wake(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c,
			      u32 ppi)
{
	const struct skvm_irq *irq = &c->priv[ppi];

	return vgic->enabled && irq->enabled && !irq->active &&
	       irq->priority < (u8)(c->gif->vmcr >> 24);
}

/* Make SGI @intid of @t pending, if @t takes it in that group. */
static void sgi_to(struct skvm_vgic *vgic, struct skvm_vgic_cpu *t, u32 intid,
		   bool group1)
{
	struct skvm_irq *irq;
	unsigned long flags;

	if (!t || !t->gif)
		return;
	irq = &t->priv[intid];
	spin_lock_irqsave(&vgic->lock, flags);
	if (irq->group1 != group1) {
		spin_unlock_irqrestore(&vgic->lock, flags);
		return;
	}
	irq->pending_latch = true;
	skvm_vgic_queue(vgic, irq, flags);
}

/**
 * skvm_vgic_sgi() - a write of ICC_SGI1R_EL1 (or ICC_ASGI1R_EL1, or
 * ICC_SGI0R_EL1: @group1 false) by @c: the SGI goes to the vCPUs its
 * affinity (Aff3.Aff2.Aff1, RS) and target list name, or to all but the
 * sender (IRM).
 * @vgic: the VM's vGIC.
 * @c: the sender.
 * @val: the value written.
 * @group1: the group the SGI is generated for.
 */
void skvm_vgic_sgi(struct skvm_vgic *vgic, struct skvm_vgic_cpu *c, u64 val,
		   bool group1)
{
	u32 intid = (val >> 24) & 0xf, rs = (val >> 44) & 0xf, i;
	u64 aff = ((val >> 16) & 0xff) << 8 | ((val >> 32) & 0xff) << 16 |
		  ((val >> 48) & 0xff) << 32;
	struct skvm_vgic_cpu *t;

	if (val & BIT_ULL(40)) {
		for (i = 0; (t = vgic->ops->cpu_by_index(vgic, i)); i++)
			if (t != c)
				sgi_to(vgic, t, intid, group1);
		return;
	}
	for (i = 0; i < 16; i++)
		if (val & BIT(i))
			sgi_to(vgic, vgic->ops->cpu_by_mpidr(vgic,
							     aff | (rs * 16 + i)),
			       intid, group1);
}
