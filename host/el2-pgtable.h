/* SPDX-License-Identifier: GPL-2.0-only */
/* EL2 stage-1 tables, built by the host before EL2 exists (VA == PA). */
#ifndef __SPLITKVM_EL2_PGTABLE_H__
#define __SPLITKVM_EL2_PGTABLE_H__

#include <linux/types.h>

enum el2_prot {
	EL2_RW,		/* read/write, never executable */
	EL2_RO,		/* read-only, never executable */
	EL2_RX,		/* read-only, executable */
};

struct el2_pgtable {
	u64 *root;
	struct page **pages;	/* every table page, to free and to own */
	unsigned int nr_pages;
	unsigned int max_pages;
};

int el2_pgtable_init(struct el2_pgtable *pgt, unsigned int max_pages);
int el2_pgtable_map(struct el2_pgtable *pgt, u64 pa, u64 size,
		    enum el2_prot prot);
void el2_pgtable_free(struct el2_pgtable *pgt);

#endif /* __SPLITKVM_EL2_PGTABLE_H__ */
