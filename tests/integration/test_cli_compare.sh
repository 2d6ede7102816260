#!/usr/bin/env bash
# perfgate compare from the command line, on the decision-rule cases in
# tests/data/compare: the exit status (0 pass, 1 regression), the table and
# the machine formats, the config's gate rules with -c, and bad usage or
# input as exit 2 with one stderr line. Needs no root; under a second.
. "$(dirname "$0")/lib.sh"
[ -x "$PERFGATE" ] || skip "no perfgate binary at $PERFGATE; run make"
need_tools jq
scratch tmp cli-compare
fail() { echo "FAIL: $*"; exit 1; }
data=$ROOT/tests/data/compare

# Outside any git repository, so no default config is picked up.
cd "$tmp"
split() { # CASE: baseline and current of a data case as result files
	jq .baseline "$data/$1.json" >"$tmp/$1.base.json"
	jq .current "$data/$1.json" >"$tmp/$1.cur.json"
}
# run NAME EXPECTED_STATUS ARGS...: perfgate compare, output in $tmp/NAME.*
run() {
	local name=$1 want=$2 rc=0
	shift 2
	"$PERFGATE" compare "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
	[ "$rc" = "$want" ] || fail "$name: exit $rc, want $want: $(cat "$tmp/$name.err")"
}
one_line() { # NAME PATTERN: stderr is one 'perfgate: ...' line matching
	[ "$(wc -l <"$tmp/$1.err")" = 1 ] || fail "$1: stderr is not one line: $(cat "$tmp/$1.err")"
	grep -q "^perfgate: .*$2" "$tmp/$1.err" || fail "$1: unclear error: $(cat "$tmp/$1.err")"
}

split regression_both_directions
b=$tmp/regression_both_directions.base.json c=$tmp/regression_both_directions.cur.json

run regress 1 "$b" "$c"
grep -Eq '^cpu\.seconds_per_req .* \+30\.0 % .* regression$' "$tmp/regress.out" ||
	fail "regress: no cpu regression row: $(cat "$tmp/regress.out")"
grep -Eq '^load\.rps .* -20\.0 % .* regression$' "$tmp/regress.out" || fail "regress: no rps row"
grep -Eq '^load\.lat_p99_ms .* improvement$' "$tmp/regress.out" || fail "regress: no improvement"
grep -q '^verdict: REGRESSION (2 metrics regressed)$' "$tmp/regress.out" || fail "regress: verdict"
# every non-zero exit says why in one stderr line
[ "$(wc -l <"$tmp/regress.err")" = 1 ] && grep -q "^perfgate: regression: 2 gated metrics" \
	"$tmp/regress.err" || fail "regress: stderr is not one line: $(cat "$tmp/regress.err")"
ok "regression: exit 1, both regressions and the improvement in the table"

run wide 0 "$b" "$c" --threshold 50
grep -q '^verdict: pass$' "$tmp/wide.out" || fail "wide: verdict"
ok "--threshold 50: exit 0"

run json 1 "$b" "$c" --format json
jq -e '[.comparison[] | select(.verdict == "regression") | .metric] |
	sort == ["cpu.seconds_per_req", "load.rps"]' "$tmp/json.out" >/dev/null ||
	fail "json: regressions differ: $(cat "$tmp/json.out")"
ok "--format json: the regressions by name"

if command -v xmllint >/dev/null; then
	run junit 1 "$b" "$c" --format junit
	[ "$(xmllint --xpath 'count(//testcase[failure])' "$tmp/junit.out")" = 2 ] ||
		fail "junit: not 2 failures"
	ok "--format junit: well-formed, 2 failures"
fi

# The config's per-metric rule (threshold 40 % for CPU) applies with -c to
# the result's scenario; the global threshold still applies to the rest.
cat >"$tmp/perfgate.json" <<'JSON'
{
  "threshold_pct": 15,
  "scenarios": [{
    "name": "orders-api",
    "workload": { "cmd": ["orders-api"], "ready_url": "http://127.0.0.1:8080/healthz" },
    "load": { "cmd": ["load.sh"] },
    "gate": { "cpu.seconds_per_req": { "threshold_pct": 40 } }
  }]
}
JSON
run rules 1 "$b" "$c" -c "$tmp/perfgate.json"
grep -Eq '^cpu\.seconds_per_req .* 40 % .* pass$' "$tmp/rules.out" ||
	fail "rules: cpu not passed at 40 %: $(cat "$tmp/rules.out")"
grep -q '^verdict: REGRESSION (1 metric regressed)$' "$tmp/rules.out" || fail "rules: verdict"
ok "-c: the per-metric gate rule applies"

# A gate entry naming no metric of the run (a typo of a load.<key>, which
# the config cannot know) is said in the report, not silently ignored.
jq '.scenarios[0].gate["load.lat_p99ms"] = { "threshold_pct": 50 }' "$tmp/perfgate.json" \
	>"$tmp/typo.json"
run typo 1 "$b" "$c" -c "$tmp/typo.json"
grep -q "^note: the config's gate entry 'load.lat_p99ms' names no metric of this run" \
	"$tmp/typo.out" && ok "-c: a gate entry that names no metric is noted" ||
	fail "typo: no note: $(cat "$tmp/typo.out")"
# One of perfgate's own names absent from the run (getrandom.* under
# --no-probes) is no typo: no note.
jq '.scenarios[0].gate["getrandom.lat_p99_ns"] = { "threshold_pct": 50 }' "$tmp/perfgate.json" \
	>"$tmp/absent.json"
run absent 1 "$b" "$c" -c "$tmp/absent.json"
grep -q "getrandom.lat_p99_ns" "$tmp/absent.out" &&
	fail "absent: a note for a metric the run lacks: $(cat "$tmp/absent.out")"
ok "-c: one of perfgate's own metrics absent from the run is not called a typo"

for c2 in pass_small_changes threshold_exactly_at_limit; do
	split $c2
	want=$(jq -r 'if .expected.verdict == "regression" then 1 else 0 end' "$data/$c2.json")
	run $c2 "$want" "$tmp/$c2.base.json" "$tmp/$c2.cur.json"
done
ok "data cases: exit statuses as expected"

run one-file 2 "$b"
one_line one-file "compare takes two files"
run missing 2 "$b" "$tmp/nonexistent.json"
one_line missing "nonexistent.json"
echo '{"schema": 1, "metrics": ' >"$tmp/broken.json"
run broken 2 "$b" "$tmp/broken.json"
one_line broken "broken.json"
run format 2 "$b" "$c" --format flame
one_line format "--format takes"
run threshold 2 "$b" "$c" --threshold -1
one_line threshold "--threshold takes"
run badcfg 2 "$b" "$c" -c "$tmp/nonexistent-config.json"
one_line badcfg "nonexistent-config.json"
ok "usage and input errors: exit 2, one line each"

# Writing the table fails: the machine's failure, exit 3 (not 2).
rc=0
"$PERFGATE" compare "$b" "$c" >/dev/full 2>"$tmp/full.err" || rc=$?
[ "$rc" = 3 ] || fail "stdout on a full device: exit $rc, want 3"
one_line full "cannot write"
ok "full stdout: exit 3, one line"
echo "PASS: compare CLI"
