// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest debug at EL2: the guest's own breakpoints, watchpoints and OS Lock,
 * and the host debugging the guest (KVM_SET_GUEST_DEBUG: single step, its
 * own breakpoints and watchpoints, BRK).
 *
 * The breakpoint and watchpoint registers are switched lazily, off the
 * exit path: a guest runs with MDCR_EL2.TDA set and the host's registers
 * in place until it touches a debug register or runs with MDSCR_EL1.MDE
 * or KDE set; then EL2 puts the guest's in for the rest of that run and
 * lets it at them (TDA clear). Whenever MDSCR_EL1 in the hardware cannot
 * be the guest's (the host debugs it, or its OS Lock is set) every debug
 * register access traps and is emulated here instead.
 *
 * None of this can take a debug exception at EL2: exception entry sets
 * PSTATE.D, and the ERET into a world is the context synchronization event
 * after which its debug registers and MDCR_EL2 are in effect (Arm ARM,
 * "Synchronization and debug events" and "Enabling debug exceptions").
 */
#include <splitkvm/regs.h>
#include <hwregs.h>
#include <hyp/debug.h>
#include <hyp/sys-iss.h>
#include <hyp/vm.h>

#define MDCR_HPMN_MASK		0x1fUL
#define MDCR_TDE		(1UL << 8)
#define MDCR_TDA		(1UL << 9)
#define SPSR_SS			(1UL << 21)
#define OSLSR_OSLM_IMP		(1UL << 3)
#define OSLSR_OSLK_SHIFT	1

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define EC_SOFTSTP_LOW		0x32

/* A debug register (op0 2) in ESR_EL2's ISS. */
#define DBG_REG(op1, crn, crm, op2)	SYS_ISS_REG(2UL, op1, crn, crm, op2)

#define MDCCINT_EL1		DBG_REG(0, 0, 2, 0)
#define MDSCR_EL1		DBG_REG(0, 0, 2, 2)
#define OSLAR_EL1		DBG_REG(0, 1, 0, 4)
#define OSLSR_EL1		DBG_REG(0, 1, 1, 4)

/* Where the guest's breakpoints and watchpoints are (hyp_vcpu_debug.in_hw). */
enum { DBG_HW_HOST, DBG_HW_GUEST, DBG_HW_EXT };

static void save_regs(struct hyp_dbg_regs *r)
{
	unsigned int n;

	for (n = 0; n < hyp.guest_el2.nr_brps; n++) {
		r->r[0][n] = hw_dbg_read(0, n);
		r->r[1][n] = hw_dbg_read(1, n);
	}
	for (n = 0; n < hyp.guest_el2.nr_wrps; n++) {
		r->r[2][n] = hw_dbg_read(2, n);
		r->r[3][n] = hw_dbg_read(3, n);
	}
}

static void load_regs(const struct hyp_dbg_regs *r)
{
	unsigned int n;

	for (n = 0; n < hyp.guest_el2.nr_brps; n++) {
		hw_dbg_write(0, n, r->r[0][n]);
		hw_dbg_write(1, n, r->r[1][n]);
	}
	for (n = 0; n < hyp.guest_el2.nr_wrps; n++) {
		hw_dbg_write(2, n, r->r[2][n]);
		hw_dbg_write(3, n, r->r[3][n]);
	}
}

/*
 * Put @to's registers in the hardware: the host's (kept in this CPU's
 * record meanwhile), the guest's or the host debugger's. Only the guest
 * can have changed what is in the hardware: the debugger's are never
 * written back.
 */
static void dbg_switch(struct hyp_cpu *cpu, struct hyp_vcpu_debug *d, u32 to)
{
	if (d->in_hw == to)
		return;
	if (d->in_hw == DBG_HW_HOST)
		save_regs(&cpu->host_dbg);
	else if (d->in_hw == DBG_HW_GUEST)
		save_regs(&d->guest);
	load_regs(to == DBG_HW_HOST ? &cpu->host_dbg :
		  to == DBG_HW_GUEST ? &d->guest : &d->ext);
	d->in_hw = to;
}

