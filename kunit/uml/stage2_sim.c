// SPDX-License-Identifier: GPL-2.0-only
/* hyp/stage2.c as EL2 runs it, built against kunit/sim/hwregs.h. */
#include "hyp/stage2.c"
