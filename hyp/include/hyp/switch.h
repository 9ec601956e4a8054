/* SPDX-License-Identifier: GPL-2.0-only */
/* The four world-switch primitives of the SeKVM CtxtSwitch layer. */
#ifndef __SPLITKVM_HYP_SWITCH_H__
#define __SPLITKVM_HYP_SWITCH_H__

#include <hyp/state.h>

void save_host(struct hyp_cpu *cpu);
int restore_vm(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid);
void save_vm(struct hyp_cpu *cpu);
void restore_host(struct hyp_cpu *cpu);

#endif /* __SPLITKVM_HYP_SWITCH_H__ */
