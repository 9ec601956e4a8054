#!/bin/bash
# Debian's arm64 QEMU as the VMM inside the arm64 host: boots the host in
# QEMU with an initramfs that holds qemu-system-aarch64 and its libraries
# (scripts/fetch-vmm.sh), a guest kernel (the host's own Image), a guest
# initramfs (tests/qemu/vmm-guest-vm.sh) and an ext2 disk; the host runs
# tests/qemu/vmm-guest-host.sh, which boots the guest with a virtio-mmio disk
# and NIC and checks what it prints. Says how long each step took.
# usage: [ACCEL=tcg|kvm] [GUEST_SMP=1|2] [HOST_CPU=cortex-a72|max]
#        [HOST_SMP=N] [TIMEOUT=SECONDS] tests/qemu/vmm-guest.sh
#   ACCEL     the VMM's accelerator: tcg (default; nested TCG) or kvm
#             (insmod splitkvm.ko, then "-accel kvm -cpu host")
#   GUEST_SMP guest CPUs (default 1); HOST_CPU, HOST_SMP: the host's CPU
#             model (default cortex-a72) and count (default 2)
#   TIMEOUT   for the host's QEMU (default 600; a tcg run takes ~30 s); the
#             VMM gets 120 s less
#   ICOUNT    QEMU -icount options for the host (e.g. shift=0,sleep=off:
#             one virtual ns per instruction, so the guest's uptime at its
#             init counts the instructions it took), none by default
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../../scripts/lib.sh disable=SC1091
. "$(dirname "$0")/../../scripts/lib.sh"

accel=${ACCEL:-tcg}
gsmp=${GUEST_SMP:-1}
hcpu=${HOST_CPU:-cortex-a72}
hsmp=${HOST_SMP:-2}
tmo=${TIMEOUT:-600}
case $accel in tcg | kvm) ;; *) echo "vmm-guest: ACCEL is tcg or kvm" >&2; exit 2 ;; esac
case $gsmp in [1-9]) ;; *) echo "vmm-guest: GUEST_SMP is 1..9" >&2; exit 2 ;; esac
case $tmo in *[!0-9]* | '') echo "vmm-guest: TIMEOUT is seconds" >&2; exit 2 ;; esac
[ "$tmo" -gt 180 ] || { echo "vmm-guest: TIMEOUT must exceed 180" >&2; exit 2; }

start=$SECONDS
t=$SECONDS
took() {
	echo "vmm-guest: $1 took $((SECONDS - t)) s" >&2
	t=$SECONDS
}
say() {
	echo "vmm-guest: $*..." >&2
}

"$SPLITKVM_TOP/scripts/install-deps.sh"
took "install-deps"
say "building the arm64 kernel, host and guest (cached by its config)"
kdir=$("$SPLITKVM_TOP/scripts/build-kernel.sh" arm64 | tail -n 1)
image=$kdir/arch/arm64/boot/Image
took "arm64 kernel (host and guest)"
files=()
if [ "$accel" = kvm ]; then
	say "building splitkvm.ko"
	make -s -C "$SPLITKVM_TOP" KDIR="$kdir" modules
	files+=("$SPLITKVM_TOP/splitkvm.ko")
	took "splitkvm.ko"
fi
say "fetching Debian's arm64 QEMU and its libraries (cached)"
vmm=$("$SPLITKVM_TOP/scripts/fetch-vmm.sh" | tail -n 1)
took "fetch-vmm ($(du -sh "$vmm" | cut -f1) staged)"

say "making the guest's initramfs and virtio disk"
guest_rd=$SPLITKVM_CACHE/vmm-guest-vm.cpio.gz
"$SPLITKVM_TOP/scripts/mkinitramfs.sh" "$guest_rd" \
	"$SPLITKVM_TOP/tests/qemu/vmm-guest-vm.sh"
# The disk the guest reads (see vmm-guest-vm.sh): fixed times, UUID and hash
# seed, so the same bytes each time; mkfs -d needs no root.
disk=$SPLITKVM_CACHE/vmm-guest.ext2
dd=$(mktemp -d)
trap 'rm -rf "$dd"' EXIT
echo "splitkvm vmm-guest disk" >"$dd/hello.txt"
seq 1 20000 >"$dd/seq.txt"
touch -d @0 "$dd" "$dd"/*
uuid=00000000-0000-4000-8000-73706c69746b
rm -f "$disk"
E2FSPROGS_FAKE_TIME=1 /sbin/mkfs.ext2 -q -F -t ext2 -b 1024 -L vmmguest \
	-U "$uuid" -E "hash_seed=$uuid,root_owner=0:0" -d "$dd" "$disk" 1M >/dev/null
took "guest initramfs ($(du -h "$guest_rd" | cut -f1)) and disk"

host_rd=$SPLITKVM_CACHE/vmm-guest.cpio.gz
"$SPLITKVM_TOP/scripts/mkinitramfs.sh" --tree "$vmm" "$host_rd" \
	"$SPLITKVM_TOP/tests/qemu/vmm-guest-host.sh" \
	"$SPLITKVM_TOP/tests/qemu/check-lib.sh" \
	"$image" "$guest_rd" "$disk" "${files[@]}"
took "host initramfs ($(du -h "$host_rd" | cut -f1))"

log=$SPLITKVM_CACHE/logs/vmm-guest-$hcpu-$accel-smp$gsmp.log
say "booting the arm64 host in QEMU ($hcpu, $hsmp CPUs); its console follows"
rc=0
icount=()
[ -z "${ICOUNT:-}" ] || icount=(--icount "$ICOUNT")
"$SPLITKVM_TOP/scripts/run-qemu.sh" --cpu "$hcpu" --smp "$hsmp" --mem 1024 "${icount[@]}" \
	--timeout "$tmo" --kernel "$image" --initrd "$host_rd" --log "$log" \
	--append "quiet vmmguest.accel=$accel vmmguest.smp=$gsmp vmmguest.timeout=$((tmo - 120))" ||
	rc=$?
took "host boot and test (run-qemu.sh)"

# The in-host timings and checks, again at the end of the output.
tr -d '\r' <"$log" | sed -n 's/^SPLITKVM-TIME: \(.*\)/vmm-guest: in the host, \1/p' >&2
tr -d '\r' <"$log" | grep -E '^SPLITKVM-CHECK: ' | sed 's/^SPLITKVM-CHECK: /vmm-guest: /' >&2
echo "vmm-guest: ACCEL=$accel GUEST_SMP=$gsmp HOST_CPU=$hcpu HOST_SMP=$hsmp:" \
	"$([ "$rc" -eq 0 ] && echo PASS || echo "FAIL ($rc)"), $((SECONDS - start)) s in all; log: $log" >&2
exit "$rc"
