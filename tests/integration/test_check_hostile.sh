#!/usr/bin/env bash
# perfgate check against a hostile merge request, the cases that end before
# any capture (issue 10), in a temporary git repository: a baseline that is
# a committed symlink to a FIFO (no hang: exit 2), a report file symlinked
# to a FIFO or a device (refused, exit 2, nothing written through it), a
# symlinked report folder (refused), a read-only report folder (exit 3
# before the capture); and the leftovers of a SIGKILLed capture swept by the
# next one.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PERFGATE=${PERFGATE:-$BUILD/perfgate}

[ -x "$PERFGATE" ] || { echo "SKIP: $PERFGATE not built"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (mounts, cgroups)"; exit 77; }

tmp=$(mktemp -d /tmp/pg-hostile.XXXXXX)
cleanup() {
	umount "$tmp/ro" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.com
unset CI_MERGE_REQUEST_DIFF_BASE_SHA

# expect CODE NAME [args...]: perfgate check within 20 s, exit CODE.
expect() {
	local want=$1 name=$2 rc=0
	shift 2
	timeout 20 "$PERFGATE" check "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
	[ "$rc" -ne 124 ] || fail "$name: hung (killed after 20 s)"
	if [ "$rc" -ne "$want" ]; then
		cat "$tmp/$name.out" "$tmp/$name.err"
		fail "$name: exit $rc, want $want"
	fi
	echo "ok: $name -> exit $rc: $(head -c 160 "$tmp/$name.err")"
}

repo=$tmp/repo
mkdir -p "$repo" && cd "$repo"
git init -q -b main
cat >perfgate.json <<JSON
{ "runs": 1, "scenarios": [{ "name": "orders-api",
  "workload": { "cmd": ["/bin/sleep", "60"], "ready_url": "http://127.0.0.1:9/" },
  "load": { "cmd": ["/bin/true"], "duration_s": 1, "warmup_s": 0 } }] }
JSON
git add -A && git commit -qm init
A=$(git rev-parse HEAD)

# A committed symlink to a FIFO as the reference baseline.
mkfifo "$tmp/fifo"
mkdir -p baselines/orders-api
ln -s "$tmp/fifo" "baselines/orders-api/$A.json"
git add baselines && git commit -qm "B: a baseline that is a FIFO"
expect 2 fifo-baseline
grep -q "not a regular file" "$tmp/fifo-baseline.err" || fail "fifo-baseline: no clear line"

# Report files and folders through symlinks: refused before the capture.
mkdir -p "$tmp/rep1" && ln -s "$tmp/fifo" "$tmp/rep1/summary.md"
expect 2 report-fifo --report-dir "$tmp/rep1"
grep -q "is a symlink" "$tmp/report-fifo.err" || fail "report-fifo: no clear line"
mkdir -p "$tmp/rep2" && ln -s /dev/null "$tmp/rep2/junit.xml"
expect 2 report-device --report-dir "$tmp/rep2"
[ -c /dev/null ] || fail "/dev/null is no longer a device"
mkdir -p "$tmp/etc" && ln -s "$tmp/etc" "$tmp/rep3"
expect 2 report-folder-link --report-dir "$tmp/rep3"
[ -z "$(ls -A "$tmp/etc")" ] || fail "report-folder-link: files written through the link"

# A read-only report folder: infrastructure, found before the capture.
mkdir -p "$tmp/ro" && mount -t tmpfs -o size=64k,ro pg-hostile "$tmp/ro"
expect 3 report-ro --report-dir "$tmp/ro"
grep -q "not writable" "$tmp/report-ro.err" || fail "report-ro: no clear line"
grep -q "no verdict" "$tmp/report-ro.out" && fail "report-ro: captured first"
# kill -9 a capture while its workload runs (a CI cancel): its cgroup,
# network namespace and the workload's own child (PR_SET_PDEATHSIG reaches
# only the workload itself) stay; the next run sweeps exactly those.
config() {
	cat >perfgate.json <<JSON
{ "runs": 1, "scenarios": [{ "name": "orders-api",
  "workload": { "cmd": ["/bin/sh", "-c", "sleep 4473 & exec sleep 4474"],
                "ready_url": "http://127.0.0.1:9/",
                "ready_timeout_s": $1, "isolate_network": true },
  "load": { "cmd": ["/bin/true"], "duration_s": 1, "warmup_s": 0 } }] }
JSON
}
config 60
"$PERFGATE" capture -o "$tmp/x.json" >/dev/null 2>&1 &
victim=$!
# objs PID: the cgroups and namespaces a perfgate with that pid made.
objs() {
	ls -d /sys/fs/cgroup/perfgate-workload-"$1"-* /sys/fs/cgroup/unified/perfgate-workload-"$1"-* \
		/run/netns/perfgate-"$1"-* 2>/dev/null || true
}
for _ in $(seq 200); do
	objs "$victim" | grep -q workload && break
	sleep 0.05
done
sleep 0.2
kill -9 "$victim" || fail "sweep: the capture ended before the kill"
wait "$victim" 2>/dev/null || true
config 1
left=$(objs "$victim" | wc -l)
[ "$left" -ge 2 ] || fail "sweep: the SIGKILLed run left nothing to sweep ($left)"
pgrep -f '[s]leep 4473' >/dev/null || fail "sweep: the workload is not running"
rc=0
timeout 60 "$PERFGATE" capture -o "$tmp/y.json" >"$tmp/sweep.out" 2>"$tmp/sweep.err" || rc=$?
[ "$rc" -eq 3 ] || { cat "$tmp/sweep.err"; fail "sweep: exit $rc, want 3 (never ready)"; }
grep -q "removed leftovers of killed runs: 1 cgroup, 1 network namespace" "$tmp/sweep.err" ||
	{ cat "$tmp/sweep.err"; fail "sweep: no line naming what went"; }
left=$(objs "$victim" | wc -l)
[ "$left" -eq 0 ] || fail "sweep: $left objects of the killed run remain"
pgrep -f '[s]leep 4473' >/dev/null && fail "sweep: the killed run's workload still runs"
echo "ok: sweep removed the SIGKILLed run's cgroup, namespace and workload"
echo "PASS: hostile merge request cases"
