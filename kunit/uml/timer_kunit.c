// SPDX-License-Identifier: GPL-2.0-only
/*
 * splitkvm_timer: the emulated EL1 physical timer's register semantics
 * (host/timer-regs.h, what the host answers the guest's CNTP_* accesses
 * with): TVAL as a signed 32-bit distance, ISTATUS, ENABLE and IMASK.
 */
#include <kunit/test.h>
#include "host/timer-regs.h"

/* TVAL reads CVAL - count, sign-extended from 32 bits; a write sets CVAL. */
static void tval_is_signed_32_bits(struct kunit *test)
{
	u64 ctl = 0, cval = 0;

	skvm_timer_write(&ctl, &cval, 1000, SKVM_TIMER_TVAL, 500);
	KUNIT_EXPECT_EQ(test, 1500ULL, cval);
	KUNIT_EXPECT_EQ(test, 500ULL,
			skvm_timer_read(ctl, cval, 1000, SKVM_TIMER_TVAL));
	/* Past CVAL: negative. */
	KUNIT_EXPECT_EQ(test, (u64)-100LL,
			skvm_timer_read(ctl, cval, 1600, SKVM_TIMER_TVAL));
	/* A negative TVAL puts CVAL in the past; bits above 31 ignored. */
	skvm_timer_write(&ctl, &cval, 1000, SKVM_TIMER_TVAL,
			 0xabcd0000ffffff00ULL);
	KUNIT_EXPECT_EQ(test, 1000ULL - 256, cval);
	/* 2^32 away reads as 0: only the low 32 bits of the distance. */
	KUNIT_EXPECT_EQ(test, 0ULL, skvm_timer_read(0, 1000 + (1ULL << 32),
						    1000, SKVM_TIMER_TVAL));
}

/* CTL: ENABLE and IMASK kept, ISTATUS read-only and only when enabled. */
static void ctl_and_istatus(struct kunit *test)
{
	u64 ctl = 0, cval = 100;

	skvm_timer_write(&ctl, &cval, 0, SKVM_TIMER_CTL, ~0ULL);
	KUNIT_EXPECT_EQ(test, 3ULL, ctl);
	KUNIT_EXPECT_EQ(test, 7ULL, skvm_timer_read(ctl, cval, 100,
						    SKVM_TIMER_CTL));
	KUNIT_EXPECT_EQ(test, 3ULL, skvm_timer_read(ctl, cval, 99,
						    SKVM_TIMER_CTL));
	/* Masked: the condition holds, the line stays low. */
	KUNIT_EXPECT_FALSE(test, skvm_timer_fires(ctl, cval, 200));
	KUNIT_EXPECT_TRUE(test, skvm_timer_condition(ctl, cval, 200));
	skvm_timer_write(&ctl, &cval, 0, SKVM_TIMER_CTL, 1);
	KUNIT_EXPECT_TRUE(test, skvm_timer_fires(ctl, cval, 100));
	KUNIT_EXPECT_FALSE(test, skvm_timer_fires(ctl, cval, 99));
	/* Disabled: no condition, no ISTATUS, whatever the count. */
	skvm_timer_write(&ctl, &cval, 0, SKVM_TIMER_CTL, 0);
	KUNIT_EXPECT_EQ(test, 0ULL, skvm_timer_read(ctl, cval, 500,
						    SKVM_TIMER_CTL));
	KUNIT_EXPECT_FALSE(test, skvm_timer_fires(ctl, cval, 500));
	skvm_timer_write(&ctl, &cval, 0, SKVM_TIMER_CVAL, 42);
	KUNIT_EXPECT_EQ(test, 42ULL, skvm_timer_read(ctl, cval, 0,
						     SKVM_TIMER_CVAL));
}

static struct kunit_case timer_cases[] = {
	KUNIT_CASE(tval_is_signed_32_bits),
	KUNIT_CASE(ctl_and_istatus),
	{}
};

static struct kunit_suite timer_suite = {
	.name = "splitkvm_timer",
	.test_cases = timer_cases,
};
kunit_test_suite(timer_suite);
