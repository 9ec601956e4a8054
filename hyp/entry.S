/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL2 vectors, the host's HVC entry, the Linux hyp-stub calls, guest entry
 * and exit, and FP/SIMD save/restore. Everything else is C.
 *
 * On every entry from a lower EL the lower EL's x0..x30 go to this CPU's
 * frame (TPIDR_EL2 -> struct hyp_cpu); every return loads them back.
 */
#include <generated/hyp-offsets.h>
#include <splitkvm/hypercalls.h>
#include <hyp/asm.h>
#include <hyp/macros.S>

#define ESR_EC_SHIFT	26
#define EC_HVC64	0x16
#define SCTLR_M		(1 << 0)
#define SCTLR_C		(1 << 2)
#define SCTLR_I		(1 << 12)
#define PSR_EL2H_DAIF	0x3c9

	.text

/* x0 = &frame; the lower EL's x0, x1 are on the stack. */
.macro save_frame_tail
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
.endm

.macro frame_ptr, reg
	mrs	\reg, tpidr_el2
	add	\reg, \reg, #HYP_CPU_FRAME
.endm

/* x0 = &frame; loads x0..x30 from it. */
.macro load_frame
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
.endm

.macro ventry, target
	.balign	128
	b	\target
.endm

/* Guest vectors: push x0, x1, say which vector, and leave the guest. */
.macro gentry, code
	.balign	128
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\code
	b	__guest_exit
.endm

/* The Arm ARM requires VBAR_ELx to be 2 KiB aligned. */
	.balign	2048
func hyp_host_vectors
	ventry	hyp_bad_vector		/* EL2t */
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector		/* EL2h: EL2 itself faulted */
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	el2_serror		/* only in __serror_window */
	ventry	host_sync		/* lower EL, AArch64 */
	ventry	hyp_bad_vector		/* IRQs stay with the host (IMO = 0) */
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	host_bad_sync		/* lower EL, AArch32: an UNDEF for it */
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
endfunc hyp_host_vectors

	.balign	2048
func hyp_guest_vectors
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	ventry	hyp_bad_vector
	gentry	0			/* HYP_EXIT_SYNC */
	gentry	1			/* HYP_EXIT_IRQ */
	gentry	2			/* HYP_EXIT_FIQ */
	gentry	3			/* HYP_EXIT_SERROR */
	gentry	4			/* AArch32 EL1: HYP_EXIT_BAD */
	gentry	4
	gentry	4
	gentry	4
endfunc hyp_guest_vectors

/*
 * An exception EL2 did not expect: a bug in EL2 itself. Park this CPU
 * rather than run on with corrupt state; the other CPUs go on.
 */
func hyp_bad_vector
1:	wfi
	b	1b
endfunc hyp_bad_vector

/*
 * An SError taken at EL2 is expected only inside __serror_window, from the
 * guest just left: say so in x0 and return to the end of the window, where
 * SErrors are masked again. Anywhere else it is EL2's own: park.
 */
