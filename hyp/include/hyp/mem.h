/* SPDX-License-Identifier: GPL-2.0-only */
/* Page ownership and EL2's view of physical memory (VA == PA). */
#ifndef __SPLITKVM_HYP_MEM_H__
#define __SPLITKVM_HYP_MEM_H__

#include <splitkvm/boot.h>
#include <hwregs.h>
#include <hyp/state.h>

static inline void *hyp_va(u64 pa)
{
	return (void *)(unsigned long)pa;
}

static inline u64 hyp_pa(const void *va)
{
	return (u64)(unsigned long)va;
}

static inline bool page_aligned(u64 addr)
{
	return !(addr & (SKVM_PAGE_SIZE - 1));
}

/* The owner byte of the page at @pa, or NULL outside the RAM span. */
static inline u8 *page_owner_byte(u64 pa)
{
	u64 idx = (pa - hyp.mem.ram_base) >> SKVM_PAGE_SHIFT;

	if (pa < hyp.mem.ram_base || idx >= hyp.mem.ram_pages)
		return NULL;
	return &hyp.mem.owner[hw_index_nospec(idx, hyp.mem.ram_pages)];
}

/* The owner of the page at @pa, or NONE outside the RAM span. */
static inline u8 page_owner(u64 pa)
{
	u8 *b = page_owner_byte(pa);

	return b ? __atomic_load_n(b, __ATOMIC_RELAXED) : SKVM_OWNER_NONE;
}

/* For a page EL2 already holds (the caller checked @pa). */
static inline void set_page_owner(u64 pa, u8 owner)
{
	__atomic_store_n(page_owner_byte(pa), owner, __ATOMIC_RELAXED);
}

/*
 * The page at @pa goes from @from to @to, if @from owns it: atomically,
 * since two VMs may be given the same page at once by a hostile host.
 */
static inline bool claim_page(u64 pa, u8 from, u8 to)
{
	u8 *b = page_owner_byte(pa);

	return b && __atomic_compare_exchange_n(b, &from, to, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED);
}

#endif /* __SPLITKVM_HYP_MEM_H__ */
