// SPDX-License-Identifier: GPL-2.0-only
/*
 * The breakpoint and watchpoint registers by number. MRS and MSR name a
 * register in the instruction, so each number is its own case.
 */
#include <hwregs.h>

#define DBG_CASES(op)		\
	op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7)		\
	op(8) op(9) op(10) op(11) op(12) op(13) op(14) op(15)

#define READ_CASE(n)						\
	case n:							\
		switch (kind) {					\
		case 0: return hw_read(s2_0_c0_c##n##_4);	\
		case 1: return hw_read(s2_0_c0_c##n##_5);	\
		case 2: return hw_read(s2_0_c0_c##n##_6);	\
		default: return hw_read(s2_0_c0_c##n##_7);	\
		}

#define WRITE_CASE(n)						\
	case n:							\
		switch (kind) {					\
		case 0: hw_write(s2_0_c0_c##n##_4, val); break;	\
		case 1: hw_write(s2_0_c0_c##n##_5, val); break;	\
		case 2: hw_write(s2_0_c0_c##n##_6, val); break;	\
		default: hw_write(s2_0_c0_c##n##_7, val); break;	\
		}						\
		break;

u64 hw_dbg_read(unsigned int kind, unsigned int n)
{
	switch (n) {
	DBG_CASES(READ_CASE)
	}
	return 0;
}

void hw_dbg_write(unsigned int kind, unsigned int n, u64 val)
{
	switch (n) {
	DBG_CASES(WRITE_CASE)
	}
}
