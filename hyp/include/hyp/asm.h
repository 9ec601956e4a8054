/* SPDX-License-Identifier: GPL-2.0-only */
/* Constants shared by the EL2 C and assembly. */
#ifndef __SPLITKVM_HYP_ASM_H__
#define __SPLITKVM_HYP_ASM_H__

#define HYP_STACK_SHIFT		14	/* 16 KiB of stack per CPU */

#endif /* __SPLITKVM_HYP_ASM_H__ */
