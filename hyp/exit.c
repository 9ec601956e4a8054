// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decode why the guest left, from ESR_EL2/FAR_EL2/HPFAR_EL2 and the guest's
 * live registers, before save_vm saves them. One handler per exception
 * class, in a static const table.
 */
#include <hwregs.h>
#include <hyp/mem.h>
#include <hyp/sys-iss.h>
#include <hyp/vm.h>

#define ESR_EC_SHIFT		26
#define ESR_EC_MASK		0x3fUL
#define ESR_ISS_MASK		0x1ffffffUL

#define EC_WFX			0x01
#define EC_HVC64		0x16
#define EC_SMC64		0x17
#define EC_SYS64		0x18
#define EC_IABT_LOW		0x20
#define EC_DABT_LOW		0x24
#define EC_BKPT_LOW		0x30
#define EC_SOFTSTP_LOW		0x32
#define EC_WATCHPT_LOW		0x34
#define EC_BRK64		0x3c

/* Data abort ISS (Arm ARM, ESR_EL2, "ISS encoding for a Data Abort"). */
#define DABT_ISV		(1UL << 24)
#define DABT_SAS_SHIFT		22
#define DABT_SSE		(1UL << 21)
#define DABT_SRT_SHIFT		16
#define DABT_SF			(1UL << 15)
#define DABT_S1PTW		(1UL << 7)
#define DABT_WNR		(1UL << 6)

/* SPSR_EL2.M[4]: the exception came from AArch32 (EL0: EL1 is AArch64). */
#define PSR_MODE32		(1UL << 4)

/* The fault status code without its level. */
#define FSC_TYPE_MASK		0x3cUL
#define FSC_TRANSLATION		0x04UL
#define FSC_ACCESS		0x08UL
/* SPSR_EL2.M[3:2]: the exception level the exit came from. */
#define PSR_MODE_EL_MASK	(3UL << 2)

/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4]. */
#define HPFAR_FIPA_MASK		0x00000ffffffffff0UL

/* WFx ISS: TI (WFI, WFE, WFIT, WFET), RV (the register is valid), Rt. */
#define WFX_TI_MASK		3UL
#define WFX_RV			(1UL << 2)
#define WFX_RT(esr)		(((esr) >> 5) & 31)

typedef void (*exit_handler_fn)(u64 esr, struct skvm_exit *exit);

/* FAR_EL2 and HPFAR_EL2 mean something only for the abort taken now. */
static void record_fault(struct skvm_exit *exit)
{
	exit->far = hw_read(far_el2);
	exit->ipa = ((hw_read(hpfar_el2) & HPFAR_FIPA_MASK) << 8) |
		    (exit->far & 0xfffUL);
}

static void exit_wfx(u64 esr, struct skvm_exit *exit)
{
	exit->reason = SKVM_EXIT_WFX;
	exit->access = esr & WFX_TI_MASK;
	/* WFIT/WFET: the deadline, when the syndrome names its register. */
	if ((esr & WFX_RV) && WFX_RT(esr) != 31)
		exit->data = hw_gprs()[WFX_RT(esr)];
	hyp_skip_instr();
}

/* The preferred return address of an HVC is already the next instruction. */
static void exit_hvc(u64 esr, struct skvm_exit *exit)
{
	exit->reason = SKVM_EXIT_HVC;
	exit->access = esr & 0xffff;
}

static void exit_smc(u64 esr, struct skvm_exit *exit)
{
	exit->reason = SKVM_EXIT_SMC;
	exit->access = esr & 0xffff;
	hyp_skip_instr();
}

static void exit_sysreg(u64 esr, struct skvm_exit *exit)
{
	exit->reason = SKVM_EXIT_SYSREG;
	exit->access = esr & ESR_ISS_MASK;
	hyp_skip_instr();
}

static void exit_iabt(u64 esr, struct skvm_exit *exit)
{
	exit->reason = SKVM_EXIT_IABT;
	record_fault(exit);
}

/*
 * An LSE atomic that reads and writes memory: LD<op> and SWP (and the
 * ST<op> aliases), CAS, CASP (Arm ARM, "Atomic memory operations" and
 * "Compare and swap" encodings).
 */
