#!/bin/bash
# Every splitkvm test suite, in order: the UML KUnit suites (the portable
# core, differential test against the spec), then the arm64 host in QEMU on
# each CPU model (KUnit at EL2, hotplug, insmod/rmmod) and on a 12-CPU
# host, then a Linux guest booted by Debian's QEMU as the VMM, then the KVM
# selftests. The last line is
# "N passed, N failed" over all test cases and checks.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$SPLITKVM_TOP/scripts/install-deps.sh" || exit 1
logdir=$SPLITKVM_CACHE/logs
mkdir -p "$logdir"
passed=0
failed=0

count() {
	passed=$((passed + $1))
	failed=$((failed + $2))
}

# ---- UML: builds a UML kernel with kunit/uml built in and boots it ----
suite_start=$SECONDS
uml_log=$logdir/uml-kunit.log
"$SPLITKVM_TOP/scripts/run-uml-kunit.sh" 2>&1 | tee "$uml_log" >&2
rc=${PIPESTATUS[0]}
line=$(grep -E '^uml: [0-9]+ passed, [0-9]+ failed' "$uml_log" | tail -n 1)
p=0
f=0
if [ -n "$line" ]; then
	p=$(echo "$line" | sed -E 's/^uml: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^uml: [0-9]+ passed, ([0-9]+) failed.*/\1/')
fi
# A build failure or a run with no test must not look green.
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
	echo "check: the UML suites failed (status $rc); see $uml_log" >&2
	f=1
fi
count "$p" "$f"
echo "check: UML KUnit (build and run) took $((SECONDS - suite_start)) s" >&2

# ---- QEMU arm64: the module, its EL2 KUnit suite, lifecycle checks ----
kdir=$("$SPLITKVM_TOP/scripts/build-kernel.sh" arm64 | tail -n 1)
if ! make -s -C "$SPLITKVM_TOP" KDIR="$kdir" modules; then
	echo "check: building splitkvm.ko failed" >&2
	count 0 1
	echo "$passed passed, $failed failed"
	exit 1
fi
# The KVM selftests, and the uapi headers of this kernel they come with
# (the tests below use them too).
st_dir=
if ! st_dir=$("$SPLITKVM_TOP/scripts/build-selftests.sh" | tail -n 1); then
	echo "check: building the KVM selftests failed" >&2
	count 0 1
fi
# A host task that keeps SVE/SME state beside running vCPUs (el2_host_sve),
# a minimal VMM on /dev/kvm (kvm-smoke) and a KVM API fuzzer (kvm-fuzz).
sve_check=$SPLITKVM_CACHE/sve-check
kvm_smoke=$SPLITKVM_CACHE/kvm-smoke
kvm_fuzz=$SPLITKVM_CACHE/kvm-fuzz
if ! ${CROSS}gcc -O2 -static -nostdlib -ffreestanding -fno-stack-protector \
	-march=armv8.2-a+sve -o "$sve_check" \
	"$SPLITKVM_TOP/tests/user/sve-check.c"; then
	echo "check: building tests/user/sve-check.c failed" >&2
	count 0 1
fi
for t in kvm-smoke kvm-fuzz; do
	if ! ${CROSS}gcc -O2 -static -Wall -pthread \
		-isystem "$st_dir/usr/include" -o "$SPLITKVM_CACHE/$t" \
		"$SPLITKVM_TOP/tests/user/$t.c"; then
		echo "check: building tests/user/$t.c failed" >&2
		count 0 1
	fi
done
initrd=$SPLITKVM_CACHE/el2-suite.cpio.gz
"$SPLITKVM_TOP/scripts/mkinitramfs.sh" "$initrd" \
	"$SPLITKVM_TOP/tests/qemu/el2-suite.sh" \
	"$SPLITKVM_TOP/tests/qemu/check-lib.sh" \
	"$SPLITKVM_TOP/splitkvm.ko" "$SPLITKVM_TOP/splitkvm-kunit.ko" \
	"$sve_check" "$kvm_smoke" "$kvm_fuzz"

vhe_initrd=$SPLITKVM_CACHE/vhe-refusal.cpio.gz
"$SPLITKVM_TOP/scripts/mkinitramfs.sh" "$vhe_initrd" \
	"$SPLITKVM_TOP/tests/qemu/vhe-refusal.sh" \
	"$SPLITKVM_TOP/tests/qemu/check-lib.sh" "$SPLITKVM_TOP/splitkvm.ko"

many_initrd=$SPLITKVM_CACHE/many-cpus.cpio.gz
"$SPLITKVM_TOP/scripts/mkinitramfs.sh" "$many_initrd" \
	"$SPLITKVM_TOP/tests/qemu/many-cpus.sh" \
	"$SPLITKVM_TOP/tests/qemu/check-lib.sh" \
	"$SPLITKVM_TOP/splitkvm.ko" "$SPLITKVM_TOP/splitkvm-kunit.ko" \
	"$sve_check" "$kvm_smoke" "$kvm_fuzz"

