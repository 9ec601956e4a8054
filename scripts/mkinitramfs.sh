#!/bin/bash
# Build the initramfs that QEMU boots for a test: static busybox, an /init
# that mounts the usual filesystems, runs /test.sh (a copy of SCRIPT) and
# prints "SPLITKVM-EXIT: <rc>" before powering off. Each FILE (e.g. a .ko)
# lands in /lib/splitkvm/. Each --tree DIR is laid over the root as it is
# (e.g. a staged program with its libraries, scripts/fetch-vmm.sh); it may
# add files to the initramfs's directories but not replace any.
# usage: mkinitramfs.sh [--tree DIR]... OUT.cpio.gz SCRIPT [FILE...]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"

usage() {
	echo "usage: mkinitramfs.sh [--tree DIR]... OUT.cpio.gz SCRIPT [FILE...]" >&2
	exit 2
}
trees=()
while [ $# -gt 0 ] && [ "$1" = --tree ]; do
	[ $# -ge 2 ] || usage
	[ -d "$2" ] || { echo "mkinitramfs: no such directory '$2'" >&2; exit 1; }
	trees+=("$2")
	shift 2
done
[ $# -ge 2 ] || usage
out=$1
script=$2
shift 2
[ -f "$script" ] || { echo "mkinitramfs: no such script '$script'" >&2; exit 1; }
for f in "$@"; do
	[ -f "$f" ] || { echo "mkinitramfs: no such file '$f'" >&2; exit 1; }
done

# Unpack busybox-static once; re-unpack only when the .deb changes.
bb_unpack() {
	local deb dir=$SPLITKVM_CACHE/busybox-arm64 want
	deb=$(find "$SPLITKVM_CACHE/debs" -maxdepth 1 \
		-name 'busybox-static_*_arm64.deb' 2>/dev/null | sort -V | tail -n1)
	if [ -z "$deb" ]; then
		echo "mkinitramfs: no busybox-static arm64 .deb, run scripts/install-deps.sh" >&2
		exit 1
	fi
	want=$(stat -c '%n %s %Y' "$deb")
	if [ ! -x "$dir/bin/busybox" ] || [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$want" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		dpkg-deb -x "$deb" "$dir"
		echo "$want" >"$dir/.stamp"
	fi
	echo "$dir/bin/busybox"
}
busybox=$(bb_unpack)

stage=$(mktemp -d)
tmp=$out.tmp.$$
trap 'rm -rf "$stage" "$tmp"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc,lib/splitkvm}
cp "$busybox" "$stage/bin/busybox"
# The aarch64 busybox cannot run here to list its applets, so only the shell
# that runs /init is linked now; /init links the rest.
ln -s busybox "$stage/bin/sh"
install -m 0755 "$script" "$stage/test.sh"
for f in "$@"; do
	dst=$stage/lib/splitkvm/$(basename "$f")
	[ ! -e "$dst" ] || { echo "mkinitramfs: two files named '$(basename "$f")'" >&2; exit 1; }
	cp -L "$f" "$dst"
done
for t in "${trees[@]}"; do
	while IFS= read -r -d '' f; do
		if [ -e "$stage/$f" ] || [ -L "$stage/$f" ]; then
			echo "mkinitramfs: '$f' of $t is already there" >&2
			exit 1
		fi
	done < <(cd "$t" && find . ! -type d -print0)
	cp -a "$t/." "$stage/"
done

# No /dev/console here: the kernel's built-in default initramfs always
# provides it, and leaving it out keeps this script free of mknod.
cat >"$stage/init" <<'EOF'
#!/bin/sh
# splitkvm test init: run /test.sh, report its status, power off.
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
export SPLITKVM_FILES=/lib/splitkvm
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# devtmpfs may already be there if the kernel mounted it itself.
grep -q ' /dev devtmpfs ' /proc/mounts || mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp

# Honour a shebang if the script has one, but never let it read the console:
# nothing types there, so a read would just hang until the timeout.
case $(head -n1 /test.sh) in
'#!'*) /test.sh </dev/null ;;
*) sh /test.sh </dev/null ;;
esac
rc=$?
echo "SPLITKVM-EXIT: $rc"
sync
poweroff -f
EOF
chmod 0755 "$stage/init"

# Fixed timestamps, sorted names, root ownership and gzip -n make the output
# depend only on the inputs, so rebuilding gives the same bytes.
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --reproducible --quiet) | gzip -9 -n >"$tmp"
mv -f "$tmp" "$out"
