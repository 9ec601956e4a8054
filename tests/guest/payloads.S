/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest programs: see payloads.h. Data only for the host. */
	.section .rodata, "a"
	.balign	4

.macro payload, name
	.globl	payload_\name
payload_\name:
.endm
.macro endpayload, name
	.globl	payload_\name\()_end
payload_\name\()_end:
.endm

payload gprs_fp
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	add	x\n, x\n, #1
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	not	v\n\().16b, v\n\().16b
	.endr
	hvc	#1
endpayload gprs_fp

/* The order here is the order of sysreg_cases[] in kunit/el2_kunit.c. */
payload sysregs_write
	msr	sctlr_el1, x1
	msr	tcr_el1, x2
	msr	ttbr0_el1, x3
	msr	ttbr1_el1, x4
	msr	mair_el1, x5
	msr	vbar_el1, x6
	msr	contextidr_el1, x7
	msr	tpidr_el1, x8
	msr	tpidr_el0, x9
	msr	tpidrro_el0, x10
	msr	cpacr_el1, x11
	msr	csselr_el1, x12
	msr	cntkctl_el1, x13
	msr	par_el1, x14
	msr	far_el1, x15
	msr	esr_el1, x16
	msr	elr_el1, x17
	msr	spsr_el1, x18
	msr	sp_el0, x19
	msr	cntv_cval_el0, x20
	msr	cntv_ctl_el0, x21
	mov	sp, x22
	msr	amair_el1, x23
	msr	afsr0_el1, x24
	msr	afsr1_el1, x25
	hvc	#2
endpayload sysregs_write

payload sysregs_read
	mrs	x1, sctlr_el1
	mrs	x2, tcr_el1
	mrs	x3, ttbr0_el1
	mrs	x4, ttbr1_el1
	mrs	x5, mair_el1
	mrs	x6, vbar_el1
	mrs	x7, contextidr_el1
	mrs	x8, tpidr_el1
	mrs	x9, tpidr_el0
	mrs	x10, tpidrro_el0
	mrs	x11, cpacr_el1
	mrs	x12, csselr_el1
	mrs	x13, cntkctl_el1
	mrs	x14, par_el1
	mrs	x15, far_el1
	mrs	x16, esr_el1
	mrs	x17, elr_el1
	mrs	x18, spsr_el1
	mrs	x19, sp_el0
	mrs	x20, cntv_cval_el0
	mrs	x21, cntv_ctl_el0
	mov	x22, sp
	mrs	x23, amair_el1
	mrs	x24, afsr0_el1
	mrs	x25, afsr1_el1
	hvc	#3
endpayload sysregs_read

payload mmio
	str	w1, [x2]
	ldrh	w3, [x2, #6]
	str	x4, [x2, #8]
	hvc	#4
endpayload mmio

payload mmio_loop
1:	str	w1, [x2]
	b	1b
endpayload mmio_loop

payload spin
1:	b	1b
endpayload spin

payload count
1:	add	x0, x0, #1
	hvc	#5
	b	1b
endpayload count

/* SMCCC_VERSION x2 times (EL2 answers it), then an exit to the host. */
payload smccc_loop
1:	mov	x0, #0x80000000
	hvc	#0
	sub	x2, x2, #1
	cbnz	x2, 1b
	hvc	#11
endpayload smccc_loop

payload fp_loop
1:	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	not	v\n\().16b, v\n\().16b
	.endr
	hvc	#10
	b	1b
endpayload fp_loop

payload hello
1:	cbz	x2, 2f
	ldrb	w4, [x1], #1
	strb	w4, [x3]
	sub	x2, x2, #1
	b	1b
2:	hvc	#6
endpayload hello

/* ID registers: EL2 answers these without an exit to the host. */
payload id_regs
	mrs	x1, id_aa64pfr0_el1
	mrs	x2, id_aa64pfr1_el1
	mrs	x3, id_aa64isar1_el1
	mrs	x4, id_aa64dfr0_el1
	mrs	x5, id_aa64mmfr1_el1
	mrs	x6, s3_0_c0_c4_4		/* ID_AA64ZFR0_EL1 */
	mrs	x7, s3_0_c0_c5_4		/* ID_AA64AFR0_EL1: not listed, RAZ */
	mrs	xzr, id_aa64mmfr0_el1
	hvc	#7
endpayload id_regs

/*
 * Drops to AArch32 EL0 (User mode), whose first instruction, an A32
 * "str r0, [r1]" to the MMIO address in x1, faults to EL2 through the
 * AArch32 vectors.
 */
payload aarch32
	adr	x2, 1f
	msr	elr_el1, x2
	mov	x2, #0x10			/* AArch32 User, DAIF clear */
	msr	spsr_el1, x2
	eret
1:	.inst	0xe5810000			/* A32: str r0, [r1] */
	.inst	0xeafffffe			/* A32: b . */
endpayload aarch32

/*
 * Traps the host handles: WFI, the EL1 physical timer (CNTHCTL_EL2.EL1PCEN
 * clear), SMC.
 */
payload traps
	wfi
	mrs	x5, cntp_ctl_el0
	smc	#0x42
	hvc	#8
endpayload traps

/*
 * The GICv3 virtual CPU interface: acknowledge (ICC_IAR1_EL1) into x1,
 * complete it (ICC_EOIR1_EL1), acknowledge again into x2 (1023: none).
 */
payload vgic
	mrs	x1, s3_0_c12_c12_0
	msr	s3_0_c12_c12_1, x1
	mrs	x2, s3_0_c12_c12_0
	hvc	#11
endpayload vgic
