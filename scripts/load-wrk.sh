#!/bin/sh
# perfgate's default load script (the contract's "load script contract"):
# drives PERFGATE_TARGET_URL with wrk for PERFGATE_DURATION_S seconds and
# writes {"requests", "rps", "errors", "lat_p50_ms", "lat_p90_ms",
# "lat_p99_ms", "lat_mean_ms"} to PERFGATE_METRICS_FILE (scripts/load-wrk.lua).
#
# Knobs (environment, e.g. the scenario's load.env):
#   PATH_QUERY   path and query to request            (default /orders)
#   CONNECTIONS  open connections                      (default 8)
#   THREADS      wrk threads; 1 leaves the other core  (default 1)
#                of a 2-core host to the workload
#   PACE_MS      per-connection pause between requests (default 1; 0 = flat out)
#                paced load is far less noisy than a saturated one
#   TIMEOUT_S    a response slower than this is an error (default 5)
# errors = connect + read + write + timeout errors + responses with status >= 400.
# Exits non-zero when wrk fails or no request completed.
set -eu

: "${PERFGATE_TARGET_URL:?not set; perfgate sets it}"
: "${PERFGATE_DURATION_S:?not set; perfgate sets it}"
: "${PERFGATE_METRICS_FILE:?not set; perfgate sets it}"
PATH_QUERY=${PATH_QUERY:-/orders}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-1}
PACE_MS=${PACE_MS:-1}
TIMEOUT_S=${TIMEOUT_S:-5}
export PACE_MS PERFGATE_METRICS_FILE

here=$(cd "$(dirname "$0")" && pwd)
# wrk takes whole seconds; round a fractional duration up.
secs=$(awk -v d="$PERFGATE_DURATION_S" 'BEGIN { s = int(d); if (s < d) s++; if (s < 1) s = 1; print s }')
[ "$THREADS" -le "$CONNECTIONS" ] || THREADS=$CONNECTIONS

rm -f "$PERFGATE_METRICS_FILE"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "${secs}s" --timeout "${TIMEOUT_S}s" \
	-s "$here/load-wrk.lua" "${PERFGATE_TARGET_URL%/}$PATH_QUERY" || {
	echo "load-wrk: wrk failed (exit $?)" >&2
	exit 1
}
if [ ! -s "$PERFGATE_METRICS_FILE" ]; then
	echo "load-wrk: wrk wrote no metrics to '$PERFGATE_METRICS_FILE'" >&2
	exit 1
fi
if grep -q '"requests": 0,' "$PERFGATE_METRICS_FILE"; then
	echo "load-wrk: no request completed against '$PERFGATE_TARGET_URL$PATH_QUERY'" >&2
	exit 1
fi
