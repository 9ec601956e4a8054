#!/bin/sh
# Runs inside the QEMU arm64 host (see scripts/check.sh). Prints one
# "SPLITKVM-CHECK: ok|not ok <name>" line per check; the KUnit suites print
# KTAP on the console themselves. Exit status 0 only if all went well.
M=${SPLITKVM_FILES:-/lib/splitkvm}
. "$M/check-lib.sh"

installed_on_all() {
	n=$(grep -c ^processor /proc/cpuinfo)
	dmesg | tail -n 5 | grep -q "EL2 installed on $n CPUs"
}

check insmod insmod "$M/splitkvm.ko"
check installed_on_all_cpus installed_on_all
# The KVM API: /dev/kvm from devtmpfs, and a minimal VMM running a guest.
check dev_kvm [ -c /dev/kvm ]
check kvm_smoke "$M/kvm-smoke"
# Seeded random API calls, then every EL2 slot and page must be back.
check kvm_fuzz "$M/kvm-fuzz" "$(grep -c ^processor /proc/cpuinfo)" 3000
# A VMM killed in the middle of it all (SIGKILL, vCPUs running) leaves
# nothing behind: no fd holds the module any more, and a fuzz run after it
# finds every EL2 VM slot and all the memory it started with.
killed_vmm() {
	"$M/kvm-fuzz" 7 100000000 >/dev/null 2>&1 &
	pid=$!
	sleep 3
	held=$(cat /sys/module/splitkvm/refcnt)
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	sleep 1
	[ "$held" -gt 0 ] && [ "$(cat /sys/module/splitkvm/refcnt)" = 0 ]
}
check kvm_sigkill_mid_run killed_vmm
check kvm_fuzz_after_sigkill "$M/kvm-fuzz" 8 500
check kunit_el2 insmod "$M/splitkvm-kunit.ko"
rmmod splitkvm-kunit

# CPU hotplug with the hyp installed: the CPU that comes back gets it back,
# and the EL2 suite (which runs guests on every CPU) passes again.
if [ -e /sys/devices/system/cpu/cpu1/online ]; then
	check cpu1_offline sh -c 'echo 0 > /sys/devices/system/cpu/cpu1/online'
	check cpu1_online sh -c 'echo 1 > /sys/devices/system/cpu/cpu1/online'
	check kunit_el2_after_hotplug insmod "$M/splitkvm-kunit.ko"
	rmmod splitkvm-kunit
fi
check rmmod rmmod splitkvm

i=0
ok=1
while [ $i -lt 10 ]; do
	insmod "$M/splitkvm.ko" && installed_on_all && rmmod splitkvm || ok=0
	i=$((i + 1))
done
check insmod_rmmod_x10 [ $ok = 1 ]
check host_healthy_after host_healthy
exit $fail
