/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register access for code built to run at EL2: the real registers.
 * kunit/sim/hwregs.h is the same interface over a simulated register bank;
 * the build picks one by include path.
 */
#ifndef __SPLITKVM_HWREGS_H__
#define __SPLITKVM_HWREGS_H__

#include <linux/errno.h>
#include <linux/stringify.h>
#include <linux/types.h>
#include <hyp/state.h>

/*
 * Registers older assemblers do not know by name, by their encodings
 * (op0, op1, CRn, CRm, op2 as in the Arm ARM).
 */
#define pmscr_el1	s3_0_c9_c9_0
#define trfcr_el1	s3_0_c1_c2_1
#define tpidr2_el0	s3_3_c13_c0_5
#define svcr		s3_3_c4_c2_2
#define disr_el1	s3_0_c12_c1_1
#define vdisr_el2	s3_4_c12_c1_1
#define hcrx_el2	s3_4_c1_c2_2
#define hfgrtr_el2	s3_4_c1_c1_4
#define hfgwtr_el2	s3_4_c1_c1_5
#define hfgitr_el2	s3_4_c1_c1_6
#define hdfgrtr_el2	s3_4_c3_c1_4
#define hdfgwtr_el2	s3_4_c3_c1_5
#define ich_hcr_el2	s3_4_c12_c11_0
#define ich_vtr_el2	s3_4_c12_c11_1
#define ich_vmcr_el2	s3_4_c12_c11_7

#define hw_read(reg) ({							\
	u64 __val;							\
	asm volatile("mrs %0, " __stringify(reg) : "=r" (__val));	\
	__val;								\
})

#define hw_write(reg, val) do {						\
	u64 __val = (u64)(val);						\
	asm volatile("msr " __stringify(reg) ", %x0" : : "rZ" (__val));	\
} while (0)

/*
 * The PA the guest's (EL1 or EL0, @el0) virtual address @va translates to,
 * through its stage 1 and stage 2 as loaded now (AT S12E1R/S12E0R). The
 * ISB makes PAR_EL1 hold the result before it is read (Arm ARM, "Address
 * translation instructions"); the guest's own PAR_EL1 is put back.
 * Return: false if it does not translate.
 */
static inline bool hw_guest_va_to_pa(u64 va, bool el0, u64 *pa)
{
	u64 par = hw_read(par_el1), res;

	if (el0)
		asm volatile("at s12e0r, %0\n\tisb" : : "r" (va) : "memory");
	else
		asm volatile("at s12e1r, %0\n\tisb" : : "r" (va) : "memory");
	res = hw_read(par_el1);
	hw_write(par_el1, par);
	if (res & 1)
		return false;
	*pa = (res & 0x0000fffffffff000UL) | (va & 0xfffUL);
	return true;
}

/*
 * The breakpoint and watchpoint registers by number: @kind 0..3 for
 * DBGBVR<n>_EL1, DBGBCR<n>_EL1, DBGWVR<n>_EL1, DBGWCR<n>_EL1 (op0 2, op1 0,
 * CRn 0, CRm n, op2 4 + kind), @n below 16 (hyp/debug-regs.c).
 */
u64 hw_dbg_read(unsigned int kind, unsigned int n);
void hw_dbg_write(unsigned int kind, unsigned int n, u64 val);

/*
 * The GICv3 list registers ICH_LR<n>_EL2 (@n below 16) and active-priority
 * registers ICH_AP<grp>R<n>_EL2 (@grp 0 or 1, @n below 4) by number
 * (hyp/vgic-regs.c).
 */
u64 hw_ich_lr_read(unsigned int n);
void hw_ich_lr_write(unsigned int n, u64 val);
u64 hw_ich_apr_read(unsigned int grp, unsigned int n);
void hw_ich_apr_write(unsigned int grp, unsigned int n, u64 val);

void __fpsimd_save(struct skvm_fpsimd *fp);
void __fpsimd_restore(const struct skvm_fpsimd *fp);

static inline void hw_fp_save(struct skvm_fpsimd *fp)
{
	__fpsimd_save(fp);
}

static inline void hw_fp_restore(const struct skvm_fpsimd *fp)
{
	__fpsimd_restore(fp);
}

/* TPIDR_EL2 holds this CPU's record from install to teardown. */
static inline struct hyp_cpu *this_hyp_cpu(void)
{
	return (struct hyp_cpu *)hw_read(tpidr_el2);
}

/* The lower EL's GPRs while EL2 runs live in this CPU's frame. */
static inline u64 *hw_gprs(void)
{
	return this_hyp_cpu()->frame;
}

/*
 * Invalidate this CPU's stage-1 EL1&0 TLB entries of the current VMID; the
 * DSB completes the invalidation before the ERET that enters the guest
 * (Arm ARM, "TLB maintenance instructions", completion and ordering).
 */
