/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hyp image as the host loads it: a header the linker script writes at
 * offset 0, and the boot parameters the host fills in before the first CPU
 * enters EL2. After that the host never writes the image again.
 */
#ifndef __SPLITKVM_BOOT_H__
#define __SPLITKVM_BOOT_H__

#include <linux/types.h>

#define SKVM_IMAGE_MAGIC	0x4d564b54494c5053ULL	/* "SPLITKVM" */

/*
 * The ID registers HCR_EL2.TID3 traps: op0 = 3, op1 = 0, CRn = 0,
 * CRm = 1..7, indexed by CRm and op2 (entries 0..7 are unused).
 */
#define SKVM_NR_ID_REGS			64
#define SKVM_ID_REG_INDEX(crm, op2)	(((crm) << 3) | (op2))

/**
 * struct skvm_image_header - written by hyp/hyp.lds; all fields are offsets
 * from the start of the image (it is linked at 0).
 * @magic: SKVM_IMAGE_MAGIC.
 * @size: bytes to allocate, bss included, page aligned.
 * @text_end: end of the executable pages (text starts after the header page).
 * @ro_end: end of the read-only pages (rodata and relocations).
 * @rela_start: first Elf64_Rela (only R_AARCH64_RELATIVE are allowed).
 * @rela_end: end of the relocations.
 * @init_entry: EL2 entry point for HVC_SOFT_RESTART, MMU off.
 * @boot: the struct skvm_boot the host fills in.
 */
struct skvm_image_header {
	u64 magic;
	u64 size;
	u64 text_end;
	u64 ro_end;
	u64 rela_start;
	u64 rela_end;
	u64 init_entry;
	u64 boot;
};

/* The fine-grained trap registers: HFGRTR, HFGWTR, HFGITR, HDFGRTR, HDFGWTR. */
#define SKVM_NR_FGT		5

/**
 * struct skvm_guest_el2 - what EL2 loads for every guest besides its
 * context, and which optional state the CPUs have. Computed by the host
 * at install; EL2 keeps its own copy.
 * @hcr: HCR_EL2 for guests.
 * @cptr: CPTR_EL2 for guests.
 * @mdcr_traps: MDCR_EL2 trap bits for guests (HPMN is the host's).
 * @pmuserenr: PMUSERENR_EL0 while a guest runs.
 * @hcrx: HCRX_EL2 for guests, if @has_hcrx.
 * @fgt: the fine-grained trap registers for guests, if @has_fgt.
 * @ich_hcr: ICH_HCR_EL2 for guests, trapping their GIC CPU interface
 *	accesses (0 without a GICv3 system register interface).
 * @has_pmu: the CPUs implement PMUv3 (PMSELR/PMUSERENR exist).
 * @has_hcrx: FEAT_HCX.
 * @has_fgt: FEAT_FGT.
 * @has_spe: FEAT_SPE (PMSCR_EL1 exists).
 * @has_trf: FEAT_TRF (TRFCR_EL1 exists).
 * @has_ras: FEAT_RAS and FEAT_IESB: SCTLR_EL2.IESB is set, DISR_EL1 and
 *	VDISR_EL2 exist.
 * @has_sme: FEAT_SME (SVCR exists).
 * @switch_tpidr2: TPIDR2_EL0 exists and FGT cannot trap it (SME, no FGT).
 * @nr_brps: breakpoints the CPUs have (ID_AA64DFR0_EL1.BRPs + 1).
 * @nr_wrps: watchpoints the CPUs have (ID_AA64DFR0_EL1.WRPs + 1).
 * @id_regs: what guests read from the ID registers.
 */
struct skvm_guest_el2 {
	u64 hcr;
	u64 cptr;
	u64 mdcr_traps;
	u64 pmuserenr;
	u64 hcrx;
	u64 fgt[SKVM_NR_FGT];
	u64 ich_hcr;
	u64 has_pmu;
	u64 has_hcrx;
	u64 has_fgt;
	u64 has_spe;
	u64 has_trf;
	u64 has_ras;
	u64 has_sme;
	u64 switch_tpidr2;
	u64 nr_brps;
	u64 nr_wrps;
	u64 id_regs[SKVM_NR_ID_REGS];
};

/**
 * struct skvm_boot - filled by the host before install; read by EL2 with
 * the MMU off (so the host cleans it to the PoC), and copied once.
 * @ttbr0: EL2 stage-1 root table (PA).
 * @tcr: TCR_EL2.
 * @mair: MAIR_EL2.
 * @sctlr: SCTLR_EL2 with the MMU on.
 * @guest: the guests' EL2 configuration and the CPUs' optional state.
 * @bhb_loop: Spectre-BHB loop count on guest exit (0: none needed).
 * @fw_workaround: SMCCC function ID of the firmware branch-predictor
 *	workaround to call on guest exit over SMC (0: none).
 * @pa_bits: physical address size of the CPUs (ID_AA64MMFR0_EL1.PARange).
 * @ram_base: first byte of the lowest RAM range.
 * @ram_pages: pages from ram_base to the end of the highest RAM range.
 * @owner_pa: PA of one byte per page of that span (enum skvm_page_owner),
 *	filled in by the host: HOST for RAM, HYP for the hyp's own pages and
 *	NONE for holes.
 * @nr_cpus: CPU records EL2 has: the host's CPU numbers are 0..nr_cpus-1.
 * @cpus_pa: PA of nr_cpus zeroed records of HYP_CPU_SIZE bytes each, and
 * @stacks_pa: of nr_cpus stacks of 1 << HYP_STACK_SHIFT bytes each: pages
 *	the host gave to the hyp (owner HYP) for good.
 */
struct skvm_boot {
	u64 ttbr0;
	u64 tcr;
	u64 mair;
	u64 sctlr;
	struct skvm_guest_el2 guest;
	u64 bhb_loop;
	u64 fw_workaround;
	u64 pa_bits;
	u64 ram_base;
	u64 ram_pages;
	u64 owner_pa;
	u64 nr_cpus;
	u64 cpus_pa;
	u64 stacks_pa;
};

/* Who owns a physical page; guests own pages by vmid (1..15). */
enum skvm_page_owner {
	SKVM_OWNER_HOST = 0,
	SKVM_OWNER_SHARED = 0xfd,	/* the host's, shared with EL2 */
	SKVM_OWNER_HYP = 0xfe,
	SKVM_OWNER_NONE = 0xff,
};

#endif /* __SPLITKVM_BOOT_H__ */
