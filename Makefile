# SPDX-License-Identifier: GPL-2.0-only
# make [KDIR=...]   build splitkvm.ko (default KDIR: the cached arm64 build)
# make run          boot the arm64 host in QEMU, load splitkvm, and boot a
#                   Linux guest (2 vCPUs) with Debian's QEMU as the VMM
# make demo         the same host, with the tiny in-kernel MMIO demo guest
# make check        every test suite; ends with "N passed, N failed"
# make bench        exit costs in instructions (QEMU -icount)

ifneq ($(KERNELRELEASE),)
include $(src)/Kbuild
else
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KDIR ?= $(shell $(TOP)/scripts/build-kernel.sh arm64 | tail -n 1)
CROSS_COMPILE ?= aarch64-linux-gnu-

all: modules

deps:
	$(TOP)/scripts/install-deps.sh

# Objects built against another kernel build (another config) are stale,
# and kbuild cannot tell: their dependencies name that build's headers.
modules: deps
	@if [ "$$(cat $(TOP)/.kdir 2>/dev/null)" != "$(KDIR)" ]; then \
		$(MAKE) -s -C $(KDIR) M=$(TOP) ARCH=arm64 \
			CROSS_COMPILE=$(CROSS_COMPILE) clean; \
		echo "$(KDIR)" >$(TOP)/.kdir; \
	fi
	$(MAKE) -C $(KDIR) M=$(TOP) ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) modules

run: deps
	ACCEL=kvm GUEST_SMP=2 $(TOP)/tests/qemu/vmm-guest.sh

demo: deps
	$(TOP)/scripts/run-demo.sh

check: deps
	$(TOP)/scripts/check.sh

bench: deps
	$(TOP)/scripts/bench.sh

clean:
	$(MAKE) -C $(KDIR) M=$(TOP) ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) clean

.PHONY: all deps modules run demo check bench clean
endif
