// SPDX-License-Identifier: GPL-2.0-only
/* hyp/switch.c, the very file EL2 runs, built against kunit/sim/hwregs.h. */
#include "hyp/switch.c"
