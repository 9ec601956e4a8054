/* SPDX-License-Identifier: GPL-2.0-only */
/* Assembler helpers for EL2 code: no kernel assembler macros are used. */
#ifndef __SPLITKVM_HYP_ASM_H__
#define __SPLITKVM_HYP_ASM_H__

#define HYP_STACK_SHIFT		14	/* 16 KiB of stack per CPU */

#ifdef __ASSEMBLY__
/* PC-relative address of a symbol: valid with the MMU off (PA) and on. */
	.macro	adr_sym, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	.macro	func, name
	.globl	\name
	.type	\name, %function
	.balign	4
\name:
	.endm

	.macro	endfunc, name
	.size	\name, . - \name
	.endm
#endif

#endif /* __SPLITKVM_HYP_ASM_H__ */
