// SPDX-License-Identifier: GPL-2.0-only
/*
 * The breakpoint and watchpoint registers by number. MRS and MSR name a
 * register in the instruction, so each number is its own case.
 */
#include <hwregs.h>

#define READ_CASE(n)						\
	case n:							\
		switch (kind) {					\
		case 0:						\
			return hw_read(s2_0_c0_c##n##_4);	\
		case 1:						\
			return hw_read(s2_0_c0_c##n##_5);	\
		case 2:						\
			return hw_read(s2_0_c0_c##n##_6);	\
		default:					\
			return hw_read(s2_0_c0_c##n##_7);	\
		}

#define WRITE_CASE(n)						\
	case n:							\
		switch (kind) {					\
		case 0:						\
			hw_write(s2_0_c0_c##n##_4, val);	\
			break;					\
		case 1:						\
			hw_write(s2_0_c0_c##n##_5, val);	\
			break;					\
		case 2:						\
			hw_write(s2_0_c0_c##n##_6, val);	\
			break;					\
		default:					\
			hw_write(s2_0_c0_c##n##_7, val);	\
			break;					\
		}						\
		break

u64 hw_dbg_read(unsigned int kind, unsigned int n)
{
	switch (n) {
	READ_CASE(0)
	READ_CASE(1)
	READ_CASE(2)
	READ_CASE(3)
	READ_CASE(4)
	READ_CASE(5)
	READ_CASE(6)
	READ_CASE(7)
	READ_CASE(8)
	READ_CASE(9)
	READ_CASE(10)
	READ_CASE(11)
	READ_CASE(12)
	READ_CASE(13)
	READ_CASE(14)
	READ_CASE(15)
	}
	return 0;
}

void hw_dbg_write(unsigned int kind, unsigned int n, u64 val)
{
	switch (n) {
	WRITE_CASE(0);
	WRITE_CASE(1);
	WRITE_CASE(2);
	WRITE_CASE(3);
	WRITE_CASE(4);
	WRITE_CASE(5);
	WRITE_CASE(6);
	WRITE_CASE(7);
	WRITE_CASE(8);
	WRITE_CASE(9);
	WRITE_CASE(10);
	WRITE_CASE(11);
	WRITE_CASE(12);
	WRITE_CASE(13);
	WRITE_CASE(14);
	WRITE_CASE(15);
	}
}
