/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Why a vCPU came back to the host, as EL2 decodes it. Filled by EL2 from
 * the syndrome registers; the host only reads it.
 */
#ifndef __SPLITKVM_EXIT_H__
#define __SPLITKVM_EXIT_H__

#include <linux/types.h>

enum skvm_exit_reason {
	SKVM_EXIT_NONE,
	SKVM_EXIT_HVC,		/* guest HVC; imm16 in access, PC already past it */
	SKVM_EXIT_SMC,		/* guest SMC (trapped); PC advanced */
	SKVM_EXIT_WFX,		/* access: WFI, WFE, WFIT, WFET; PC advanced */
	SKVM_EXIT_SYSREG,	/* trapped MSR/MRS; access = ISS; PC advanced */
	SKVM_EXIT_DABT,		/* stage-2 data abort; see SKVM_ACCESS_* */
	SKVM_EXIT_IABT,		/* stage-2 instruction abort at ipa */
	SKVM_EXIT_IRQ,		/* a physical IRQ/FIQ is pending for the host */
	SKVM_EXIT_SERROR,	/* an SError was taken from the guest */
	SKVM_EXIT_UNKNOWN,	/* anything else: esr says what */
	SKVM_EXIT_AARCH32,	/* from AArch32 EL0: not supported, left as is */
	SKVM_EXIT_DEBUG,	/* a debug exception for the host's debugger */
	SKVM_EXIT_NR,
};

/*
 * Decoded data abort (SKVM_EXIT_DABT), packed in one register. VALID is set
 * only when the syndrome describes the access (ESR_EL2.ISV) and it was not a
 * stage-1 table walk; then the host may emulate it and have EL2 step over
 * it with SKVM_RUN_SKIP_INSN on the next run.
 */
#define SKVM_ACCESS_VALID	(1UL << 0)
#define SKVM_ACCESS_WRITE	(1UL << 1)
#define SKVM_ACCESS_SIGN_EXT	(1UL << 2)
#define SKVM_ACCESS_64BIT_REG	(1UL << 3)	/* ESR.SF: Xt, not Wt */
#define SKVM_ACCESS_SIZE_SHIFT	8		/* log2 of bytes: 0..3 */
#define SKVM_ACCESS_SIZE_MASK	(3UL << SKVM_ACCESS_SIZE_SHIFT)
#define SKVM_ACCESS_REG_SHIFT	16		/* Rt: 0..30, 31 = xzr */
#define SKVM_ACCESS_REG_MASK	(31UL << SKVM_ACCESS_REG_SHIFT)

/* Exit flags: a guest SError was pending at the exit; EL2 consumed it. */
#define SKVM_EXIT_F_SERROR	(1UL << 0)

/*
 * Flags of the RUN hypercall. SKIP_INSN: the host emulated the access of
 * the last exit (a decoded DABT), so EL2 steps the guest over it first.
 * The host debugs the guest (KVM_SET_GUEST_DEBUG): DEBUG routes the
 * guest's debug exceptions to EL2 and the host (SKVM_EXIT_DEBUG), STEP
 * single-steps it, HW_BP loads the host's breakpoints and watchpoints
 * (SKVM_REG_XDBG) in place of the guest's.
 */
#define SKVM_RUN_SKIP_INSN	(1UL << 0)
#define SKVM_RUN_DEBUG		(1UL << 1)
#define SKVM_RUN_STEP		(1UL << 2)
#define SKVM_RUN_HW_BP		(1UL << 3)
#define SKVM_RUN_FLAGS		(SKVM_RUN_SKIP_INSN | SKVM_RUN_DEBUG | \
				 SKVM_RUN_STEP | SKVM_RUN_HW_BP)

/**
 * struct skvm_exit - one exit, as returned by the RUN hypercall.
 * @reason: enum skvm_exit_reason.
 * @esr: ESR_EL2 at the exit (synchronous exits and SErrors only).
 * @far: FAR_EL2 at the exit (aborts only).
 * @ipa: faulting IPA (aborts only).
 * @access: SKVM_ACCESS_* for aborts, imm16 for HVC, TI for WFx (0 WFI,
 *	1 WFE, 2 WFIT, 3 WFET), the ISS for sysreg traps.
 * @data: the value stored, for a decoded write; the deadline for WFxT.
 * @flags: SKVM_EXIT_F_*.
 */
struct skvm_exit {
	u64 reason;
	u64 esr;
	u64 far;
	u64 ipa;
	u64 access;
	u64 data;
	u64 flags;
};

#endif /* __SPLITKVM_EXIT_H__ */
