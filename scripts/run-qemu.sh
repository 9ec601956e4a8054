#!/bin/bash
# Boot the arm64 host kernel at EL2 under QEMU with a test initramfs (see
# mkinitramfs.sh) and exit with the test's status, taken from the
# "SPLITKVM-EXIT: <rc>" line on the console. 124 means QEMU timed out, 1 that
# it ended without the marker (panic, early crash).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"

usage() {
	cat >&2 <<'EOF'
usage: run-qemu.sh [--cpu NAME|max-vhe] [--smp N] [--mem MB] [--timeout SECONDS]
                   [--log FILE] [--append "extra cmdline"] [--icount OPTS]
                   --kernel Image --initrd FILE
EOF
	exit 2
}

cpu=cortex-a72
smp=2
mem=1024
tmo=600
log=
append=
kernel=
initrd=
icount=()
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--cpu) cpu=$2 ;;
	--smp) smp=$2 ;;
	--mem) mem=$2 ;;
	--timeout) tmo=$2 ;;
	--log) log=$2 ;;
	--append) append=$2 ;;
	--kernel) kernel=$2 ;;
	--initrd) initrd=$2 ;;
	--icount) icount=(-icount "$2") ;;
	*) usage ;;
	esac
	shift 2
done
if [ -z "$kernel" ] || [ -z "$initrd" ]; then
	usage
fi
for f in "$kernel" "$initrd"; do
	[ -f "$f" ] || { echo "run-qemu: no such file '$f'" >&2; exit 2; }
done

cmdline="console=ttyAMA0 panic=-1"
# QEMU's "max" CPU has VHE, which the kernel would switch to; splitkvm needs
# the nVHE layout, so hide VHE from the kernel. "max-vhe" leaves it, to
# check that splitkvm refuses such a kernel.
case $cpu in
max) cmdline+=" id_aa64mmfr1.vh=0" ;;
max-vhe) cpu=max ;;
esac
[ -z "$append" ] || cmdline+=" $append"

if [ -z "$log" ]; then
	log=$SPLITKVM_CACHE/logs/qemu-$(date +%Y%m%d-%H%M%S)-$$.log
fi
mkdir -p "$(dirname "$log")"

# stdin is /dev/null: with a terminal there, QEMU (in timeout's background
# process group) would stop on SIGTTOU/SIGTTIN, and no test reads input.
# No NIC: virt's default virtio-net wants a ROM from ipxe-qemu, not installed.
st=0
timeout "$tmo" qemu-system-aarch64 \
	-M virt,virtualization=on,gic-version=3 -cpu "$cpu" \
	-smp "$smp" -m "$mem" -nographic -no-reboot -nic none "${icount[@]}" \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	</dev/null 2>&1 | tee "$log" || st=${PIPESTATUS[0]}

# Keep our messages off the end of an unterminated last console line.
[ -z "$(tail -c1 "$log")" ] || echo

# The console has CRLF line ends; take the last marker in case the test
# printed something that looks like one.
rc=$(tr -d '\r' <"$log" | sed -n 's/^SPLITKVM-EXIT: \([0-9]\{1,3\}\)$/\1/p' |
	tail -n1)
if [ "$st" -eq 124 ]; then
	echo "run-qemu: TIMEOUT: QEMU killed after ${tmo}s${rc:+ (test had exited $rc)}" >&2
	rc=124
elif [ -z "$rc" ]; then
	echo "run-qemu: FAILED: QEMU exited ($st) without a SPLITKVM-EXIT line (kernel panic?)" >&2
	rc=1
fi
echo "run-qemu: log: $log" >&2
exit "$rc"
