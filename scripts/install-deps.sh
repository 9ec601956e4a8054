#!/bin/bash
# Install what splitkvm's build and tests need from Debian's packages.
# Idempotent: does nothing when everything is already there.
set -euo pipefail

pkgs=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
      qemu-system-arm
      linux-source-6.12 bc bison flex libssl-dev libelf-dev cpio xz-utils
      make gcc python3 perl rsync kmod e2fsprogs)
need=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		need+=("$p")
done

# busybox-static for arm64 is only unpacked into the guest's initramfs.
bb_deb_dir=${SPLITKVM_CACHE:-$HOME/.cache/splitkvm}/debs
bb_need=1
ls "$bb_deb_dir"/busybox-static_*_arm64.deb >/dev/null 2>&1 && bb_need=0

if [ ${#need[@]} -eq 0 ] && [ $bb_need -eq 0 ]; then
	exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
if [ $bb_need -eq 1 ] &&
   ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi
$SUDO apt-get update -qq
if [ ${#need[@]} -gt 0 ]; then
	echo "install-deps: installing ${need[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
if [ $bb_need -eq 1 ]; then
	mkdir -p "$bb_deb_dir"
	(cd "$bb_deb_dir" && apt-get download -qq busybox-static:arm64)
fi
