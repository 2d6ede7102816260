#!/usr/bin/env bash
# A/A stability of the gate: record a fresh baseline of the unchanged demo
# scenario, then run `perfgate check` K times against it (default 20) and
# count false alarms (exit 1), in stored mode (bench-power.sh compares
# the modes). Every false alarm is a gate that would block
# an innocent merge request; with default settings this must print 0.
# Runs in a temporary git repository holding the repository's perfgate.json
# (or -c FILE), with build/ and scripts/ linked in so relative paths resolve.
# Usage: bench-gate.sh [K] [-c FILE]   (root: the probes need it)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PERFGATE=$BUILD/perfgate
K=20
CONFIG=$ROOT/perfgate.json
while [ $# -gt 0 ]; do
	case $1 in
	-c) CONFIG=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
	*) K=$1; shift ;;
	esac
done

tmp=$(mktemp -d /tmp/pg-bench-gate.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com \
	GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
unset CI_MERGE_REQUEST_DIFF_BASE_SHA ORDERS_REGRESS
cd "$tmp"
git init -q -b main
cp "$CONFIG" perfgate.json
cp "$ROOT/go.work" go.work
ln -s "$BUILD" build
ln -s "$ROOT/scripts" scripts
ln -s "$ROOT/tests" tests
printf 'build\nscripts\ntests\n' >.gitignore
git add perfgate.json go.work .gitignore && git commit -qm "bench: A"
"$PERFGATE" baseline record >/dev/null
git add baselines && git commit -qm "bench: baseline of A"

alarms=0 errors=0
start=$(date +%s)
for i in $(seq 1 "$K"); do
	rc=0
	"$PERFGATE" check --mode stored --report-dir "$tmp/r$i" >"$tmp/r$i.out" 2>"$tmp/r$i.err" || rc=$?
	case $rc in
	0) echo "check $i/$K: pass" ;;
	1)
		alarms=$((alarms + 1))
		echo "check $i/$K: FALSE ALARM:" \
			"$(grep -E ' regression' "$tmp/r$i.out" | awk '{print $1, $4}' | tr '\n' ' ')"
		;;
	*)
		errors=$((errors + 1))
		echo "check $i/$K: error (exit $rc): $(cat "$tmp/r$i.err")"
		;;
	esac
done
echo "bench-gate: $alarms false alarms in $K checks ($errors errors)," \
	"$(($(date +%s) - start)) s"
[ "$alarms" -eq 0 ] && [ "$errors" -eq 0 ]