static u64 guest_mdcr(const struct hyp_cpu *cpu)
{
	return (cpu->host_el2.mdcr & MDCR_HPMN_MASK) | hyp.guest_el2.mdcr_traps;
}

/*
 * Set the hardware up for the rest of this run from the vCPU's debug
 * state: MDCR_EL2, MDSCR_EL1 and whose breakpoints are in. @direct: the
 * guest touched a debug register and may have them.
 */
static void dbg_setup(struct hyp_cpu *cpu, struct hyp_vcpu *vcpu, bool direct)
{
	struct hyp_vcpu_debug *d = &vcpu->debug;
	u64 mdscr = vcpu->ctxt.sys[SKVM_MDSCR_EL1];
	u64 mdcr = guest_mdcr(cpu);

	if (d->run_flags & SKVM_RUN_DEBUG) {
		/*
		 * The host's debugger takes every debug exception (TDE, which
		 * also traps every debug register access); the guest's own
		 * breakpoints are not loaded: MDE only for the debugger's.
		 */
		mdcr |= MDCR_TDE;
		if (d->run_flags & SKVM_RUN_HW_BP) {
			dbg_switch(cpu, d, DBG_HW_EXT);
			mdscr |= MDSCR_MDE;
		} else {
			mdscr &= ~MDSCR_MDE;
		}
		if (d->run_flags & SKVM_RUN_STEP)
			mdscr |= MDSCR_SS;
		else
			mdscr &= ~MDSCR_SS;
		d->mdscr_virt = 1;
	} else if (d->oslk) {
		/* The OS Lock holds off breakpoints, watchpoints and steps. */
		mdscr &= ~(MDSCR_MDE | MDSCR_SS);
		d->mdscr_virt = 1;
	} else {
		d->mdscr_virt = 0;
		if (direct || (mdscr & (MDSCR_MDE | MDSCR_KDE))) {
			dbg_switch(cpu, d, DBG_HW_GUEST);
			mdcr &= ~MDCR_TDA;
		}
	}
	hw_write(mdcr_el2, mdcr);
	hw_write(mdscr_el1, mdscr);
}

/**
 * hyp_debug_enter() - before the first entry of a run: the host's debug
 * requests (SKVM_RUN_DEBUG, _STEP, _HW_BP) and the guest's debug state.
 * @cpu: this CPU, the vCPU loaded by restore_vm.
 * @vcpu: the vCPU.
 * @flags: the run's SKVM_RUN_* flags.
 */
void hyp_debug_enter(struct hyp_cpu *cpu, struct hyp_vcpu *vcpu, u64 flags)
{
	struct hyp_vcpu_debug *d = &vcpu->debug;

	d->run_flags = flags & SKVM_RUN_DEBUG_FLAGS;
	/*
	 * A single step starts with PSTATE.SS set: the guest executes one
	 * instruction, then takes the step exception. An instruction
	 * emulated since (SS cleared by the skip) leaves the step
	 * active-pending, so the exception comes before the next one (Arm
	 * ARM, "Software Step exceptions", the state machine).
	 */
	if (d->run_flags & SKVM_RUN_STEP) {
		if (!d->stepping || d->step_done)
			hw_write(spsr_el2, hw_read(spsr_el2) | SPSR_SS);
		d->stepping = 1;
		d->step_done = 0;
	} else if (d->stepping) {
		hw_write(spsr_el2, hw_read(spsr_el2) & ~SPSR_SS);
		d->stepping = 0;
	}
	if (hyp_debug_at_entry(vcpu, d->run_flags))
		dbg_setup(cpu, vcpu, false);
	/* Otherwise restore_vm's MDCR_EL2 traps it all. */
}

/**
 * hyp_debug_exit() - after the last exit of a run, before save_vm: the
 * guest's MDSCR_EL1 and the host's breakpoints back in the hardware.
 * @cpu: this CPU.
 * @vcpu: the vCPU.
 * @exit: the decoded exit.
 */
