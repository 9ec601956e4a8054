/* SPDX-License-Identifier: GPL-2.0-only */
/* C functions the EL2 assembly calls, and assembly the C calls. */
#ifndef __SPLITKVM_HYP_ENTRY_H__
#define __SPLITKVM_HYP_ENTRY_H__

#include <hyp/state.h>

/* From entry.S. */
void handle_host_hcall(struct hyp_cpu *cpu);
void handle_host_bad_trap(struct hyp_cpu *cpu);
/* From boot.S, with this CPU's TPIDR_EL2 and stack set. */
void hyp_cpu_init(u64 index, u64 stub_vectors);
/* Enters the guest restore_vm loaded; returns a HYP_EXIT_* code. */
u64 __guest_enter(void);

#endif /* __SPLITKVM_HYP_ENTRY_H__ */
