#!/bin/bash
# "make run": build what is missing, boot the arm64 host in QEMU, load
# splitkvm, run the demo guest and show its exits on the console.
# usage: run-demo.sh [run-qemu.sh options, e.g. --cpu max]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$SPLITKVM_TOP/scripts/install-deps.sh"
kdir=$("$SPLITKVM_TOP/scripts/build-kernel.sh" arm64 | tail -n 1)
make -s -C "$SPLITKVM_TOP" KDIR="$kdir" modules
initrd=$SPLITKVM_CACHE/demo.cpio.gz
"$SPLITKVM_TOP/scripts/mkinitramfs.sh" "$initrd" \
	"$SPLITKVM_TOP/tests/qemu/demo.sh" \
	"$SPLITKVM_TOP/splitkvm.ko" "$SPLITKVM_TOP/splitkvm-demo.ko"
exec "$SPLITKVM_TOP/scripts/run-qemu.sh" --kernel "$kdir/arch/arm64/boot/Image" \
	--initrd "$initrd" --timeout 300 --append quiet "$@"
