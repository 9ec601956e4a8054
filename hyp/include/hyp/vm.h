/* SPDX-License-Identifier: GPL-2.0-only */
/* VM and vCPU management at EL2: plain C behind the hypercall adapters. */
#ifndef __SPLITKVM_HYP_VM_H__
#define __SPLITKVM_HYP_VM_H__

#include <splitkvm/exit.h>
#include <hyp/state.h>

int hyp_vm_create(u64 pool_pa, u64 pool_pages, u64 ipa_bits, u64 *vmid);
int hyp_vm_destroy(u64 vmid);
int hyp_vcpu_create(u64 vmid, u64 vcpuid);
int hyp_vcpu_get_reg(u64 vmid, u64 vcpuid, u64 id, u64 *val);
int hyp_vcpu_set_reg(u64 vmid, u64 vcpuid, u64 id, u64 val);
int hyp_stage2_map(u64 vmid, u64 ipa, u64 pa);
void hyp_stage2_teardown(struct hyp_vm *vm);
int hyp_vcpu_run(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid,
		 struct skvm_exit *exit);
void hyp_decode_exit(u64 code, struct skvm_exit *exit);
bool hyp_handle_exit_at_el2(u64 code);

/* Codes __guest_enter returns: which vector the exit came through. */
#define HYP_EXIT_SYNC		0
#define HYP_EXIT_IRQ		1
#define HYP_EXIT_FIQ		2
#define HYP_EXIT_SERROR		3
#define HYP_EXIT_BAD		4

#endif /* __SPLITKVM_HYP_VM_H__ */
