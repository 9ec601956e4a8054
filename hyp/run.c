// SPDX-License-Identifier: GPL-2.0-only
/* Running a vCPU: the seed's caller of the four primitives. */
#include <hwregs.h>
#include <hyp/entry.h>
#include <hyp/switch.h>
#include <hyp/vm.h>



/*
 * A vCPU whose VM last ran a different vCPU on this CPU may find that
 * vCPU's stage-1 entries, tagged with the same VMID, in this CPU's TLB.
 */
static void flush_tlb_if_other_vcpu(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid)
{
	struct hyp_vm *vm = &hyp.vms[vmid];

	if (vm->last_vcpu_ran[cpu->index] != vcpuid) {
		/* VTTBR_EL2 (written by restore_vm) selects the VMID. */
		asm volatile("isb" : : : "memory");
		hw_tlb_flush_vmid_local();
		vm->last_vcpu_ran[cpu->index] = vcpuid;
	}
}

/**
 * hyp_vcpu_run() - run a vCPU until it exits to the host.
 * @cpu: this CPU.
 * @vmid: from the host, checked by restore_vm.
 * @vcpuid: from the host, checked by restore_vm.
 * @exit: filled with the decoded exit.
 *
 * Return: 0, or -EINVAL if restore_vm refused (the host is then unchanged:
 * save_host only copied the live host state into the host's own slot).
 */
int hyp_vcpu_run(struct hyp_cpu *cpu, u64 vmid, u64 vcpuid,
		 struct skvm_exit *exit)
{
	u64 code;
	int ret;

	save_host(cpu);
	ret = restore_vm(cpu, vmid, vcpuid);
	if (ret)
		return ret;
	flush_tlb_if_other_vcpu(cpu, vmid, vcpuid);
	/*
	 * Exits EL2 handles itself go straight back into the guest. An IRQ
	 * pending meanwhile is taken as soon as the guest runs, so this loop
	 * cannot keep the host from its interrupts.
	 */
	do {
		code = __guest_enter();
	} while (hyp_handle_exit_at_el2(code));
	hyp_decode_exit(code, exit);
	save_vm(cpu);
	restore_host(cpu);
	return 0;
}
