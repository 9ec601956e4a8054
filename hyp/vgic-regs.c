// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GICv3 list and active-priority registers by number. MRS and MSR
 * name a register in the instruction, so each number is its own case.
 * ICH_LR<n>_EL2: op0 3, op1 4, CRn 12, CRm 12 + n / 8, op2 n % 8;
 * ICH_AP0R<n>_EL2 CRm 8, ICH_AP1R<n>_EL2 CRm 9, op2 n.
 */
#include <hwregs.h>

#define LR_READ(crm, op2)						\
	case (crm - 12) * 8 + op2:					\
		return hw_read(s3_4_c12_c##crm##_##op2)

#define LR_WRITE(crm, op2)						\
	case (crm - 12) * 8 + op2:					\
		hw_write(s3_4_c12_c##crm##_##op2, val);			\
		break

u64 hw_ich_lr_read(unsigned int n)
{
	switch (n) {
	LR_READ(12, 0); LR_READ(12, 1); LR_READ(12, 2); LR_READ(12, 3);
	LR_READ(12, 4); LR_READ(12, 5); LR_READ(12, 6); LR_READ(12, 7);
	LR_READ(13, 0); LR_READ(13, 1); LR_READ(13, 2); LR_READ(13, 3);
	LR_READ(13, 4); LR_READ(13, 5); LR_READ(13, 6); LR_READ(13, 7);
	}
	return 0;
}

void hw_ich_lr_write(unsigned int n, u64 val)
{
	switch (n) {
	LR_WRITE(12, 0); LR_WRITE(12, 1); LR_WRITE(12, 2); LR_WRITE(12, 3);
	LR_WRITE(12, 4); LR_WRITE(12, 5); LR_WRITE(12, 6); LR_WRITE(12, 7);
	LR_WRITE(13, 0); LR_WRITE(13, 1); LR_WRITE(13, 2); LR_WRITE(13, 3);
	LR_WRITE(13, 4); LR_WRITE(13, 5); LR_WRITE(13, 6); LR_WRITE(13, 7);
	}
}

#define APR_READ(n)							\
	case n:								\
		return grp ? hw_read(s3_4_c12_c9_##n) :			\
			     hw_read(s3_4_c12_c8_##n)

#define APR_WRITE(n)							\
	case n:								\
		if (grp)						\
			hw_write(s3_4_c12_c9_##n, val);			\
		else							\
			hw_write(s3_4_c12_c8_##n, val);			\
		break

u64 hw_ich_apr_read(unsigned int grp, unsigned int n)
{
	switch (n) {
	APR_READ(0); APR_READ(1); APR_READ(2); APR_READ(3);
	}
	return 0;
}

void hw_ich_apr_write(unsigned int grp, unsigned int n, u64 val)
{
	switch (n) {
	APR_WRITE(0); APR_WRITE(1); APR_WRITE(2); APR_WRITE(3);
	}
}
