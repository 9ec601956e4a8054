/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register access for the UML KUnit build: the same interface as
 * hyp/arch/hwregs.h, over one simulated CPU's register bank, so the EL2
 * world-switch source runs unchanged against kunit/uml's executable spec.
 *
 * sim_skip_write makes a broken CPU that ignores writes to one register:
 * the differential test's sensitivity check drops each register in turn.
 */
#ifndef __SPLITKVM_HWREGS_H__
#define __SPLITKVM_HWREGS_H__

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#include <hyp/state.h>

struct sim_hw {
	u64 gpr[31];
	struct skvm_fpsimd fp;
	/* EL1/EL0 */
	u64 csselr_el1, sctlr_el1, actlr_el1, cpacr_el1, ttbr0_el1, ttbr1_el1;
	u64 tcr_el1, esr_el1, afsr0_el1, afsr1_el1, far_el1, mair_el1;
	u64 vbar_el1, contextidr_el1, amair_el1, cntkctl_el1, par_el1;
	u64 tpidr_el1, sp_el1, elr_el1, spsr_el1, mdscr_el1, sp_el0;
	u64 tpidr_el0, tpidrro_el0, cntv_ctl_el0, cntv_cval_el0;
	u64 tpidr2_el0, pmscr_el1, trfcr_el1, isr_el1, disr_el1, svcr;
	u64 pmselr_el0, pmuserenr_el0;
	u64 ctr_el0, clidr_el1, ccsidr_el1, cntpct_el0;	/* read only */
	/* EL2 */
	u64 vmpidr_el2, elr_el2, spsr_el2, vttbr_el2, vtcr_el2, hcr_el2;
	u64 hstr_el2, cnthctl_el2, cntvoff_el2, mdcr_el2, cptr_el2;
	u64 hcrx_el2, hfgrtr_el2, hfgwtr_el2, hfgitr_el2, hdfgrtr_el2;
	u64 hdfgwtr_el2, ich_hcr_el2, vdisr_el2;
	u64 ich_vmcr_el2, ich_vtr_el2;
	u64 ich_apr[2][SKVM_VGIC_MAX_APR];	/* ICH_AP0R<n>, ICH_AP1R<n> */
	u64 ich_lr[SKVM_VGIC_MAX_LR];
	u64 esr_el2, far_el2, hpfar_el2, tpidr_el2;
	u64 dbg[4][16];		/* DBGBVR, DBGBCR, DBGWVR, DBGWCR */
	u64 guest_pa;		/* where the guest's PC page is (AT) */
};

extern struct sim_hw sim_hw;

/* Side effects of maintenance operations, recorded for the tests. */
struct sim_log {
	unsigned int pte_publishes;
	unsigned int tlb_flushes_all;
	u64 last_flush_vttbr;
	unsigned int tlb_flushes_local;
	unsigned int tlb_flushes_ipa;
	u64 last_flush_ipa;
	unsigned int isbs;
	unsigned int profiling_syncs;
	unsigned int trace_syncs;
	unsigned int scrubs;
	unsigned int error_syncs;
	unsigned int serror_windows;
	bool serror_in_window;	/* what the next window takes */
};

extern struct sim_log sim_log;

extern u64 *sim_skip_write;

#define hw_read(reg)		(sim_hw.reg)
#define hw_write(reg, val) do {						\
	u64 __val = (u64)(val);						\
	if (&sim_hw.reg != sim_skip_write)				\
		sim_hw.reg = __val;					\
} while (0)

static inline void hw_fp_save(struct skvm_fpsimd *fp)
{
	*fp = sim_hw.fp;
}

static inline void hw_fp_restore(const struct skvm_fpsimd *fp)
{
	sim_hw.fp = *fp;
}

static inline u64 *hw_gprs(void)
{
	return sim_hw.gpr;
}

static inline void hw_tlb_flush_vmid_local(void)
{
	sim_log.tlb_flushes_local++;
}

static inline void hw_tlb_flush_vmid_all(u64 vttbr)
{
	sim_log.tlb_flushes_all++;
	sim_log.last_flush_vttbr = vttbr;
}

static inline void hw_tlb_flush_ipa(u64 vttbr, u64 ipa)
{
	sim_log.tlb_flushes_ipa++;
	sim_log.last_flush_vttbr = vttbr;
	sim_log.last_flush_ipa = ipa;
}

static inline void hw_pte_publish(void)
{
	sim_log.pte_publishes++;
}

static inline void hw_isb(void)
{
	sim_log.isbs++;
}

static inline void hw_profiling_sync(void)
{
	sim_log.profiling_syncs++;
}

static inline void hw_trace_sync(void)
{
	sim_log.trace_syncs++;
}

static inline void hw_error_sync(void)
{
	sim_log.error_syncs++;
}

/* The window clobbers the exception state, as a taken SError would. */
static inline bool hw_serror_window(void)
{
	bool taken = sim_log.serror_in_window;

	sim_log.serror_windows++;
	if (taken) {
		sim_hw.elr_el2 = sim_hw.spsr_el2 = ~0ULL;
		sim_hw.esr_el2 = sim_hw.far_el2 = ~0ULL;
		sim_hw.isr_el1 &= ~(1UL << 8);
	}
	sim_log.serror_in_window = false;
	return taken;
}

/* The simulated guest's VA -> PA: sim_hw.guest_pa if set, else none. */
static inline bool hw_guest_va_to_pa(u64 va, bool el0, u64 *pa)
{
	if (!sim_hw.guest_pa)
		return false;
	*pa = sim_hw.guest_pa + (va & 0xfffUL);
	return true;
}

static inline u64 hw_dbg_read(unsigned int kind, unsigned int n)
{
	return sim_hw.dbg[kind][n];
}

static inline void hw_dbg_write(unsigned int kind, unsigned int n, u64 val)
{
	sim_hw.dbg[kind][n] = val;
}

static inline u64 hw_ich_lr_read(unsigned int n)
{
	return sim_hw.ich_lr[n];
}

static inline void hw_ich_lr_write(unsigned int n, u64 val)
{
	hw_write(ich_lr[n], val);
}

static inline u64 hw_ich_apr_read(unsigned int grp, unsigned int n)
{
	return sim_hw.ich_apr[grp][n];
}

static inline void hw_ich_apr_write(unsigned int grp, unsigned int n, u64 val)
{
	hw_write(ich_apr[grp][n], val);
}

static inline u64 hw_index_nospec(u64 idx, u64 size)
{
	return idx < size ? idx : 0;
}

static inline void hw_scrub_page(void *va)
{
	memset(va, 0, SKVM_PAGE_SIZE);
	sim_log.scrubs++;
}

#endif /* __SPLITKVM_HWREGS_H__ */