void hyp_debug_exit(struct hyp_cpu *cpu, struct hyp_vcpu *vcpu,
		    const struct skvm_exit *exit)
{
	struct hyp_vcpu_debug *d = &vcpu->debug;

	if (d->stepping && exit->reason == SKVM_EXIT_DEBUG &&
	    ESR_EC(exit->esr) == EC_SOFTSTP_LOW)
		d->step_done = 1;
	if (d->mdscr_virt) {
		hw_write(mdscr_el1, vcpu->ctxt.sys[SKVM_MDSCR_EL1]);
		d->mdscr_virt = 0;
	}
	dbg_switch(cpu, d, DBG_HW_HOST);
}

/* The guest's breakpoint or watchpoint register, wherever it is now. */
static bool emulate_bp_wp(struct hyp_vcpu_debug *d, u64 kind, u64 n,
			  bool read, u64 *val)
{
	if (d->in_hw == DBG_HW_GUEST) {
		if (read)
			*val = hw_dbg_read(kind, n);
		else
			hw_dbg_write(kind, n, *val);
	} else if (read) {
		*val = d->guest.r[kind][n];
	} else {
		d->guest.r[kind][n] = *val;
	}
	return true;
}

/*
 * The registers a guest has no use for: reads as zero, writes ignored,
 * as KVM has them (the OS double lock, power-down control, claim tags,
 * the debug communications channel, the ROM address).
 */
static bool raz_wi(u64 reg)
{
	switch (reg) {
	case DBG_REG(0, 0, 0, 2):	/* OSDTRRX_EL1 */
	case DBG_REG(0, 0, 3, 2):	/* OSDTRTX_EL1 */
	case DBG_REG(0, 0, 6, 2):	/* OSECCR_EL1 */
	case DBG_REG(0, 1, 0, 0):	/* MDRAR_EL1 */
	case DBG_REG(0, 1, 3, 4):	/* OSDLR_EL1 */
	case DBG_REG(0, 1, 4, 4):	/* DBGPRCR_EL1 */
	case DBG_REG(0, 7, 8, 6):	/* DBGCLAIMSET_EL1 */
	case DBG_REG(0, 7, 9, 6):	/* DBGCLAIMCLR_EL1 */
	case DBG_REG(0, 7, 14, 6):	/* DBGAUTHSTATUS_EL1 */
	case DBG_REG(3, 0, 1, 0):	/* MDCCSR_EL0 */
	case DBG_REG(3, 0, 4, 0):	/* DBGDTR_EL0 */
	case DBG_REG(3, 0, 5, 0):	/* DBGDTRRX_EL0, DBGDTRTX_EL0 */
		return true;
	}
	return false;
}

/*
 * Emulate @reg; false for what this does not know (the host makes it an
 * UNDEF). MDSCR_EL1 and the breakpoints come here only while MDSCR_EL1
 * is virtual.
 */
static bool emulate(struct hyp_cpu *cpu, struct hyp_vcpu *vcpu, u64 reg,
		    bool read, u64 *val)
{
	struct hyp_vcpu_debug *d = &vcpu->debug;
	u64 op2 = SYS_ISS_OP2(reg), crm = SYS_ISS_CRM(reg);

	if (SYS_ISS_OP1(reg) == 0 && SYS_ISS_CRN(reg) == 0 && op2 >= 4)
		return crm < (op2 < 6 ? hyp.guest_el2.nr_brps :
				       hyp.guest_el2.nr_wrps) &&
		       emulate_bp_wp(d, op2 - 4, crm, read, val);
	switch (reg) {
	case MDSCR_EL1:
		if (read) {
			*val = vcpu->ctxt.sys[SKVM_MDSCR_EL1];
		} else {
			vcpu->ctxt.sys[SKVM_MDSCR_EL1] = *val;
			dbg_setup(cpu, vcpu, false);
		}
		return true;
	case MDCCINT_EL1:
		if (read)
			*val = d->mdccint;
		else
			d->mdccint = *val;
		return true;
	case OSLAR_EL1:
		if (read)
			return false;
		/*
		 * The MDSCR_EL1 the guest had in the hardware is its own
		 * unless it was virtual already.
		 */
		if (!d->mdscr_virt)
			vcpu->ctxt.sys[SKVM_MDSCR_EL1] = hw_read(mdscr_el1);
		d->oslk = *val & 1;
		dbg_setup(cpu, vcpu, d->in_hw == DBG_HW_GUEST);
		return true;
	case OSLSR_EL1:
		if (!read)
			return false;
		*val = OSLSR_OSLM_IMP | (u64)d->oslk << OSLSR_OSLK_SHIFT;
		return true;
	}
	if (!raz_wi(reg))
		return false;
	if (read)
		*val = 0;
	return true;
}

