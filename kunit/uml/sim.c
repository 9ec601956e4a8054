// SPDX-License-Identifier: GPL-2.0-only
/* The simulated CPU and the EL2 state the UML suites run hyp/ code on. */
#include <hwregs.h>

struct sim_hw sim_hw;
struct sim_log sim_log;
u64 *sim_skip_write;
struct hyp_state hyp;
