/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The KVM API on splitkvm (/dev/kvm): the objects behind the system, VM
 * and vCPU file descriptors. Host only.
 *
 * Lifetimes: a VM lives while its fd or any of its vCPU fds (each holds a
 * reference) does; the last put destroys the EL2 VM, then unpins the pages
 * the guest had (EL2 scrubbed them first).
 * Locks: kvm->lock guards the memslots and the vCPU table, kvm->mmu_lock
 * the pinned pages and the stage-2 map (kvm-vm.c); a vCPU's lock
 * serialises its ioctls (KVM_RUN included). Order: vcpu->lock, kvm->lock,
 * kvm->mmu_lock.
 */
#ifndef __SPLITKVM_HOST_KVM_H__
#define __SPLITKVM_HOST_KVM_H__

#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/smp.h>
#include <linux/mmu_notifier.h>
#include <linux/signal.h>
#include <linux/kvm.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <uapi/linux/psci.h>
#include <splitkvm/boot.h>
#include "splitkvm.h"
#include "vgic.h"

#define SKVM_KVM_MEMSLOTS	32
/*
 * The first stage-2 table pool: tables for 128 MiB of guest RAM (one per
 * 2 MiB); it grows by 2 MiB chunks when a map runs out (up to ~15 GiB).
 */
#define SKVM_KVM_POOL_ORDER	6
#define SKVM_KVM_MAX_IPA_BITS	splitkvm_ipa_limit()
/* Pages a stage-2 fault maps at once: the faulting one and those after. */
#define SKVM_KVM_FAULT_AROUND	16

/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2: both of its flags. */
#define SKVM_DIRTY_LOG_MANUAL_CAPS	(KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | \
					 KVM_DIRTY_LOG_INITIALLY_SET)

/* Registers only ONE_REG reaches (kvm-regs.c): 64 debug, 8 others. */
#define SKVM_KVM_NR_KEPT	72
/* The firmware bitmaps (KVM_REG_ARM_*_BMAP): standard, standard hyp, vendor. */
#define SKVM_FW_NR_BMAPS	3

/* KVM_REG_ARM_PSCI_VERSION values. */
#define SKVM_PSCI_0_2		PSCI_VERSION(0, 2)
#define SKVM_PSCI_1_0		PSCI_VERSION(1, 0)
#define SKVM_PSCI_1_1		PSCI_VERSION(1, 1)

/* The SMCCC filter: function ids [first, last] and what becomes of them. */
struct skvm_smccc_range {
	u32 first;
	u32 last;
	u8 action;		/* enum kvm_smccc_filter_action */
};

#define SKVM_SMCCC_FILTER_MAX	256

/* Coalesced MMIO: the ring's page in a vCPU mmap, and zones per VM (KVM's). */
#define SKVM_COALESCED_PAGE		1
#define SKVM_COALESCED_ZONES_MAX	100

