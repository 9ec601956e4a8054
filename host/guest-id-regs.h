/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __SPLITKVM_GUEST_ID_REGS_H__
#define __SPLITKVM_GUEST_ID_REGS_H__

#include <linux/types.h>
#include <splitkvm/boot.h>

/* Fill the guests' view of the ID registers, SKVM_NR_ID_REGS entries. */
void splitkvm_guest_id_regs(u64 *regs);

/*
 * A feature field of an ID register, as the kernel's cpufeature tables
 * describe it (generated: scripts/gen-id-fields.py).
 */
struct skvm_id_field {
	bool sign;		/* FTR_SIGNED */
	u8 type;		/* enum ftr_type */
	u8 shift;
	u8 width;		/* 0 ends a table */
	s64 safe;
};

struct skvm_id_reg_fields {
	u32 encoding;		/* sys_reg(); 0 ends the list */
	const struct skvm_id_field *fields;
	u64 res0;
};

extern const struct skvm_id_reg_fields skvm_id_reg_fields[];

u64 splitkvm_id_reg_writable(u32 encoding);
int splitkvm_id_reg_check(u32 encoding, u64 val, u64 limit);

#endif /* __SPLITKVM_GUEST_ID_REGS_H__ */
