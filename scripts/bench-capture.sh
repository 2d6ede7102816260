#!/usr/bin/env bash
# The gate's own cost per run: wall time of a capture of the demo scenario
# minus runs x (warm-up + load duration), divided by runs. What is left is
# starting the workload and the load script, readiness, loading the probes
# (once per capture) and pointing them at each run, analysis and teardown.
# Goal: <= 0.3 s per run; exits 1 when missed. Usage: bench-capture.sh [RUNS]
# (default 3); root.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${1:-3}
DURATION=2
WARMUP=1
make --no-print-directory "$BUILD/perfgate" build/orders-api >/dev/null
t=$(mktemp -d /tmp/perfgate-bench-XXXXXX)
trap 'rm -rf "$t"' EXIT

# The demo scenario with short, whole-second phases (wrk counts in seconds),
# without its build: its command runs in the config's directory, and the
# workload is the one make just built.
python3 - perfgate.json "$t/perfgate.json" "$PWD" "$DURATION" "$WARMUP" <<'PY'
import json, os, sys
src, dst, root, d, w = sys.argv[1:]
c = json.load(open(src))
sc = c["scenarios"][0]
sc.pop("build", None)
sc["workload"]["cmd"][0] = os.path.join(root, sc["workload"]["cmd"][0])
sc["load"]["cmd"][0] = os.path.join(root, sc["load"]["cmd"][0])
sc["load"]["duration_s"] = float(d)
sc["load"]["warmup_s"] = float(w)
json.dump(c, open(dst, "w"))
PY
start=$(date +%s.%N)
"$BUILD/perfgate" capture -c "$t/perfgate.json" --runs "$RUNS" -o "$t/result.json" >/dev/null
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v r="$RUNS" -v d="$DURATION" -v w="$WARMUP" 'BEGIN {
	wall = e - s; over = (wall - r * (d + w)) / r
	printf "capture: %d runs of %g s warm-up + %g s load in %.2f s wall\n", r, w, d, wall
	printf "gate overhead: %.2f s per run (goal <= 0.3 s: %s)\n", over, (over <= 0.3 ? "met" : "MISSED")
	exit over > 0.3 }'
