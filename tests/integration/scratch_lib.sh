# Shared by the tests that act as an application repository adopting
# perfgate (test_ci_gitlab_local, test_hook, test_gitlab_note,
# test_baseline_propose): sourced, not run. Sets ROOT, BUILD, PERFGATE, a
# git identity, and unsets what would steer perfgate from outside.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PERFGATE=${PERFGATE:-$BUILD/perfgate}
# the Makefile's Go build cache, as in lib.sh
[ -n "${GOCACHE:-}" ] || ! command -v go >/dev/null || export GOCACHE="$(go env GOCACHE)"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.com PERFGATE
unset CI_MERGE_REQUEST_DIFF_BASE_SHA CI_MERGE_REQUEST_IID ORDERS_REGRESS PERFGATE_SKIP \
	PERFGATE_HOOK_ARGS PERFGATE_GITLAB_TOKEN PERFGATE_PUSH_URL

fail() {
	echo "FAIL: $*"
	exit 1
}

# scratch_app: the demo service as an application's own code in the current
# directory: go.mod at the root, the service in orders-api/, the load
# script in scripts/.
scratch_app() {
	local f
	mkdir -p orders-api scripts
	for f in "$ROOT"/tests/workload/orders-api/*; do
		case $f in */go.mod) cp "$f" . ;; *) cp "$f" orders-api/ ;; esac
	done
	cp "$ROOT/scripts/load-wrk.sh" "$ROOT/scripts/load-wrk.lua" scripts/
}

# scratch_config WORKLOAD LOAD PORT [BUILD]: perfgate.json for the demo
# service at WORKLOAD, driven by LOAD, listening on PORT; with BUILD ("go"),
# the scenario builds it. 3 runs of 2 s: only CPU per request (at 50 %: such
# short runs drift by up to ~40 % on a busy 2-core host) and getrandom calls
# per request are gated; latency and throughput are reported, since they
# swing by tens of ms here.
scratch_config() {
	local build=
	[ "${4:-}" = go ] &&
		build='"build": { "cmd": ["go", "build", "-trimpath", "-o", "build/orders-api", "./orders-api"] },'
	cat >perfgate.json <<JSON
{
  "runs": 3,
  "mode": "stored",
  "scenarios": [{
    "name": "orders-api",
    $build
    "workload": {
      "cmd": ["$1", "-addr", "127.0.0.1:$3"],
      "ready_url": "http://127.0.0.1:$3/healthz",
      "env": { "GOMAXPROCS": "1" },
      "isolate_network": true
    },
    "pprof_url": "http://127.0.0.1:$3/debug/pprof/profile",
    "load": { "cmd": ["$2"], "duration_s": 2, "warmup_s": 1,
              "env": { "CONNECTIONS": "4", "PACE_MS": "5" } },
    "gate": { "cpu.seconds_per_req": { "threshold_pct": 50 },
              "load.rps": { "gated": false }, "load.errors": { "gated": false },
              "load.lat_p50_ms": { "gated": false }, "load.lat_mean_ms": { "gated": false },
              "load.lat_p90_ms": { "gated": false }, "load.lat_p99_ms": { "gated": false },
              "getrandom.lat_p50_ns": { "gated": false },
              "getrandom.lat_p99_ns": { "gated": false } }
  }]
}
JSON
}
