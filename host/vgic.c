// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv3's interrupt state machine: injection, the ap_lists, and the
 * list registers EL2 loads (flush before a run, fold after it). See
 * vgic.h for the model.
 */
#include <linux/list_sort.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/ptrace.h>
#include "kvm.h"

static bool irq_pending(const struct skvm_irq *irq)
{
	return irq->pending_latch || (!irq->edge && irq->line_level);
}

struct skvm_irq *skvm_vgic_irq(struct skvm_kvm *kvm, struct skvm_kvm_vcpu *v,
			       u32 intid)
{
	struct skvm_vgic *vgic = &kvm->vgic;

	if (intid < SKVM_VGIC_NR_PRIVATE)
		return v ? &v->gic.priv[intid] : NULL;
	if (!vgic->spis || intid >= vgic->nr_irqs)
		return NULL;
	return &vgic->spis[intid - SKVM_VGIC_NR_PRIVATE];
}

/* Where an interrupt goes: its vCPU, or the one its IROUTER names. */
static struct skvm_kvm_vcpu *irq_target(struct skvm_kvm *kvm,
					struct skvm_irq *irq)
{
	if (irq->vcpu)
		return irq->vcpu;
	return skvm_kvm_vcpu_by_mpidr(kvm, irq->mpidr);
}

/*
 * Does it belong on an ap_list, and whose? Active ones always; pending
 * ones only when enabled and the distributor forwards their group.
 */
static struct skvm_kvm_vcpu *irq_oracle(struct skvm_kvm *kvm,
					struct skvm_irq *irq)
{
	if (irq->active)
		return irq_target(kvm, irq);
	if (irq->enabled && irq_pending(irq) && kvm->vgic.enabled)
		return irq_target(kvm, irq);
	return NULL;
}

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
 * With vgic->lock held: put @irq on the ap_list of the vCPU it now goes
 * to. One already on a list stays there; the next flush of that vCPU moves
 * or drops it. Return: the vCPU to kick once the lock is dropped, or NULL.
 */
struct skvm_kvm_vcpu *skvm_vgic_enqueue(struct skvm_kvm *kvm,
					struct skvm_irq *irq)
{
	struct skvm_kvm_vcpu *target;

	if (irq->queued)
		return irq->queued;
	target = irq_oracle(kvm, irq);
	if (target) {
		list_add_tail(&irq->ap, &target->gic.ap_list);
		irq->queued = target;
	}
	return target;
}

/* skvm_vgic_enqueue(), then the lock (taken with @flags) dropped, a kick. */
void skvm_vgic_queue(struct skvm_kvm *kvm, struct skvm_irq *irq,
		     unsigned long flags)
{
	struct skvm_kvm_vcpu *target = skvm_vgic_enqueue(kvm, irq);

	spin_unlock_irqrestore(&kvm->vgic.lock, flags);
	if (target)
		skvm_vgic_kick(target);
}

/**
 * skvm_vgic_set_level() - an interrupt line of the VMM or a device.
 * @kvm: the VM.
 * @v: the vCPU of a private interrupt (NULL for an SPI).
 * @intid: its INTID.
 * @level: high or low; for an edge-triggered interrupt a rising edge
 *	makes it pending.
 *
 * Return: 0, or -EINVAL for an INTID the VM does not have.
 */
