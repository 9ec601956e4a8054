// SPDX-License-Identifier: GPL-2.0-only
/*
 * splitkvm-demo: runs one tiny guest through EL2 and logs every exit. The
 * guest prints a line through a UART it does not have (MMIO exits), then
 * says it is done with an HVC.
 */
#define pr_fmt(fmt) "splitkvm-demo: " fmt

#include <linux/err.h>
#include <linux/module.h>
#include "../host/splitkvm.h"
#include "guest/payloads.h"

#define RAM_IPA		0x80000000UL
#define RAM_SIZE	(64 * 1024UL)
#define MSG_IPA		(RAM_IPA + 0x1000)
#define UART_IPA	0x09000000UL

static const char msg[] = "Hello from a splitkvm guest at EL1!";

static const char *const exit_names[] = {
	[SPLITKVM_EXIT_HVC] = "HVC", [SPLITKVM_EXIT_SMC] = "SMC",
	[SPLITKVM_EXIT_MMIO] = "MMIO", [SPLITKVM_EXIT_WFX] = "WFx",
	[SPLITKVM_EXIT_SYSREG] = "sysreg", [SPLITKVM_EXIT_IRQ] = "IRQ",
	[SPLITKVM_EXIT_FAULT] = "fault", [SPLITKVM_EXIT_OTHER] = "other",
};

static int run_demo(void)
{
	struct splitkvm_vcpu *vcpu;
	struct splitkvm_vm *vm;
	char out[sizeof(msg)] = "";
	unsigned int n = 0, irqs = 0, exits = 0;
	int ret;

	vm = splitkvm_vm_create(RAM_IPA, RAM_SIZE, 40);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	ret = splitkvm_vm_write(vm, RAM_IPA, payload_hello, PAYLOAD_SIZE(hello));
	if (!ret)
		ret = splitkvm_vm_write(vm, MSG_IPA, msg, sizeof(msg) - 1);
	vcpu = splitkvm_vcpu_create(vm, 0);
	if (IS_ERR(vcpu))
		ret = PTR_ERR(vcpu);
	if (ret)
		goto out;
	splitkvm_vcpu_set_reg(vcpu, SKVM_REG_PC, RAM_IPA);
	splitkvm_vcpu_set_reg(vcpu, 1, MSG_IPA);
	splitkvm_vcpu_set_reg(vcpu, 2, sizeof(msg) - 1);
	splitkvm_vcpu_set_reg(vcpu, 3, UART_IPA);

	for (;;) {
		struct splitkvm_vcpu_exit *e = &vcpu->exit;

		ret = splitkvm_vcpu_run(vcpu);
		if (ret)
			break;
		exits++;
		if (e->kind == SPLITKVM_EXIT_IRQ) {
			irqs++;
			continue;
		}
		if (e->kind == SPLITKVM_EXIT_MMIO) {
			pr_info("exit %u: MMIO %s, %u byte(s) at %#llx, x%u = %#llx ('%c')\n",
				exits, e->mmio.is_write ? "write" : "read",
				e->mmio.size, e->mmio.ipa, e->mmio.reg,
				e->mmio.data, (char)e->mmio.data);
			if (n < sizeof(out) - 1)
				out[n++] = e->mmio.data;
			continue;
		}
		pr_info("exit %u: %s (esr %#llx, imm %#llx)\n", exits,
			exit_names[e->kind], e->raw.esr, e->raw.access);
		if (e->kind != SPLITKVM_EXIT_HVC || e->raw.access != 6)
			ret = -EIO;
		break;
	}
	pr_info("the guest wrote \"%s\" in %u exits (%u host IRQs)\n", out,
		exits, irqs);
	if (!ret && strcmp(out, msg))
		ret = -EIO;
out:
	splitkvm_vm_destroy(vm);
	return ret;
}

static int __init demo_init(void)
{
	int ret = run_demo();

	pr_info("%s (%d)\n", ret ? "FAILED" : "done", ret);
	return ret;
}

static void __exit demo_exit(void)
{
}

module_init(demo_init);
module_exit(demo_exit);
MODULE_DESCRIPTION("splitkvm demo guest");
MODULE_LICENSE("GPL");
