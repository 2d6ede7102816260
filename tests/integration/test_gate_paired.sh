#!/usr/bin/env bash
# Paired mode end to end, as merge requests use it: a scratch repository
# holding the demo service's source and a scenario with a build, a branch
# off main, the reference from CI_MERGE_REQUEST_DIFF_BASE_SHA. perfgate
# writes the reference commit's tree into a temporary directory, builds it
# there and re-measures it interleaved with the branch:
#   unchanged branch                 -> 0, decided from paired rounds
#   a committed CPU regression       -> 1 naming cpu.seconds_per_req,
#                                       interleaved (the branch no longer
#                                       isolates the network) and as a duet
#   a reference commit that fails to build -> 3 naming it, with the log
#   SIGTERM in the middle of a round -> 3; SIGKILL: the forked side goes too
#   a scenario new in the branch, its start script not in the reference
#                                    -> 4; 0 with --no-baseline=pass
#   a build that writes the workload outside the tree -> 2
#   no base branch to take a merge base with -> 0, saying HEAD was compared
#                                       with itself
# and after each: no temporary tree, cgroup, namespace or process left (the
# marked environment reaches perfgate's own forks too: a duet's second side
# and its CPU swapper), and the user's work tree and index untouched.
# needs: root: captures make cgroups, network namespaces and BPF programs
source "$(dirname "$0")/capture_lib.sh"
command -v go >/dev/null || { echo "SKIP: no go toolchain to build the service"; exit 77; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.com
unset ORDERS_REGRESS
repo=$T/repo
mkdir -p "$repo/svc"
cp "$ROOT"/tests/workload/orders-api/{main.go,go.mod,regress.conf} "$repo/svc/"
printf 'go 1.19\n\nuse ./svc\n' >"$repo/go.work"
# GOCACHE: the warm cache the Makefile built with, so each tree builds in seconds.
jq -n --arg l "$ROOT/scripts/load-wrk.sh" --arg m "$MARK" --arg c "$GOCACHE" '{
	paired: { min_rounds: 3, max_rounds: 3 },
	scenarios: [{
		name: "orders-api",
		build: { cmd: ["go", "build", "-trimpath", "-o", "bin/orders-api", "./svc"],
			 env: { GOPROXY: "off", GOCACHE: $c } },
		workload: { cmd: ["bin/orders-api", "-addr", "127.0.0.1:8080"],
			ready_url: "http://127.0.0.1:8080/healthz", ready_timeout_s: 10,
			env: { GOMAXPROCS: "1", ($m): "1" }, isolate_network: true },
		pprof_url: "http://127.0.0.1:8080/debug/pprof/profile",
		load: { cmd: [$l], duration_s: 2, warmup_s: 1,
			env: { CONNECTIONS: "4", PACE_MS: "5", ($m): "1" } },
		gate: { "load.lat_p50_ms": { min_abs: 1 }, "load.lat_mean_ms": { min_abs: 1 },
			"load.lat_p90_ms": { min_abs: 2 }, "load.lat_p99_ms": { min_abs: 5 } } }] }' \
	>"$repo/perfgate.json"
printf 'bin/\n' >"$repo/.gitignore"
cd "$repo"
git init -q -b main
git add -A && git commit -qm "the service"
base=$(git rev-parse HEAD)
export CI_MERGE_REQUEST_DIFF_BASE_SHA=$base

# paired NAME WANT [args]: run check, keep its output, check the exit
# status and that nothing is left behind.
paired() {
	local name=$1 want=$2 rc=0 pid
	shift 2
	env "$MARK=1" "$PERFGATE" check --report-dir "$T/$name" "$@" >"$T/$name.out" \
		2>"$T/$name.err" &
	pid=$!
	wait "$pid" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		cat "$T/$name.out" "$T/$name.err"
		fail "$name: exit $rc, want $want"
	else
		ok "$name -> exit $rc"
	fi
	left=$(leftovers "$pid")
	[ -z "$left" ] && ok "$name: nothing left behind" || fail "$name: left $left"
	[ -z "$(git status --porcelain --untracked-files=no)" ] ||
		fail "$name: the work tree or index changed"
}

git checkout -q -b unchanged
echo "docs" >NOTES && git add NOTES && git commit -qm "docs only"
paired unchanged 0
jq -e '.measurement.mode == "paired" and .measurement.rounds >= 3
	and .reference.commit == "'"$base"'"
	and ([.comparison[] | select(.metric == "cpu.seconds_per_req")
		| .interval_pct | length == 2] | all)' "$T/unchanged/result.json" >/dev/null &&
	ok "unchanged: decided from paired rounds, interval reported" ||
	fail "unchanged: result.json $(jq -c .measurement "$T/unchanged/result.json")"
