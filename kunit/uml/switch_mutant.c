// SPDX-License-Identifier: GPL-2.0-only
/*
 * hyp/switch.c built against a simulated CPU that drops every write to
 * TPIDR_EL0: a world switch that "forgets" one register. The differential
 * test must catch it (splitkvm_ctxtswitch.mutant_is_caught).
 */
#define SIM_SKIP_WRITE tpidr_el0
#define save_host mutant_save_host
#define restore_vm mutant_restore_vm
#define save_vm mutant_save_vm
#define restore_host mutant_restore_host
#include "hyp/switch.c"
