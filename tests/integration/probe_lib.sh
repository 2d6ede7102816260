# Shared by tests/integration/test_probe_*.sh (sourced, not run): skip rules,
# the resources the tests make (cgroups, namespaces, children), and a trap
# that removes all of them on every exit path. On top of lib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HELPERS=$BUILD/tests/helpers
TAG=perfgate-test-$$
CGROUPS=() NETNS=() PIDS=()

fail() { echo "FAIL: $*"; exit 1; }

need_root "loads BPF programs, makes cgroups"
[ -x "$PERFGATE" ] || skip "no perfgate binary at $PERFGATE; run make"
need_tools jq bpftool
scratch TMP probe

cleanup() {
	local p c n
	for p in "${PIDS[@]+"${PIDS[@]}"}"; do kill -KILL "$p" 2>/dev/null; done
	for p in "${PIDS[@]+"${PIDS[@]}"}"; do wait "$p" 2>/dev/null; done
	for c in "${CGROUPS[@]+"${CGROUPS[@]}"}"; do
		[ -f "$c/cgroup.kill" ] && echo 1 >"$c/cgroup.kill" 2>/dev/null
		for _ in $(seq 50); do rmdir "$c" 2>/dev/null && break; sleep 0.1; done
	done
	for n in "${NETNS[@]+"${NETNS[@]}"}"; do ip netns delete "$n" 2>/dev/null; done
}
at_exit cleanup

cgroup_root() {
	awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts
}

# new_cgroup NAME: make <v2 root>/$TAG-NAME and set CG to its path (not
# echoed: a command substitution's subshell would lose the cleanup entry).
new_cgroup() {
	local root
	root=$(cgroup_root)
	[ -n "$root" ] || skip "no cgroup v2 hierarchy is mounted"
	mkdir "$root/$TAG-$1" || fail "cannot make cgroup $root/$TAG-$1"
	CGROUPS+=("$root/$TAG-$1")
	CG=$root/$TAG-$1
}

# links_of PID: the BPF link ids the process holds (from its fdinfo).
links_of() {
	grep -h '^link_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -n
}
progs_of() {
	grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -un
}

# wait_attached PID N: until the process holds N BPF links (10 s at most).
wait_attached() {
	local i
	for i in $(seq 200); do
		[ "$(links_of "$1" | wc -l)" -ge "$2" ] && return 0
		kill -0 "$1" 2>/dev/null || fail "perfgate probe exited before attaching"
		sleep 0.05
	done
	fail "perfgate probe did not attach $2 links within 10 s"
}

# stop_probe PID: SIGINT, then wait for it and check it succeeded.
stop_probe() {
	kill -INT "$1"
	wait "$1" || fail "perfgate probe exited with $?"
}
