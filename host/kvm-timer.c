// SPDX-License-Identifier: GPL-2.0-only
/*
 * The arch timers as the KVM API shows them: the vCPU attributes of
 * KVM_ARM_VCPU_TIMER_CTRL, the PPI each timer interrupts on. They are the
 * VM's (KVM keeps one set for all its vCPUs). Until the VM has an
 * in-kernel interrupt controller they can only be read: a set is refused
 * with EINVAL, as KVM refuses it without a vGIC. The timers themselves
 * follow: the virtual one is the hardware's, delivered through the vGIC;
 * the physical one is emulated (CNTP_* trap).
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kvm.h>
#include <linux/math64.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/uaccess.h>
#include "kvm.h"
#include "timer-regs.h"

/* KVM's defaults, by attribute (vtimer, ptimer, hvtimer, hptimer). */
static const u32 default_ppi[SKVM_NR_TIMERS] = { 27, 30, 28, 26 };

void skvm_timer_init(struct skvm_kvm *kvm)
{
	memcpy(kvm->timer_ppi, default_ppi, sizeof(kvm->timer_ppi));
}

/*
 * KVM_ARM_VCPU_TIMER_CTRL. A set needs the in-kernel vGIC and a VM that has
 * not run: a PPI (16..31) no other timer uses, as KVM checks.
 */
long skvm_timer_attr(struct skvm_kvm_vcpu *v, unsigned int cmd,
		     const struct kvm_device_attr *attr)
{
	int __user *uval = (int __user *)(unsigned long)attr->addr;
	struct skvm_kvm *kvm = v->kvm;
	unsigned int i;
	int ppi, ret;

	if (attr->attr >= SKVM_NR_TIMERS)
		return -ENXIO;
	switch (cmd) {
	case KVM_HAS_DEVICE_ATTR:
		return 0;
	case KVM_GET_DEVICE_ATTR:
		return put_user((int)READ_ONCE(kvm->timer_ppi[attr->attr]),
				uval);
	}
	if (!kvm->vgic.created)
		return -EINVAL;		/* no in-kernel irqchip */
	if (get_user(ppi, uval))
		return -EFAULT;
	if (ppi < 16 || ppi >= 32)
		return -EINVAL;
	mutex_lock(&kvm->lock);
	ret = kvm->has_run ? -EBUSY : 0;
	for (i = 0; !ret && i < SKVM_NR_TIMERS; i++)
		if (i != attr->attr && kvm->timer_ppi[i] == ppi)
			ret = -EINVAL;
	if (!ret)
		WRITE_ONCE(kvm->timer_ppi[attr->attr], ppi);
	mutex_unlock(&kvm->lock);
	return ret;
}

/*
 * The CPUs' virtual timer and GIC maintenance interrupts. While a guest
 * runs, either one firing takes the CPU back to the host (HCR_EL2.IMO),
 * which is all they are for here: the handlers have nothing to do. The
 * virtual timer's is forwarded to the vCPU (irq_set_vcpu_affinity): the
 * host's GIC driver drops its priority but leaves it active, and the
 * guest's EOI of its hardware-mapped list register deactivates it.
 */
static int vtimer_irq, maint_irq;
static DEFINE_PER_CPU(u8, irq_cookie);

static irqreturn_t guest_irq(int irq, void *dev)
{
	return IRQ_HANDLED;
}

static void enable_on_cpu(void *unused)
{
	if (vtimer_irq)
		enable_percpu_irq(vtimer_irq, IRQ_TYPE_NONE);
	if (maint_irq)
		enable_percpu_irq(maint_irq, IRQ_TYPE_NONE);
}

static void disable_on_cpu(void *unused)
{
	if (vtimer_irq) {
		irq_set_irqchip_state(vtimer_irq, IRQCHIP_STATE_ACTIVE, false);
		disable_percpu_irq(vtimer_irq);
	}
	if (maint_irq)
		disable_percpu_irq(maint_irq);
}

/* The PPI at @index of the first DT node compatible with @compat. */
static int dt_ppi(const char *compat, int index)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, compat);
	int irq;

	if (!np)
		return 0;
	irq = irq_of_parse_and_map(np, index);
	of_node_put(np);
	return irq;
}

