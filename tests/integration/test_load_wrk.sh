#!/usr/bin/env bash
# scripts/load-wrk.sh against the real demo workload: a short paced run and
# an unpaced one write every metric with requests > 0 and errors == 0; wrk
# failing (nobody listening) or a missing variable is a non-zero exit with
# no metrics file. Needs no root; about 4 s.
. "$(dirname "$0")/lib.sh"
set -euo pipefail
cd "$ROOT"
api=$BUILD/orders-api
need_tools wrk jq curl
[ -x "$api" ] || { echo "FAIL: $api not built (make)"; exit 1; }

scratch tmp load-wrk
pid=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	[ -z "$pid" ] || wait "$pid" 2>/dev/null || true
}
at_exit cleanup
fail() { echo "FAIL: $*"; exit 1; }

# A free port: try random ones until the workload answers on one.
for _ in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 40000))
	"$api" -addr "127.0.0.1:$port" 2>"$tmp/api.log" &
	pid=$!
	for _ in $(seq 50); do
		curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break 2
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=
done
[ -n "$pid" ] || fail "orders-api did not start: $(cat "$tmp/api.log")"

export PERFGATE_TARGET_URL=http://127.0.0.1:$port PERFGATE_DURATION_S=1
export PERFGATE_METRICS_FILE=$tmp/metrics.json

check_metrics() { # label
	local f=$PERFGATE_METRICS_FILE
	[ -s "$f" ] || fail "$1: no metrics file"
	jq -e 'type == "object" and (keys | sort) ==
		(["errors","lat_mean_ms","lat_p50_ms","lat_p90_ms","lat_p99_ms","requests","rps"])
		and all(.[]; type == "number")' "$f" >/dev/null || fail "$1: bad keys: $(cat "$f")"
	jq -e '.requests > 0 and .errors == 0 and .rps > 0 and .lat_p50_ms > 0 and
		.lat_p50_ms <= .lat_p90_ms and .lat_p90_ms <= .lat_p99_ms' "$f" >/dev/null ||
		fail "$1: implausible values: $(cat "$f")"
	[ ! -e "$f.tmp" ] || fail "$1: temp file left behind"
	echo "ok: $1: $(cat "$f")"
}

scripts/load-wrk.sh >"$tmp/out" 2>&1 || fail "paced run failed: $(cat "$tmp/out")"
check_metrics "paced (PACE_MS=1)"
paced=$(jq .requests "$PERFGATE_METRICS_FILE")

PACE_MS=0 CONNECTIONS=2 scripts/load-wrk.sh >"$tmp/out" 2>&1 ||
	fail "unpaced run failed: $(cat "$tmp/out")"
check_metrics "unpaced (PACE_MS=0, CONNECTIONS=2)"

# Pacing must really slow each connection down: 8 connections pausing
# 20 ms each cannot exceed 8 / 0.020 = 400 requests per second.
PACE_MS=20 scripts/load-wrk.sh >"$tmp/out" 2>&1 || fail "slow run failed: $(cat "$tmp/out")"
check_metrics "paced (PACE_MS=20)"
jq -e '.rps <= 420' "$PERFGATE_METRICS_FILE" >/dev/null ||
	fail "PACE_MS=20 did not pace: $(cat "$PERFGATE_METRICS_FILE")"
echo "ok: PACE_MS=1 did $paced requests, PACE_MS=20 at most 400/s"

# Nobody listening: wrk's requests all fail, the script exits non-zero and
# leaves no metrics file.
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
if scripts/load-wrk.sh >"$tmp/out" 2>&1; then
	fail "a run against a dead target succeeded: $(cat "$tmp/out")"
fi
grep -q "load-wrk:" "$tmp/out" || fail "no load-wrk message: $(cat "$tmp/out")"
[ ! -e "$PERFGATE_METRICS_FILE" ] || fail "a failed run left a metrics file"
echo "ok: dead target -> $(grep load-wrk: "$tmp/out")"

if env -u PERFGATE_METRICS_FILE scripts/load-wrk.sh >"$tmp/out" 2>&1; then
	fail "ran without PERFGATE_METRICS_FILE"
fi
echo "ok: missing variable -> $(tail -1 "$tmp/out")"
echo "PASS: load-wrk.sh"
