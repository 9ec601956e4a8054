/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The KVM API on splitkvm (/dev/kvm): the objects behind the system, VM
 * and vCPU file descriptors. Host only.
 *
 * Lifetimes: a VM lives while its fd or any of its vCPU fds (each holds a
 * reference) does; the last put destroys the EL2 VM, then unpins the pages
 * the guest had (EL2 scrubbed them first).
 * Locks: kvm->lock guards the memslots, the vCPU table and the pinned
 * pages; a vCPU's lock serialises its ioctls (KVM_RUN included). Order:
 * vcpu->lock, then kvm->lock.
 */
#ifndef __SPLITKVM_HOST_KVM_H__
#define __SPLITKVM_HOST_KVM_H__

#include <linux/kref.h>
#include <linux/signal.h>
#include <linux/kvm.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include "splitkvm.h"

#define SKVM_KVM_MEMSLOTS	32
/*
 * The first stage-2 table pool: tables for 128 MiB of guest RAM (one per
 * 2 MiB); it grows by 2 MiB chunks when a map runs out (up to ~15 GiB).
 */
#define SKVM_KVM_POOL_ORDER	6
#define SKVM_KVM_MAX_IPA_BITS	splitkvm_ipa_limit()
/* Pages a stage-2 fault maps at once: the faulting one and those after. */
#define SKVM_KVM_FAULT_AROUND	16

/* Statistics (KVM_GET_STATS_FD), one u64 counter each. */
enum skvm_vm_stat {
	SKVM_VM_STAT_PAGES_MAPPED,
	SKVM_VM_STAT_PAGES_UNMAPPED,
	SKVM_VM_NR_STATS,
};

enum skvm_vcpu_stat {
	SKVM_VCPU_STAT_EXITS,
	SKVM_VCPU_STAT_HVC,
	SKVM_VCPU_STAT_WFE,
	SKVM_VCPU_STAT_WFI,
	SKVM_VCPU_STAT_MMIO_USER,
	SKVM_VCPU_STAT_SIGNAL,
	SKVM_VCPU_STAT_IRQ,
	SKVM_VCPU_STAT_FAULT,
	SKVM_VCPU_STAT_SYSREG_UNDEF,
	SKVM_VCPU_STAT_HALT_WAKEUP,
	SKVM_VCPU_STAT_HALT_POLL,	/* never polls: stays 0 */
	SKVM_VCPU_NR_STATS,
};

/*
 * @dirty: with KVM_MEM_LOG_DIRTY_PAGES, one bit per page written since the
 * last KVM_GET_DIRTY_LOG.
 */
struct skvm_memslot {
	u64 gpa;
	u64 size;		/* 0: the slot is free */
	u64 uaddr;
	u32 flags;
	unsigned long *dirty;
};

struct skvm_kvm {
	struct kref ref;
	struct mutex lock;
	struct splitkvm_vm *vm;
	struct mm_struct *mm;
	u32 ipa_bits;
	bool system_suspend;	/* KVM_CAP_ARM_SYSTEM_SUSPEND enabled */
	struct skvm_memslot slots[SKVM_KVM_MEMSLOTS];
	struct skvm_kvm_vcpu *vcpus[SKVM_MAX_VCPUS];
	struct xarray pins;	/* gfn -> the pinned page the guest has */
	u64 stats[SKVM_VM_NR_STATS];
};

struct skvm_kvm_vcpu {
	struct skvm_kvm *kvm;
	struct splitkvm_vcpu *vcpu;
	struct kvm_run *run;
	struct mutex lock;
	u32 id;
	bool inited;
	bool power_off;		/* PSCI CPU_OFF, or not yet CPU_ON'd */
	bool kick;		/* wakes a WFI */
	/* CPU_ON from another vCPU: where this one starts (kvm->lock). */
	bool pending_on;
	u64 on_pc;
	u64 on_ctx;
	wait_queue_head_t wait;
	u64 spsr32[KVM_NR_SPSR - 1];	/* AArch32 banked SPSRs: kept only */
	/* The last exit was an MMIO read the VMM completes in run->mmio. */
	bool mmio_read_pending;
	u32 mmio_reg;
	u32 mmio_len;
	bool mmio_sign_extend;
	bool mmio_reg_64bit;
	u64 stats[SKVM_VCPU_NR_STATS];
	/* KVM_SET_SIGNAL_MASK: the signal mask while in KVM_RUN. */
	bool sigset_active;
	sigset_t sigset;
};

int skvm_kvm_dev_init(void);
void skvm_kvm_dev_exit(void);
int skvm_kvm_create_vm(unsigned long type);
long skvm_kvm_check_extension(struct skvm_kvm *kvm, long cap);
int skvm_kvm_create_vcpu(struct skvm_kvm *kvm, unsigned long id);
void skvm_kvm_put(struct skvm_kvm *kvm);
void skvm_kvm_free_vcpus(struct skvm_kvm *kvm);
int skvm_kvm_fault_in(struct skvm_kvm *kvm, u64 ipa, bool write,
		      bool *handled);
struct skvm_kvm_vcpu *skvm_kvm_vcpu_by_mpidr(struct skvm_kvm *kvm, u64 mpidr);
long skvm_vcpu_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int skvm_kvm_vm_stats_fd(struct skvm_kvm *kvm);
int skvm_kvm_vcpu_stats_fd(struct skvm_kvm_vcpu *v);
int skvm_vcpu_mmap(struct file *file, struct vm_area_struct *vma);
int skvm_vcpu_release(struct inode *inode, struct file *file);

#endif /* __SPLITKVM_HOST_KVM_H__ */
