#!/bin/bash
# "make run": build what is missing, boot the arm64 host in QEMU, load
# splitkvm, run the demo guest and show its exits on the console.
# usage: run-demo.sh [run-qemu.sh options, e.g. --cpu max]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

build_host_and_modules
initrd=$SPLITKVM_CACHE/demo.cpio.gz
"$SPLITKVM_TOP/scripts/mkinitramfs.sh" "$initrd" \
	"$SPLITKVM_TOP/tests/qemu/demo.sh" \
	"$SPLITKVM_TOP/splitkvm.ko" "$SPLITKVM_TOP/splitkvm-demo.ko"
exec "$SPLITKVM_TOP/scripts/run-qemu.sh" --kernel "$kdir/arch/arm64/boot/Image" \
	--initrd "$initrd" --timeout 300 --append quiet "$@"
