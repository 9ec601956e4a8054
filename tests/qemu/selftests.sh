#!/bin/sh
# Runs inside the QEMU arm64 host (scripts/check.sh): loads splitkvm and
# runs each KVM selftest named in kvm-selftests.expected, with its
# arguments and a time limit, printing "SELFTEST <name> <rc>" and the tail
# of its output. check.sh compares the outcomes with the file.
M=${SPLITKVM_FILES:-/lib/splitkvm}
. "$M/check-lib.sh"

check insmod insmod "$M/splitkvm.ko"
# Huge pages for the runs backed by them (-s anonymous_hugetlb): 512 MiB.
echo 256 >/proc/sys/vm/nr_hugepages
cd "$M" || exit 1
grep -v '^#' kvm-selftests.expected | while IFS="|" read -r name _ args _ secs; do
	[ -n "$name" ] || continue
	# "binary@label" runs the binary again under another name.
	# shellcheck disable=SC2086 # the arguments are words
	timeout "${secs:-60}" "./${name%%@*}" $args >/tmp/out 2>&1
	echo "SELFTEST $name $?"
	tail -n 4 /tmp/out | sed 's/^/    /'
done
check host_healthy_after_selftests host_healthy
check rmmod rmmod splitkvm
exit $fail
