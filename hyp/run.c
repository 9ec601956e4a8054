// SPDX-License-Identifier: GPL-2.0-only
/* Running a vCPU: the seed's caller of the four primitives. */
#include <linux/errno.h>
#include <hwregs.h>
#include <hyp/debug.h>
#include <hyp/entry.h>
#include <hyp/switch.h>
#include <hyp/vm.h>

#define SVCR_SM		(1UL << 0)

/*
 * In streaming SVE mode the A64 FP/SIMD instructions the world switch uses
 * are illegal (without FEAT_SME_FA64) and would trap EL2 itself: a host
 * that calls in that mode (kernel_neon_begin() leaves it) is refused.
 */
static bool host_streaming(void)
{
	return hyp.guest_el2.has_sme && (hw_read(svcr) & SVCR_SM);
}

/*
 * A vCPU whose VM last ran a different vCPU on this CPU may find that
 * vCPU's stage-1 entries, tagged with the same VMID, in this CPU's TLB.
 */
static void flush_tlb_if_other_vcpu(struct hyp_cpu *cpu, struct hyp_vm *vm,
				    u64 vcpuid)
{
	if (vm->last_vcpu_ran[cpu->index] != vcpuid) {
		/* VTTBR_EL2 (written by restore_vm) selects the VMID. */
		hw_isb();
		hw_tlb_flush_vmid_local();
		vm->last_vcpu_ran[cpu->index] = vcpuid;
	}
}

/**
 * hyp_vcpu_run() - run a vCPU until it exits to the host.
 * @cpu: this CPU.
 * @vmid: from the host, checked by restore_vm.
 * @vcpuid: from the host, checked by restore_vm.
 * @flags: SKVM_RUN_*, from the host.
 * @exit: zeroed by the caller; filled with the decoded exit.
 *
 * Return: 0, or -EINVAL if restore_vm refused or @flags asked for what the
 * last exit does not allow (the host and the vCPU are then unchanged).
 */
int hyp_vcpu_run(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid, u64 flags,
		 struct skvm_exit *exit)
{
	struct hyp_vcpu *vcpu;
	struct hyp_vm *vm;
	u64 code;
	int ret;

	if (flags & ~SKVM_RUN_FLAGS)
		return -EINVAL;
	if (host_streaming())
		return -EBUSY;
	save_host(cpu);
	ret = restore_vm(cpu, vmid, vcpuid);
	if (ret)
		return ret;
	vm = cpu->cur_vm;
	vcpu = cpu->cur_vcpu;
	if ((flags & SKVM_RUN_SKIP_INSN) && !vcpu->may_skip) {
		save_vm(cpu);
		restore_host(cpu);
		return -EINVAL;
	}
	/* A step starts before the skip, which completes the instruction. */
	if (hyp_debug_at_entry(vcpu, flags))
		hyp_debug_enter(cpu, vcpu, flags);
	if (flags & SKVM_RUN_SKIP_INSN)
		hyp_skip_instr();
	flush_tlb_if_other_vcpu(cpu, vm, cpu->cur_vcpuid);
	/*
	 * Exits EL2 handles itself go straight back into the guest, unless
	 * something is pending for the host: this loop cannot keep the host
	 * from its interrupts.
	 */
	for (;;) {
		if (hyp_host_exception_pending()) {
			code = HYP_EXIT_IRQ;
			break;
		}
		code = __guest_enter();
		if (hyp_consume_guest_serror())
			exit->flags |= SKVM_EXIT_F_SERROR;
		if (!hyp_handle_exit_at_el2(cpu, code))
			break;
	}
	hyp_decode_exit(code, exit);
	if (hyp_debug_at_exit(vcpu))
		hyp_debug_exit(cpu, vcpu, exit);
	vcpu->may_skip = exit->reason == SKVM_EXIT_DABT &&
			 (exit->access & SKVM_ACCESS_VALID);
	save_vm(cpu);
	restore_host(cpu);
	return 0;
}
