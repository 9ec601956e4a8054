/* SPDX-License-Identifier: GPL-2.0-only */
/* Assembler macros for EL2 code; no kernel assembler macros are used. */

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