func el2_serror
	stp	x1, x2, [sp, #-16]!
	mrs	x1, elr_el2
	adr	x2, serror_window
	sub	x1, x1, x2
	cmp	x1, #(serror_window_end - serror_window)
	ldp	x1, x2, [sp], #16
	b.hi	hyp_bad_vector
	mov	x0, #1
	eret
	dsb	nsh
	isb
endfunc el2_serror

/*
 * bool __serror_window(void): take a pending SError, if any, now. It is
 * taken at the latest when the ISB completes (Arm ARM, "Taking an SError
 * exception": a context synchronization event after the unmask).
 */
func __serror_window
	mov	x0, #0
	msr	daifclr, #4
serror_window:
	isb
serror_window_end:
	msr	daifset, #4
	ret
endfunc __serror_window

func host_sync
	stp	x0, x1, [sp, #-16]!
	frame_ptr x0
	save_frame_tail
	mrs	x1, esr_el2
	lsr	x1, x1, #ESR_EC_SHIFT
	cmp	x1, #EC_HVC64
	b.ne	2f
	ldr	x1, [x0]
	cmp	x1, #SKVM_STUB_NR
	b.lo	stub_call
	mrs	x0, tpidr_el2
	bl	handle_host_hcall
	b	1f
2:	mrs	x0, tpidr_el2
	bl	handle_host_bad_trap
1:	frame_ptr x0
	load_frame
	eret
	/* Nothing after an ERET may run, even speculatively. */
	dsb	nsh
	isb
endfunc host_sync

/* Any other trap from the host (AArch32 EL0, say): an UNDEF for it. */
func host_bad_sync
	stp	x0, x1, [sp, #-16]!
	frame_ptr x0
	save_frame_tail
	mrs	x0, tpidr_el2
	bl	handle_host_bad_trap
	frame_ptr x0
	load_frame
	eret
	dsb	nsh
	isb
endfunc host_bad_sync

/*
 * The Linux hyp-stub ABI, x1 = host x0 < SKVM_STUB_NR, x0 = &frame. As KVM
 * does: SOFT_RESTART and RESET_VECTORS put the stub back and turn the EL2
 * MMU off, SET_VECTORS and FINALISE_EL2 are refused while we own EL2.
 * x5 and x6 are clobbered, as with KVM.
 */
stub_call:
	cmp	x1, #SKVM_STUB_SOFT_RESTART
	b.eq	1f
	cmp	x1, #SKVM_STUB_RESET_VECTORS
	b.eq	2f
	ldr	x1, =SKVM_STUB_ERR
	str	x1, [x0]
	load_frame
	eret
1:	load_frame
	/* Branch to x1 at EL2 with x0..x2 = x2..x4, as the stub does. */
	msr	elr_el2, x1
	mov	x5, #PSR_EL2H_DAIF
	msr	spsr_el2, x5
	mov	x0, x2
	mov	x1, x3
	mov	x2, x4
	b	3f
2:	str	xzr, [x0]
	load_frame
3:	adr_sym	x5, hyp_stub_vectors
	ldr	x5, [x5]
	msr	vbar_el2, x5
	/*
	 * VA == PA for all of EL2's text, so the next instruction is fetched
	 * from the same address with the MMU off; the ISB makes the change
	 * take effect before it (Arm ARM, "Enabling and disabling the MMU").
	 */
	mrs	x5, sctlr_el2
	mov	x6, #(SCTLR_M | SCTLR_C)
	orr	x6, x6, #SCTLR_I
	bic	x5, x5, x6
	msr	sctlr_el2, x5
	isb
	eret
	dsb	nsh
	isb

/*
 * u64 __guest_enter(void): enter the guest whose registers restore_vm put
 * in the frame and ELR/SPSR_EL2; returns the HYP_EXIT_* code.
 */
func __guest_enter
	stp	x29, x30, [sp, #-16]!
	stp	x27, x28, [sp, #-16]!
	stp	x25, x26, [sp, #-16]!
	stp	x23, x24, [sp, #-16]!
	stp	x21, x22, [sp, #-16]!
	stp	x19, x20, [sp, #-16]!
	/*
	 * Exceptions from the guest go to the guest vectors. The ERET is a
	 * context synchronization event, so the new VBAR_EL2 is in effect for
	 * the first exception the guest takes.
	 */
	adr_sym	x1, hyp_guest_vectors
	msr	vbar_el2, x1
	frame_ptr x0
	load_frame
	eret
	dsb	nsh
	isb
endfunc __guest_enter

/*
 * x1 = HYP_EXIT_* code, the guest's x0, x1 on the stack.
 *
 * Before EL2 makes its first indirect branch after a guest ran, the branch
 * history the guest left must be gone (Spectre-BHB: a loop of taken
 * branches, as long as this CPU needs) and, where the CPU is exposed to
 * Spectre-v2 and the firmware offers it, the branch predictor invalidated
 * by the SMCCC workaround call. The DSB and ISB complete the loop's effect
 * before any later branch (Arm's "Spectre-BHB" mitigation guidance).
 */
func __guest_exit
	frame_ptr x0
	save_frame_tail
	adr_sym	x2, hyp_spectre
	ldr	x3, [x2, #SPECTRE_BHB_LOOP]
	cbz	x3, 2f
1:	b	. + 4
	subs	x3, x3, #1
	b.ne	1b
	dsb	nsh
	isb
2:	ldr	x0, [x2, #SPECTRE_FW_WA]
	cbz	x0, 3f
	mov	x19, x1
	smc	#0
	mov	x1, x19
3:	mov	x0, x1
	adr_sym	x1, hyp_host_vectors
	msr	vbar_el2, x1
	/* The next exception EL2 takes is from the host: after the ERET. */
	ldp	x19, x20, [sp], #16
	ldp	x21, x22, [sp], #16
	ldp	x23, x24, [sp], #16
	ldp	x25, x26, [sp], #16
	ldp	x27, x28, [sp], #16
	ldp	x29, x30, [sp], #16
	ret
endfunc __guest_exit

/* void __fpsimd_save(struct skvm_fpsimd *fp) */
func __fpsimd_save
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	str	x1, [x0, #FPSIMD_FPSR]
	mrs	x1, fpcr
	str	x1, [x0, #FPSIMD_FPCR]
	ret
endfunc __fpsimd_save

/* void __fpsimd_restore(const struct skvm_fpsimd *fp) */
func __fpsimd_restore
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ldr	x1, [x0, #FPSIMD_FPSR]
	msr	fpsr, x1
	ldr	x1, [x0, #FPSIMD_FPCR]
	msr	fpcr, x1
	ret
endfunc __fpsimd_restore
