#!/bin/sh
# Runs inside a QEMU arm64 host whose kernel uses VHE (-cpu max without
# id_aa64mmfr1.vh=0): splitkvm must refuse to load, saying how to boot.
M=${SPLITKVM_FILES:-/lib/splitkvm}
. "$M/check-lib.sh"

check kernel_uses_vhe sh -c 'dmesg | grep -q "Virtualization Host Extensions"'
check insmod_refused sh -c "! insmod $M/splitkvm.ko 2>/dev/null"
check refusal_names_the_fix sh -c \
	'dmesg | grep -q "splitkvm: .*boot with id_aa64mmfr1.vh=0"'
check host_healthy_after host_healthy
exit $fail