int skvm_vgic_host_init(void)
{
	int ret;

	if (!splitkvm_has_gicv3())
		return 0;
	/* arm,armv8-timer: secure, non-secure physical, virtual, hyp. */
	vtimer_irq = dt_ppi("arm,armv8-timer", 2);
	maint_irq = dt_ppi("arm,gic-v3", 0);
	if (!vtimer_irq || !maint_irq) {
		pr_warn("splitkvm: no virtual timer or GIC maintenance interrupt in the device tree: no vGIC\n");
		vtimer_irq = maint_irq = 0;
		return 0;
	}
	ret = request_percpu_irq(vtimer_irq, guest_irq, "splitkvm-vtimer",
				 &irq_cookie);
	if (ret)
		goto fail;
	ret = irq_set_vcpu_affinity(vtimer_irq, &irq_cookie);
	if (!ret)
		ret = request_percpu_irq(maint_irq, guest_irq, "splitkvm-maint",
					 &irq_cookie);
	if (ret) {
		irq_set_vcpu_affinity(vtimer_irq, NULL);
		free_percpu_irq(vtimer_irq, &irq_cookie);
		goto fail;
	}
	on_each_cpu(enable_on_cpu, NULL, 1);
	return 0;
fail:
	pr_warn("splitkvm: cannot take the virtual timer / maintenance interrupts (%d): no vGIC\n",
		ret);
	vtimer_irq = maint_irq = 0;
	return 0;
}

void skvm_vgic_host_exit(void)
{
	if (!vtimer_irq)
		return;
	on_each_cpu(disable_on_cpu, NULL, 1);
	irq_set_vcpu_affinity(vtimer_irq, NULL);
	free_percpu_irq(vtimer_irq, &irq_cookie);
	free_percpu_irq(maint_irq, &irq_cookie);
}

bool skvm_vgic_host_ready(void)
{
	return vtimer_irq;
}

/*
 * The physical virtual-timer interrupt of this CPU: active while the
 * running vCPU's is in a list register (or cannot be delivered), so it
 * fires once per guest interrupt, then again after the guest's EOI.
 */
void skvm_vtimer_load(bool active)
{
	irq_set_irqchip_state(vtimer_irq, IRQCHIP_STATE_ACTIVE, active);
}

/* The host's counter: its CNTVOFF_EL2 is 0, so virtual == physical. */
static u64 counter_now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static u64 ticks_to_ns(u64 ticks)
{
	return mul_u64_u32_div(ticks, NSEC_PER_SEC, read_sysreg(cntfrq_el0));
}

/* The physical counter as the guest reads it (KVM_ARM_SET_COUNTER_OFFSET). */
static u64 guest_pcount(struct skvm_kvm_vcpu *v)
{
	return counter_now() - READ_ONCE(v->kvm->cntpoff);
}

/* The virtual counter as the guest reads it (the VM's CNTVOFF_EL2). */
u64 skvm_guest_vcount(struct skvm_kvm_vcpu *v)
{
	return counter_now() - READ_ONCE(v->kvm->cntvoff);
}

bool skvm_vtimer_firing(struct skvm_kvm_vcpu *v)
{
	const struct skvm_vgic_if *gif = v->gic.gif;

	return skvm_timer_fires(gif->cntv_ctl, gif->cntv_cval,
				skvm_guest_vcount(v));
}

/* The emulated physical timer's output, now. */
bool skvm_ptimer_level(struct skvm_kvm_vcpu *v)
{
	return skvm_timer_fires(v->ptimer_ctl, v->ptimer_cval, guest_pcount(v));
}

/* Re-evaluate the physical timer's line; arm the hrtimer for its deadline. */
void skvm_ptimer_update(struct skvm_kvm_vcpu *v)
{
	u64 now = guest_pcount(v);

	hrtimer_try_to_cancel(&v->ptimer);
	if (v->gic.gif)
		skvm_vgic_set_level(&v->kvm->vgic, &v->gic,
				    v->kvm->timer_ppi[1],
				    skvm_ptimer_level(v));
	if (skvm_timer_armed(v->ptimer_ctl) && now < v->ptimer_cval)
		hrtimer_start(&v->ptimer,
			      ns_to_ktime(ticks_to_ns(v->ptimer_cval - now)),
			      HRTIMER_MODE_REL_HARD);
}

/*
 * The deadline the hrtimer was set for; the counter may have moved since
 * (PTIMER_CNT), so the timer may not fire yet: then wait again.
 */
static enum hrtimer_restart ptimer_expired(struct hrtimer *t)
{
	struct skvm_kvm_vcpu *v = container_of(t, struct skvm_kvm_vcpu,
					       ptimer);
	u64 now = guest_pcount(v), cval = READ_ONCE(v->ptimer_cval);