int skvm_vgic_set_level(struct skvm_kvm *kvm, struct skvm_kvm_vcpu *v,
			u32 intid, bool level)
{
	struct skvm_irq *irq = skvm_vgic_irq(kvm, v, intid);
	unsigned long flags;

	if (!irq)
		return -EINVAL;
	spin_lock_irqsave(&kvm->vgic.lock, flags);
	if (irq->edge) {
		if (level && !irq->line_level)
			irq->pending_latch = true;
		irq->line_level = level;
	} else {
		irq->line_level = level;
	}
	skvm_vgic_queue(kvm, irq, flags);
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
 * The virtual timer's level as its registers were when the guest last
 * stopped: enabled, not masked, condition met.
 */
static bool vtimer_level(const struct skvm_vgic_if *gif)
{
	return (gif->cntv_ctl & 7) == 5;
}

/**
 * skvm_vgic_flush() - fill @v's list registers for its next run, with
 * preemption off, on the CPU it will run on. Also ties the virtual timer
 * to the hardware's: its physical interrupt is kept active while the
 * guest's is pending or active, so that it fires only once per guest
 * interrupt.
 * @v: the vCPU.
 */
void skvm_vgic_flush(struct skvm_kvm_vcpu *v)
{
	struct skvm_kvm *kvm = v->kvm;
	struct skvm_vgic_cpu *gc = &v->gic;
	struct skvm_vgic_if *gif = gc->gif;
	struct skvm_irq *irq, *tmp;
	unsigned int n = 0, queued = 0;
	LIST_HEAD(moved);
	struct skvm_irq *timer = &gc->priv[kvm->timer_ppi[0]];
	struct skvm_irq *ptimer = &gc->priv[kvm->timer_ppi[1]];
	unsigned long flags;
	bool vlevel;

	spin_lock_irqsave(&kvm->vgic.lock, flags);
	/*
	 * The timers' lines, as of now. The virtual timer's is level until
	 * the guest takes it, but the guest may reprogram it without a trap:
	 * while the guest masks interrupts (and does not wait for one), it
	 * could take a stale one once it unmasks. So it gets the interrupt
	 * only when it can take it at once, and is looked at again soon.
	 */
	vlevel = vtimer_level(gif);
	timer->line_level = vlevel &&
			    (!(gif->pstate & PSR_I_BIT) || gc->after_wfi);
	skvm_vgic_enqueue(kvm, timer);
	ptimer->line_level = skvm_ptimer_level(v);
	skvm_vgic_enqueue(kvm, ptimer);
	list_for_each_entry_safe(irq, tmp, &gc->ap_list, ap) {
		struct skvm_kvm_vcpu *to = irq_oracle(kvm, irq);

		if (to == v)
			continue;
		list_del(&irq->ap);
		irq->queued = NULL;
		if (to)
			list_add_tail(&irq->ap, &moved);
	}
	if (gc->ap_list.next != gc->ap_list.prev)
		list_sort(NULL, &gc->ap_list, ap_cmp);
	gc->timer_in_lr = false;
	list_for_each_entry(irq, &gc->ap_list, ap) {
		queued++;
		if (n == gc->nr_lr)
			continue;
		if (irq == timer)
			gc->timer_in_lr = true;
		gif->lr[n++] = make_lr(irq);
	}
	gif->nr_lr = n;
	/* More than fit: a maintenance interrupt once they run low. */
	gif->hcr = queued > n ? SKVM_ICH_HCR_UIE : 0;
	list_for_each_entry_safe(irq, tmp, &moved, ap) {
		struct skvm_kvm_vcpu *to = irq_oracle(kvm, irq);

		list_del(&irq->ap);
		if (to) {
			list_add_tail(&irq->ap, &to->gic.ap_list);
			irq->queued = to;
			skvm_vgic_kick(to);
		}
	}
	spin_unlock_irqrestore(&kvm->vgic.lock, flags);
	/*
	 * Its physical interrupt stays active while the guest has it, or
	 * while it fires but cannot be delivered (disabled, masked): it
	 * would only fire again and again.
	 */
	skvm_vtimer_load(gc->timer_in_lr || vlevel);
	if (vlevel && !timer->line_level)
		skvm_vtimer_recheck(v);
}

/**
 * skvm_vgic_fold() - after a run, what the guest did with the interrupts
 * in its list registers: acknowledged (no longer pending), completed (no
 * longer active).
 * @v: the vCPU that ran.
 */
void skvm_vgic_fold(struct skvm_kvm_vcpu *v)
{
	struct skvm_kvm *kvm = v->kvm;
	struct skvm_vgic_if *gif = v->gic.gif;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&kvm->vgic.lock, flags);
	for (i = 0; i < gif->nr_lr; i++) {
		u64 lr = gif->lr[i];
		struct skvm_irq *irq = skvm_vgic_irq(kvm, v,
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
	}
	gif->nr_lr = 0;
	spin_unlock_irqrestore(&kvm->vgic.lock, flags);
}

/*
 * Would the guest take an interrupt now? One pending, enabled and above
 * its priority mask (ICH_VMCR_EL2.VPMR), or its timer firing: what wakes
 * it from WFI.
 */
bool skvm_vgic_pending(struct skvm_kvm_vcpu *v)
{
	struct skvm_kvm *kvm = v->kvm;
	struct skvm_vgic_if *gif = v->gic.gif;
	u8 pmr = gif->vmcr >> 24;
	struct skvm_irq *irq;
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&kvm->vgic.lock, flags);
	list_for_each_entry(irq, &v->gic.ap_list, ap) {
		if (irq->enabled && irq_pending(irq) && !irq->active &&
		    irq->priority < pmr) {
			ret = true;
			break;
		}
	}
	irq = &v->gic.priv[kvm->timer_ppi[0]];
	if (!ret && irq->enabled && !irq->active && irq->priority < pmr &&
	    kvm->vgic.enabled && skvm_vtimer_firing(v))
		ret = true;
	spin_unlock_irqrestore(&kvm->vgic.lock, flags);
	return ret;
}

/* Make SGI @intid of @t pending, if @t takes it in that group. */
static void sgi_to(struct skvm_kvm *kvm, struct skvm_kvm_vcpu *t, u32 intid,
		   bool group1)
{
	struct skvm_irq *irq;
	unsigned long flags;

	if (!t || !t->gic.gif)
		return;
	irq = &t->gic.priv[intid];
	spin_lock_irqsave(&kvm->vgic.lock, flags);
	if (irq->group1 != group1) {
		spin_unlock_irqrestore(&kvm->vgic.lock, flags);
		return;
	}
	irq->pending_latch = true;
	skvm_vgic_queue(kvm, irq, flags);
}

/*
 * ICC_SGI1R_EL1 (and ICC_ASGI1R_EL1, ICC_SGI0R_EL1): the SGI goes to the
 * vCPUs its affinity (Aff3.Aff2.Aff1, RS) and target list name, or to all
 * but the sender (IRM).
 */
void skvm_vgic_sgi(struct skvm_kvm_vcpu *v, u64 val, bool group1)
{
	struct skvm_kvm *kvm = v->kvm;
	u32 intid = (val >> 24) & 0xf, i;
	u64 aff = ((val >> 16) & 0xff) << 8 | ((val >> 32) & 0xff) << 16 |
		  ((val >> 48) & 0xff) << 32;
	u32 rs = (val >> 44) & 0xf;

	if (val & BIT_ULL(40)) {
		for (i = 0; i < SKVM_MAX_VCPUS; i++) {
			struct skvm_kvm_vcpu *t = READ_ONCE(kvm->vcpus[i]);

			if (t != v)
				sgi_to(kvm, t, intid, group1);
		}
		return;
	}
	for (i = 0; i < 16; i++)
		if (val & BIT(i))
			sgi_to(kvm, skvm_kvm_vcpu_by_mpidr(kvm, aff | (rs * 16 + i)),
			       intid, group1);
}
