#!/usr/bin/env bash
# perfgate check --gitlab-note against a stand-in of GitLab's notes API on
# loopback (gitlab_api.py: checks the token header, 2 notes a page, 500 on
# demand), with 3 reviewers' notes already on the merge request:
#   pipeline 1 posts one note; pipeline 2 (another commit) edits that note,
#   found on a later page; with the API failing, a pass stays exit 0 and a
#   regression exit 1, each with one warning line; the token appears in no
#   output and no report file, -v included.
set -euo pipefail
# shellcheck source=tests/integration/scratch_lib.sh
. "$(dirname "$0")/scratch_lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (capture)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is needed for the API stand-in"; exit 77; }
[ -x "$BUILD/orders-api" ] || { echo "SKIP: $BUILD/orders-api not built"; exit 77; }
"$PERFGATE" check --help | grep -q gitlab-note || { echo "SKIP: no --gitlab-note"; exit 77; }

tmp=$(mktemp -d /tmp/pg-note.XXXXXX)
server=
cleanup() {
	# the server dies of the SIGTERM: wait's 143 is expected, not a failure
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
unset http_proxy https_proxy HTTP_PROXY \
	HTTPS_PROXY ALL_PROXY all_proxy

TOKEN=glpat-Zq8Xw3TokenOfTheTest91
mkdir -p "$tmp/api"
python3 "$ROOT/tests/integration/gitlab_api.py" "$tmp/api" "$TOKEN" 3 >"$tmp/api/port" &
server=$!
for _ in $(seq 50); do [ -s "$tmp/api/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/api/port")
[ -n "$port" ] || fail "the API stand-in did not start"

repo=$tmp/repo
mkdir -p "$repo" && cd "$repo" && git init -q -b main
scratch_config "$BUILD/orders-api" "$ROOT/scripts/load-wrk.sh" 8080
git add -A && git commit -qm init
"$PERFGATE" baseline record >"$tmp/record.out" 2>&1 || { cat "$tmp/record.out"; fail record; }
git add baselines && git commit -qm baseline

export CI_API_V4_URL=http://127.0.0.1:$port/api/v4 CI_PROJECT_ID=42 CI_MERGE_REQUEST_IID=7 \
	PERFGATE_GITLAB_TOKEN=$TOKEN CI_PROJECT_DIR=$repo
# note NAME WANT_EXIT [env...]: one pipeline's check, -v, reports in NAME/
note() {
	local name=$1 want=$2 rc=0
	shift 2
	# one run, no confirming capture: the note is under test, not the gate
	env "$@" "$PERFGATE" check -v --gitlab-note --runs 1 --no-confirm --report-dir "$name" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		cat "$tmp/$name.out" "$tmp/$name.err"
		fail "$name: exit $rc, want $want"
	fi
	echo "ok: $name -> exit $rc"
}
# ours: the perfgate notes on the merge request (count, then ids)
ours() { python3 -c 'import json,sys; n=[x for x in json.load(open(sys.argv[1]))
	if "<!-- perfgate:note scenario=orders-api -->" in x["body"]]
print(len(n), *[x["id"] for x in n])' "$tmp/api/notes.json"; }

note first 0 CI_JOB_URL=https://gitlab.example/p/-/jobs/1 CI_COMMIT_SHORT_SHA=aaaa1111
read -r count id1 <<<"$(ours)"
[ "$count" = 1 ] || fail "first: $count perfgate notes, want 1"
grep -q "^POST " "$tmp/api/log" || fail "first: no note was created"
grep -q "posted merge-request note $id1" "$tmp/first.err" || fail "first: -v did not say so"
python3 -c 'import json,sys; b=[x["body"] for x in json.load(open(sys.argv[1]))
	if x["id"]==int(sys.argv[2])][0]
assert "✅ pass" in b and "| metric |" in b, b
assert "[Job](https://gitlab.example/p/-/jobs/1)" in b, b
assert "/artifacts/file/first/flame-diff.svg" in b, b' "$tmp/api/notes.json" "$id1" ||
	fail "first: the note lacks the table or the links"
echo "ok: one note, with the table, the job and the flame graph"

: >"$tmp/api/log"
note second 0 CI_JOB_URL=https://gitlab.example/p/-/jobs/2 CI_COMMIT_SHORT_SHA=bbbb2222
read -r count id2 <<<"$(ours)"
[ "$count" = 1 ] && [ "$id2" = "$id1" ] || fail "second: notes '$count $id2', want '1 $id1'"
grep -q "^PUT .*/notes/$id1?" "$tmp/api/log" || fail "second: the note was not edited"
grep -q "page=2" "$tmp/api/log" || fail "second: did not page through the notes"
grep -q bbbb2222 "$tmp/api/notes.json" || fail "second: the body was not replaced"
echo "ok: the second pipeline edited note $id1 (found past page 1)"

touch "$tmp/api/fail"
note api-down 0
[ "$(grep -c 'warning: merge-request note not posted' "$tmp/api-down.err")" = 1 ] ||
	fail "api-down: not exactly one warning line"
# a regression without touching the workload: a baseline ten times faster
python3 - baselines/orders-api/*.json <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
m = d["metrics"]["cpu.seconds_per_req"]
m["values"] = [v / 10 for v in m["values"]]
if "median" in m:
    m["median"] /= 10
json.dump(d, open(p, "w"), indent=2, sort_keys=True)
PY
git commit -qam "a faster baseline"
note api-down-regression 1
grep -q 'note not posted.*HTTP 500' "$tmp/api-down-regression.err" ||
	fail "api-down-regression: no warning naming the 500"
rm "$tmp/api/fail"
echo "ok: a failing API leaves the verdict's exit status"

note bad-token 1 PERFGATE_GITLAB_TOKEN=${TOKEN}x
grep -q 'HTTP 401' "$tmp/bad-token.err" || fail "bad-token: 401 not reported"

# no byte of the token: not in any output, report or the stand-in's log
for probe in "$TOKEN" "Zq8Xw3TokenOfTheTest91"; do
	if grep -rF -- "$probe" "$tmp"/*.out "$tmp"/*.err "$repo/first" "$repo/second" \
		"$repo/api-down" "$repo/api-down-regression" "$tmp/api/log"; then
		fail "the token leaked"
	fi
done
echo "PASS: merge-request note created once, edited in place, never fatal, token kept"