static bool is_atomic_rmw(u32 insn)
{
	return (insn & 0x3f200c00) == 0x38200000 ||
	       (insn & 0x3fa07c00) == 0x08a07c00 ||
	       (insn & 0xbfa07c00) == 0x08207c00;
}

/*
 * Hardware reports a translation fault of an atomic read-modify-write as
 * its read (WnR clear): the page is then mapped for reading first, and
 * the write faults on its own, as a permission fault. QEMU reports such
 * faults as writes: for them, EL2 looks at the instruction (the guest's
 * own page, found with AT) and reports what hardware would.
 */
static u64 atomic_fault_wnr(u64 esr)
{
	u64 pa;

	if ((esr & (DABT_ISV | DABT_WNR | DABT_S1PTW)) != DABT_WNR ||
	    (esr & FSC_TYPE_MASK) != FSC_TRANSLATION ||
	    !hw_guest_va_to_pa(hw_read(elr_el2),
			       !(hw_read(spsr_el2) & PSR_MODE_EL_MASK), &pa))
		return esr;
	/* RAM only (EL2 maps no device): the guest's stage 2 maps it. */
	if (page_owner(pa) == SKVM_OWNER_NONE || (pa & 3))
		return esr;
	return is_atomic_rmw(*(u32 *)hyp_va(pa)) ? esr & ~DABT_WNR : esr;
}

/*
 * The PC stays on the access: only the host knows whether it emulates it
 * (MMIO) or maps the page and lets the guest retry; it says so on the next
 * run (SKVM_RUN_SKIP_INSN).
 */
static void exit_dabt(u64 esr, struct skvm_exit *exit)
{
	u64 rt = (esr >> DABT_SRT_SHIFT) & 31;

	exit->reason = SKVM_EXIT_DABT;
	record_fault(exit);
	/* Without a valid syndrome, or on a table walk, the host gets the raw ESR. */
	if (!(esr & DABT_ISV) || (esr & DABT_S1PTW)) {
		exit->esr = atomic_fault_wnr(esr);
		return;
	}
	exit->access = SKVM_ACCESS_VALID |
		       (((esr >> DABT_SAS_SHIFT) & 3) << SKVM_ACCESS_SIZE_SHIFT) |
		       (rt << SKVM_ACCESS_REG_SHIFT);
	if (esr & DABT_WNR) {
		exit->access |= SKVM_ACCESS_WRITE;
		exit->data = rt == 31 ? 0 : hw_gprs()[rt];
	}
	if (esr & DABT_SSE)
		exit->access |= SKVM_ACCESS_SIGN_EXT;
	if (esr & DABT_SF)
		exit->access |= SKVM_ACCESS_64BIT_REG;
}

/*
 * A debug exception routed here by MDCR_EL2.TDE, for the host's debugger:
 * the PC stays where the exception left it (at a BRK or breakpoint, past
 * a step), and a watchpoint's FAR_EL2 says which address it hit.
 */
