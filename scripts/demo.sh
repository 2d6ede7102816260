#!/usr/bin/env bash
# make demo: run the gate on the bundled demo scenario. The scenario has a
# build, so `perfgate check` is paired: it builds the reference commit (the
# merge base with main) in a temporary tree and re-measures it here, in
# rounds interleaved with the current tree, showing the committed baseline
# (baselines/orders-api/, recorded elsewhere, days ago) beside it. It
# prints the table and writes every report to $BUILD/demo/; the
# merge-request summary is printed last. `--mode stored` (arguments are
# passed on) compares with the committed baseline instead.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
rc=0
"$BUILD/perfgate" check -c perfgate.json -s orders-api --report-dir "$BUILD/demo" "$@" || rc=$?
if [ -s "$BUILD/demo/summary.md" ]; then
	echo
	echo "--- $BUILD/demo/summary.md"
	cat "$BUILD/demo/summary.md"
fi
echo
echo "reports in $BUILD/demo/: $(ls "$BUILD/demo" | tr '\n' ' ')(exit $rc)"
exit $rc
