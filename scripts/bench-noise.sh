#!/usr/bin/env bash
# How noisy is one load-wrk.sh run on this host? Runs the demo workload
# pinned to one CPU (GOMAXPROCS=1) and load-wrk.sh pinned to the other, REPS
# times for DURATION seconds per setting, and prints per setting the median
# and spread of rps, lat_p50_ms and lat_p99_ms: (max - min) / median and the
# coefficient of variation. The gate's threshold must beat this spread.
# Usage: scripts/bench-noise.sh ["CONNECTIONS:PACE_MS" ...]
#   env: REPS (5), DURATION (5), WORKLOAD_CPU (0), LOAD_CPU (1), BUILD (build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
REPS=${REPS:-5}
DURATION=${DURATION:-5}
WORKLOAD_CPU=${WORKLOAD_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
settings=("$@")
[ ${#settings[@]} -gt 0 ] || settings=(8:0 8:1 8:2 4:1 16:2)

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; } || true
	rm -rf "$tmp"
}
trap cleanup EXIT

port=$((20000 + RANDOM % 40000))
GOMAXPROCS=1 taskset -c "$WORKLOAD_CPU" "$BUILD/orders-api" -addr "127.0.0.1:$port" \
	2>"$tmp/api.log" &
pid=$!
for _ in $(seq 50); do
	curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done

# median, (max-min)/median %, CV % of the numbers on stdin
spread() {
	sort -g | awk '{ v[NR] = $1; s += $1; ss += $1 * $1 }
	END { n = NR; m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	      mean = s / n; sd = sqrt(ss / n - mean * mean > 0 ? ss / n - mean * mean : 0)
	      printf "%10.3f %7.1f%% %6.1f%%", m, 100 * (v[n] - v[1]) / m, 100 * sd / mean }'
}

printf "%-14s | %-27s | %-27s | %-27s\n" "conns:pace_ms" \
	"rps  median range cv" "p50 ms  median range cv" "p99 ms  median range cv"
for s in "${settings[@]}"; do
	: >"$tmp/runs"
	for r in $(seq "$REPS"); do
		PERFGATE_TARGET_URL=http://127.0.0.1:$port PERFGATE_DURATION_S=$DURATION \
			PERFGATE_METRICS_FILE=$tmp/m.json CONNECTIONS=${s%:*} PACE_MS=${s#*:} \
			taskset -c "$LOAD_CPU" scripts/load-wrk.sh >/dev/null
		jq -r '"\(.rps) \(.lat_p50_ms) \(.lat_p99_ms)"' "$tmp/m.json" >>"$tmp/runs"
	done
	printf "%-14s | %s | %s | %s\n" "$s" "$(cut -d' ' -f1 "$tmp/runs" | spread)" \
		"$(cut -d' ' -f2 "$tmp/runs" | spread)" "$(cut -d' ' -f3 "$tmp/runs" | spread)"
done
