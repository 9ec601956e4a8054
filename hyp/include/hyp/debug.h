/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The checks that keep guest debug (hyp/debug.c) off the exit path: a run
 * in which neither the host nor the guest debugs costs a few loads.
 */
#ifndef __SPLITKVM_HYP_DEBUG_H__
#define __SPLITKVM_HYP_DEBUG_H__

#include <splitkvm/exit.h>
#include <hyp/state.h>

#define MDSCR_SS		(1UL << 0)
#define MDSCR_KDE		(1UL << 13)
#define MDSCR_MDE		(1UL << 15)
#define SKVM_RUN_DEBUG_FLAGS	(SKVM_RUN_DEBUG | SKVM_RUN_STEP | SKVM_RUN_HW_BP)

/* Does hyp_debug_enter() have anything to do for this run? */
static inline bool hyp_debug_at_entry(const struct hyp_vcpu *vcpu, u64 flags)
{
	return (flags & SKVM_RUN_DEBUG_FLAGS) | vcpu->debug.any |
	       (vcpu->ctxt.sys[SKVM_MDSCR_EL1] & (MDSCR_MDE | MDSCR_KDE));
}

/* Does hyp_debug_exit()? Not unless debug is in use. */
static inline bool hyp_debug_at_exit(const struct hyp_vcpu *vcpu)
{
	return vcpu->debug.any;
}

#endif /* __SPLITKVM_HYP_DEBUG_H__ */
