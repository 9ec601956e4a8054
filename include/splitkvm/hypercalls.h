/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host -> EL2 call ABI. Every call is "hvc #0" with the function ID in
 * x0 and arguments in x1..x5. On return x0 is an SMCCC status (0 on
 * success), x1 the positive errno behind a failure (or the first result),
 * x2.. further results.
 *
 * x0 < 4 is the Linux hyp-stub ABI (arch/arm64/include/asm/virt.h) and keeps
 * working while splitkvm owns EL2, so kexec still finds its way back.
 */
#ifndef __SPLITKVM_HYPERCALLS_H__
#define __SPLITKVM_HYPERCALLS_H__

#include <linux/const.h>

/* SMCCC 1.1: fast call, SMC64, owner 6 = vendor-specific hypervisor. */
#define SKVM_HC_BASE		_AC(0xc6000000, UL)
#define SKVM_HC_ID(nr)		(SKVM_HC_BASE | (nr))

/* Linux hyp-stub calls we keep answering. */
#define SKVM_STUB_SET_VECTORS	0
#define SKVM_STUB_SOFT_RESTART	1
#define SKVM_STUB_RESET_VECTORS	2
#define SKVM_STUB_FINALISE_EL2	3
#define SKVM_STUB_NR		4
#define SKVM_STUB_ERR		_AC(0xbadca11, UL)

/* SMCCC return codes at the HVC edge. */
#define SKVM_SMCCC_SUCCESS		0
#define SKVM_SMCCC_NOT_SUPPORTED	_AC(-1, L)
#define SKVM_SMCCC_INVALID_PARAMETER	_AC(-3, L)

/*
 * VM_CREATE flags: the guest's memory is the host's too (a KVM-API VM, whose
 * VMM reads and writes guest RAM); pages that leave it are not scrubbed.
 */
#define SKVM_VM_SHARED_MEM	_AC(1, UL)

/* STAGE2_MAP flags: read-only; one 2 MiB block (IPA and PA 2 MiB aligned). */
#define SKVM_S2_READONLY	_AC(1, UL)
#define SKVM_S2_BLOCK		_AC(2, UL)

#ifndef __ASSEMBLY__
/**
 * enum skvm_hcall - host -> hyp calls (the low 16 bits of the function ID).
 * @SKVM_HC_PING: x1 = cookie; returns x1 = ~cookie, x2 = this CPU's index.
 * @SKVM_HC_VM_CREATE: x1 = PA of page-aligned pages donated for the VM
 *	(the stage-2 root table, then EL2's VM: HYP_VM_SIZE bytes, 8 per vCPU
 *	id and 4 per CPU), x2 = their number (at most 64), x3 = IPA bits,
 *	x4 = flags (SKVM_VM_SHARED_MEM), x5 = vCPU ids (1..SKVM_MAX_VCPUS);
 *	returns x1 = vmid. The VM has no stage-2 table pool until ADD_POOL.
 * @SKVM_HC_VM_ADD_POOL: x1 = vmid, x2 = PA, x3 = pages: donated pages for
 *	the VM's stage-2 tables (at most SKVM_POOL_CHUNKS chunks in all).
 * @SKVM_HC_VM_DESTROY: x1 = vmid. No vCPU of it runs again; its pages stay
 *	the guest's until reclaimed.
 * @SKVM_HC_VM_RECLAIM: x1 = vmid of a destroyed VM. Scrubs and gives back a
 *	bounded batch of its pages (its vCPUs' and its own last); returns
 *	x1 = 1 while more are left, 0 once the VM is gone. EBUSY while a vCPU
 *	of it still runs.
 * @SKVM_HC_VCPU_CREATE: x1 = vmid, x2 = vcpuid, x3 = PA of page-aligned
 *	pages donated for it (HYP_VCPU_SIZE bytes), x4 = their number (at
 *	most 16).
 * @SKVM_HC_VCPU_GET_REG: x1 = vmid, x2 = vcpuid, x3 = enum skvm_reg_id;
 *	returns x1 = value.
 * @SKVM_HC_VCPU_SET_REG: x1 = vmid, x2 = vcpuid, x3 = reg id, x4 = value.
 * @SKVM_HC_STAGE2_MAP: x1 = vmid, x2 = IPA, x3 = PA of a host page to give
 *	to the guest (one 4 KiB page, normal memory, RWX), x4 = flags
 *	(SKVM_S2_READONLY: the guest may not write it; SKVM_S2_BLOCK: the 512
 *	pages from PA at the 2 MiB from IPA, one level-2 block).
 * @SKVM_HC_STAGE2_PROTECT: x1 = vmid, x2 = IPA of a mapped page, x3 = 1 to
 *	let the guest write it, 0 to stop it (every TLB updated).
 * @SKVM_HC_STAGE2_UNMAP: x1 = vmid, x2 = IPA of a page the guest has; the
 *	page (all of a block that maps it) leaves its stage 2 (TLBs
 *	invalidated on every CPU) and goes back to the host, scrubbed unless
 *	the VM shares its memory with the host.
 * @SKVM_HC_VCPU_RUN: x1 = vmid, x2 = vcpuid, x3 = SKVM_RUN_* flags;
 *	returns the exit as x1 = enum skvm_exit_reason, x2 = ESR_EL2,
 *	x3 = FAR_EL2, x4 = IPA, x5 = decoded access (SKVM_ACCESS_*),
 *	x6 = data, x7 = SKVM_EXIT_F_* flags.
 * @SKVM_HC_STAGE2_AGE: x1 = vmid, x2 = IPA of a page the guest has, x3 = 1
 *	to clear its access flag, 0 to look; returns x1 = 1 if the guest used
 *	it (or its block) since the flag was last cleared.
 * @SKVM_HC_VCPU_SHARE_GIC: x1 = vmid, x2 = vcpuid, x3 = PA of a host page
 *	the vCPU's GICv3 virtual CPU interface lives in from now on (struct
 *	skvm_vgic_if, shared with EL2 until the VM is reclaimed); returns
 *	x1 = ICH_VTR_EL2.
 * @SKVM_HC_NR: number of calls.
 */
enum skvm_hcall {
	SKVM_HC_PING,
	SKVM_HC_VM_CREATE,
	SKVM_HC_VM_ADD_POOL,
	SKVM_HC_VM_DESTROY,
	SKVM_HC_VM_RECLAIM,
	SKVM_HC_VCPU_CREATE,
	SKVM_HC_VCPU_GET_REG,
	SKVM_HC_VCPU_SET_REG,
	SKVM_HC_STAGE2_MAP,
	SKVM_HC_STAGE2_UNMAP,
	SKVM_HC_STAGE2_PROTECT,
	SKVM_HC_VCPU_RUN,
	SKVM_HC_STAGE2_AGE,
	SKVM_HC_VCPU_SHARE_GIC,
	SKVM_HC_NR,
};
#endif

#endif /* __SPLITKVM_HYPERCALLS_H__ */
