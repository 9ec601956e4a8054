#!/bin/bash
# Build a UML kernel with splitkvm's KUnit suites (kunit/uml/) built in, boot
# it, and report. The suites run at boot, before userspace (which UML cannot
# start on hosts where ptrace cannot set the FP registers, e.g. with AMX).
#
# usage: run-uml-kunit.sh [kunit.py run options...] [filter_glob]
#   e.g. run-uml-kunit.sh 'splitkvm_sample.*'   or   run-uml-kunit.sh --raw_output=all
# env:   UML_KUNIT_JOBS (default: nproc), UML_KUNIT_TIMEOUT (s, default 900)
#
# Last line: "uml: P passed, F failed[, S skipped]" (test cases; crashed ones
# count as failed). Exit status is non-zero if the build or the boot failed,
# a test failed or crashed, or no test ran at all.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kunitconfig=$SPLITKVM_TOP/kunit/uml/.kunitconfig
jobs=${UML_KUNIT_JOBS:-$(nproc)}
timeout=${UML_KUNIT_TIMEOUT:-900}
mkline='obj-$(CONFIG_UML) += splitkvm/'

# A UML kernel for this machine, whatever the caller cross-compiles for.
unset ARCH CROSS_COMPILE
ksrc_unpack
mkdir -p "$SPLITKVM_CACHE/build"
# One UML run at a time per cache: the drivers/splitkvm symlink in the shared
# source tree names a single checkout.
exec 9>"$SPLITKVM_CACHE/build/uml-kunit.lock"
flock 9

# O= builds refuse a source tree that has been configured in place.
if [ -e "$KSRC/.config" ] || [ -d "$KSRC/include/config" ] ||
   [ -d "$KSRC/arch/um/include/generated" ]; then
	echo "run-uml-kunit: $KSRC was built in-tree; running 'make mrproper' there"
	make -C "$KSRC" ARCH=um mrproper >/dev/null
fi

# Hook kunit/uml of THIS checkout into the kernel tree (re-pointed every run).
link=$KSRC/drivers/splitkvm
if [ -e "$link" ] && [ ! -L "$link" ]; then
	echo "run-uml-kunit: $link exists and is not a symlink" >&2
	exit 2
fi
ln -sfn "$SPLITKVM_TOP/kunit/uml" "$link"
if ! grep -qxF "$mkline" "$KSRC/drivers/Makefile"; then
	[ -z "$(tail -c1 "$KSRC/drivers/Makefile")" ] || echo >>"$KSRC/drivers/Makefile"
	printf '%s\n' "$mkline" >>"$KSRC/drivers/Makefile"
fi

out=$(kbuild_dir uml-kunit "$kunitconfig")
mkdir -p "$out"
log=$out/run-uml-kunit.log
json=$out/results.json
rm -f "$json" "$out/test.log"
echo "run-uml-kunit: build dir $out, log $log"

set +e
# Unbuffered so the output streams through tee. fd 9 (the lock) is not
# handed to kunit.py, so a stray UML process cannot keep the lock.
PYTHONUNBUFFERED=1 python3 "$KSRC/tools/testing/kunit/kunit.py" run \
	--arch=um --kunitconfig="$kunitconfig" --build_dir="$out" \
	--jobs="$jobs" --timeout="$timeout" \
	--make_options="SPLITKVM_TOP=$SPLITKVM_TOP" \
	--json="$json" "$@" 9>&- 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# Count leaf test cases (parameterised cases count once per parameter).
read -r passed failed skipped < <(python3 - "$json" <<'EOF'
import json, sys
n = {"PASS": 0, "FAIL": 0, "SKIP": 0, "ERROR": 0}
def walk(g):
    for t in g.get("test_cases", []):
        n[t["status"]] = n.get(t["status"], 0) + 1
    for s in g.get("sub_groups", []):
        walk(s)
try:
    with open(sys.argv[1]) as f:
        walk(json.load(f))
except (OSError, ValueError):
    pass  # no results: build or boot failed
print(n["PASS"], n["FAIL"] + n["ERROR"], n["SKIP"])
EOF
)

status=0
if [ "$rc" -ne 0 ]; then
	echo "run-uml-kunit: kunit.py failed (exit $rc); see $log and $out/test.log" >&2
	status=1
fi
if [ $((passed + failed)) -eq 0 ]; then
	echo "run-uml-kunit: no test ran" >&2
	status=1
fi
[ "$failed" -eq 0 ] || status=1
# kunit.py does not notice a kernel that dies after the last test.
if [ "$rc" -eq 0 ] && ! grep -q '^reboot: System halted' "$out/test.log"; then
	echo "run-uml-kunit: the UML kernel did not halt cleanly; see $out/test.log" >&2
	status=1
fi
line="uml: $passed passed, $failed failed"
[ "$skipped" -eq 0 ] || line="$line, $skipped skipped"
echo "$line"
exit $status