/* Statistics (KVM_GET_STATS_FD), one u64 counter each. */
enum skvm_vm_stat {
	SKVM_VM_STAT_PAGES_MAPPED,
	SKVM_VM_STAT_PAGES_UNMAPPED,
	SKVM_VM_STAT_BLOCKS_MAPPED,
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

/* The arch timers KVM names: vtimer, ptimer, hvtimer, hptimer. */
#define SKVM_NR_TIMERS		4

struct skvm_kvm {
	struct kref ref;
	struct mutex lock;
	struct splitkvm_vm *vm;
	struct mm_struct *mm;
	u32 ipa_bits;
	bool system_suspend;	/* KVM_CAP_ARM_SYSTEM_SUSPEND enabled */
	bool has_run;		/* a vCPU entered KVM_RUN: bitmaps are fixed */
	/* The timers' PPIs, by KVM_ARM_VCPU_TIMER_IRQ_* (kvm-timer.c). */
	u32 timer_ppi[SKVM_NR_TIMERS];
	/* KVM_ARM_SET_COUNTER_OFFSET: both counters lag by counter_offset. */
	bool counter_offset_set;
	u64 counter_offset;
	u64 cntpoff;		/* the guests' physical counter lags by this */
	u64 cntvoff;		/* and the virtual one (EL2's, mirrored) */
	u32 manual_dirty_log;	/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 flags */
	u32 psci_version;	/* KVM_REG_ARM_PSCI_VERSION */
	u64 fw_bmap[SKVM_FW_NR_BMAPS];	/* the hypercalls the guest has */
	/* The guests' ID registers, CTR_EL0 and CLIDR_EL1 (kvm-regs.c). */
	u64 id_regs[SKVM_NR_ID_REGS];
	u64 ctr;
	u64 clidr;
	struct skvm_smccc_range *filter;	/* KVM_ARM_VM_SMCCC_FILTER */
	unsigned int nr_filter;
	/* Coalesced MMIO (kvm-coalesced-mmio.c): the ring and its zones. */
	struct kvm_coalesced_mmio_ring *coalesced_ring;
	spinlock_t coalesced_lock;
	unsigned int nr_zones;
	struct kvm_coalesced_mmio_zone zones[SKVM_COALESCED_ZONES_MAX];
	struct skvm_memslot slots[SKVM_KVM_MEMSLOTS];
	struct skvm_kvm_vcpu *vcpus[SKVM_MAX_VCPUS];
	struct xarray pins;	/* gfn -> the pinned page the guest has */
	/* 2 MiB block (gfn >> 9) -> its first page: 512 pins, one EL2 map. */
	struct xarray blocks;
	/* The MMU notifier and the map (see kvm-vm.c for the locking). */
	struct mmu_notifier mn;
	struct mutex mmu_lock;
	spinlock_t mmu_seq_lock;
	u64 mmu_seq;
	unsigned int mmu_invalidating;
	u64 stats[SKVM_VM_NR_STATS];
	struct skvm_vgic vgic;		/* KVM_DEV_TYPE_ARM_VGIC_V3 */
	struct list_head ioeventfds;	/* kvm-ioeventfd.c */
	spinlock_t ioeventfd_lock;
	struct list_head irqfds;	/* kvm-irqfd.c */
	spinlock_t irqfd_lock;
	u32 *gsi_routes;		/* GSI -> SPI pin; NULL: KVM's default */
	u32 nr_vcpus;			/* vCPUs created */
	/* The vCPUs in the order they were created (redistributor frames). */
	struct skvm_kvm_vcpu *by_idx[SKVM_MAX_VCPUS];
};

struct skvm_kvm_vcpu {
	struct skvm_kvm *kvm;
	struct splitkvm_vcpu *vcpu;
	struct kvm_run *run;
	struct mutex lock;
	u32 id;
	u32 idx;		/* created idx-th in its VM */
	bool inited;
	bool power_off;		/* PSCI CPU_OFF, or not yet CPU_ON'd */
	bool kick;		/* wakes a WFI */
	/* CPU_ON from another vCPU: where this one starts (kvm->lock). */
	bool pending_on;
	u64 on_pc;
	u64 on_ctx;
	wait_queue_head_t wait;
	u64 spsr32[KVM_NR_SPSR - 1];	/* AArch32 banked SPSRs: kept only */
	u64 kept[SKVM_KVM_NR_KEPT];
	/* PV time: the stolen-time record's IPA (~0: none), run_delay seen. */
	u64 pvtime_ipa;
	u64 last_steal;
	bool steal_on;		/* the guest asked for it (PV_TIME_ST) */
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
	/* The host CPU it runs on while in the guest, or -1 (vgic.c kicks). */
	int running_cpu;
	call_single_data_t kick_csd;
	struct skvm_vgic_cpu gic;
	/* The emulated EL1 physical timer (kvm-timer.c). */
	u64 ptimer_ctl;
	u64 ptimer_cval;
	struct hrtimer ptimer;
	struct hrtimer wfi_timer;
	struct hrtimer recheck;
};

static inline u64 skvm_vcpu_get(struct skvm_kvm_vcpu *v, u32 reg, int *err)
{
	u64 val = 0;
	int ret = splitkvm_vcpu_get_reg(v->vcpu, reg, &val);

	if (ret && !*err)
		*err = ret;
	return val;
}

static inline void skvm_vcpu_set(struct skvm_kvm_vcpu *v, u32 reg, u64 val,
				 int *err)
{
	int ret = splitkvm_vcpu_set_reg(v->vcpu, reg, val);

	if (ret && !*err)
		*err = ret;
}

u64 skvm_vcpu_mpidr(struct skvm_kvm_vcpu *v);
int skvm_vgic_vcpu_init(struct skvm_kvm_vcpu *v);
int skvm_vgic_map(struct skvm_kvm *kvm);
void skvm_vgic_free(struct skvm_kvm *kvm);
bool skvm_vgic_mmio(struct skvm_kvm_vcpu *v, u64 gpa, unsigned int len,
		    bool write, u64 *val);
struct skvm_kvm_vcpu *skvm_vgic_rdist_vcpu(struct skvm_kvm *kvm, u64 gpa,
					   u64 *off);
u64 skvm_vgic_rdist_base(struct skvm_kvm *kvm, u32 idx, bool *last);
void skvm_vgic_kick(struct skvm_kvm_vcpu *v);
void skvm_vcpu_gic_flush(struct skvm_kvm_vcpu *v);
void skvm_vcpu_gic_fold(struct skvm_kvm_vcpu *v);
bool skvm_vcpu_gic_pending(struct skvm_kvm_vcpu *v);
int skvm_kvm_create_device(struct skvm_kvm *kvm, struct kvm_create_device *cd);
int skvm_vgic_irq_line(struct skvm_kvm *kvm, u32 irq, bool level);
bool skvm_vgic_uaccess(struct skvm_kvm_vcpu *v, bool dist, u32 off, bool write,
		       u64 *val);
void skvm_vtimer_load(bool active);
void skvm_vtimer_recheck(struct skvm_kvm_vcpu *v);
bool skvm_ptimer_level(struct skvm_kvm_vcpu *v);
void skvm_ptimer_update(struct skvm_kvm_vcpu *v);
void skvm_ptimers_update(struct skvm_kvm *kvm);
u64 skvm_ptimer_access(struct skvm_kvm_vcpu *v, unsigned int op2, bool read,
		       u64 val);
int skvm_vgic_wfi(struct skvm_kvm_vcpu *v);
int skvm_emulate_sysreg(struct skvm_kvm_vcpu *v, u64 iss);
void skvm_timer_vcpu_init(struct skvm_kvm_vcpu *v);
void skvm_timer_vcpu_destroy(struct skvm_kvm_vcpu *v);
bool skvm_vgic_host_ready(void);
bool skvm_vtimer_firing(struct skvm_kvm_vcpu *v);
u64 skvm_guest_vcount(struct skvm_kvm_vcpu *v);
int skvm_vgic_host_init(void);
void skvm_vgic_host_exit(void);
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
int skvm_one_reg(struct skvm_kvm_vcpu *v, const struct kvm_one_reg *r,
		 bool write);
int skvm_get_reg_list(struct skvm_kvm_vcpu *v, void __user *uarg);
void skvm_kept_regs_reset(struct skvm_kvm_vcpu *v, int *err);
int skvm_counter_offset_sync(struct skvm_kvm_vcpu *v);
void skvm_timer_init(struct skvm_kvm *kvm);
long skvm_timer_attr(struct skvm_kvm_vcpu *v, unsigned int cmd,
		     const struct kvm_device_attr *attr);
void skvm_id_regs_init(struct skvm_kvm *kvm);
int skvm_id_regs_first_run(struct skvm_kvm_vcpu *v);
int skvm_id_writable_masks(void __user *uarg);
u64 skvm_fw_bmap_offered(unsigned int bmap);
void skvm_fw_init(struct skvm_kvm *kvm);
void skvm_fw_vcpu_reset(struct skvm_kvm_vcpu *v);
int skvm_handle_hypercall(struct skvm_kvm_vcpu *v, bool smc);
int skvm_fw_sync_el2(struct skvm_kvm_vcpu *v);
long skvm_vm_attr(struct skvm_kvm *kvm, unsigned int cmd, void __user *uarg);
long skvm_vcpu_attr(struct skvm_kvm_vcpu *v, unsigned int cmd,
		    void __user *uarg);
void skvm_steal_update(struct skvm_kvm_vcpu *v);
u64 skvm_kvm_gpa_uaddr(struct skvm_kvm *kvm, u64 gpa, u64 len);
void skvm_irqfd_init(struct skvm_kvm *kvm);
void skvm_irqfd_free(struct skvm_kvm *kvm);
long skvm_irqfd(struct skvm_kvm *kvm, const struct kvm_irqfd *a);
long skvm_set_gsi_routing(struct skvm_kvm *kvm, void __user *uarg);
void skvm_irqfd_eoi(struct skvm_kvm *kvm, u32 intid);
void skvm_ioeventfd_init(struct skvm_kvm *kvm);
void skvm_ioeventfd_free(struct skvm_kvm *kvm);
long skvm_ioeventfd(struct skvm_kvm *kvm, const struct kvm_ioeventfd *args);
bool skvm_ioeventfd_write(struct skvm_kvm *kvm, u64 addr, u32 len, u64 val);
int skvm_coalesced_init(struct skvm_kvm *kvm);
void skvm_coalesced_free(struct skvm_kvm *kvm);
long skvm_coalesced_zone(struct skvm_kvm *kvm, bool add,
			 const struct kvm_coalesced_mmio_zone *z);
bool skvm_coalesced_write(struct skvm_kvm *kvm, u64 addr, u32 len,
			  const void *data);

#endif /* __SPLITKVM_HOST_KVM_H__ */
