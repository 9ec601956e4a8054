# Sourced by the in-QEMU test scripts: one "SPLITKVM-CHECK: ok|not ok NAME"
# line per check (scripts/check.sh counts them); $fail is 1 after a failure.
fail=0

check() {
	name=$1
	shift
	if "$@"; then
		echo "SPLITKVM-CHECK: ok $name"
	else
		echo "SPLITKVM-CHECK: not ok $name"
		fail=1
	fi
}

# No oops, BUG, panic or bad access in the kernel log.
host_healthy() {
	! dmesg | grep -qE "Oops|BUG:|WARNING:|Kernel panic|Unable to handle|Internal error"
}
