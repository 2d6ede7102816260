# Shared by tests/integration/test_capture*.sh (sourced, not run): temp
# configs for the demo workload, and the leak check. Everything perfgate
# makes carries its pid (cgroups perfgate-<tag>-<pid>-*, namespaces
# perfgate-<pid>-*), so checks stay exact while other tests run beside us.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PERFGATE=${PERFGATE:-$BUILD/perfgate}
WORKLOAD=$BUILD/orders-api
CGROOT=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
T=$(mktemp -d /tmp/perfgate-itest-XXXXXX)
MARK=PG_ITEST_MARK_$$
failures=0
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

ok() {
	echo "ok: $*"
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
	local file=$1
	shift
	python3 - "$file" "$WORKLOAD" "$ROOT/scripts/load-wrk.sh" "$MARK" "$@" <<'PY'
import json, sys
file, workload, load, mark, *sets = sys.argv[1:]
sc = {
    "name": "orders-api",
    "workload": {"cmd": [workload, "-addr", "127.0.0.1:8080"],
                 "ready_url": "http://127.0.0.1:8080/healthz", "ready_timeout_s": 10,
                 "env": {"GOMAXPROCS": "1", mark: "1"}, "isolate_network": True},
    "pprof_url": "http://127.0.0.1:8080/debug/pprof/profile",
    "load": {"cmd": [load], "duration_s": 2, "warmup_s": 1,
             "env": {"CONNECTIONS": "4", mark: "1"}},
}
cfg = {"runs": 1, "scenarios": [sc]}
for s in sets:
    k, v = s.split("=", 1)
    d, *path = k.split(".")
    node = cfg if d in ("runs", "bogus_key") else sc[d]
    for p in path[:-1]:
        node = node[p]
    node[path[-1] if path else d] = json.loads(v)
json.dump(cfg, open(file, "w"), indent=1)
PY
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
	python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))["metrics"].get(sys.argv[2])
print(repr(m["median"]) if m else "absent")' "$1" "$2"
}

# check FILE NAME PYEXPR: PYEXPR over v (the median) must hold.
check() {
	local v
	v=$(metric "$1" "$2")
	if [ "$v" != absent ] && python3 -c "import sys; v = float(sys.argv[1]); sys.exit(0 if ($3) else 1)" "$v"; then
		ok "$2 = $v ($3)"
	else
		fail "$2 = $v, expected $3"
	fi
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "PASS"
	exit 0
}
