/* SPDX-License-Identifier: GPL-2.0-only */
/* Page ownership and EL2's view of physical memory (VA == PA). */
#ifndef __SPLITKVM_HYP_MEM_H__
#define __SPLITKVM_HYP_MEM_H__

#include <splitkvm/boot.h>
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

/* The owner of the page at @pa, or NONE outside the RAM span. */
static inline u8 page_owner(u64 pa)
{
	u64 idx = (pa - hyp.mem.ram_base) >> SKVM_PAGE_SHIFT;

	if (pa < hyp.mem.ram_base || idx >= hyp.mem.ram_pages)
		return SKVM_OWNER_NONE;
	return hyp.mem.owner[idx];
}

static inline void set_page_owner(u64 pa, u8 owner)
{
	hyp.mem.owner[(pa - hyp.mem.ram_base) >> SKVM_PAGE_SHIFT] = owner;
}

#endif /* __SPLITKVM_HYP_MEM_H__ */
