/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The EL1 timer registers' semantics (Arm ARM, "The Generic Timer in
 * AArch64 state"), for the physical timer the host emulates: pure
 * functions of the saved CTL and CVAL and the guest's count now, so that
 * UML KUnit checks them (kunit/uml/timer_kunit.c).
 */
#ifndef __SPLITKVM_HOST_TIMER_REGS_H__
#define __SPLITKVM_HOST_TIMER_REGS_H__

#include <linux/bits.h>
#include <linux/types.h>

#define SKVM_TIMER_ENABLE	BIT(0)
#define SKVM_TIMER_IMASK	BIT(1)
#define SKVM_TIMER_ISTATUS	BIT(2)

/* CNT<x>_TVAL_EL0, CNT<x>_CTL_EL0, CNT<x>_CVAL_EL0 by op2. */
#define SKVM_TIMER_TVAL		0
#define SKVM_TIMER_CTL		1
#define SKVM_TIMER_CVAL		2

/* Enabled and not masked: it will fire at CVAL. */
static inline bool skvm_timer_armed(u64 ctl)
{
	return (ctl & (SKVM_TIMER_ENABLE | SKVM_TIMER_IMASK)) ==
	       SKVM_TIMER_ENABLE;
}

/* The timer condition: enabled and the count at or past CVAL. */
static inline bool skvm_timer_condition(u64 ctl, u64 cval, u64 now)
{
	return (ctl & SKVM_TIMER_ENABLE) && now >= cval;
}

/* Its interrupt line: the condition, not masked. */
static inline bool skvm_timer_fires(u64 ctl, u64 cval, u64 now)
{
	return skvm_timer_armed(ctl) && now >= cval;
}

/*
 * A read: TVAL is CVAL - count as a signed 32-bit value; CTL reports
 * ISTATUS, meaningful only while the timer is enabled.
 */
static inline u64 skvm_timer_read(u64 ctl, u64 cval, u64 now,
				  unsigned int op2)
{
	switch (op2) {
	case SKVM_TIMER_TVAL:
		return (u64)(s64)(s32)(cval - now);
	case SKVM_TIMER_CTL:
		return (ctl & (SKVM_TIMER_ENABLE | SKVM_TIMER_IMASK)) |
		       (skvm_timer_condition(ctl, cval, now) ?
			SKVM_TIMER_ISTATUS : 0);
	default:
		return cval;
	}
}

/*
 * A write: TVAL sets CVAL to the count plus the signed 32-bit value; CTL
 * keeps ENABLE and IMASK (ISTATUS is read-only).
 */
static inline void skvm_timer_write(u64 *ctl, u64 *cval, u64 now,
				    unsigned int op2, u64 val)
{
	switch (op2) {
	case SKVM_TIMER_TVAL:
		*cval = now + (s64)(s32)val;
		break;
	case SKVM_TIMER_CTL:
		*ctl = val & (SKVM_TIMER_ENABLE | SKVM_TIMER_IMASK);
		break;
	default:
		*cval = val;
		break;
	}
}

#endif /* __SPLITKVM_HOST_TIMER_REGS_H__ */
