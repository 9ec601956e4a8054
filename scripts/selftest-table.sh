#!/bin/bash
# Compare the KVM selftest outcomes in a QEMU log ("SELFTEST <name> <rc>",
# tests/qemu/selftests.sh) with the expected table; print the table and
# one "selftest: ok|not ok <name>" line per test.
# usage: selftest-table.sh EXPECTED LOG
set -euo pipefail
expected=$1
log=$2
printf '%-34s %-8s %-8s %s\n' "KVM selftest" expected got reason
grep -v '^#' "$expected" | while IFS='|' read -r name want _ reason _; do
	[ -n "$name" ] || continue
	rc=$(tr -d '\r' <"$log" | sed -n "s/^SELFTEST $name \([0-9]*\)$/\1/p" | tail -n 1)
	case $rc in
	0) got=pass ;;
	4) got=skip ;;
	'') got=missing ;;
	*) got=fail ;;
	esac
	printf '%-34s %-8s %-8s %s\n' "$name" "$want" "$got" "$reason"
	if [ "$got" = "$want" ]; then
		echo "selftest: ok $name"
	else
		echo "selftest: not ok $name (expected $want, got $got)"
	fi
done
