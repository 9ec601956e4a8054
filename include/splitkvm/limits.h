/* SPDX-License-Identifier: GPL-2.0-only */
/* Sizes EL2 checks every host-supplied index against. */
#ifndef __SPLITKVM_LIMITS_H__
#define __SPLITKVM_LIMITS_H__

/*
 * vmid 0 is the host; guests are 1..SKVM_MAX_VMS-1. A guest's vmid is its
 * 8-bit VMID and the owner byte of its pages, below SKVM_OWNER_HYP.
 */
#define SKVM_MAX_VMS		254
/* vCPU ids a VM may have (KVM's KVM_MAX_VCPUS on arm64). */
#define SKVM_MAX_VCPUS		512
#define SKVM_HOST_VMID		0

#define SKVM_PAGE_SHIFT		12
#define SKVM_PAGE_SIZE		(1UL << SKVM_PAGE_SHIFT)
#define SKVM_MIN_IPA_BITS	32
/* Chunks a VM's stage-2 table pool may have (each from VM_ADD_POOL). */
#define SKVM_POOL_CHUNKS	16
#define SKVM_MAX_IPA_BITS	48

#endif /* __SPLITKVM_LIMITS_H__ */
