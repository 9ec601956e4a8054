#!/bin/bash
# "make bench": exit costs in instructions. Boots the arm64 host in QEMU with
# -icount shift=0,sleep=off (one virtual ns = one instruction), one vCPU
# host CPU so nothing else shares it, and loads splitkvm-bench.ko, which
# prints the figures (tests/bench.c).
# usage: bench.sh [--cpu cortex-a72|max]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

build_host_and_modules
initrd=$SPLITKVM_CACHE/bench.cpio.gz
"$SPLITKVM_TOP/scripts/mkinitramfs.sh" "$initrd" \
	"$SPLITKVM_TOP/tests/qemu/bench.sh" \
	"$SPLITKVM_TOP/splitkvm.ko" "$SPLITKVM_TOP/splitkvm-bench.ko"
log=$SPLITKVM_CACHE/logs/bench.log
"$SPLITKVM_TOP/scripts/run-qemu.sh" --kernel "$kdir/arch/arm64/boot/Image" \
	--initrd "$initrd" --timeout 600 --smp 1 --append quiet \
	--icount shift=0,sleep=off --log "$log" "$@" >/dev/null
tr -d '\r' <"$log" | grep -E 'splitkvm-bench: ' | sed 's/^.*splitkvm-bench: /bench: /'
