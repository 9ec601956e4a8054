// SPDX-License-Identifier: GPL-2.0-only
/*
 * Coalesced MMIO (KVM_CAP_COALESCED_MMIO): guest writes to the zones the
 * VMM registered do not exit; they are appended to a ring the VMM maps
 * from every vCPU fd (page SKVM_COALESCED_PAGE) and drains when
 * it next runs. A full ring, and every read, still exits as MMIO.
 *
 * The ring page is the VMM's to write too: its first and last indices
 * are read once and checked before use.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "kvm.h"

#define RING_MAX	((PAGE_SIZE - sizeof(struct kvm_coalesced_mmio_ring)) / \
			 sizeof(struct kvm_coalesced_mmio))

int skvm_coalesced_init(struct skvm_kvm *kvm)
{
	kvm->coalesced_ring = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	spin_lock_init(&kvm->coalesced_lock);
	return kvm->coalesced_ring ? 0 : -ENOMEM;
}

void skvm_coalesced_free(struct skvm_kvm *kvm)
{
	free_page((unsigned long)kvm->coalesced_ring);
}

static bool zone_holds(const struct kvm_coalesced_mmio_zone *z, u64 addr,
		       u64 len)
{
	return addr >= z->addr && len <= z->size &&
	       addr - z->addr <= z->size - len;
}

/*
 * KVM_(UN)REGISTER_COALESCED_MMIO. Registering adds a zone (at most
 * SKVM_COALESCED_ZONES_MAX, then ENOBUFS); unregistering removes every
 * zone of that kind (MMIO or PIO) that contains the range given.
 */
long skvm_coalesced_zone(struct skvm_kvm *kvm, bool add,
			 const struct kvm_coalesced_mmio_zone *z)
{
	unsigned int i;
	long ret = 0;

	if (z->pio > 1)
		return -EINVAL;
	if (add && (!z->size || z->addr + z->size < z->addr))
		return -EINVAL;
	spin_lock(&kvm->coalesced_lock);
	if (add) {
		if (kvm->nr_zones == SKVM_COALESCED_ZONES_MAX)
			ret = -ENOBUFS;
		else
			kvm->zones[kvm->nr_zones++] = *z;
		goto out;
	}
	for (i = 0; i < kvm->nr_zones;) {
		if (kvm->zones[i].pio == z->pio &&
		    zone_holds(&kvm->zones[i], z->addr, z->size))
			kvm->zones[i] = kvm->zones[--kvm->nr_zones];
		else
			i++;
	}
out:
	spin_unlock(&kvm->coalesced_lock);
	return ret;
}

/*
 * A guest's MMIO write of @len bytes of @data at @addr: into the ring if a
 * zone holds it and the ring has room. Return: true if it went there (the
 * guest goes on), false if it is the VMM's now.
 */
bool skvm_coalesced_write(struct skvm_kvm *kvm, u64 addr, u32 len,
			  const void *data)
{
	struct kvm_coalesced_mmio_ring *ring = kvm->coalesced_ring;
	struct kvm_coalesced_mmio *e;
	bool found = false;
	unsigned int i;
	u32 last, first;

	if (!READ_ONCE(kvm->nr_zones) || len > sizeof(e->data))
		return false;
	spin_lock(&kvm->coalesced_lock);
	for (i = 0; i < kvm->nr_zones && !found; i++)
		found = !kvm->zones[i].pio &&
			zone_holds(&kvm->zones[i], addr, len);
	last = READ_ONCE(ring->last);
	first = READ_ONCE(ring->first);
	/* Room for one more, leaving one slot free: last + 1 != first. */
	if (!found || last >= RING_MAX || (last + 1) % RING_MAX == first) {
		spin_unlock(&kvm->coalesced_lock);
		return false;
	}
	e = &ring->coalesced_mmio[last];
	e->phys_addr = addr;
	e->len = len;
	e->pio = 0;
	memcpy(e->data, data, len);
	/* The entry is whole before the VMM can see it (Arm ARM B2.3). */
	smp_wmb();
	WRITE_ONCE(ring->last, (last + 1) % RING_MAX);
	spin_unlock(&kvm->coalesced_lock);
	return true;
}
