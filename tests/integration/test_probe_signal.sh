#!/usr/bin/env bash
# `perfgate probe` leaves nothing attached on any exit path: SIGTERM, SIGINT,
# SIGHUP, SIGQUIT,
# an error after attaching; and refuses clearly without privileges.
# needs: root: loads BPF programs, makes cgroups
. "$(dirname "$0")/probe_lib.sh"
new_cgroup sig
cg=$CG

gone() { # KIND ID: until `bpftool KIND show id ID` fails (2 s at most)
	local i
	for i in $(seq 40); do
		bpftool "$1" show id "$2" >/dev/null 2>&1 || return 0
		sleep 0.05
	done
	return 1
}

# run_and_signal SIGNAL: attach both objects (cgroup + port), note the
# programs and links the process holds, signal it, check all are gone.
run_and_signal() {
	local pid progs links id
	"$PERFGATE" probe --cgroup "$cg" --port 9 -o "$TMP/out.json" &
	pid=$!
	PIDS+=("$pid")
	wait_attached "$pid" 3
	progs=$(progs_of "$pid")
	links=$(links_of "$pid")
	[ "$(echo "$progs" | wc -w)" -eq 3 ] || fail "expected 3 programs, got: $progs"
	for id in $progs; do
		bpftool prog show id "$id" | grep -Eq 'getrandom|tcp_retransmit' ||
			fail "program $id is not one of perfgate's"
	done
	kill -"$1" "$pid"
	wait "$pid" || fail "perfgate probe exited with $? after SIG$1"
	jq -e --arg s "SIG$1" '.stopped_by == $s and .tcp.retransmits == 0' \
		"$TMP/out.json" >/dev/null || fail "no or wrong output after SIG$1"
	for id in $progs; do gone prog "$id" || fail "program $id still loaded after SIG$1"; done
	for id in $links; do gone link "$id" || fail "link $id still attached after SIG$1"; done
	ok "SIG$1: result written, programs $(echo $progs) and links $(echo $links) gone"
}
run_and_signal TERM
run_and_signal INT
run_and_signal HUP
run_and_signal QUIT

# An output path that cannot be written is refused before the wait.
start=$(date +%s%N)
"$PERFGATE" probe --cgroup "$cg" --duration 5 -o "$TMP/missing/out.json" 2>"$TMP/err"
rc=$?
[ $rc = 2 ] || fail "unwritable output: exit $rc, want 2"
grep -q "cannot .*$TMP/missing/out.json" "$TMP/err" || fail "unclear error: $(cat "$TMP/err")"
[ $(($(date +%s%N) - start)) -lt 2000000000 ] || fail "unwritable output found after the wait"
ok "unwritable output: status 2 at once, one clear line"

# An error after attaching (the output directory went away meanwhile)
# still detaches; the status is 2 and the message names the file.
ours() { bpftool prog show 2>/dev/null | grep -cE 'name (sys_(enter|exit)_getrandom|tcp_retransmit_skb)'; }
before=$(ours)
mkdir "$TMP/gone"
"$PERFGATE" probe --cgroup "$cg" --duration 1 -o "$TMP/gone/out.json" 2>"$TMP/err" &
pid=$!
sleep 0.5
rmdir "$TMP/gone"
wait $pid
rc=$?
[ $rc = 2 ] || fail "output directory removed: exit $rc, want 2"
grep -q "cannot .*$TMP/gone/out.json" "$TMP/err" || fail "unclear error: $(cat "$TMP/err")"
sleep 0.2
[ "$(ours)" -le "$before" ] || fail "programs left after an error exit"
ok "error exit: status 2, one clear line, nothing left attached"

# Without privileges: exit 3, one line naming cause and fix.
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$PERFGATE" probe --cgroup "$cg" --duration 0.1 -o - >/dev/null 2>"$TMP/err"
	rc=$?
	[ $rc = 3 ] || fail "unprivileged: exit $rc, want 3 ($(cat "$TMP/err"))"
	[ "$(wc -l <"$TMP/err")" -le 2 ] && grep -q "run perfgate as root" "$TMP/err" ||
		fail "unprivileged: unclear error: $(cat "$TMP/err")"
	ok "unprivileged: exit 3: $(tail -1 "$TMP/err")"
fi
