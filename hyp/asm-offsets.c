// SPDX-License-Identifier: GPL-2.0-only
/* Offsets the EL2 assembly uses, generated from the C structures. */
#include <linux/kbuild.h>
#include <linux/stddef.h>
#include <splitkvm/boot.h>
#include <hyp/asm.h>
#include <hyp/state.h>

int main(void)
{
	DEFINE(HYP_CPU_FRAME, offsetof(struct hyp_cpu, frame));
	DEFINE(HYP_CPU_SIZE, sizeof(struct hyp_cpu));
	DEFINE(HYP_VM_SIZE, sizeof(struct hyp_vm));
	DEFINE(HYP_VCPU_SIZE, sizeof(struct hyp_vcpu));
	DEFINE(HYP_STACK_SIZE, 1UL << HYP_STACK_SHIFT);
	DEFINE(SPECTRE_BHB_LOOP, offsetof(struct hyp_spectre, bhb_loop));
	DEFINE(SPECTRE_FW_WA, offsetof(struct hyp_spectre, fw_workaround));
	DEFINE(FPSIMD_FPSR, offsetof(struct skvm_fpsimd, fpsr));
	DEFINE(FPSIMD_FPCR, offsetof(struct skvm_fpsimd, fpcr));
	DEFINE(BOOT_TTBR0, offsetof(struct skvm_boot, ttbr0));
	DEFINE(BOOT_TCR, offsetof(struct skvm_boot, tcr));
	DEFINE(BOOT_MAIR, offsetof(struct skvm_boot, mair));
	DEFINE(BOOT_SCTLR, offsetof(struct skvm_boot, sctlr));
	DEFINE(BOOT_NR_CPUS, offsetof(struct skvm_boot, nr_cpus));
	DEFINE(BOOT_CPUS, offsetof(struct skvm_boot, cpus_pa));
	DEFINE(BOOT_STACKS, offsetof(struct skvm_boot, stacks_pa));
	return 0;
}
