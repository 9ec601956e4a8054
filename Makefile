# SPDX-License-Identifier: GPL-2.0-only
# make [KDIR=...]   build splitkvm.ko (default KDIR: the cached arm64 build)
# make run          boot the arm64 host in QEMU, load splitkvm, run a guest
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

modules: deps
	$(MAKE) -C $(KDIR) M=$(TOP) ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) modules

run: deps
	$(TOP)/scripts/run-demo.sh

check: deps
	$(TOP)/scripts/check.sh

bench: deps
	$(TOP)/scripts/bench.sh

clean:
	$(MAKE) -C $(KDIR) M=$(TOP) ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) clean

.PHONY: all deps modules run check bench clean
endif
