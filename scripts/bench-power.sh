#!/usr/bin/env bash
# How well the gate decides, per comparison mode: the demo scenario (its
# real durations, the default 15 % threshold) in a scratch repository, run
# the way merge requests run it: a branch off main, the reference from
# CI_MERGE_REQUEST_DIFF_BASE_SHA. Regressions are commits (regress.conf of
# the demo service, compiled in), so both sides of a pair differ only by
# the commit. For each group and mode it runs K checks and prints the
# verdict counts, the median measured change of the group's metric with
# the median 95 % interval (paired modes), and the median check time.
#
# Groups:
#   aa          unchanged service (a docs-only commit)
#   aa-busy     unchanged, two busy loops on the cores for the whole check
#   other-hour  +25 % CPU against a baseline recorded under the busy loops
#   cpu5 cpu10 cpu25 cpu50   a CPU regression of that nominal size
#   getrandom   one extra getrandom() call per request
# Modes: stored, interleaved, duet.
#
# Usage: bench-power.sh [-k K] [-m MODE,MODE] [GROUP...]   (root)
#   e.g. bench-power.sh -k 5 -m interleaved,stored aa cpu25
# Sizes: one hash round costs a fixed amount of CPU; the script measures it
# first (a duet check of 200 rounds against none) and derives each
# group's rounds from it, so "cpu25" means +25 % of this host's CPU per
# request, as nearly as one calibration can say.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PERFGATE=$BUILD/perfgate
K=5
MODES=stored,interleaved,duet
while getopts k:m: o; do
	case $o in
	k) K=$OPTARG ;;
	m) MODES=$OPTARG ;;
	*) sed -n '2,25p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
GROUPS_RUN=${*:-aa aa-busy cpu5 cpu10 cpu25 cpu50 getrandom other-hour}
[ "$(id -u)" -eq 0 ] || { echo "bench-power: needs root (probes, cgroups)" >&2; exit 2; }

