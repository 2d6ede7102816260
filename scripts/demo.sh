#!/usr/bin/env bash
# make demo: run the gate on the bundled demo scenario. `perfgate check`
# captures orders-api (perfgate.json), compares it with the committed
# baseline of the nearest commit on first-parent history
# (baselines/orders-api/), prints the table and writes every report to
# $BUILD/demo/; the merge-request summary is printed last.
# Baselines are host-specific: on another machine, re-record first with
# `perfgate baseline record --force` (see the README).
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
