/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The system register probe: every EL0/EL1 register encoding in the
 * kernel's own tables (arch/arm64/tools/sysreg, asm/sysreg.h), generated
 * into a guest payload and a host read table by scripts/gen-sysreg-probe.py.
 */
#ifndef __SPLITKVM_SYSREG_PROBE_H__
#define __SPLITKVM_SYSREG_PROBE_H__

#include <linux/types.h>

#define PROBE_NOWRITE	1	/* the guest writes back what it read */
#define PROBE_VOLATILE	2	/* changes by itself: not compared */

struct sysreg_probe_reg {
	const char *name;
	u32 enc;		/* sys_reg(op0, op1, CRn, CRm, op2) */
	u32 flags;
};

extern const struct sysreg_probe_reg sysreg_probe_regs[];
extern const unsigned int sysreg_probe_nr;

/* The host's own value of register @i (only for registers it can read). */
u64 sysreg_probe_read(unsigned int i);

/*
 * What the guest payload leaves per register. @flags: bit 0, 1, 2 = the
 * first read, the write, the second read was UNDEFINED at the guest's EL1.
 */
struct sysreg_probe_result {
	u64 before;
	u64 after;
	u64 written;
	u64 flags;
};

extern const u8 payload_sysreg_probe[], payload_sysreg_probe_end[];

#endif /* __SPLITKVM_SYSREG_PROBE_H__ */
