// SPDX-License-Identifier: GPL-2.0-only
/* hyp/inject.c as EL2 runs it, built against kunit/sim/hwregs.h. */
#include "hyp/inject.c"