# The EL2 suite on each CPU model, then a VHE kernel that must be refused,
# then a host with more CPUs than the seed's tables had.
for cpu in cortex-a72 max max-vhe a72-12cpus; do
	suite_start=$SECONDS
	log=$logdir/el2-suite-$cpu.log
	rd=$initrd
	model=$cpu
	smp=2
	[ "$cpu" != max-vhe ] || rd=$vhe_initrd
	if [ "$cpu" = a72-12cpus ]; then
		rd=$many_initrd
		model=cortex-a72
		smp=12
	fi
	"$SPLITKVM_TOP/scripts/run-qemu.sh" --cpu "$model" --smp "$smp" \
		--timeout 900 \
		--kernel "$kdir/arch/arm64/boot/Image" --initrd "$rd" \
		--append kunit.enable=1 --log "$log" >/dev/null
	rc=$?
	# KTAP test cases (indented) and the script's own checks.
	p=$(tr -d '\r' <"$log" | grep -cE '^    ok [0-9]+ |^SPLITKVM-CHECK: ok ')
	f=$(tr -d '\r' <"$log" | grep -cE '^    not ok [0-9]+ |^SPLITKVM-CHECK: not ok ')
	tr -d '\r' <"$log" | grep -E '^    (not )?ok [0-9]+ |^SPLITKVM-CHECK: ' |
		sed "s/^ */qemu-$cpu: /"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "check: QEMU ($cpu) ended with status $rc; see $log" >&2
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "check: QEMU ($cpu) ran no test; see $log" >&2
		f=1
	fi
	count "$p" "$f"
	echo "check: QEMU $cpu suite took $((SECONDS - suite_start)) s" >&2
done

# ---- Debian's QEMU as the VMM in the host, booting a Linux guest ----
# With 1 and 2 vCPUs, on both CPU models: virtio-blk, virtio-net, PSCI.
for hcpu in cortex-a72 max; do
	for gsmp in 1 2; do
		suite_start=$SECONDS
		log=$SPLITKVM_CACHE/logs/vmm-guest-$hcpu-kvm-smp$gsmp.log
		ACCEL=kvm GUEST_SMP=$gsmp HOST_CPU=$hcpu TIMEOUT=420 \
			"$SPLITKVM_TOP/tests/qemu/vmm-guest.sh" >/dev/null 2>&1
		rc=$?
		p=$(tr -d '\r' <"$log" 2>/dev/null | grep -c '^SPLITKVM-CHECK: ok ')
		f=$(tr -d '\r' <"$log" 2>/dev/null | grep -c '^SPLITKVM-CHECK: not ok ')
		tr -d '\r' <"$log" 2>/dev/null | grep -E '^SPLITKVM-(CHECK|TIME): ' |
			sed "s/^SPLITKVM-[A-Z]*: /vmm-$hcpu-smp$gsmp: /"
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "check: QEMU as VMM ($hcpu, $gsmp vCPUs) ended with status $rc; see $log" >&2
			f=1
		fi
		count "$p" "$f"
		echo "check: Linux guest under QEMU on $hcpu, $gsmp vCPUs took $((SECONDS - suite_start)) s" >&2
	done
done

# ---- The kernel's KVM selftests against /dev/kvm ----
# All of them on -cpu max; on cortex-a72 (no LSE, no RAS, no SVE) the
# subset tests/kvm-selftests-a72.list names, with the same expectations.
for cpu in max cortex-a72; do
	[ -n "$st_dir" ] || break
	st_start=$SECONDS
	expected=$SPLITKVM_TOP/tests/kvm-selftests.expected
	if [ "$cpu" = cortex-a72 ]; then
		# The subset, as a file of the same name for selftests.sh.
		mkdir -p "$SPLITKVM_CACHE/selftests-a72"
		expected=$SPLITKVM_CACHE/selftests-a72/kvm-selftests.expected
		names=$(grep -v '^#' "$SPLITKVM_TOP/tests/kvm-selftests-a72.list" |
			paste -sd'|')
		grep -E "^($names)\|" "$SPLITKVM_TOP/tests/kvm-selftests.expected" \
			>"$expected"
	fi
	mapfile -t st_bins < <(find "$st_dir" -type f -perm -u+x ! -name '*.o' ! -name '*.d')
	st_initrd=$SPLITKVM_CACHE/selftests-$cpu.cpio.gz
	"$SPLITKVM_TOP/scripts/mkinitramfs.sh" "$st_initrd" \
		"$SPLITKVM_TOP/tests/qemu/selftests.sh" \
		"$SPLITKVM_TOP/tests/qemu/check-lib.sh" "$SPLITKVM_TOP/splitkvm.ko" \
		"$expected" "${st_bins[@]}"
	log=$logdir/selftests-$cpu.log
	# dirty_log_test maps 1 GiB of guest memory: the host gets 3.
	"$SPLITKVM_TOP/scripts/run-qemu.sh" --cpu "$cpu" --smp 2 --mem 3072 \
		--timeout 2400 \
		--kernel "$kdir/arch/arm64/boot/Image" --initrd "$st_initrd" \
		--log "$log" >/dev/null
	st_out=$("$SPLITKVM_TOP/scripts/selftest-table.sh" "$expected" "$log" |
		 sed "s/^selftest: /selftest-$cpu: /")
	echo "$st_out"
	count "$(echo "$st_out" | grep -c "^selftest-$cpu: ok ")" \
	      "$(echo "$st_out" | grep -c "^selftest-$cpu: not ok ")"
	p=$(tr -d '\r' <"$log" | grep -c '^SPLITKVM-CHECK: ok ')
	f=$(tr -d '\r' <"$log" | grep -c '^SPLITKVM-CHECK: not ok ')
	count "$p" "$f"
	echo "check: KVM selftests on $cpu took $((SECONDS - st_start)) s" >&2
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