	if (skvm_timer_armed(READ_ONCE(v->ptimer_ctl)) && now < cval) {
		hrtimer_forward_now(t, ns_to_ktime(ticks_to_ns(cval - now)));
		return HRTIMER_RESTART;
	}
	if (v->gic.gif)
		skvm_vgic_set_level(&v->kvm->vgic, &v->gic,
				    v->kvm->timer_ppi[1],
				    skvm_ptimer_level(v));
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart wfi_expired(struct hrtimer *t)
{
	skvm_vgic_kick(container_of(t, struct skvm_kvm_vcpu, wfi_timer));
	return HRTIMER_NORESTART;
}

/*
 * The virtual timer fires while the guest masks interrupts: have it out of
 * the guest again shortly, to deliver it once the guest takes interrupts
 * (or to drop it, if the guest reprogrammed it meanwhile).
 */
#define VTIMER_RECHECK_NS	(100 * NSEC_PER_USEC)

void skvm_vtimer_recheck(struct skvm_kvm_vcpu *v)
{
	if (!hrtimer_active(&v->recheck))
		hrtimer_start(&v->recheck, ns_to_ktime(VTIMER_RECHECK_NS),
			      HRTIMER_MODE_REL_HARD);
}

static enum hrtimer_restart recheck_expired(struct hrtimer *t)
{
	skvm_vgic_kick(container_of(t, struct skvm_kvm_vcpu, recheck));
	return HRTIMER_NORESTART;
}

static void kick_ipi(void *unused)
{
}

void skvm_timer_vcpu_init(struct skvm_kvm_vcpu *v)
{
	hrtimer_init(&v->ptimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	v->ptimer.function = ptimer_expired;
	hrtimer_init(&v->wfi_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	v->wfi_timer.function = wfi_expired;
	hrtimer_init(&v->recheck, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	v->recheck.function = recheck_expired;
	INIT_CSD(&v->kick_csd, kick_ipi, NULL);
}

void skvm_timer_vcpu_destroy(struct skvm_kvm_vcpu *v)
{
	hrtimer_cancel(&v->ptimer);
	hrtimer_cancel(&v->wfi_timer);
	hrtimer_cancel(&v->recheck);
}

/* The guest's access to its physical timer (CNTHCTL_EL2.EL1PCEN == 0). */
u64 skvm_ptimer_access(struct skvm_kvm_vcpu *v, unsigned int op2, bool read,
		       u64 val)
{
	u64 now = guest_pcount(v);

	if (read)
		return skvm_timer_read(v->ptimer_ctl, v->ptimer_cval, now, op2);
	skvm_timer_write(&v->ptimer_ctl, &v->ptimer_cval, now, op2, val);
	skvm_ptimer_update(v);
	return 0;
}

/*
 * A WFI with a vGIC: sleep until an interrupt the guest would take is
 * pending, one of its timers fires, or a kick (a signal ends it too).
 */
int skvm_vgic_wfi(struct skvm_kvm_vcpu *v)
{
	const struct skvm_vgic_if *gif = v->gic.gif;
	u64 deadline = U64_MAX, now;

	WRITE_ONCE(v->kick, false);
	/* Pairs with skvm_vgic_kick(): its interrupt is seen, or its kick. */
	smp_mb();
	if (skvm_vcpu_gic_pending(v))
		return 1;
	if (skvm_timer_armed(gif->cntv_ctl)) {
		now = skvm_guest_vcount(v);
		if (now >= gif->cntv_cval)
			return 1;
		deadline = ticks_to_ns(gif->cntv_cval - now);
	}
	if (deadline != U64_MAX)
		hrtimer_start(&v->wfi_timer, ns_to_ktime(deadline),
			      HRTIMER_MODE_REL_HARD);
	if (!wait_event_interruptible(v->wait, READ_ONCE(v->kick)))
		v->stats[SKVM_VCPU_STAT_HALT_WAKEUP]++;
	hrtimer_cancel(&v->wfi_timer);
	return 1;
}

/* The guests' physical counter moved: every vCPU's timer against it. */
void skvm_ptimers_update(struct skvm_kvm *kvm)
{
	unsigned int i;

	for (i = 0; i < kvm->nr_vcpus; i++)
		skvm_ptimer_update(kvm->by_idx[i]);
}