static inline void hw_tlb_flush_vmid_local(void)
{
	asm volatile("tlbi vmalle1\n\tdsb nsh" : : : "memory");
}

/*
 * Invalidate every stage-1 and stage-2 entry of the VMID in @vttbr on all
 * CPUs. VTTBR_EL2 selects the VMID the TLBI acts on, so it must be in place
 * (ISB) before the TLBI; DSB ISH waits for all CPUs to complete it.
 */
static inline void hw_tlb_flush_vmid_all(u64 vttbr)
{
	u64 old = hw_read(vttbr_el2);

	hw_write(vttbr_el2, vttbr);
	asm volatile("isb\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb" : : : "memory");
	hw_write(vttbr_el2, old);
	asm volatile("isb" : : : "memory");
}

/*
 * Invalidate, on all CPUs, the stage-2 entries for one IPA page of the VMID
 * in @vttbr and every stage-1 entry of that VMID (which may have cached a
 * translation through it): TLBI IPAS2E1IS, DSB, TLBI VMALLE1IS, DSB (Arm
 * ARM, "TLB maintenance requirements and the TLB maintenance
 * instructions", invalidation of stage 2 entries).
 */
static inline void hw_tlb_flush_ipa(u64 vttbr, u64 ipa)
{
	u64 old = hw_read(vttbr_el2);

	hw_write(vttbr_el2, vttbr);
	asm volatile("isb\n\ttlbi ipas2e1is, %0\n\tdsb ish\n\t"
		     "tlbi vmalle1is\n\tdsb ish\n\tisb"
		     : : "r" (ipa >> 12) : "memory");
	hw_write(vttbr_el2, old);
	asm volatile("isb" : : : "memory");
}

/*
 * Order the stores that filled a new table (or a page) before the store
 * that links it, so another CPU's walker that sees the link sees them too
 * (Arm ARM, "Ordering and completion of updates to translation tables";
 * the walks are in the inner shareable domain, VTCR_EL2.SH0).
 */
static inline void hw_pte_publish(void)
{
	asm volatile("dsb ishst" : : : "memory");
}

/*
 * Make every SError caused by the accesses before it pending (Arm ARM,
 * "Synchronization and the SError exception": DSB, then the ISB so that
 * ISR_EL1 is read after it).
 */
static inline void hw_error_sync(void)
{
	asm volatile("dsb sy\n\tisb" : : : "memory");
}

/* entry.S: unmask SErrors for one instruction; true if one was taken. */
bool __serror_window(void);

static inline bool hw_serror_window(void)
{
	return __serror_window();
}

static inline void hw_isb(void)
{
	asm volatile("isb" : : : "memory");
}

/* PSB CSYNC (FEAT_SPE), then DSB NSH: sampled records reach memory. */
static inline void hw_profiling_sync(void)
{
	asm volatile("isb\n\thint #17\n\tdsb nsh" : : : "memory");
}

/* TSB CSYNC (FEAT_TRF): trace generated so far is in the buffer. */
static inline void hw_trace_sync(void)
{
	asm volatile("isb\n\thint #18\n\tdsb nsh" : : : "memory");
}

/*
 * @idx if it is below @size, else 0, also under speculation: the mask is
 * computed without a branch and CSDB keeps the CPU from predicting it
 * (Arm ARM, "Consumption of Speculative Data Barrier").
 */
static inline u64 hw_index_nospec(u64 idx, u64 size)
{
	u64 mask;

	asm volatile("cmp %1, %2\n\tsbc %0, xzr, xzr\n\thint #20"
		     : "=r" (mask) : "r" (idx), "r" (size) : "cc");
	return idx & mask;
}

/*
 * Zero one page with DC ZVA (or wide stores where DCZID_EL0.DZP forbids
 * it) and clean it to the point of coherency, so that whoever gets the
 * page next, with caches on or off, finds zeroes (Arm ARM, "Data cache
 * zero instruction"; the DSB completes the cleans).
 */
static inline void hw_scrub_page(void *va)
{
	u64 dczid = hw_read(dczid_el0);
	u64 line = 4UL << ((hw_read(ctr_el0) >> 16) & 0xf);
	u64 p = (u64)(unsigned long)va, end = p + SKVM_PAGE_SIZE;
	u64 zva = 4UL << (dczid & 0xf);

	if (!(dczid & (1UL << 4))) {
		for (; p < end; p += zva)
			asm volatile("dc zva, %0" : : "r" (p) : "memory");
	} else {
		for (; p < end; p += 16)
			asm volatile("stp xzr, xzr, [%0]" : : "r" (p) : "memory");
	}
	for (p = end - SKVM_PAGE_SIZE; p < end; p += line)
		asm volatile("dc cvac, %0" : : "r" (p) : "memory");
	asm volatile("dsb ish" : : : "memory");
}

#endif /* __SPLITKVM_HWREGS_H__ */