jq -e '.commit == "'"$base"'" and .scenario == "orders-api"' "$T/unchanged/reference.json" \
	>/dev/null && ok "unchanged: reference.json is the re-measured reference" ||
	fail "unchanged: reference.json"
grep -q "re-measured here in" "$T/unchanged.out" || fail "unchanged: table does not say paired"

# SIGTERM in the middle of the rounds: exit 3, the tree and the
# workloads gone
env "$MARK=1" "$PERFGATE" check --report-dir "$T/term" >"$T/term.out" 2>"$T/term.err" &
pid=$!
for _ in $(seq 1 600); do
	grep -q "round 1:" "$T/term.err" 2>/dev/null && break
	sleep 0.1
done
sleep 1
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 3 ] && ok "SIGTERM mid-round -> exit 3" || fail "SIGTERM: exit $rc"
# as after any infrastructure error, result.json alone says why: what a
# cancelled or timed-out CI job's artifacts keep
[ "$(ls "$T/term")" = result.json ] &&
	jq -e '(.error.message | test("interrupted by signal SIGTERM")) and
		.error.exit_code == 3 and .verdict == null' \
		"$T/term/result.json" >/dev/null &&
	ok "SIGTERM: result.json records the interruption, no other report" ||
	fail "SIGTERM: report folder '$(ls "$T/term" | tr '\n' ' ')'"
left=$(leftovers "$pid")
[ -z "$left" ] && ok "SIGTERM: nothing left behind" || fail "SIGTERM: left $left"

# The branch also drops isolate_network (on a port of its own): the two
# sides of a duet would share the host's ports, so the default interleaves.
# SIGKILL in a duet: perfgate cannot clean up, but its forked second side
# must not go on measuring beside the next check; it unwinds as on SIGTERM,
# and the next run removes what the killed one left.
env "$MARK=1" "$PERFGATE" check --report-dir "$T/kill" >/dev/null 2>"$T/kill.err" &
pid=$!
for _ in $(seq 1 600); do
	pgrep -P "$pid" -x perfgate >/dev/null && break
	sleep 0.1
done
# early in the side's capture: it has seconds of warm-up and load ahead
sleep 0.5
pgrep -P "$pid" -x perfgate >/dev/null || fail "SIGKILL: no duet side to kill"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
for _ in $(seq 1 15); do
	[ -z "$(marked_pids)" ] && break
	sleep 0.1
done
[ -z "$(marked_pids)" ] && ok "SIGKILL: the duet's second side went with perfgate" ||
	fail "SIGKILL: still running: $(marked_pids | xargs -r ps -o pid=,comm= -p)"

git checkout -q main && git checkout -q -b slower
echo cpu >>svc/regress.conf
jq '.scenarios[0].workload |= (.isolate_network = false
	| .cmd[2] = "127.0.0.1:18437" | .ready_url = "http://127.0.0.1:18437/healthz")
	| .scenarios[0].pprof_url = "http://127.0.0.1:18437/debug/pprof/profile"' \
	perfgate.json >perfgate.json.new && mv perfgate.json.new perfgate.json
git commit -qam "an integrity check per order, served on the host's network"
paired cpu 1
# the killed run's leftovers went at this check's start, said once (its
# duet side does not sweep again)
[ "$(grep -c "removed leftovers of killed runs" "$T/cpu.err")" -eq 1 ] ||
	fail "cpu: the killed run's leftovers: $(grep leftovers "$T/cpu.err")"
grep -q 'note: a duet needs "isolate_network": true' "$T/cpu.err" &&
	grep -q "round 1: reference first\|round 1: current first" "$T/cpu.err" &&
	ok "cpu: without isolate_network the sides are interleaved" ||
	fail "cpu: $(grep 'round 1\|duet' "$T/cpu.err")"
jq -e '[.comparison[] | select(.metric == "cpu.seconds_per_req")][0]
	| .verdict == "regression" and .interval_pct[0] > 0' "$T/cpu/result.json" >/dev/null &&
	ok "cpu: cpu.seconds_per_req regressed, interval above 0" ||
	fail "cpu: $(jq -c '.comparison[] | select(.metric == "cpu.seconds_per_req")' \
		"$T/cpu/result.json")"
xmllint --xpath '//testcase[failure]/@name' "$T/cpu/junit.xml" | grep -q cpu.seconds_per_req ||
	fail "cpu: junit.xml has no failure for cpu.seconds_per_req"
