// SPDX-License-Identifier: GPL-2.0-only
/*
 * The EL2 stage-1 identity map (4 KiB granule, 48-bit VA, 4 levels). Only
 * the host's install path uses it, before EL2 runs, so it can fail with
 * -errno and the caller frees everything.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "el2-pgtable.h"

#define DESC_VALID	(1UL << 0)
#define DESC_TABLE	(1UL << 1)	/* table at levels 0-2, page at 3 */
#define DESC_ATTR_NORMAL (0UL << 2)	/* MAIR_EL2 index 0 */
#define DESC_AP_RW	(1UL << 6)	/* AP[1] is RES1 at EL2 */
#define DESC_AP_RO	(3UL << 6)
#define DESC_SH_INNER	(3UL << 8)
#define DESC_AF		(1UL << 10)
#define DESC_XN		(1UL << 54)
#define DESC_ADDR_MASK	0x0000fffffffff000UL

static u64 *alloc_table(struct el2_pgtable *pgt)
{
	struct page *page;

	if (pgt->nr_pages == pgt->max_pages)
		return NULL;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return NULL;
	pgt->pages[pgt->nr_pages++] = page;
	return page_address(page);
}

int el2_pgtable_init(struct el2_pgtable *pgt, unsigned int max_pages)
{
	pgt->nr_pages = 0;
	pgt->max_pages = max_pages;
	pgt->pages = kcalloc(max_pages, sizeof(*pgt->pages), GFP_KERNEL);
	if (!pgt->pages)
		return -ENOMEM;
	pgt->root = alloc_table(pgt);
	if (!pgt->root) {
		kfree(pgt->pages);
		return -ENOMEM;
	}
	return 0;
}

void el2_pgtable_free(struct el2_pgtable *pgt)
{
	unsigned int i;

	for (i = 0; i < pgt->nr_pages; i++)
		__free_page(pgt->pages[i]);
	kfree(pgt->pages);
	pgt->pages = NULL;
	pgt->nr_pages = 0;
}

static u64 leaf_attrs(enum el2_prot prot)
{
	u64 attrs = DESC_VALID | DESC_ATTR_NORMAL | DESC_SH_INNER | DESC_AF;

	switch (prot) {
	case EL2_RW:
		return attrs | DESC_AP_RW | DESC_XN;
	case EL2_RO:
		return attrs | DESC_AP_RO | DESC_XN;
	default:
		return attrs | DESC_AP_RO;
	}
}

static unsigned int shift_of(unsigned int level)
{
	return 39 - 9 * level;
}

/* Map [pa, pa + size) at VA == PA with the biggest blocks that fit. */
int el2_pgtable_map(struct el2_pgtable *pgt, u64 pa, u64 size,
		    enum el2_prot prot)
{
	u64 end = pa + size;

	if (!PAGE_ALIGNED(pa) || !PAGE_ALIGNED(size) || end >> 48)
		return -EINVAL;
	while (pa < end) {
		u64 *table = pgt->root;
		unsigned int level;

		for (level = 0; ; level++) {
			u64 block = 1UL << shift_of(level);
			u64 *desc = &table[(pa >> shift_of(level)) & 511];
			u64 *next;

			/* Blocks exist at levels 1 and 2, pages at level 3. */
			if (level >= 1 && !(pa & (block - 1)) &&
			    end - pa >= block && !(*desc & DESC_VALID)) {
				*desc = pa | leaf_attrs(prot) |
					(level == 3 ? DESC_TABLE : 0);
				pa += block;
				break;
			}
			if (level == 3 || ((*desc & DESC_VALID) &&
					   !(*desc & DESC_TABLE)))
				return -EEXIST;
			if (!(*desc & DESC_VALID)) {
				next = alloc_table(pgt);
				if (!next)
					return -ENOMEM;
				*desc = virt_to_phys(next) | DESC_TABLE |
					DESC_VALID;
			}
			table = phys_to_virt(*desc & DESC_ADDR_MASK);
		}
	}
	return 0;
}
