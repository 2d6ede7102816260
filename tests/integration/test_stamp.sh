#!/usr/bin/env bash
# One measuring path: capture, baseline record and check (stored, without a
# baseline) stamp their results the same way (commit, dirty flag, host
# facts, creation time), from one git repository, with --no-probes so the
# three short captures stay quick.
source "$(dirname "$0")/capture_lib.sh"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.com
unset CI_MERGE_REQUEST_DIFF_BASE_SHA ORDERS_REGRESS
repo=$T/repo
mkdir -p "$repo" && cd "$repo"
git init -q -b main
config "$repo/perfgate.json"
git add -A && git commit -qm init
sha=$(git rev-parse HEAD)

"$PERFGATE" capture --no-probes -o "$T/capture.json" >/dev/null 2>"$T/capture.err" ||
	fail "capture: $(cat "$T/capture.err")"
"$PERFGATE" baseline record --no-probes >/dev/null 2>"$T/record.err" ||
	fail "record: $(cat "$T/record.err")"
"$PERFGATE" check --mode stored --no-probes --against HEAD --no-baseline=pass \
	--report-dir "$T/check" >/dev/null 2>"$T/check.err" ||
	true # the baseline just recorded is in the work tree, so check compares with it
[ -s "$T/check/result.json" ] || fail "check wrote no result.json: $(cat "$T/check.err")"

stamp='{commit, dirty, scenario, runs, host}'
want=$(jq -cS "$stamp" "$T/capture.json")
jq -e --arg sha "$sha" '.commit == $sha and .dirty == false and (.created | length > 0)
	and .host.cores >= 1' "$T/capture.json" >/dev/null &&
	ok "capture: stamped with $sha" || fail "capture stamp: $want"
for f in "baselines/orders-api/$sha.json" "$T/check/result.json"; do
	got=$(jq -cS "$stamp" "$f")
	[ "$got" = "$want" ] && ok "$(basename "$(dirname "$f")")/$(basename "$f"): same stamp" ||
		fail "$f: $got, want $want"
	jq -e '.created | length > 0' "$f" >/dev/null || fail "$f: no creation time"
done
[ "$failures" -eq 0 ] && echo "PASS: one stamp for capture, record and check" || exit 1
