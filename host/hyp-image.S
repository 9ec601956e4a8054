/* SPDX-License-Identifier: GPL-2.0-only */
/* The EL2 image, linked separately (hyp/hyp.lds), carried as data. */
	.section .rodata, "a"
	.balign	4096
	.globl	__splitkvm_hyp_image
__splitkvm_hyp_image:
	.incbin	HYP_BIN
	.globl	__splitkvm_hyp_image_end
__splitkvm_hyp_image_end:
