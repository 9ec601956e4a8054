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

#define hw_read(reg) ({							\
	u64 __val;							\
	asm volatile("mrs %0, " __stringify(reg) : "=r" (__val));	\
	__val;								\
})

#define hw_write(reg, val) do {						\
	u64 __val = (u64)(val);						\
	asm volatile("msr " __stringify(reg) ", %x0" : : "rZ" (__val));	\
} while (0)

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
 * Make a new stage-2 descriptor visible to the table walkers of all CPUs
 * before it is used (Arm ARM, "Ordering and completion of updates to
 * translation tables": a DSB is required).
 */
static inline void hw_pte_publish(void)
{
	asm volatile("dsb ishst" : : : "memory");
}

#endif /* __SPLITKVM_HWREGS_H__ */
