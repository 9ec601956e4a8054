/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host-side API of splitkvm: install EL2, and create, run and destroy
 * VMs through it. The KVM ioctl layer and the EL2 KUnit suites sit on this.
 */
#ifndef __SPLITKVM_HOST_H__
#define __SPLITKVM_HOST_H__

#include <linux/mutex.h>
#include <linux/types.h>
#include <splitkvm/exit.h>
#include <splitkvm/hypercalls.h>
#include <splitkvm/limits.h>
#include <splitkvm/regs.h>
#include <splitkvm/vgic.h>

struct splitkvm_vm;

/* An MMIO access, decoded from a data abort outside guest RAM. */
struct splitkvm_mmio {
	u64 ipa;
	u32 size;		/* bytes: 1, 2, 4 or 8 */
	u32 reg;		/* Rt; 31 = xzr */
	bool is_write;
	bool sign_extend;
	bool reg_is_64bit;
	u64 data;		/* the value written (writes only) */
};

enum splitkvm_exit_kind {
	SPLITKVM_EXIT_HVC,
	SPLITKVM_EXIT_SMC,
	SPLITKVM_EXIT_MMIO,
	SPLITKVM_EXIT_WFX,
	SPLITKVM_EXIT_SYSREG,
	SPLITKVM_EXIT_IRQ,
	SPLITKVM_EXIT_FAULT,	/* stage-2 fault in RAM, or no syndrome */
	SPLITKVM_EXIT_DEBUG,	/* for the caller's debugger (debug_flags) */
	SPLITKVM_EXIT_OTHER,
};

struct splitkvm_vcpu_exit {
	enum splitkvm_exit_kind kind;
	struct skvm_exit raw;
	struct splitkvm_mmio mmio;
};

/*
 * @el2: the pages donated for EL2's vCPU (EL2's until the VM is gone).
 * @skip_insn: the last exit was MMIO, which the caller emulates: the next
 * run steps the guest over the access first.
 * @debug_flags: SKVM_RUN_DEBUG, _STEP, _HW_BP for every run (the caller's
 * debugger).
 */
struct splitkvm_vcpu {
	struct splitkvm_vm *vm;
	void *el2;
	u32 id;
	bool skip_insn;
	u64 debug_flags;
	struct splitkvm_vcpu_exit exit;
	/* Its GICv3 virtual CPU interface, shared with EL2 (NULL: none). */
	struct skvm_vgic_if *gic;
};

/* @el2: the pages donated for EL2's VM, @el2_size bytes. */
struct splitkvm_vm {
	u64 vmid;
	void *el2;
	size_t el2_size;
	u64 ram_ipa;
	u64 ram_size;
	unsigned long nr_pages;
	struct page **pages;
	struct page *pool;
	unsigned int pool_order;
	/* More stage-2 table pages, 2^extra_order each, added on demand. */
	struct page *extra_pool[SKVM_POOL_CHUNKS - 1];
	unsigned int nr_extra_pool;
	unsigned int extra_order;
	struct mutex lock;	/* guards nr_mapped and mapped */
	unsigned long nr_mapped;
	bool mapped;
	struct splitkvm_vcpu *vcpus[SKVM_MAX_VCPUS];
};

/* Raw host -> hyp call: returns 0 or -errno; @res gets x0..x7. */
int splitkvm_hcall(enum skvm_hcall nr, u64 a1, u64 a2, u64 a3, u64 a4,
		   u64 *res);
/* The same with x1..x5 from @a[0..4]. */
int splitkvm_hcall_args(enum skvm_hcall nr, const u64 *a, u64 *res);
/* Any HVC the host might issue, for fault-injection tests: x0..x7. */
void splitkvm_hvc_raw(const u64 *args, u64 *res);

struct splitkvm_vm *splitkvm_vm_create(u64 ram_ipa, u64 ram_size,
				       u32 ipa_bits);
struct splitkvm_vm *splitkvm_vm_create_empty(u32 ipa_bits,
					     unsigned int pool_order);
int splitkvm_vm_map(struct splitkvm_vm *vm, u64 ipa, struct page *page,
		    bool writable);
int splitkvm_vm_map_block(struct splitkvm_vm *vm, u64 ipa, struct page *page,
			  bool writable);
int splitkvm_vm_unmap(struct splitkvm_vm *vm, u64 ipa);
int splitkvm_vm_protect(struct splitkvm_vm *vm, u64 ipa, bool writable);
int splitkvm_vm_age(struct splitkvm_vm *vm, u64 ipa, bool clear);
int splitkvm_vm_grow_pool(struct splitkvm_vm *vm);
int splitkvm_vm_destroy(struct splitkvm_vm *vm);
int splitkvm_vm_write(struct splitkvm_vm *vm, u64 ipa, const void *src,
		      size_t len);
int splitkvm_vm_seal(struct splitkvm_vm *vm);
struct splitkvm_vcpu *splitkvm_vcpu_create(struct splitkvm_vm *vm, u32 id);
int splitkvm_vcpu_share_gic(struct splitkvm_vcpu *vcpu, u64 *vtr);
int splitkvm_vcpu_set_reg(struct splitkvm_vcpu *vcpu, u32 reg, u64 val);
int splitkvm_vcpu_get_reg(struct splitkvm_vcpu *vcpu, u32 reg, u64 *val);
int splitkvm_vcpu_run(struct splitkvm_vcpu *vcpu);
int __splitkvm_vcpu_run(struct splitkvm_vcpu *vcpu);

/* EL2 installation (host/el2-install.c). */
int splitkvm_el2_init(void);
void splitkvm_el2_exit(void);
void splitkvm_clean_poc(const void *va, size_t size);
u32 splitkvm_ipa_limit(void);
bool splitkvm_has_gicv3(void);
u64 splitkvm_guest_id_reg(unsigned int idx);

/* What an SMCCC ARCH_WORKAROUND call does for a guest on this host. */
enum splitkvm_wa_state {
	SPLITKVM_WA_VULNERABLE,	/* the CPUs need it, nothing provides it */
	SPLITKVM_WA_MITIGATED,	/* EL2 does it on every guest exit */
	SPLITKVM_WA_UNAFFECTED,	/* the CPUs do not need it */
};
enum splitkvm_wa_state splitkvm_guest_wa_state(u32 fn);

#endif /* __SPLITKVM_HOST_H__ */