# the same as a duet (the default) once the network is isolated again: both
# sides at once, the second side in a forked process
git checkout -q HEAD~1 -- perfgate.json && git commit -qm "back in a namespace of its own"
paired cpu-duet 1 -v
grep -q "round 1: duet" "$T/cpu-duet.err" || fail "cpu-duet: rounds were not duets"
# the two sides' progress lines, printed at once, say whose they are
grep -q "^perfgate: reference run 1/1: load" "$T/cpu-duet.err" &&
	grep -q "^perfgate: current run 1/1: load" "$T/cpu-duet.err" ||
	fail "cpu-duet: the progress lines do not name their side"
jq -e '[.comparison[] | select(.metric == "cpu.seconds_per_req")][0].verdict == "regression"' \
	"$T/cpu-duet/result.json" >/dev/null && ok "cpu-duet: cpu.seconds_per_req regressed" ||
	fail "cpu-duet: no regression of cpu.seconds_per_req"

git checkout -q main && git checkout -q -b broken-base
echo 'func broken() {' >>svc/main.go && git commit -qam "a broken main"
broken=$(git rev-parse HEAD)
git checkout -q -b fix && git checkout -q "$base" -- svc/main.go && git commit -qm fix
CI_MERGE_REQUEST_DIFF_BASE_SHA=$broken paired broken 3
grep -q "the build of reference ${broken:0:12} exited with status" "$T/broken.err" &&
	ok "broken: exit 3 names the reference and its build" || fail "broken: $(cat "$T/broken.err")"
grep -q "svc/main.go" "$T/broken.err" || fail "broken: no build log tail"

# A scenario new in this merge request, started by a script the reference
# does not have: nothing to re-measure (4, naming why), and with
# --no-baseline=pass the current tree alone passes, as in stored mode.
git checkout -q main && git checkout -q -b newscen
mkdir -p scripts
printf '#!/bin/sh\nexec "$(dirname "$0")/../bin/orders-api" "$@"\n' >scripts/start.sh
chmod +x scripts/start.sh
jq '.scenarios[0].name = "orders-new" | .scenarios[0].workload.cmd[0] = "scripts/start.sh"' \
	perfgate.json >perfgate.json.new && mv perfgate.json.new perfgate.json
git add -A && git commit -qm "a new scenario"
paired newscen 4
grep -q "nothing to re-measure: the reference ${base:0:12} has no build of its own for 'orders-new'" \
	"$T/newscen.err" && grep -q "scripts/start.sh', is not there" "$T/newscen.err" &&
	ok "newscen: no reference to re-measure is exit 4, saying why" ||
	fail "newscen: $(cat "$T/newscen.err")"
paired newscen-pass 0 --no-baseline=pass
grep -q "passing because of --no-baseline=pass" "$T/newscen-pass.err" &&
	jq -e '.metrics["cpu.seconds_per_req"].values | length > 0' "$T/newscen-pass/result.json" \
		>/dev/null && ok "newscen: --no-baseline=pass measures the current tree and passes" ||
	fail "newscen-pass: $(cat "$T/newscen-pass.err")"

# A build that writes the workload outside the tree (an absolute path): the
# current tree's build replaces the reference's, so both sides would run
# the same file; refused (exit 2) rather than passing whatever it holds.
git checkout -q main && git checkout -q -b outside
jq --arg b "$T/abs/orders-api" '.scenarios[0].build.cmd[4] = $b
	| .scenarios[0].workload.cmd[0] = $b' perfgate.json >perfgate.json.new &&
	mv perfgate.json.new perfgate.json
git commit -qam "build outside the tree"
CI_MERGE_REQUEST_DIFF_BASE_SHA=$(git rev-parse HEAD) paired outside 2
grep -q "both sides would run '$T/abs/orders-api', which the builds write outside" \
	"$T/outside.err" && ok "outside: a program both sides share is refused" ||
	fail "outside: $(cat "$T/outside.err")"

# No merge request base, no --against and no base branch here: the
# reference falls back to HEAD, and a paired check of HEAD against itself
# says so (stderr and every report) instead of passing quietly.
git checkout -q unchanged && git branch -q -m main trunk
CI_MERGE_REQUEST_DIFF_BASE_SHA= paired self 0
grep -q "warning: the reference is HEAD itself" "$T/self.err" &&
	jq -e '.notes | any(test("reference is HEAD itself"))' "$T/self/result.json" >/dev/null &&
	ok "self: a reference that fell back to HEAD is said" ||
	fail "self: $(grep -c 'HEAD itself' "$T/self.err") warnings, notes $(jq -c .notes "$T/self/result.json")"

[ "$failures" -eq 0 ] && echo "PASS: paired mode end to end" || exit 1
