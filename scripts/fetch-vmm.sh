#!/bin/bash
# Fetch Debian's arm64 QEMU (qemu-system-arm:arm64) to run as the VMM inside
# the arm64 host, and stage qemu-system-aarch64 with exactly the shared
# libraries it loads, as a tree to lay over the host's root:
#   usr/bin/qemu-system-aarch64, lib/ld-linux-aarch64.so.1 (its PT_INTERP),
#   lib/aarch64-linux-gnu/<soname> for each library.
# The libraries are found by following readelf's NEEDED entries through the
# unpacked .debs; a soname in none of them makes the script download the
# direct dependencies (apt-cache depends) of the package that needs it.
# Cached: the .debs stay in $SPLITKVM_CACHE/debs/vmm, each is unpacked once,
# and the tree ($SPLITKVM_CACHE/vmm-arm64, its stamp beside it) is restaged
# only when the .debs (or this script) change. Prints the tree's path on the last line.
# usage: fetch-vmm.sh
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || { echo "usage: fetch-vmm.sh" >&2; exit 2; }
debs=$SPLITKVM_CACHE/debs/vmm
unp=$SPLITKVM_CACHE/vmm-arm64.unpacked
out=$SPLITKVM_CACHE/vmm-arm64
top=qemu-system-arm
bin=usr/bin/qemu-system-aarch64
# Where ld.so looks without an ld.so.cache (Debian's multiarch defaults).
libdirs=(lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib)
mkdir -p "$debs" "$unp"

deb_of() {
	find "$debs" -maxdepth 1 -name "${1}_*_arm64.deb" | sort -V | tail -n1
}

# Download the arm64 .debs of the packages given that are not here yet.
download() {
	local p want=()
	for p in "$@"; do
		[ -n "$(deb_of "$p")" ] || want+=("$p:arm64")
	done
	[ ${#want[@]} -gt 0 ] || return 0
	echo "fetch-vmm: downloading ${want[*]}" >&2
	# apt warns that it runs unsandboxed when root writes outside its cache.
	# Failures show up in the check below.
	(cd "$debs" && apt-get download -qq "${want[@]}") 2>&1 |
		grep -v 'unsandboxed' >&2 || true
	for p in "$@"; do
		[ -n "$(deb_of "$p")" ] ||
			{ echo "fetch-vmm: could not download $p:arm64" >&2; exit 1; }
	done
}

# Unpack a package's .deb into $unp/<pkg>, again only if the .deb changed.
unpack() {
	local deb dir=$unp/$1 want
	deb=$(deb_of "$1")
	want=$(stat -c '%n %s %Y' "$deb")
	[ "$(cat "$dir.stamp" 2>/dev/null)" != "$want" ] || return 0
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$deb" "$dir"
	echo "$want" >"$dir.stamp"
}

# The real file behind ROOT/REL, following symlinks (relative or absolute)
# inside ROOT rather than on this machine.
resolve() {
	local root=$1 rel=$2 t n=0
	while [ -L "$root/$rel" ]; do
		t=$(readlink "$root/$rel")
		case $t in
		/*) rel=${t#/} ;;
		*) rel=$(dirname "$rel")/$t ;;
		esac
		n=$((n + 1))
		[ $n -lt 20 ] || return 1
	done
	[ -f "$root/$rel" ] && echo "$root/$rel"
}

# "pkg|path" of the unpacked package that ships SONAME in a library dir.
find_so() {
	local d l
	for d in "$unp"/*/; do
		for l in "${libdirs[@]}"; do
			if [ -e "$d$l/$1" ] || [ -L "$d$l/$1" ]; then
				echo "$(basename "$d")|$l/$1"
				return 0
			fi
		done
	done
	return 1
}

# The direct, real (not virtual, not Architecture: all: apt shows both in
# <>) dependencies of an arm64 package.
deps_of() {
	apt-cache depends --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "$1:arm64" |
		sed -n 's/^ *|\{0,1\}\(Pre\)\{0,1\}Depends: \([^<][^ ]*\)$/\2/p' |
		sed 's/:arm64$//' | sort -u
}

# The tree depends on this script and on the .debs it was made from.
deb_key() {
	(cat "$0"; cd "$debs" && stat -c '%n %s %Y' ./*.deb) | sha256sum | cut -c1-16
}

download "$top"
if [ -x "$out/$bin" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$(deb_key)" ]; then
	echo "$out"
	exit 0
fi
for deb in "$debs"/*_arm64.deb; do
	p=$(basename "$deb")
	unpack "${p%%_*}"
done

interp=$(readelf -l "$unp/$top/$bin" |
	sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
[ -n "$interp" ] || { echo "fetch-vmm: $bin has no interpreter" >&2; exit 1; }

# Breadth first over NEEDED: each entry is "pkg|path" of an ELF to scan.
declare -A found=()
queue=("$top|$bin")
i=0
while [ $i -lt ${#queue[@]} ]; do
	pkg=${queue[$i]%%|*}
	elf=$unp/$pkg/${queue[$i]#*|}
	i=$((i + 1))
	elf=$(resolve "$unp/$pkg" "${elf#"$unp/$pkg/"}")
	for so in $(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		# The dynamic loader is staged as the interpreter, below.
		[ "$so" != "$(basename "$interp")" ] || continue
		[ -z "${found[$so]:-}" ] || continue
		if ! hit=$(find_so "$so"); then
			mapfile -t dl < <(deps_of "$pkg")
			download "${dl[@]}"
			for p in "${dl[@]}"; do
				unpack "$p"
			done
			hit=$(find_so "$so") || {
				echo "fetch-vmm: no package among $pkg's dependencies ships $so" >&2
				exit 1
			}
		fi
		found[$so]=$hit
		queue+=("$hit")
	done
done

tmp=$out.tmp.$$
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
mkdir -p "$tmp/$(dirname "$bin")" "$tmp/lib/aarch64-linux-gnu" \
	"$tmp/$(dirname "${interp#/}")"
cp "$(resolve "$unp/$top" "$bin")" "$tmp/$bin"
ld=
for d in "$unp"/*/; do
	ld=$(resolve "${d%/}" "${interp#/}") && break
done
[ -n "$ld" ] || { echo "fetch-vmm: no package ships $interp" >&2; exit 1; }
cp "$ld" "$tmp/${interp#/}"
for so in "${!found[@]}"; do
	hit=${found[$so]}
	cp "$(resolve "$unp/${hit%%|*}" "${hit#*|}")" "$tmp/lib/aarch64-linux-gnu/$so"
done
# The stamp sits beside the tree, which holds only what goes in the host.
rm -f "$out.stamp"
rm -rf "$out"
mv "$tmp" "$out"
deb_key >"$out.stamp"
echo "fetch-vmm: staged $bin, its loader and ${#found[@]} libraries:" \
	"$(du -sh "$out" | cut -f1) in $out" >&2
echo "$out"
