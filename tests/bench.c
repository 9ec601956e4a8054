// SPDX-License-Identifier: GPL-2.0-only
/*
 * splitkvm-bench: the cost of a guest exit, for scripts/bench.sh. Under
 * QEMU's -icount shift=0 one virtual nanosecond is one instruction, so the
 * figures are instruction counts, exact and repeatable. Prints:
 *  - "ping": a null host -> EL2 -> host hypercall (the floor);
 *  - "hvc exit": the guest's HVC, out to this module and back in, as
 *    splitkvm_vcpu_run() does it (the FP section taken once outside);
 *  - "mmio exit": the same for a decoded MMIO write the host emulates.
 * Everything runs at load; the module holds nothing afterwards.
 */
#define pr_fmt(fmt) "splitkvm-bench: " fmt

#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <asm/neon.h>
#include "../host/splitkvm.h"
#include "guest/payloads.h"

#define RAM_IPA		0x80000000UL
#define RAM_SIZE	(64 * 1024UL)
#define MMIO_IPA	0x10000000UL
#define WARMUP		200
#define RUNS		5000

static unsigned int runs = RUNS;
module_param(runs, uint, 0444);
MODULE_PARM_DESC(runs, "exits measured per figure");

static void report(const char *what, u64 ns, unsigned int n,
		   unsigned int irqs)
{
	pr_info("%-10s %llu ns per exit (%u exits, %u IRQ exits left out)\n",
		what, div_u64(ns, n), n, irqs);
}

static void bench_ping(void)
{
	u64 args[8] = { SKVM_HC_ID(SKVM_HC_PING) }, res[8], t;
	unsigned int i;

	for (i = 0; i < WARMUP; i++)
		splitkvm_hvc_raw(args, res);
	t = ktime_get_ns();
	for (i = 0; i < runs; i++)
		splitkvm_hvc_raw(args, res);
	report("ping", ktime_get_ns() - t, runs, 0);
}

/*
 * A sealed VM running @code on one vCPU from RAM_IPA, with x2 = @x2 and,
 * if @psci, SMCCC/PSCI_VERSION answered at EL2. Return: 0 or -errno; the
 * VM is in *@vm either way (an ERR_PTR if it could not be created).
 */
static int bench_vm(const u8 *code, size_t len, u64 x2, bool psci,
		    struct splitkvm_vm **vm, struct splitkvm_vcpu **vcpu)
{
	int ret;

	*vm = splitkvm_vm_create(RAM_IPA, RAM_SIZE, 40);
	if (IS_ERR(*vm))
		return PTR_ERR(*vm);
	ret = splitkvm_vm_write(*vm, RAM_IPA, code, len);
	*vcpu = ret ? ERR_PTR(ret) : splitkvm_vcpu_create(*vm, 0);
	ret = PTR_ERR_OR_ZERO(*vcpu);
	if (!ret)
		ret = splitkvm_vcpu_set_reg(*vcpu, SKVM_REG_PC, RAM_IPA);
	if (!ret)
		ret = splitkvm_vcpu_set_reg(*vcpu, 2, x2);
	if (!ret && psci)
		ret = splitkvm_vcpu_set_reg(*vcpu, SKVM_REG_PSCI_VERSION,
					    0x10001);
	if (!ret)
		ret = splitkvm_vm_seal(*vm);
	return ret;
}

/* @payload exits @runs times with @kind; IRQ exits are counted apart. */
static int bench_exits(const char *what, const u8 *code, size_t len,
		       enum splitkvm_exit_kind kind)
{
	unsigned int n = 0, irqs = 0, i;
	struct splitkvm_vcpu *vcpu;
	struct splitkvm_vm *vm;
	u64 t = 0;
	int ret;

	ret = bench_vm(code, len, MMIO_IPA, false, &vm, &vcpu);
	if (IS_ERR(vm))
		return ret;
	kernel_neon_begin();
	for (i = 0; !ret && n < WARMUP + runs; i++) {
		if (n == WARMUP && !t)
			t = ktime_get_ns();
		ret = __splitkvm_vcpu_run(vcpu);
		if (ret)
			break;
		if (vcpu->exit.kind == kind)
			n++;
		else if (vcpu->exit.kind == SPLITKVM_EXIT_IRQ)
			irqs += n >= WARMUP;
		else
			ret = -EIO;
	}
	t = ktime_get_ns() - t;
	kernel_neon_end();
	if (!ret)
		report(what, t, runs, irqs);
	splitkvm_vm_destroy(vm);
	return ret;
}

/*
 * SMCCC_VERSION, which EL2 answers without the host (as it does for
 * KVM-API VMs): @runs calls in the guest, then one exit; IRQ exits on the
 * way are in the figure, and counted.
 */
static int bench_smccc_at_el2(void)
{
	unsigned int irqs = 0;
	struct splitkvm_vcpu *vcpu;
	struct splitkvm_vm *vm;
	u64 t;
	int ret;

	ret = bench_vm(payload_smccc_loop, PAYLOAD_SIZE(smccc_loop), runs,
		       true, &vm, &vcpu);
	if (IS_ERR(vm))
		return ret;
	kernel_neon_begin();
	t = ktime_get_ns();
	while (!ret) {
		ret = __splitkvm_vcpu_run(vcpu);
		if (ret || vcpu->exit.kind != SPLITKVM_EXIT_IRQ)
			break;
		irqs++;
	}
	t = ktime_get_ns() - t;
	kernel_neon_end();
	if (!ret && vcpu->exit.kind != SPLITKVM_EXIT_HVC)
		ret = -EIO;
	if (!ret)
		pr_info("%-10s %llu ns per call (%u calls, %u IRQ exits in)\n",
			"smccc at el2", div_u64(t, runs), runs, irqs);
	splitkvm_vm_destroy(vm);
	return ret;
}

static int __init bench_init(void)
{
	int ret;

	if (!runs)
		return -EINVAL;
	bench_ping();
	ret = bench_exits("hvc exit", payload_count, PAYLOAD_SIZE(count),
			  SPLITKVM_EXIT_HVC);
	if (!ret)
		ret = bench_exits("mmio exit", payload_mmio_loop,
				  PAYLOAD_SIZE(mmio_loop), SPLITKVM_EXIT_MMIO);
	if (!ret)
		ret = bench_smccc_at_el2();
	if (ret)
		pr_err("failed: %d\n", ret);
	return ret;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_DESCRIPTION("splitkvm exit-cost benchmark");
MODULE_LICENSE("GPL");
