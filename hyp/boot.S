/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * First entry at EL2 on a CPU, from the Linux hyp stub's HVC_SOFT_RESTART:
 * MMU off, x0 = this CPU's index, ELR/SPSR_EL2 still hold the host's
 * return point. Turns the EL2 MMU on over the tables the host built
 * (VA == PA, so this code runs on unchanged), sets up this CPU's stack,
 * record and vectors, and returns to the host with x0 = 0.
 */
#include <generated/hyp-offsets.h>
#include <hyp/asm.h>
#include <hyp/macros.S>

	.text
func hyp_init_entry
	adr_sym	x3, hyp_boot
	ldr	x4, [x3, #BOOT_NR_CPUS]
	cmp	x0, x4
	b.hs	1f
	ldr	x4, [x3, #BOOT_MAIR]
	msr	mair_el2, x4
	ldr	x4, [x3, #BOOT_TCR]
	msr	tcr_el2, x4
	ldr	x4, [x3, #BOOT_TTBR0]
	msr	ttbr0_el2, x4
	/*
	 * The translation registers must be in effect before the MMU is
	 * enabled, and no stale EL2 entry from an earlier install may be used
	 * (Arm ARM, "Enabling and disabling the MMU": ISB after the writes;
	 * TLBI then DSB to complete it before the SCTLR write).
	 */
	isb
	tlbi	alle2
	dsb	nsh
	ldr	x4, [x3, #BOOT_SCTLR]
	msr	sctlr_el2, x4
	isb
	/* MMU on. The stub's VBAR_EL2 is what teardown must put back. */
	mrs	x5, vbar_el2
	ldr	x6, [x3, #BOOT_CPUS]
	ldr	x7, =HYP_CPU_SIZE
	madd	x6, x0, x7, x6
	msr	tpidr_el2, x6
	ldr	x7, [x3, #BOOT_STACKS]
	add	x8, x0, #1
	lsl	x8, x8, #HYP_STACK_SHIFT
	add	sp, x7, x8
	adr_sym	x7, hyp_host_vectors
	msr	vbar_el2, x7
	mov	x1, x5
	bl	hyp_cpu_init
	/* The ERET synchronises VBAR_EL2 and the rest before the host runs. */
	mov	x0, #0
	eret
1:	mov	x0, #-1
	eret
endfunc hyp_init_entry
