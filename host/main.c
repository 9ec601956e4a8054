// SPDX-License-Identifier: GPL-2.0-only
/* splitkvm: a split-mode (nVHE) arm64 hypervisor, loaded as a module. */
#include <linux/module.h>
#include "splitkvm.h"

static int __init splitkvm_init(void)
{
	return splitkvm_el2_init();
}

static void __exit splitkvm_exit(void)
{
	splitkvm_el2_exit();
}

module_init(splitkvm_init);
module_exit(splitkvm_exit);
MODULE_DESCRIPTION("splitkvm: split-mode arm64 hypervisor");
MODULE_LICENSE("GPL");
