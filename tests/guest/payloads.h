/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tiny guest programs for the EL2 tests and the demo. Each runs at EL1h
 * with its MMU off, from the start of guest RAM, and talks to the host only
 * through exits (HVC, MMIO). Position independent; copied into guest RAM.
 */
#ifndef __SPLITKVM_TEST_PAYLOADS_H__
#define __SPLITKVM_TEST_PAYLOADS_H__

#include <linux/types.h>

#define PAYLOAD(name)							\
	extern const u8 payload_##name[], payload_##name##_end[]

/* x0..x30 += 1, v0..v31 = ~v0..v31, then HVC #1. */
PAYLOAD(gprs_fp);
/* Writes x1..x25 into the EL1 registers listed in el2_kunit.c, HVC #2. */
PAYLOAD(sysregs_write);
/* Reads the same registers back into x1..x25, HVC #3. */
PAYLOAD(sysregs_read);
/* str w1, [x2]; ldrh w3, [x2, #6]; str x4, [x2, #8]; HVC #4. */
PAYLOAD(mmio);
/* v0..v31 = ~v0..v31; HVC #10; repeat. */
PAYLOAD(fp_loop);
/* str w1, [x2]; repeat: one MMIO write exit per round. */
PAYLOAD(mmio_loop);
PAYLOAD(smccc_loop);
/* Spins forever: only an interrupt gets it out. */
PAYLOAD(spin);
/* x0 += 1; HVC #5; repeat. */
PAYLOAD(count);
/* Reads ID registers into x1..x7 (and xzr), HVC #7. */
PAYLOAD(id_regs);
/* wfi; mrs x5, mdscr_el1; smc #0x42; HVC #8. */
PAYLOAD(traps);
/* ICC_IAR1_EL1 into x1, ICC_EOIR1_EL1 of it, ICC_IAR1_EL1 into x2; HVC #11. */
PAYLOAD(vgic);
/* Enters AArch32 EL0, where an MMIO store faults to EL2. */
PAYLOAD(aarch32);
/* Writes the bytes at x1 (length x2) to the UART at x3, HVC #6. */
PAYLOAD(hello);

/* Generated (kunit/sysreg-probe.h): every system register, HVC #9. */
PAYLOAD(sysreg_probe);

#define PAYLOAD_SIZE(name)	(payload_##name##_end - payload_##name)

#endif /* __SPLITKVM_TEST_PAYLOADS_H__ */
