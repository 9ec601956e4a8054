/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vCPU's GICv3 virtual CPU interface as the host and EL2 share it. The
 * host keeps the interrupt state (host/vgic*.c) and fills the list
 * registers before a run; EL2 loads them into the hardware's virtual CPU
 * interface with the guest and saves them back when the guest exits.
 */
#ifndef __SPLITKVM_VGIC_H__
#define __SPLITKVM_VGIC_H__

#include <linux/bits.h>
#include <linux/types.h>

/* ICH_HCR_EL2 (GICv3 architecture spec): enable and maintenance requests. */
#define SKVM_ICH_HCR_EN		BIT_ULL(0)
#define SKVM_ICH_HCR_UIE	BIT_ULL(1)
#define SKVM_ICH_HCR_MAINT	GENMASK_ULL(7, 1)	/* UIE..VGrp1DIE */
/* TC, TALL0, TALL1: a VM without a vGIC traps every ICC access. */
#define SKVM_ICH_HCR_TRAP_ALL	(BIT_ULL(10) | BIT_ULL(11) | BIT_ULL(12))

/* ICH_LR<n>_EL2. */
#define SKVM_ICH_LR_VINTID	GENMASK_ULL(31, 0)
#define SKVM_ICH_LR_PINTID_SHIFT	32
#define SKVM_ICH_LR_PINTID	GENMASK_ULL(44, 32)
#define SKVM_ICH_LR_PRIO_SHIFT	48
#define SKVM_ICH_LR_PRIO	GENMASK_ULL(55, 48)
#define SKVM_ICH_LR_GROUP	BIT_ULL(60)
#define SKVM_ICH_LR_HW		BIT_ULL(61)
#define SKVM_ICH_LR_PENDING	BIT_ULL(62)
#define SKVM_ICH_LR_ACTIVE	BIT_ULL(63)
#define SKVM_ICH_LR_STATE	(SKVM_ICH_LR_PENDING | SKVM_ICH_LR_ACTIVE)
#define SKVM_ICH_LR_EOI		BIT_ULL(41)	/* EOI maintenance, HW == 0 */

/* ICH_VMCR_EL2's fields: VENG0/1, VAckCtl, VFIQEn, VCBPR, VEOIM, VBPR1/0, VPMR. */
#define SKVM_ICH_VMCR_FIELDS	0xfffc021fULL

/* ICH_VTR_EL2: list registers and priority bits of the CPUs. */
#define SKVM_ICH_VTR_NR_LR(vtr)		(((vtr) & 0x1f) + 1)
#define SKVM_ICH_VTR_PRI_BITS(vtr)	((((vtr) >> 29) & 7) + 1)

#define SKVM_VGIC_MAX_LR	16
#define SKVM_VGIC_MAX_APR	4

/**
 * struct skvm_vgic_if - one vCPU's virtual CPU interface, in a host page
 * shared with EL2 (SKVM_HC_VCPU_SHARE_GIC). EL2 reads every field once per
 * run and checks what it loads; the host writes it only while the vCPU
 * does not run.
 * @hcr: ICH_HCR_EL2 maintenance requests for the next run (host); EL2
 *	keeps only SKVM_ICH_HCR_MAINT and sets En.
 * @vmcr: ICH_VMCR_EL2: loaded at entry, saved at exit.
 * @nr_lr: list registers the host filled (EL2 loads at most the CPUs'
 *	number); EL2 saves them back at the exit and empties the hardware's.
 * @ap0r: ICH_AP0R<n>_EL2, loaded and saved like @vmcr.
 * @ap1r: ICH_AP1R<n>_EL2, likewise.
 * @lr: ICH_LR<n>_EL2.
 * @cntv_ctl: the guest's CNTV_CTL_EL0 at the exit (EL2), and
 * @cntv_cval: its CNTV_CVAL_EL0: the virtual timer's interrupt is the
 *	host's to deliver.
 * @pstate: the guest's PSTATE at the exit: whether it takes interrupts.
 */
struct skvm_vgic_if {
	u64 hcr;
	u64 vmcr;
	u64 nr_lr;
	u64 ap0r[SKVM_VGIC_MAX_APR];
	u64 ap1r[SKVM_VGIC_MAX_APR];
	u64 lr[SKVM_VGIC_MAX_LR];
	u64 cntv_ctl;
	u64 cntv_cval;
	u64 pstate;
};

#endif /* __SPLITKVM_VGIC_H__ */
