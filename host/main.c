// SPDX-License-Identifier: GPL-2.0-only
/* splitkvm: a split-mode (nVHE) arm64 hypervisor, loaded as a module. */
#include <linux/module.h>
#include "kvm.h"

static int __init splitkvm_init(void)
{
	int ret = splitkvm_el2_init();

	if (ret)
		return ret;
	ret = skvm_kvm_dev_init();
	if (ret)
		splitkvm_el2_exit();
	return ret;
}

static void __exit splitkvm_exit(void)
{
	skvm_kvm_dev_exit();
	splitkvm_el2_exit();
}

module_init(splitkvm_init);
module_exit(splitkvm_exit);
MODULE_DESCRIPTION("splitkvm: split-mode arm64 hypervisor");
MODULE_LICENSE("GPL");