tmp=$(mktemp -d /tmp/pg-bench-power.XXXXXX)
busy_pids=()
stop_busy() {
	[ ${#busy_pids[@]} -eq 0 ] || kill "${busy_pids[@]}" 2>/dev/null || true
	busy_pids=()
}
trap 'stop_busy; rm -rf "$tmp"' EXIT
start_busy() {
	local i
	for i in 1 2; do
		(while :; do :; done) &
		busy_pids+=($!)
	done
}
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com \
	GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
unset ORDERS_REGRESS

# The scratch repository: the demo's service and scenario, with absolute
# paths to this checkout's load script and the Go build cache the Makefile
# uses.
repo=$tmp/repo
mkdir -p "$repo/svc"
cp "$ROOT"/tests/workload/orders-api/{main.go,go.mod,regress.conf} "$repo/svc/"
printf 'go 1.19\n\nuse ./svc\n' >"$repo/go.work"
printf 'bin/\n' >"$repo/.gitignore"
jq --arg l "$ROOT/scripts/load-wrk.sh" --arg c "${GOCACHE:-$(go env GOCACHE)}" '
	.scenarios[0].build = { cmd: ["go", "build", "-trimpath", "-o", "bin/orders-api", "./svc"],
				env: { GOPROXY: "off", GOCACHE: $c } }
	| .scenarios[0].workload.cmd[0] = "bin/orders-api"
	| .scenarios[0].load.cmd = [$l]' "$ROOT/perfgate.json" >"$repo/perfgate.json"
cd "$repo"
git init -q -b main
git add -A && git commit -qm "the service"
record() {
	"$PERFGATE" baseline record --force >"$tmp/record.out" 2>&1 ||
		{ cat "$tmp/record.out"; exit 1; }
	git add baselines && git commit -qm "baseline" --allow-empty
}
record
main=$(git rev-parse HEAD)

# branch NAME WORDS: a branch off main whose regress.conf adds WORDS.
branch() {
	git checkout -q -B "$1" "$main"
	if [ -n "$2" ]; then
		echo "$2" >>svc/regress.conf
		git commit -qam "regress: $2"
	else
		echo "$1" >NOTES && git add NOTES && git commit -qm "docs"
	fi
}

# check MODE NAME: one check of the current branch; prints
# "verdict change lo hi seconds" for the group's metric.
check() {
	local mode=$1 name=$2 metric=$3 rc=0 t0 args=()
	case $mode in
	stored) args=(--mode stored) ;;
	interleaved) args=(--mode paired --interleaved) ;;
	duet) args=(--mode paired --duet) ;;
	esac
	t0=$(date +%s.%N)
	CI_MERGE_REQUEST_DIFF_BASE_SHA=$main "$PERFGATE" check "${args[@]}" \
		--report-dir "$tmp/$name" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
	local secs
	secs=$(echo "$(date +%s.%N) - $t0" | bc)
	if [ "$rc" -gt 1 ]; then
		echo "error:$rc - - - $secs"
		return
	fi
	jq -r --arg m "$metric" --arg s "$secs" '
		(.comparison[] | select(.metric == $m)) as $r
		| [($r.verdict), ($r.change_pct // "nan"),
		   ($r.interval_pct[0] // "-"), ($r.interval_pct[1] // "-"), $s] | @tsv' \
		"$tmp/$name/result.json"
}

# pct: a median as "+1.2", "-" when there was none.
pct() {
	local v
	read -r v
	[ "$v" = - ] && echo - || printf '%+.1f' "$v"
}

median() { sort -g | awk '{ v[NR] = $1 } END {
	if (!NR) { print "-"; exit }
	print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# group NAME METRIC: K checks per mode of the current branch.
group() {
	local g=$1 metric=$2 mode i line
	for mode in ${MODES//,/ }; do
		: >"$tmp/$g.$mode"
		for i in $(seq 1 "$K"); do
			line=$(check "$mode" "$g-$mode-$i" "$metric")
			echo "$line" >>"$tmp/$g.$mode"
		done
		awk -v g="$g" -v m="$mode" -v metric="$metric" '
			{ n[$1]++ }
			END { printf "%-11s %-11s %-24s", g, m, metric
			      printf " pass %d  regression %d  inconclusive %d  error %d",
				n["pass"] + n["improvement"], n["regression"], n["inconclusive"],
				NR - n["pass"] - n["improvement"] - n["regression"] - n["inconclusive"] }' \
			"$tmp/$g.$mode"
		printf "  change %s %%  [%s, %s]  time %s s\n" \
			"$(cut -f2 "$tmp/$g.$mode" | grep -vx -- 'nan' | median | pct)" \
			"$(cut -f3 "$tmp/$g.$mode" | grep -vx -- '-' | median | pct)" \
			"$(cut -f4 "$tmp/$g.$mode" | grep -vx -- '-' | median | pct)" \
			"$(cut -f5 "$tmp/$g.$mode" | median | xargs printf '%.0f')"
	done
}

# Calibration: the cost of one hash round against the service's CPU per
# request, from one paired check (the default, duet) of 200 rounds.
branch calibrate "hash_rounds=200"
CI_MERGE_REQUEST_DIFF_BASE_SHA=$main "$PERFGATE" check --mode paired \
	--report-dir "$tmp/cal" >"$tmp/cal.out" 2>&1 || true
per_round=$(jq -r '.comparison[] | select(.metric == "cpu.seconds_per_req")
	| .change_pct / 200' "$tmp/cal/result.json")
echo "calibration: one hash round = +$(printf '%.3f' "$per_round") % CPU per request"
rounds_for() { awk -v p="$1" -v r="$per_round" 'BEGIN { printf "%d", p / r + 0.5 }'; }

echo "group       mode        metric                   verdicts (K=$K)"
for g in $GROUPS_RUN; do
	case $g in
	aa) branch aa "" && group aa cpu.seconds_per_req ;;
	aa-busy)
		branch aa-busy ""
		start_busy
		group aa-busy cpu.seconds_per_req
		stop_busy
		;;
	other-hour)
		git checkout -q main
		start_busy
		record
		stop_busy
		main=$(git rev-parse HEAD)
		branch other-hour "hash_rounds=$(rounds_for 25)"
		group other-hour cpu.seconds_per_req
		;;
	cpu5 | cpu10 | cpu25 | cpu50)
		branch "$g" "hash_rounds=$(rounds_for "${g#cpu}")"
		group "$g" cpu.seconds_per_req
		;;
	getrandom) branch getrandom "getrandom_calls=1" && group getrandom getrandom.calls_per_req ;;
	*) echo "bench-power: unknown group '$g'" >&2; exit 2 ;;
	esac
done
