// SPDX-License-Identifier: GPL-2.0-only
/*
 * GSI routing and irqfds (KVM_SET_GSI_ROUTING, KVM_IRQFD) for the vGIC.
 * A GSI names an SPI through the routing table (irqchip routes only: MSIs
 * need the ITS, which splitkvm does not have); until the VMM sets one, GSI
 * n is SPI n + 32, as KVM's default. An irqfd's eventfd, signalled,
 * raises its GSI's SPI from the eventfd's wake-up, in whatever context
 * that runs (the vGIC's lock is taken with IRQs off, the kick is an
 * asynchronous IPI). With a resample eventfd, a level SPI is lowered
 * when the guest completes it, and the resample eventfd signalled then.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "kvm.h"

#define MAX_ROUTES	4096		/* KVM_MAX_IRQ_ROUTES */
#define NUM_PINS	(1020 - 32)	/* KVM_IRQCHIP_NUM_PINS on arm64 */
#define NO_ROUTE	U32_MAX

struct skvm_irqfd {
	struct list_head list;
	struct skvm_kvm *kvm;
	struct eventfd_ctx *ctx;
	struct eventfd_ctx *resample;
	wait_queue_entry_t wait;
	poll_table pt;
	u32 gsi;
};

void skvm_irqfd_init(struct skvm_kvm *kvm)
{
	INIT_LIST_HEAD(&kvm->irqfds);
	spin_lock_init(&kvm->irqfd_lock);
}

/* The SPI of @gsi now (NO_ROUTE: none). */
static u32 gsi_to_spi(struct skvm_kvm *kvm, u32 gsi)
{
	u32 *routes = READ_ONCE(kvm->gsi_routes);

	if (!routes)
		return gsi < NUM_PINS ? gsi + SKVM_VGIC_NR_PRIVATE : NO_ROUTE;
	return gsi < MAX_ROUTES && routes[gsi] != NO_ROUTE ?
	       routes[gsi] + SKVM_VGIC_NR_PRIVATE : NO_ROUTE;
}

/*
 * KVM_SET_GSI_ROUTING: irqchip 0 pins only, each GSI once at most. The
 * table is replaced whole; an SPI the VM does not have is accepted (as
 * KVM) and injects nothing.
 */
long skvm_set_gsi_routing(struct skvm_kvm *kvm, void __user *uarg)
{
	struct kvm_irq_routing __user *ur = uarg;
	struct kvm_irq_routing_entry e;
	struct kvm_irq_routing r;
	u32 *routes, *old;
	u32 i;

	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	if (r.nr > MAX_ROUTES || r.flags)
		return -EINVAL;
	routes = kvmalloc_array(MAX_ROUTES, sizeof(*routes), GFP_KERNEL_ACCOUNT);
	if (!routes)
		return -ENOMEM;
	memset(routes, 0xff, MAX_ROUTES * sizeof(*routes));
	for (i = 0; i < r.nr; i++) {
		if (copy_from_user(&e, &ur->entries[i], sizeof(e))) {
			kvfree(routes);
			return -EFAULT;
		}
		if (e.gsi >= MAX_ROUTES || e.flags ||
		    e.type != KVM_IRQ_ROUTING_IRQCHIP ||
		    e.u.irqchip.irqchip || e.u.irqchip.pin >= NUM_PINS ||
		    routes[e.gsi] != NO_ROUTE) {
			kvfree(routes);
			return -EINVAL;
		}
		routes[e.gsi] = e.u.irqchip.pin;
	}
	mutex_lock(&kvm->lock);
	old = kvm->gsi_routes;
	WRITE_ONCE(kvm->gsi_routes, routes);
	mutex_unlock(&kvm->lock);
	/* Wake-ups read the table without a lock: let them finish with it. */
	synchronize_rcu();
	kvfree(old);
	return 0;
}

static void irqfd_inject(struct skvm_irqfd *f)
{
	struct skvm_kvm *kvm = f->kvm;
	u32 spi;

	rcu_read_lock();
	spi = gsi_to_spi(kvm, f->gsi);
	rcu_read_unlock();
	if (spi == NO_ROUTE || !READ_ONCE(kvm->vgic.ready))
		return;
	/*
	 * Raised, as KVM does on arm64 (its in-atomic injection): an edge
	 * SPI is made pending, a level one stays high until lowered (by
	 * its resampler at EOI, or the VMM).
	 */
	skvm_vgic_set_level(&kvm->vgic, NULL, spi, true);
}

/*
 * The eventfd's wake-up, with its wait queue's lock held: consume the
 * count and inject; on EPOLLHUP (the eventfd is going) leave the queue.
 */
static int irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode, int sync,
			void *key)
{
	struct skvm_irqfd *f = container_of(wait, struct skvm_irqfd, wait);
	__poll_t flags = key_to_poll(key);
	u64 cnt;

	if (flags & EPOLLIN) {
		eventfd_ctx_do_read(f->ctx, &cnt);
		irqfd_inject(f);
	}
	if (flags & EPOLLHUP)
		list_del_init(&wait->entry);
	return 0;
}

