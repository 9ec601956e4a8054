#!/bin/sh
# Runs inside the QEMU arm64 host (tests/qemu/vmm-guest.sh): Debian's
# qemu-system-aarch64 (staged by scripts/fetch-vmm.sh) as the VMM boots the
# same kernel as a guest, with a virtio-mmio disk and NIC; the guest
# (tests/qemu/vmm-guest-vm.sh) prints GUEST-* lines, checked here.
# From the kernel command line: vmmguest.accel=tcg|kvm (kvm loads splitkvm
# and runs "-accel kvm -cpu host"), vmmguest.smp=N (guest CPUs),
# vmmguest.timeout=SECONDS (for the VMM).
M=${SPLITKVM_FILES:-/lib/splitkvm}
# shellcheck source=check-lib.sh
. "$M/check-lib.sh"

accel=tcg
smp=1
tmo=600
for w in $(tr ' ' '\n' </proc/cmdline); do
	case $w in
	vmmguest.accel=*) accel=${w#*=} ;;
	vmmguest.smp=*) smp=${w#*=} ;;
	vmmguest.timeout=*) tmo=${w#*=} ;;
	esac
done

# Seconds since boot, to the hundredth; without icount the host's clock
# follows the wall clock.
now() { cut -d' ' -f1 /proc/uptime; }
since() { echo "$(now) $1" | awk '{ printf "%.1f", $1 - $2 }'; }

echo "SPLITKVM-TIME: host-boot $(now) s"

machine=virt,gic-version=3
case $accel in
tcg) accel_opts="-accel tcg -cpu cortex-a72" ;;
kvm)
	echo "vmm-guest: loading splitkvm: EL2 on every CPU, /dev/kvm"
	check insmod insmod "$M/splitkvm.ko" || exit 1
	accel_opts="-accel kvm -cpu host"
	# splitkvm has no ITS: QEMU 7.2's virt board then dereferences a
	# NULL ITS class name (create_its()) unless told there is none.
	machine=$machine,its=off
	;;
*)
	echo "vmm-guest: unknown accelerator '$accel'"
	exit 2
	;;
esac

t=$(now)
check vmm_runs qemu-system-aarch64 --version
echo "SPLITKVM-TIME: vmm-version $(since "$t") s"

# Guest console lines go to the host's console prefixed with "guest| ", so
# that the guest's own SPLITKVM-EXIT line cannot pass for the host's.
echo "vmm-guest: starting QEMU as the VMM: qemu-system-aarch64 -M $machine $accel_opts -smp $smp (timeout ${tmo}s); the guest's console follows, as guest|"
t=$(now)
# shellcheck disable=SC2086 # accel_opts are words
{
	timeout "$tmo" qemu-system-aarch64 -M "$machine" $accel_opts \
		-smp "$smp" -m 256 -nographic -no-reboot \
		-kernel "$M/Image" -initrd "$M/vmm-guest-vm.cpio.gz" \
		-append "console=ttyAMA0 panic=-1" \
		-drive file="$M/vmm-guest.ext2",if=none,id=d0,format=raw,readonly=on \
		-device virtio-blk-device,drive=d0 \
		-netdev user,id=n0 -device virtio-net-device,netdev=n0 \
		</dev/null 2>&1
	echo $? >/tmp/vmm.rc
} | tee /tmp/guest.log | sed 's/^/guest| /'
echo "SPLITKVM-TIME: vmm-run $(since "$t") s"
vmm_rc=$(cat /tmp/vmm.rc)
echo "vmm-guest: the guest powered off; qemu-system-aarch64 exited $vmm_rc"

tr -d '\r' </tmp/guest.log >/tmp/guest.txt
check vmm_exit_0 [ "$vmm_rc" = 0 ]
check guest_up grep -qx "GUEST-UP: $smp cpus" /tmp/guest.txt
check guest_blk grep -qx "GUEST-BLK: ok" /tmp/guest.txt
check guest_net grep -qx "GUEST-NET: ok" /tmp/guest.txt
check guest_ping grep -qx "GUEST-PING: ok" /tmp/guest.txt
check guest_exit_0 grep -qx "SPLITKVM-EXIT: 0" /tmp/guest.txt
if [ "$accel" = kvm ]; then
	check rmmod rmmod splitkvm
fi
check host_healthy host_healthy
exit "$fail"
