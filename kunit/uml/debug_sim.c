// SPDX-License-Identifier: GPL-2.0-only
/* hyp/debug.c as EL2 runs it, built against kunit/sim/hwregs.h. */
#include "hyp/debug.c"