static void irqfd_ptable(struct file *file, wait_queue_head_t *wqh,
			 poll_table *pt)
{
	struct skvm_irqfd *f = container_of(pt, struct skvm_irqfd, pt);

	add_wait_queue(wqh, &f->wait);
}

static void irqfd_free(struct skvm_irqfd *f)
{
	u64 cnt;

	eventfd_ctx_remove_wait_queue(f->ctx, &f->wait, &cnt);
	eventfd_ctx_put(f->ctx);
	if (f->resample)
		eventfd_ctx_put(f->resample);
	kfree(f);
}

static long irqfd_deassign(struct skvm_kvm *kvm, const struct kvm_irqfd *a)
{
	struct skvm_irqfd *f, *tmp, *found = NULL;
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(a->fd);

	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	spin_lock(&kvm->irqfd_lock);
	list_for_each_entry_safe(f, tmp, &kvm->irqfds, list) {
		if (f->ctx == ctx && f->gsi == a->gsi) {
			list_del(&f->list);
			found = f;
			break;
		}
	}
	spin_unlock(&kvm->irqfd_lock);
	eventfd_ctx_put(ctx);
	/* As KVM: deassigning what is not there is no error. */
	if (found)
		irqfd_free(found);
	return 0;
}

#define IRQFD_FLAGS	(KVM_IRQFD_FLAG_DEASSIGN | KVM_IRQFD_FLAG_RESAMPLE)

/* KVM_IRQFD: assign (an eventfd once per VM) or deassign. */
long skvm_irqfd(struct skvm_kvm *kvm, const struct kvm_irqfd *a)
{
	struct skvm_irqfd *f, *other;
	__poll_t events;
	struct fd file;
	long ret;

	if (a->flags & ~IRQFD_FLAGS)
		return -EINVAL;
	if (a->flags & KVM_IRQFD_FLAG_DEASSIGN)
		return irqfd_deassign(kvm, a);
	if (!kvm->vgic.created)
		return -ENXIO;
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	f->kvm = kvm;
	f->gsi = a->gsi;
	file = fdget(a->fd);
	ret = -EBADF;
	if (!fd_file(file))
		goto fail;
	f->ctx = eventfd_ctx_fileget(fd_file(file));
	if (IS_ERR(f->ctx)) {
		ret = PTR_ERR(f->ctx);
		f->ctx = NULL;
		goto fail_put;
	}
	if (a->flags & KVM_IRQFD_FLAG_RESAMPLE) {
		f->resample = eventfd_ctx_fdget(a->resamplefd);
		if (IS_ERR(f->resample)) {
			ret = PTR_ERR(f->resample);
			f->resample = NULL;
			goto fail_put;
		}
	}
	init_waitqueue_func_entry(&f->wait, irqfd_wakeup);
	init_poll_funcptr(&f->pt, irqfd_ptable);
	spin_lock(&kvm->irqfd_lock);
	ret = 0;
	list_for_each_entry(other, &kvm->irqfds, list)
		if (other->ctx == f->ctx)
			ret = -EBUSY;
	if (!ret)
		list_add_tail(&f->list, &kvm->irqfds);
	spin_unlock(&kvm->irqfd_lock);
	if (ret)
		goto fail_put;
	/* Signalled before it was ours: inject now. */
	events = vfs_poll(fd_file(file), &f->pt);
	if (events & EPOLLIN)
		irqfd_inject(f);
	if (f->resample)
		WRITE_ONCE(kvm->vgic.notify_eoi, true);
	fdput(file);
	return 0;
fail_put:
	fdput(file);
fail:
	if (f->ctx)
		eventfd_ctx_put(f->ctx);
	if (f->resample)
		eventfd_ctx_put(f->resample);
	kfree(f);
	return ret;
}

/*
 * The guest completed level SPI @intid: each resampling irqfd routed to
 * it lowers its line and tells the VMM through its resample eventfd.
 */
void skvm_irqfd_eoi(struct skvm_kvm *kvm, u32 intid)
{
	struct skvm_irqfd *f;

	spin_lock(&kvm->irqfd_lock);
	rcu_read_lock();
	list_for_each_entry(f, &kvm->irqfds, list) {
		if (!f->resample || gsi_to_spi(kvm, f->gsi) != intid)
			continue;
		skvm_vgic_set_level(&kvm->vgic, NULL, intid, false);
		eventfd_signal(f->resample);
	}
	rcu_read_unlock();
	spin_unlock(&kvm->irqfd_lock);
}

/* The VM goes: every irqfd, and the routing table. */
void skvm_irqfd_free(struct skvm_kvm *kvm)
{
	struct skvm_irqfd *f, *tmp;

	list_for_each_entry_safe(f, tmp, &kvm->irqfds, list)
		irqfd_free(f);
	kvfree(kvm->gsi_routes);
}
