# Shared by tests/integration/test_capture*.sh (sourced, not run): temp
# configs for the demo workload, and the leak check. Everything perfgate
# makes carries its pid (cgroups perfgate-<tag>-<pid>-*, namespaces
# perfgate-<pid>-*), so checks stay exact while other tests run beside us.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORKLOAD=$BUILD/orders-api
CGROOT=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
MARK=PG_ITEST_MARK_$$
failures=0
need_root "makes cgroups and network namespaces"
scratch T capture

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

[ -x "$PERFGATE" ] && [ -x "$WORKLOAD" ] || {
	echo "SKIP: build first ($PERFGATE, $WORKLOAD)"
	exit 77
}
[ -n "$CGROOT" ] || {
	echo "SKIP: no cgroup v2 hierarchy mounted"
	exit 77
}

# config FILE [key=json ...]: the demo scenario with short durations;
# dotted keys override (workload.drop_pct=5, load.cmd='["x"]').
config() {
	local file=$1 set k v path
	shift
	jq -n --arg w "$WORKLOAD" --arg l "$ROOT/scripts/load-wrk.sh" --arg m "$MARK" '{
		runs: 1,
		scenarios: [{
			name: "orders-api",
			workload: { cmd: [$w, "-addr", "127.0.0.1:8080"],
				ready_url: "http://127.0.0.1:8080/healthz", ready_timeout_s: 10,
				env: { GOMAXPROCS: "1", ($m): "1" }, isolate_network: true },
			pprof_url: "http://127.0.0.1:8080/debug/pprof/profile",
			load: { cmd: [$l], duration_s: 2, warmup_s: 1,
				env: { CONNECTIONS: "4", ($m): "1" } } }] }' >"$file.tmp"
	for set in "$@"; do
		k=${set%%=*} v=${set#*=}
		case $k in
		runs | bogus_key) path="[\"$k\"]" ;;
		*) path="[\"scenarios\", 0, $(echo "\"$k\"" | sed 's/\./", "/g')]" ;;
		esac
		jq --argjson v "$v" "setpath($path; \$v)" "$file.tmp" >"$file.tmp2" &&
			mv "$file.tmp2" "$file.tmp"
	done
	mv "$file.tmp" "$file"
}

# Processes carrying this test's marker in their environment.
marked_pids() {
	grep -l "$MARK=" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | grep -vx "$$" || true
}

# leftovers PID: what a perfgate with that pid left behind.
leftovers() {
	local pid=$1
	ip netns list 2>/dev/null | grep -E "^perfgate-$pid-" || true
	ls -d "$CGROOT"/perfgate-*-"$pid"-* 2>/dev/null || true
	ls -d "${TMPDIR:-/tmp}"/perfgate-*-"$pid"-* 2>/dev/null || true
	# perfgate never adds tables to the host namespace.
	nft list tables 2>/dev/null | grep perfgate || true
	marked_pids | sed 's/^/process /'
}

# BPF programs not held by any process: only a pin could keep one, and
# perfgate pins nothing. Compared as a set before/after.
bpf_orphans() {
	bpftool prog show 2>/dev/null | awk '
		/^[0-9]+:/ { if (id && !held) print id; id = $1; held = 0; next }
		/pids / { held = 1 }
		END { if (id && !held) print id }' | sort
}

# expect_clean PID WHAT: no leftovers once perfgate PID has exited.
expect_clean() {
	local left i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		left=$(leftovers "$1")
		[ -z "$left" ] && break
		sleep 0.2
	done
	if [ -n "$left" ]; then
		fail "$2: left behind: $left"
	else
		ok "$2: nothing left behind"
	fi
}

# run_capture NAME CONFIG [ARGS...]: runs perfgate capture, sets rc, out,
# errline and pgpid; the output goes to $T/NAME.json.
run_capture() {
	local name=$1 cfg=$2
	shift 2
	"$PERFGATE" capture -c "$cfg" -o "$T/$name.json" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	pgpid=$!
	wait $pgpid
	rc=$?
	errline=$(tail -n 1 "$T/$name.err")
}

# metric FILE NAME: the median of a metric ("absent" if missing).
metric() {
	jq -r --arg m "$2" '.metrics[$m].median // "absent"' "$1"
}

# check FILE NAME AWKEXPR: AWKEXPR over v (the median) must hold.
check() {
	local v
	v=$(metric "$1" "$2")
	if [ "$v" != absent ] && awk -v v="$v" "BEGIN { exit !($3) }"; then
		ok "$2 = $v ($3)"
	else
		fail "$2 = $v, expected $3"
	fi
}

# bpf_clean BEFORE WHAT: no new BPF program stays unheld. The kernel frees
# a program attached through a perf event only after an RCU grace period,
# which on a loaded machine takes seconds, and other perfgate runs on the
# machine churn programs too: a program counts as left behind only if it
# stays unheld for 10 s.
bpf_clean() {
	local left i
	left=$(comm -13 <(echo "$1") <(bpf_orphans))
	for i in $(seq 1 50); do
		[ -z "$left" ] && break
		sleep 0.2
		left=$(comm -12 <(echo "$left") <(bpf_orphans))
	done
	[ -z "$left" ] && ok "$2: no BPF program left unheld" ||
		fail "$2: BPF programs left: $(echo $left)"
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "PASS"
	exit 0
}