static void exit_debug(u64 esr, struct skvm_exit *exit)
{
	exit->reason = SKVM_EXIT_DEBUG;
	if (((esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_WATCHPT_LOW)
		exit->far = hw_read(far_el2);
}

static const exit_handler_fn exit_handlers[ESR_EC_MASK + 1] = {
	[EC_WFX] = exit_wfx,
	[EC_HVC64] = exit_hvc,
	[EC_SMC64] = exit_smc,
	[EC_SYS64] = exit_sysreg,
	[EC_IABT_LOW] = exit_iabt,
	[EC_DABT_LOW] = exit_dabt,
	[EC_BKPT_LOW] = exit_debug,
	[EC_SOFTSTP_LOW] = exit_debug,
	[EC_WATCHPT_LOW] = exit_debug,
	[EC_BRK64] = exit_debug,
};

#define SYS_ISS_ACTLR_EL1	SYS_ISS_REG(3, 0, 1, 0, 1)

#define SYS_ISS_CCSIDR_EL1	SYS_ISS_REG(3, 1, 0, 0, 0)
#define SYS_ISS_CLIDR_EL1	SYS_ISS_REG(3, 1, 0, 0, 1)
#define SYS_ISS_CSSELR_EL1	SYS_ISS_REG(3, 2, 0, 0, 0)
#define SYS_ISS_CTR_EL0		SYS_ISS_REG(3, 3, 0, 0, 1)
#define CSSELR_VALID		0x1fUL	/* TnD, Level, InD */

/*
 * A read of an ID register (HCR_EL2.TID3): answered here from the VM's
 * table, without leaving the guest world.
 */
static bool emulate_id_reg(const struct hyp_vm *vm, u64 iss)
{
	u64 rt = SYS_ISS_RT(iss), crm = SYS_ISS_CRM(iss);

	if (!(iss & SYS_ISS_READ) || SYS_ISS_OP0(iss) != 3 ||
	    SYS_ISS_OP1(iss) != 0 || SYS_ISS_CRN(iss) != 0 || crm < 1 ||
	    crm > 7)
		return false;
	if (rt != 31)
		hw_gprs()[rt] = vm->id_regs[SKVM_ID_REG_INDEX(crm,
						      SYS_ISS_OP2(iss))];
	hyp_skip_instr();
	return true;
}

/*
 * The cache ID registers (HCR_EL2.TID2, set for a VM whose CTR_EL0 or
 * CLIDR_EL1 is not the hardware's): CTR_EL0 and CLIDR_EL1 from the VM,
 * CSSELR_EL1 kept in the hardware register (the world switch carries
 * it), CCSIDR_EL1 the hardware's for the level selected. Writes to the
 * read-only ones are the host's to refuse (UNDEF).
 */
static bool emulate_cache_id(const struct hyp_vm *vm, u64 iss)
{
	u64 rt = SYS_ISS_RT(iss), reg = iss & SYS_ISS_REG_MASK, val;
	bool read = iss & SYS_ISS_READ;

	if (reg == SYS_ISS_CSSELR_EL1 && !read) {
		val = rt == 31 ? 0 : hw_gprs()[rt];
		hw_write(csselr_el1, val & CSSELR_VALID);
		hyp_skip_instr();
		return true;
	}
	if (!read)
		return false;
	if (reg == SYS_ISS_CTR_EL0)
		val = vm->ctr;
	else if (reg == SYS_ISS_CLIDR_EL1)
		val = vm->clidr;
	else if (reg == SYS_ISS_CCSIDR_EL1)
		val = hw_read(ccsidr_el1);
	else if (reg == SYS_ISS_CSSELR_EL1)
		val = hw_read(csselr_el1);
	else
		return false;
	if (rt != 31)
		hw_gprs()[rt] = val;
	hyp_skip_instr();
	return true;
}

/*
 * ACTLR_EL1 (HCR_EL2.TACR): IMPLEMENTATION DEFINED, so never the guest's.
 * Reads give the host's value, writes are ignored, as under KVM.
 */
static bool emulate_actlr(u64 iss)
{
	u64 rt = SYS_ISS_RT(iss);

	if ((iss & SYS_ISS_REG_MASK) != SYS_ISS_ACTLR_EL1)
		return false;
	if ((iss & SYS_ISS_READ) && rt != 31)
		hw_gprs()[rt] = hw_read(actlr_el1);
	hyp_skip_instr();
	return true;
}

#define SYS_ISS_CNTPCT_EL0	SYS_ISS_REG(3, 3, 14, 0, 1)
#define SYS_ISS_CNTPCTSS_EL0	SYS_ISS_REG(3, 3, 14, 0, 5)

/*
 * CNTPCT_EL0 (and its self-synchronized form) of a VM with a physical
 * counter offset, whose reads trap (CNTHCTL_EL2.EL1PCTEN clear): the
 * hardware's count less the offset. ISB first: the read may not be taken
 * ahead of what the guest did before it (Arm ARM, "Reading the physical
 * counter", self-synchronization).
 */
static bool emulate_counter(const struct hyp_vm *vm, u64 iss)
{
	u64 reg = iss & SYS_ISS_REG_MASK, rt = SYS_ISS_RT(iss);

	if (!(iss & SYS_ISS_READ) ||
	    (reg != SYS_ISS_CNTPCT_EL0 && reg != SYS_ISS_CNTPCTSS_EL0))
		return false;
	hw_isb();
	if (rt != 31)
		hw_gprs()[rt] = hw_read(cntpct_el0) - vm->cntpoff;
	hyp_skip_instr();
	return true;
}

#define SMCCC_VERSION_FN	0x80000000U
#define SMCCC_VERSION_1_1	0x10001UL
#define PSCI_VERSION_FN		0x84000000U
#define HVC_IMM_MASK		0xffffUL

/*
 * SMCCC_VERSION and PSCI_VERSION over HVC #0, for a VM whose host said
 * what to answer (SKVM_REG_PSCI_VERSION): no host state is needed, so no
 * world switch. x1..x3 are left as they were, as the host leaves them.
 */
static bool answer_hvc(const struct hyp_vm *vm, u64 esr)
{
	u64 *x = hw_gprs();

	if (!vm->psci_version || (esr & HVC_IMM_MASK))
		return false;
	if ((u32)x[0] == SMCCC_VERSION_FN)
		x[0] = SMCCC_VERSION_1_1;
	else if ((u32)x[0] == PSCI_VERSION_FN)
		x[0] = vm->psci_version;
	else
		return false;
	return true;		/* ELR_EL2 is past the HVC already */
}

/**
 * hyp_handle_exit_at_el2() - handle the exit without the host, if EL2 can.
 * @cpu: this CPU, running cur_vcpu of cur_vm.
 * @code: HYP_EXIT_*, the vector the exit came through.
 *
 * Return: true if the guest can be entered again straight away.
 */
bool hyp_handle_exit_at_el2(struct hyp_cpu *cpu, u64 code)
{
	const struct hyp_vm *vm = cpu->cur_vm;
	u64 esr, ec;

	if (code != HYP_EXIT_SYNC)
		return false;
	/* A32/T32 instructions are not A64 ones: never emulated here. */
	if (hw_read(spsr_el2) & PSR_MODE32)
		return false;
	esr = hw_read(esr_el2);
	ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	if (ec == EC_HVC64)
		return answer_hvc(vm, esr);
	if ((ec == EC_DABT_LOW || ec == EC_IABT_LOW) &&
	    (esr & FSC_TYPE_MASK) == FSC_ACCESS)
		return hyp_stage2_access(cpu->cur_vmid, (hw_read(hpfar_el2) &
					 HPFAR_FIPA_MASK) << 8);
	if (ec == EC_SYS64)
		return emulate_id_reg(vm, esr & ESR_ISS_MASK) ||
		       emulate_cache_id(vm, esr & ESR_ISS_MASK) ||
		       emulate_actlr(esr & ESR_ISS_MASK) ||
		       emulate_counter(vm, esr & ESR_ISS_MASK) ||
		       hyp_debug_trap(cpu, cpu->cur_vcpu, esr & ESR_ISS_MASK);
	return false;
}

/**
 * hyp_decode_exit() - fill @exit for the guest exit that just happened.
 * @code: HYP_EXIT_*, the vector the exit came through.
 * @exit: zeroed by the caller.
 */
void hyp_decode_exit(u64 code, struct skvm_exit *exit)
{
	exit_handler_fn fn;
	u64 esr;

	switch (code) {
	case HYP_EXIT_SYNC:
		esr = hw_read(esr_el2);
		exit->esr = esr;
		/*
		 * splitkvm runs no AArch32 EL0 (ID_AA64PFR0 says so): a guest
		 * that went there anyway gets this exit, its state left as
		 * it was.
		 */
		if (hw_read(spsr_el2) & PSR_MODE32) {
			exit->reason = SKVM_EXIT_AARCH32;
			break;
		}
		fn = exit_handlers[(esr >> ESR_EC_SHIFT) & ESR_EC_MASK];
		if (fn)
			fn(esr, exit);
		else
			exit->reason = SKVM_EXIT_UNKNOWN;
		break;
	case HYP_EXIT_IRQ:
	case HYP_EXIT_FIQ:
		exit->reason = SKVM_EXIT_IRQ;
		break;
	case HYP_EXIT_SERROR:
		exit->reason = SKVM_EXIT_SERROR;
		exit->esr = hw_read(esr_el2);
		break;
	default:
		exit->reason = SKVM_EXIT_UNKNOWN;
		break;
	}
}