/**
 * hyp_debug_trap() - a trapped debug register access (op0 == 2), handled
 * at EL2 if it can be.
 * @cpu: this CPU.
 * @vcpu: the vCPU it runs.
 * @esr: ESR_EL2 of the exit, EC 0x18.
 *
 * Return: true if the guest can be entered again straight away.
 */
bool hyp_debug_trap(struct hyp_cpu *cpu, struct hyp_vcpu *vcpu, u64 esr)
{
	u64 reg = esr & SYS_ISS_REG_MASK, rt = SYS_ISS_RT(esr), val;
	bool read = esr & SYS_ISS_READ, bp_wp;

	if (SYS_ISS_OP0(esr) != 2)
		return false;
	bp_wp = SYS_ISS_OP1(reg) == 0 && SYS_ISS_CRN(reg) == 0 &&
		SYS_ISS_OP2(reg) >= 4;
	/*
	 * The guest's first touch of its breakpoints, watchpoints or
	 * MDSCR_EL1 in a run: they are its own from now on, and the
	 * instruction runs again, untrapped.
	 */
	if ((bp_wp || reg == MDSCR_EL1) && !vcpu->debug.mdscr_virt &&
	    (!bp_wp || SYS_ISS_CRM(reg) < (SYS_ISS_OP2(reg) < 6 ?
					   hyp.guest_el2.nr_brps :
					   hyp.guest_el2.nr_wrps))) {
		dbg_setup(cpu, vcpu, true);
		return true;
	}
	val = rt == 31 ? 0 : hw_gprs()[rt];
	if (!emulate(cpu, vcpu, reg, read, &val))
		return false;
	if (read && rt != 31)
		hw_gprs()[rt] = val;
	hyp_skip_instr();
	return true;
}

/**
 * hyp_debug_reg() - one of a READY vCPU's debug registers, for the host.
 * @vcpu: the vCPU.
 * @id: SKVM_REG_DBG(), SKVM_REG_MDCCINT or SKVM_REG_XDBG().
 *
 * Return: the register, or NULL if @id names none.
 */
u64 *hyp_debug_reg(struct hyp_vcpu *vcpu, u64 id)
{
	struct hyp_vcpu_debug *d = &vcpu->debug;

	if (id >= SKVM_REG_DBG0 && id < SKVM_REG_MDCCINT)
		return &d->guest.r[0][0] + hw_index_nospec(id - SKVM_REG_DBG0, 64);
	if (id >= SKVM_REG_XDBG0 && id < SKVM_REG_XDBG0 + 64)
		return &d->ext.r[0][0] + hw_index_nospec(id - SKVM_REG_XDBG0, 64);
	if (id == SKVM_REG_MDCCINT)
		return &d->mdccint;
	return NULL;
}

/**
 * hyp_debug_oslk() - a READY vCPU's OS Lock (SKVM_REG_OSLK), for the host.
 * @vcpu: the vCPU.
 * @val: the value read, or to write: 0 or 1.
 * @write: whether to write it.
 *
 * Return: false for any other value to write.
 */
bool hyp_debug_oslk(struct hyp_vcpu *vcpu, u64 *val, bool write)
{
	if (!write) {
		*val = vcpu->debug.oslk;
		return true;
	}
	if (*val > 1)
		return false;
	vcpu->debug.oslk = *val;
	return true;
}
