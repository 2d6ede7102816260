#!/usr/bin/env bash
# report.html in a real browser: record a baseline of the demo scenario,
# check it with the getrandom regression injected, and load the report in
# Debian's headless Chromium (driven by playwright-core from npm, into
# $BUILD/npm): the verdict, findings, the histogram drawn, the flame graph,
# click-to-zoom and search, in the page and in the standalone flame-diff.svg
# (report_html_check.js). Screenshots are kept in
# $BUILD/report-html/ to look at.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PERFGATE=${PERFGATE:-$BUILD/perfgate}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

[ "$(id -u)" -eq 0 ] || { echo "SKIP: the capture needs root (eBPF, netns)"; exit 77; }
[ -x "$CHROMIUM" ] || { echo "SKIP: no $CHROMIUM (scripts/install-deps.sh installs it)"; exit 77; }
command -v node >/dev/null || { echo "SKIP: node is needed to drive the browser"; exit 77; }
[ -x "$BUILD/orders-api" ] || { echo "SKIP: $BUILD/orders-api not built"; exit 77; }
npmdir=$BUILD/npm
if [ ! -d "$npmdir/node_modules/playwright-core" ]; then
	mkdir -p "$npmdir"
	if ! (cd "$npmdir" && { [ -f package.json ] || npm init -y >/dev/null; } &&
		timeout 300 npm install --no-audit --no-fund playwright-core@1 >/dev/null); then
		echo "SKIP: could not install playwright-core from the npm registry"
		exit 77
	fi
fi

tmp=$(mktemp -d /tmp/pg-report-html.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
out=$BUILD/report-html
rm -rf "$out" && mkdir -p "$out"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.com
unset CI_MERGE_REQUEST_DIFF_BASE_SHA ORDERS_REGRESS
fail() { echo "FAIL: $*"; exit 1; }

cd "$tmp" && git init -q -b main
cat >perfgate.json <<JSON
{
  "runs": 3,
  "scenarios": [{
    "name": "orders-api",
    "workload": {
      "cmd": ["$BUILD/orders-api", "-addr", "127.0.0.1:8080"],
      "ready_url": "http://127.0.0.1:8080/healthz",
      "env": { "GOMAXPROCS": "1" },
      "isolate_network": true
    },
    "pprof_url": "http://127.0.0.1:8080/debug/pprof/profile",
    "load": { "cmd": ["$ROOT/scripts/load-wrk.sh"], "duration_s": 3, "warmup_s": 1,
              "env": { "CONNECTIONS": "4", "PACE_MS": "5" } },
    "gate": { "cpu.seconds_per_req": { "threshold_pct": 50 } }
  }]
}
JSON
git add -A && git commit -qm init
"$PERFGATE" baseline record >"$tmp/record.out" 2>&1 || { cat "$tmp/record.out"; fail "record"; }
git add baselines && git commit -qm baseline
rc=0
ORDERS_REGRESS=getrandom "$PERFGATE" check --no-confirm --report-dir "$out" \
	>"$tmp/check.out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/check.out"; fail "check exit $rc, want 1"; }
grep -q '<script' "$out/report.html" || fail "report.html has no flame graph script"
! grep -Eq '(src|href)="(https?:)?//' "$out/report.html" || fail "report.html loads assets"
NODE_PATH=$npmdir/node_modules CHROMIUM=$CHROMIUM \
	node "$ROOT/tests/integration/report_html_check.js" "$out/report.html" "$out" \
	crypto/rand || fail "report.html in Chromium"
echo "PASS: report.html in headless Chromium (screenshots in $out)"
