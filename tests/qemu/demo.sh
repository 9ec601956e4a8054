#!/bin/sh
# Runs inside the QEMU arm64 host for "make run": load splitkvm, run the
# demo guest, show what happened, give EL2 back.
M=${SPLITKVM_FILES:-/lib/splitkvm}
# Kernel messages to the console from here on: the exits are pr_info.
dmesg -n 7
insmod "$M/splitkvm.ko" || exit 1
insmod "$M/splitkvm-demo.ko"
rc=$?
rmmod splitkvm-demo 2>/dev/null
rmmod splitkvm || rc=1
exit $rc
