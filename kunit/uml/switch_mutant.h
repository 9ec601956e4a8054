/* SPDX-License-Identifier: GPL-2.0-only */
/* The broken world switch of switch_mutant.c. */
#ifndef __SPLITKVM_SWITCH_MUTANT_H__
#define __SPLITKVM_SWITCH_MUTANT_H__

#include <hyp/state.h>

void mutant_save_host(struct hyp_cpu *cpu);
int mutant_restore_vm(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid);
void mutant_save_vm(struct hyp_cpu *cpu);
void mutant_restore_host(struct hyp_cpu *cpu);

#endif /* __SPLITKVM_SWITCH_MUTANT_H__ */
