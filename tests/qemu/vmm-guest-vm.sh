#!/bin/sh
# Runs as /test.sh in the guest that QEMU, as the VMM inside the arm64 host,
# boots (tests/qemu/vmm-guest.sh, which makes the disk): counts the CPUs,
# reads known files from the virtio-blk disk, brings the virtio-net NIC up
# and pings QEMU's user-network gateway. One "GUEST-*" line each, which
# tests/qemu/vmm-guest-host.sh checks; the status is 0 if all were ok.
rc=0
echo "GUEST-UP: $(nproc) cpus"
echo "GUEST-UPTIME: $(cut -d' ' -f1 /proc/uptime) s"

# The disk: an ext2 with hello.txt (one line) and seq.txt ("seq 1 20000",
# 106 KiB, so that the read takes many virtio requests).
mkdir -p /mnt
if mount -t ext2 -o ro /dev/vda /mnt &&
	[ "$(cat /mnt/hello.txt)" = "splitkvm vmm-guest disk" ] &&
	seq 1 20000 | cmp -s - /mnt/seq.txt; then
	echo "GUEST-BLK: ok"
else
	echo "GUEST-BLK: failed"
	rc=1
fi
umount /mnt 2>/dev/null

# QEMU's user network: the guest is 10.0.2.15, the gateway 10.0.2.2.
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
i=0
while [ "$(cat /sys/class/net/eth0/operstate 2>/dev/null)" != up ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ "$(cat /sys/class/net/eth0/operstate 2>/dev/null)" = up ]; then
	echo "GUEST-NET: ok"
else
	echo "GUEST-NET: failed ($(cat /sys/class/net/eth0/operstate 2>&1))"
	rc=1
fi
# Packets both ways through the NIC's queues: the gateway answers pings.
if ping -c 1 -W 10 10.0.2.2 >/tmp/ping 2>&1; then
	echo "GUEST-PING: ok"
else
	echo "GUEST-PING: failed"
	sed 's/^/    /' /tmp/ping
	rc=1
fi
exit $rc
