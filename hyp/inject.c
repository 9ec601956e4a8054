// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stepping the lower EL over an instruction EL2 emulated, and making an
 * instruction EL2 will not emulate an UNDEF at the lower EL's EL1, as if
 * EL2 were not there. Both act on the live exception state (ELR_EL2,
 * SPSR_EL2, ESR_EL2), for whichever world trapped.
 */
#include <hwregs.h>
#include <hyp/vm.h>

#define ESR_EC_SHIFT		26
#define ESR_IL			(1UL << 25)
#define PSR_MODE_MASK		0x1fUL
#define PSR_MODE_EL0t		0x0UL
#define PSR_MODE_EL1t		0x4UL
#define PSR_MODE_EL1h		0x5UL
#define PSR_MODE32		(1UL << 4)
#define PSR_BTYPE		(3UL << 10)
#define PSR_SSBS		(1UL << 12)
#define PSR_SS			(1UL << 21)
#define PSR_PAN			(1UL << 22)
#define PSR_DAIF		(0xfUL << 6)
#define SCTLR_EL1_SPAN		(1UL << 23)
#define SCTLR_EL1_DSSBS		(1UL << 44)
/* VBAR_EL1 offsets of the synchronous vectors (Arm ARM, "Exception vectors"). */
#define VECTOR_CUR_SP0		0x000
#define VECTOR_CUR_SPX		0x200
#define VECTOR_LOWER_A64	0x400
#define VECTOR_LOWER_A32	0x600

/**
 * hyp_skip_instr() - step the lower EL over the A64 instruction that
 * trapped. As the instruction completing would, this ends a software step
 * (PSTATE.SS) and a BTI branch target check (PSTATE.BTYPE): Arm ARM,
 * "Software Step exceptions" and "PSTATE.BTYPE".
 */
void hyp_skip_instr(void)
{
	hw_write(elr_el2, hw_read(elr_el2) + 4);
	hw_write(spsr_el2, hw_read(spsr_el2) & ~(PSR_SS | PSR_BTYPE));
}

/**
 * hyp_inject_undef() - turn the instruction that trapped to EL2 into an
 * Undefined Instruction exception taken to the lower EL's EL1 (EC 0, the
 * same IL), with PSTATE set as an exception entry to EL1 sets it: DAIF
 * masked, EL1h, PAN unless SCTLR_EL1.SPAN, SSBS from SCTLR_EL1.DSSBS
 * (Arm ARM, "Exception entry" and "Pseudocode description of exception
 * entry to AArch64 state").
 */
void hyp_inject_undef(void)
{
	u64 spsr = hw_read(spsr_el2), sctlr = hw_read(sctlr_el1);
	u64 mode = spsr & PSR_MODE_MASK, offset, pstate;

	if (spsr & PSR_MODE32)
		offset = VECTOR_LOWER_A32;
	else if (mode == PSR_MODE_EL0t)
		offset = VECTOR_LOWER_A64;
	else if (mode == PSR_MODE_EL1t)
		offset = VECTOR_CUR_SP0;
	else
		offset = VECTOR_CUR_SPX;
	pstate = PSR_DAIF | PSR_MODE_EL1h;
	if (!(sctlr & SCTLR_EL1_SPAN))
		pstate |= PSR_PAN;
	if (sctlr & SCTLR_EL1_DSSBS)
		pstate |= PSR_SSBS;
	hw_write(elr_el1, hw_read(elr_el2));
	hw_write(spsr_el1, spsr);
	hw_write(esr_el1, hw_read(esr_el2) & ESR_IL);
	hw_write(elr_el2, hw_read(vbar_el1) + offset);
	hw_write(spsr_el2, pstate);
}
