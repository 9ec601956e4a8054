#!/bin/sh
# Runs inside a QEMU arm64 host with more CPUs than the seed's fixed tables
# had (scripts/check.sh boots it with 12): EL2 sizes its per-CPU state from
# the CPUs the kernel can have, installs on every one, and runs guests on
# them, the last one included.
M=${SPLITKVM_FILES:-/lib/splitkvm}
. "$M/check-lib.sh"

ncpus=$(grep -c ^processor /proc/cpuinfo)
installed_on_all() {
	dmesg | tail -n 5 | grep -q "EL2 installed on $ncpus CPUs"
}

check more_than_8_cpus [ "$ncpus" -gt 8 ]
check insmod insmod "$M/splitkvm.ko"
check installed_on_all_cpus installed_on_all
check kvm_smoke "$M/kvm-smoke"
# On the last CPU, whose EL2 record and stack lie past the first eight.
check kvm_smoke_last_cpu taskset "$(printf '0x%x' $((1 << (ncpus - 1))))" \
	"$M/kvm-smoke"
check kvm_fuzz "$M/kvm-fuzz" 3 500
check kunit_el2 insmod "$M/splitkvm-kunit.ko"
rmmod splitkvm-kunit
check rmmod rmmod splitkvm
check host_healthy_after host_healthy
exit $fail
