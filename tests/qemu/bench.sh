#!/bin/sh
# Runs inside the QEMU arm64 host for "make bench" (scripts/bench.sh).
M=${SPLITKVM_FILES:-/lib/splitkvm}
insmod "$M/splitkvm.ko" || exit 1
# The module measures and prints its figures as it loads.
insmod "$M/splitkvm-bench.ko" || exit 1
dmesg | grep 'splitkvm-bench: '
rmmod splitkvm-bench splitkvm || exit 1
exit 0
