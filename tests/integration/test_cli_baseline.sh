#!/usr/bin/env bash
# perfgate baseline record --from / list / show / diff from the command
# line, in a scratch git repository (no capture, so no root): record files
# a result under its commit and refuses to replace it; list orders by
# history; show finds the nearest baseline and says how far back; diff
# compares two baselines by the decision rule; bad usage is exit 2 and a
# history without baselines exit 4, each with one stderr line.
. "$(dirname "$0")/lib.sh"
[ -x "$PERFGATE" ] || skip "no perfgate binary at $PERFGATE; run make"
need_tools jq git
scratch tmp cli-baseline
fail() { echo "FAIL: $*"; exit 1; }
data=$ROOT/tests/data/compare/regression_both_directions.json
repo=$tmp/repo
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.com
unset CI_MERGE_REQUEST_DIFF_BASE_SHA

# run NAME EXPECTED_STATUS ARGS...: perfgate baseline, output in $tmp/NAME.*
run() {
	local name=$1 want=$2 rc=0
	shift 2
	"$PERFGATE" baseline "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
	[ "$rc" = "$want" ] || fail "$name: exit $rc, want $want: $(cat "$tmp/$name.err")"
}
one_line() { # NAME PATTERN
	[ "$(wc -l <"$tmp/$1.err")" = 1 ] || fail "$1: stderr is not one line: $(cat "$tmp/$1.err")"
	grep -q "^perfgate: .*$2" "$tmp/$1.err" || fail "$1: unclear error: $(cat "$tmp/$1.err")"
}
commit() { git -C "$repo" add -A && git -C "$repo" commit -qm "$1" && git -C "$repo" rev-parse HEAD; }
# result SIDE SHA: the data case's baseline or current, as measured at SHA
result() { jq --arg c "$2" ".$1 | .commit = \$c" "$data" >"$tmp/$1-$2.json"; }

mkdir -p "$repo"
git init -q -b main "$repo"
cat >"$repo/perfgate.json" <<'JSON'
{
  "scenarios": [{
    "name": "orders-api",
    "workload": { "cmd": ["orders-api"], "ready_url": "http://127.0.0.1:8080/healthz" },
    "load": { "cmd": ["load.sh"] }
  }]
}
JSON
a=$(commit A)
cd "$repo"

run none 4 show
one_line none "no baseline"
ok "show without any baseline: exit 4"

result baseline "$a"
run rec-a 0 record --from "$tmp/baseline-$a.json"
grep -qx "recorded $repo/baselines/orders-api/$a.json" "$tmp/rec-a.out" ||
	fail "rec-a: $(cat "$tmp/rec-a.out")"
run rec-again 2 record --from "$tmp/baseline-$a.json"
one_line rec-again "exists; use --force"
run rec-force 0 record --from "$tmp/baseline-$a.json" --force
ok "record --from: filed under its commit, replaced only with --force"

b=$(commit B)
result current "$b"
# B was captured without root: its CPU counts the main process only
jq '.cpu_scope = "process"' "$tmp/current-$b.json" >"$tmp/b.json" && mv "$tmp/b.json" "$tmp/current-$b.json"
run rec-b 0 record --from "$tmp/current-$b.json"
c=$(commit C)

run list 0 list
[ "$(wc -l <"$tmp/list.out")" = 2 ] || fail "list: not 2 lines: $(cat "$tmp/list.out")"
head -n 1 "$tmp/list.out" | grep -q "^$b .* HEAD~1$" || fail "list: B first: $(cat "$tmp/list.out")"
tail -n 1 "$tmp/list.out" | grep -q "^$a .* HEAD~2$" || fail "list: A second"
ok "list: newest first, by first-parent distance"

run show 0 show
grep -q "^baseline $b (1 commit before HEAD)$" "$tmp/show.out" ||
	fail "show: $(head -n 1 "$tmp/show.out")"
grep -Eq '^cpu\.seconds_per_req +s +lower +0\.0013 ' "$tmp/show.out" ||
	fail "show: no cpu median: $(cat "$tmp/show.out")"
grep -q "^cpu      the workload's main process only" "$tmp/show.out" ||
	fail "show: B's CPU scope not said: $(cat "$tmp/show.out")"
run show-a 0 show "$a"
grep -q "^baseline $a$" "$tmp/show-a.out" || fail "show A: $(head -n 1 "$tmp/show-a.out")"
grep -q "main process" "$tmp/show-a.out" && fail "show A: a CPU scope it does not have"
ok "show: the nearest baseline, how far back, its medians and CPU scope"

run diff 0 diff "$a" HEAD
grep -q "^baseline diff ${a:0:12} -> ${b:0:12}$" "$tmp/diff.out" ||
	fail "diff: header: $(head -n 1 "$tmp/diff.out")"
grep -Eq '^cpu\.seconds_per_req .* \+30\.0 %  (inside|outside)$' "$tmp/diff.out" ||
	fail "diff: no cpu row: $(cat "$tmp/diff.out")"
grep -Eq '^load\.lat_p99_ms .* -[0-9.]+ %  (inside|outside)$' "$tmp/diff.out" ||
	fail "diff: no latency row"
grep -Eq 'regression|improvement|verdict' "$tmp/diff.out" && fail "diff: a gate verdict in a baseline diff"
grep -q "^note: cpu.seconds_per_req is not gated: the baseline counted the workload's whole cgroup, the current result the workload's main process only" "$tmp/diff.out" ||
	fail "diff: the CPU scopes' difference not said: $(cat "$tmp/diff.out")"
ok "diff: old and new medians and the change, no verdict, CPU scopes named"

run diff-prev 0 diff "$b"
grep -q "^baseline diff ${a:0:12} -> ${b:0:12}$" "$tmp/diff-prev.out" ||
	fail "diff B: not against its predecessor: $(head -n 1 "$tmp/diff-prev.out")"
run diff-self 2 diff "$b" HEAD
one_line diff-self "a baseline diffed with itself shows nothing"
run diff-first 4 diff "$a"
ok "diff REV: against the baseline before it; never one with itself"
run show-two 2 show "$a" "$b"
one_line show-two "at most one revision"
run sub 2 bogus
one_line sub "baseline needs record, list, show, diff, prune or propose, not 'bogus'"
run opt 2 list --bogus
one_line opt "option '--bogus' is unknown"
run keep 2 prune
one_line keep "needs --keep N"
run keep-arg 2 prune --keep 1 extra
one_line keep-arg "takes no arguments, not 'extra'"
run badrev 2 show no-such-rev
one_line badrev "no-such-rev"
ok "usage errors: exit 2, one line each"

# A repository another user owns (sudo perfgate in a developer's clone):
# git refuses it, and perfgate says that, not "not a git repository".
if [ "$(id -u)" -eq 0 ] && [ -z "$(git config --global --get-all safe.directory)" ]; then
	chown -R nobody "$repo"
	run owned 2 list
	one_line owned "belongs to another user, and git refuses it"
	chown -R "$(id -u)" "$repo"
	ok "a repository of another user: exit 2, says why"
else
	echo "SKIP: a repository of another user (needs root and no global safe.directory)"
fi
echo "PASS: baseline CLI"
