/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __SPLITKVM_GUEST_ID_REGS_H__
#define __SPLITKVM_GUEST_ID_REGS_H__

#include <linux/types.h>
#include <splitkvm/boot.h>

/* Fill the guests' view of the ID registers, SKVM_NR_ID_REGS entries. */
void splitkvm_guest_id_regs(u64 *regs);

#endif /* __SPLITKVM_GUEST_ID_REGS_H__ */
