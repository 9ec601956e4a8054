#!/bin/bash
# Build the KVM selftests of the same 6.12 tree for arm64, statically, once
# (cached by the kernel package); prints the directory with the binaries.
# usage: build-selftests.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ksrc_unpack >&2
key=$(stat -c '%s %Y' "$KSRC_TARBALL" | sha256sum | cut -c1-16)
out=$SPLITKVM_CACHE/build/kvm-selftests-$key
if [ ! -f "$out/.done" ]; then
	kdir=$("$SPLITKVM_TOP/scripts/build-kernel.sh" arm64 | tail -n 1)
	rm -rf "$out"
	mkdir -p "$out"
	echo "building the KVM selftests in $out (cached afterwards)" >&2
	make -s -C "$KSRC" O="$kdir" ARCH=arm64 CROSS_COMPILE="$CROSS" \
		headers_install INSTALL_HDR_PATH="$out/usr" >&2
	make -s -C "$KSRC/tools/testing/selftests/kvm" ARCH=arm64 \
		CROSS_COMPILE="$CROSS" EXTRA_CFLAGS=-static OUTPUT="$out" \
		KHDR_INCLUDES="-isystem $out/usr/include" -j"$(nproc)" \
		>"$out/build.log" 2>&1 ||
		{ tail -20 "$out/build.log" >&2; exit 1; }
	touch "$out/.done"
fi
echo "$out"
