// SPDX-License-Identifier: GPL-2.0-only
/* hyp/serror.c as EL2 runs it, built against kunit/sim/hwregs.h. */
#include "hyp/serror.c"
