# Shared settings for splitkvm's scripts: where caches live, which kernel.
# Sourced, not run.
SPLITKVM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SPLITKVM_CACHE=${SPLITKVM_CACHE:-$HOME/.cache/splitkvm}
KSRC_TARBALL=/usr/src/linux-source-6.12.tar.xz
KSRC=$SPLITKVM_CACHE/src/linux-source-6.12
CROSS=aarch64-linux-gnu-

# Unpack Debian's kernel source once; re-unpack if the package changed.
ksrc_unpack() {
	local stamp=$SPLITKVM_CACHE/src/.stamp want
	want=$(stat -c '%s %Y' "$KSRC_TARBALL")
	if [ -f "$KSRC/Makefile" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
		return 0
	fi
	echo "unpacking $KSRC_TARBALL"
	rm -rf "$KSRC"
	mkdir -p "$SPLITKVM_CACHE/src"
	tar -xJf "$KSRC_TARBALL" -C "$SPLITKVM_CACHE/src"
	echo "$want" >"$stamp"
}

# Install what is missing, build (or reuse) the arm64 host kernel and the
# modules against it; sets $kdir to the kernel's build directory.
build_host_and_modules() {
	"$SPLITKVM_TOP/scripts/install-deps.sh"
	kdir=$("$SPLITKVM_TOP/scripts/build-kernel.sh" arm64 | tail -n 1)
	make -s -C "$SPLITKVM_TOP" KDIR="$kdir" modules
}

# The build directory of a kernel is keyed by its config fragment, the
# kernel package and this file, so a changed fragment gets a fresh build.
kbuild_dir() {
	local arch=$1 frag=$2 key
	key=$( (cat "$frag"; stat -c '%s %Y' "$KSRC_TARBALL") | sha256sum | cut -c1-16)
	echo "$SPLITKVM_CACHE/build/$arch-$key"
}
