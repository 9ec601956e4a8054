// SPDX-License-Identifier: GPL-2.0-only
/*
 * SErrors and interrupts at the world switch. A guest is only entered when
 * nothing is pending for the host, and an SError the guest caused is
 * consumed at EL2 before the host's world comes back, so that neither is
 * blamed on the other (the host would panic on the guest's).
 */
#include <hwregs.h>
#include <hyp/vm.h>

#define ISR_A			(1UL << 8)
#define DISR_A			(1UL << 31)

/**
 * hyp_host_exception_pending() - is a physical IRQ, FIQ or SError pending?
 * Read at EL2, ISR_EL1 shows the physical state whatever HCR_EL2 routes
 * (Arm ARM, ISR_EL1). Such an exception belongs to the host: the caller
 * does not enter the guest, and the host takes it once it runs again.
 */
bool hyp_host_exception_pending(void)
{
	return hw_read(isr_el1) != 0;
}

/**
 * hyp_consume_guest_serror() - take, at EL2, an SError the guest left
 * pending at its exit; the guest's HCR_EL2.AMO still routes it here.
 *
 * With FEAT_RAS, SCTLR_EL2.IESB made the exception entry an error
 * synchronization event that deferred it into DISR_EL1. Without, a DSB
 * and an ISB make any SError from the guest's accesses pending, and a
 * one-instruction unmask window takes it (the EL2 SError vector knows the
 * window); the exception state of the exit is kept around it.
 *
 * Return: true if there was one.
 */
bool hyp_consume_guest_serror(void)
{
	u64 elr, spsr, esr, far, disr;
	bool taken;

	if (hyp.guest_el2.has_ras) {
		disr = hw_read(disr_el1);
		if (!(disr & DISR_A))
			return false;
		hw_write(disr_el1, 0);
		return true;
	}
	hw_error_sync();
	if (!(hw_read(isr_el1) & ISR_A))
		return false;
	elr = hw_read(elr_el2);
	spsr = hw_read(spsr_el2);
	esr = hw_read(esr_el2);
	far = hw_read(far_el2);
	taken = hw_serror_window();
	hw_write(elr_el2, elr);
	hw_write(spsr_el2, spsr);
	hw_write(esr_el2, esr);
	hw_write(far_el2, far);
	return taken;
}
