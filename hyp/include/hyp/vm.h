/* SPDX-License-Identifier: GPL-2.0-only */
/* VM and vCPU management at EL2: plain C behind the hypercall adapters. */
#ifndef __SPLITKVM_HYP_VM_H__
#define __SPLITKVM_HYP_VM_H__

#include <splitkvm/exit.h>
#include <hyp/state.h>

int hyp_vm_create(u64 pa, u64 pages, u64 ipa_bits, u64 flags, u64 nr_vcpus,
		  u64 *vmid);
int hyp_vm_destroy(u64 vmid);
int hyp_vm_reclaim(u64 vmid, u64 *more);
int hyp_vm_add_pool(u64 vmid, u64 pa, u64 pages);
struct hyp_vm_slot *hyp_vm_slot(u64 vmid);
struct hyp_vm *hyp_vm_lock(u64 vmid, u32 state);
void hyp_vm_unlock(u64 vmid);
struct hyp_vcpu *hyp_vcpu_claim(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid);
void hyp_vcpu_release(struct hyp_cpu *cpu, struct hyp_vcpu *vcpu);
int hyp_vcpu_create(u64 vmid, u64 vcpuid, u64 pa, u64 pages);
int hyp_vcpu_share_gic(u64 vmid, u64 vcpuid, u64 pa, u64 *vtr);
int hyp_vcpu_get_reg(u64 vmid, u64 vcpuid, u64 id, u64 *val);
int hyp_vcpu_set_reg(u64 vmid, u64 vcpuid, u64 id, u64 val);
int hyp_stage2_map(u64 vmid, u64 ipa, u64 pa);
int hyp_stage2_unmap(u64 vmid, u64 ipa);
int hyp_stage2_map_prot(u64 vmid, u64 ipa, u64 pa, u64 flags);
int hyp_stage2_protect(u64 vmid, u64 ipa, u64 writable);
bool hyp_stage2_reclaim(struct hyp_vm *vm, unsigned int *budget);
int hyp_stage2_age(u64 vmid, u64 ipa, u64 clear);
bool hyp_stage2_access(u64 vmid, u64 ipa);

/*
 * Work one reclaim call may do: an empty entry skipped costs 1, a page
 * scrubbed 8, so at most 64 pages (256 KiB of stores) per call.
 */
#define SKVM_RECLAIM_BUDGET	512
#define SKVM_RECLAIM_SCRUB	8
int hyp_vcpu_run(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid, u64 flags,
		 struct skvm_exit *exit);
bool hyp_host_exception_pending(void);
bool hyp_consume_guest_serror(void);
void hyp_decode_exit(u64 code, struct skvm_exit *exit);
bool hyp_handle_exit_at_el2(struct hyp_cpu *cpu, u64 code);
void hyp_debug_enter(struct hyp_cpu *cpu, struct hyp_vcpu *vcpu, u64 flags);
void hyp_debug_exit(struct hyp_cpu *cpu, struct hyp_vcpu *vcpu,
		    const struct skvm_exit *exit);
bool hyp_debug_trap(struct hyp_cpu *cpu, struct hyp_vcpu *vcpu, u64 esr);
u64 *hyp_debug_reg(struct hyp_vcpu *vcpu, u64 id);
bool hyp_debug_oslk(struct hyp_vcpu *vcpu, u64 *val, bool write);
void hyp_skip_instr(void);
void hyp_inject_undef(void);

/* Codes __guest_enter returns: which vector the exit came through. */
#define HYP_EXIT_SYNC		0
#define HYP_EXIT_IRQ		1
#define HYP_EXIT_FIQ		2
#define HYP_EXIT_SERROR		3
#define HYP_EXIT_BAD		4	/* an AArch32 EL1: impossible (RW) */

#endif /* __SPLITKVM_HYP_VM_H__ */
