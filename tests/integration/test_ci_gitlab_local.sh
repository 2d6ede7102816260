#!/usr/bin/env bash
# The GitLab CI template as shipped, run by gitlab-ci-local (a local GitLab
# runner emulator, shell executor) on a scratch application repository that
# adopted perfgate as the README says: a Go service, perfgate.json with a
# build, .gitlab-ci.yml extending .perfgate, an origin remote.
#   adoption MR (no baseline yet)  -> exit 4, allowed to fail (warning)
#   default branch                 -> check passes, baseline recorded, artifacts
#   MR with a docs change          -> pass
#   MR with a committed CPU regression (tests/data/gitlab/burn.go) -> fails,
#     naming cpu.seconds_per_req in junit.xml and the log
# Only CPU and getrandom calls per request are gated here: latency of 2-s
# runs on a shared 2-core host swings by tens of ms and is reported only.
set -euo pipefail
# shellcheck source=tests/integration/scratch_lib.sh
. "$(dirname "$0")/scratch_lib.sh"
GCL=$BUILD/npm/node_modules/.bin/gitlab-ci-local

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (probes, network namespaces)"; exit 77; }
[ -x "$GCL" ] || { echo "SKIP: gitlab-ci-local not installed (scripts/install-deps.sh)"; exit 77; }
command -v rsync >/dev/null || { echo "SKIP: gitlab-ci-local needs rsync"; exit 77; }
command -v go >/dev/null || { echo "SKIP: go is needed to build the scratch service"; exit 77; }
"$PERFGATE" build --help >/dev/null || { echo "SKIP: perfgate not built"; exit 77; }

tmp=$(mktemp -d /tmp/pg-gcl.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export GOFLAGS=-mod=mod GOPROXY=off

repo=$tmp/app
git init -q --bare -b main "$tmp/origin.git"
git init -q -b main "$repo"
cd "$repo"
scratch_app
printf 'build/\nperfgate-report/\n.gitlab-ci-local/\n' >.gitignore
git add -A && git commit -qm "the service"
git remote add origin "$tmp/origin.git"
git push -q origin main && git remote set-head origin main

# adoption: the README's steps
git checkout -q -b adopt
mkdir -p ci-templates
cp "$ROOT/ci-templates/perfgate.gitlab-ci.yml" ci-templates/
scratch_config build/orders-api scripts/load-wrk.sh 8080 go
cat >.gitlab-ci.yml <<'YML'
include:
  - local: ci-templates/perfgate.gitlab-ci.yml
perfgate:
  extends: .perfgate
  parallel:
    matrix:
      - PERFGATE_SCENARIO: [orders-api]
YML
git add -A && git commit -qm "adopt perfgate"

# pipeline NAME SOURCE: run the pipeline of the checked-out branch; the log
# in $tmp/NAME.log, the job's artifacts in $tmp/NAME/.
pipeline() {
	local name=$1 source=$2 args=()
	if [ "$source" = mr ]; then
		args=(--variable CI_PIPELINE_SOURCE=merge_request_event
			--variable CI_MERGE_REQUEST_IID=7
			--variable "CI_MERGE_REQUEST_DIFF_BASE_SHA=$(git merge-base HEAD origin/main)")
	else
		args=(--variable CI_PIPELINE_SOURCE=push)
	fi
	rm -rf .gitlab-ci-local perfgate-report
	"$GCL" --force-shell-executor --ignore-predefined-vars CI_PIPELINE_SOURCE \
		--variable "PERFGATE=$PERFGATE" "${args[@]}" >"$tmp/$name.log" 2>&1 ||
		true # its exit status ignores allow_failure:exit_codes; the log says
	mkdir -p "$tmp/$name"
	cp -r .gitlab-ci-local/artifacts/*/. "$tmp/$name/" 2>/dev/null || true
}

# outcome NAME WANT: the job's result line ("PASS", "WARN 4", "FAIL 1").
outcome() {
	local got
	got=$(grep -Eo 'finished in [0-9.]+ m?s +(FAIL|WARN) [0-9]+|^ PASS ' "$tmp/$1.log" |
		sed -E 's/finished in [0-9.]+ m?s +//; s/^ PASS $/PASS/' | tail -1) || true
	if [ "$got" != "$2" ]; then
		cat "$tmp/$1.log"
		fail "$1: job result '$got', want '$2'"
	fi
	echo "ok: $1 -> $got"
}

pipeline adoption mr
outcome adoption "WARN 4"
grep -q "no baseline for 'orders-api'" "$tmp/adoption.log" || fail "adoption: no clear line"

git checkout -q main && git merge -q --ff-only adopt && git push -q origin main
pipeline default push
outcome default PASS
main_sha=$(git rev-parse HEAD)
for f in perfgate-report/result.json perfgate-report/metrics.txt perfgate-report/result.pb.gz \
	"baselines/orders-api/$main_sha.json" "baselines/orders-api/$main_sha.pb.gz"; do
	[ -s "$tmp/default/$f" ] || fail "default: artifact $f missing"
done
grep -Eq '^perfgate_cpu_seconds_per_req\{scenario="orders-api"\} [0-9.e+-]+$' \
	"$tmp/default/perfgate-report/metrics.txt" || fail "default: metrics.txt not labelled"
echo "ok: default branch recorded $main_sha and published metrics.txt"

# the lead merges the baseline (perfgate baseline propose does this as an MR)
git add baselines && git commit -qm "perfgate: baseline of ${main_sha:0:12}"
git push -q origin main

git checkout -q -b docs && echo "docs" >README && git add README && git commit -qm docs
pipeline unchanged mr
outcome unchanged PASS
for f in result.json junit.xml metrics.txt summary.md flame-diff.svg; do
	[ -s "$tmp/unchanged/perfgate-report/$f" ] || fail "unchanged: artifact $f missing"
done

git checkout -q main && git checkout -q -b slow
cp "$ROOT/tests/data/gitlab/burn.go" orders-api/
git add orders-api/burn.go && git commit -qm "hash in the background"
pipeline regression mr
outcome regression "FAIL 1"
xmllint --xpath '//testcase[failure]/@name' "$tmp/regression/perfgate-report/junit.xml" |
	grep -q '"cpu.seconds_per_req"' || fail "regression: junit.xml does not name cpu.seconds_per_req"
grep -Eq 'cpu\.seconds_per_req .*regression' "$tmp/regression.log" ||
	fail "regression: the log does not name cpu.seconds_per_req"
grep -q "perfgate: regression: cpu.seconds_per_req; see the table above" "$tmp/regression.log" ||
	fail "regression: no stderr line naming the metric"
grep -q "perfgate: run 1/3: load" "$tmp/regression.log" || fail "regression: no progress in CI"
echo "PASS: the template runs as shipped in gitlab-ci-local"
