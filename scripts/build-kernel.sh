#!/bin/bash
# Build (or reuse) a kernel: "arm64" is the host that QEMU boots, "uml" runs
# the portable KUnit suites. Prints the build directory on the last line.
# usage: build-kernel.sh arm64|uml [extra kunit config fragment for uml]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: build-kernel.sh arm64|uml}
ksrc_unpack
case $arch in
arm64)
	frag=$SPLITKVM_TOP/scripts/config/arm64-host.config
	kmake=(make -C "$KSRC" ARCH=arm64 CROSS_COMPILE=$CROSS)
	targets=(Image modules)
	;;
*)
	echo "unknown kernel '$arch'" >&2
	exit 2
	;;
esac
out=$(kbuild_dir "$arch" "$frag")
if [ -f "$out/.splitkvm-built" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$out"
echo "building the $arch kernel in $out (cached afterwards)" >&2
"${kmake[@]}" O="$out" KCONFIG_ALLCONFIG="$frag" allnoconfig >/dev/null
# Every line of the fragment must have survived Kconfig, or the cache key lies.
while IFS= read -r line; do
	case $line in
	CONFIG_*=n) opt=${line%=n}
		! grep -q "^$opt=" "$out/.config" || { echo "$opt still set" >&2; exit 1; } ;;
	CONFIG_*) grep -qx "$line" "$out/.config" ||
		{ echo "Kconfig dropped '$line'" >&2; exit 1; } ;;
	esac
done <"$frag"
"${kmake[@]}" O="$out" -j"$(nproc)" "${targets[@]}" >"$out/build.log" 2>&1 ||
	{ tail -30 "$out/build.log" >&2; exit 1; }
touch "$out/.splitkvm-built"
echo "$out"
