#!/usr/bin/env bash
# Attach mode against a real container engine: the demo service built
# offline into a FROM-scratch image, run by podman (runc) in a network
# namespace this test made, then `perfgate check` attached to podman:NAME.
# getrandom calls match the requests the container served while a copy of
# the same binary outside it, under load too, is not counted; retransmits
# from an nftables drop inside the container's namespace are counted and
# none from another namespace dropping too; a CPU profile is fetched; the
# container still runs, unrestarted; nothing of perfgate's is left. Then a
# container that dies mid-load is exit 3 naming it, and a missing one too;
# without privileges the error names the capabilities.
# needs: root: runs podman, makes cgroups, namespaces and BPF programs
. "$(dirname "$0")/capture_lib.sh"

NAME=pgit-attach-$$
IMAGE=localhost/perfgate-itest-orders:$$
NS=pgit-attach-$$
OTHER=pgit-other-$$
outsider_pids=()

cleanup() {
	local p
	for p in "${outsider_pids[@]+"${outsider_pids[@]}"}"; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	podman rm -f -t 0 "$NAME" >/dev/null 2>&1
	podman rmi -f "$IMAGE" >/dev/null 2>&1
	ip netns delete "$NS" 2>/dev/null
	ip netns delete "$OTHER" 2>/dev/null
}
at_exit cleanup # before the scratch directory goes (lib.sh)

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (podman, BPF, namespaces)"; exit 77; }
for t in podman runc nft wrk go; do
	command -v $t >/dev/null ||
		{ echo "SKIP: $t is not installed; run scripts/install-deps.sh"; exit 77; }
done

# The image: a static binary (no libc in a FROM scratch image), no registry.
mkdir -p "$T/img"
(cd "$ROOT/tests/workload/orders-api" && CGO_ENABLED=0 GOPROXY=off \
	go build -trimpath -o "$T/img/orders-api" .) ||
	{ echo "FAIL: cannot build the static demo binary"; exit 1; }
printf 'FROM scratch\nCOPY orders-api /orders-api\nENTRYPOINT ["/orders-api"]\n' \
	>"$T/img/Containerfile"
if ! podman build -q -t "$IMAGE" "$T/img" >"$T/build.log" 2>&1; then
	echo "SKIP: podman cannot build a FROM scratch image here: $(tail -n 1 "$T/build.log")"
	exit 77
fi

# Two namespaces with loopback up, each dropping 5 % of TCP packets.
for n in "$NS" "$OTHER"; do
	ip netns add "$n" && ip -n "$n" link set lo up || { echo "FAIL: cannot make netns $n"; exit 1; }
	ip netns exec "$n" nft "add table inet pgit; add chain inet pgit input { type filter \
		hook input priority 0; }; add rule inet pgit input meta l4proto tcp numgen random \
		mod 100 < 5 drop" || { echo "FAIL: cannot add the drop rule in $n"; exit 1; }
done
retrans() { # NS: RetransSegs of the namespace
	ip netns exec "$1" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++)
		if ($i == "RetransSegs") c = i; h = 1 } else print $c }' /proc/net/snmp
}

# runc and explicit rlimits: crun refuses this VM's hybrid cgroups and
# default rlimits.
if ! podman run -d --name "$NAME" --runtime runc --ulimit nofile=1024:1024 \
	--ulimit nproc=500:500 --network "ns:/run/netns/$NS" "$IMAGE" \
	-addr 127.0.0.1:8080 >"$T/run.log" 2>&1; then
	echo "SKIP: podman cannot run a container here: $(tail -n 1 "$T/run.log")"
	exit 77
fi
cpid=$(podman inspect --format '{{.State.Pid}}' "$NAME")

# The outsider: the same binary, outside the container, under load.
ip netns exec "$OTHER" "$T/img/orders-api" -addr 127.0.0.1:8080 >/dev/null 2>&1 &
outsider_pids+=($!)
for _ in $(seq 50); do
	ip netns exec "$OTHER" curl -sf http://127.0.0.1:8080/healthz >/dev/null && break
	sleep 0.1
done
ip netns exec "$OTHER" wrk -t 1 -c 4 -d 30s http://127.0.0.1:8080/orders >"$T/outsider.out" 2>&1 &
outsider_pids+=($!)

# A config in a git repository: check's reference is its commit.
mkdir -p "$T/repo"
# 16 connections: the drop rule stalls each on retransmit timers, and the
# CPU profile needs enough requests served to hold main's frames
CONNS=16
jq -n --arg c "podman:$NAME" --arg l "$ROOT/scripts/load-wrk.sh" --arg n "$CONNS" '{
	runs: 1,
	scenarios: [{ name: "attached",
		workload: { attach: { container: $c },
			ready_url: "http://127.0.0.1:8080/healthz", ready_timeout_s: 10 },
		pprof_url: "http://127.0.0.1:8080/debug/pprof/profile",
		load: { cmd: [$l], duration_s: 3, warmup_s: 0,
			env: { CONNECTIONS: $n } } }] }' >"$T/repo/perfgate.json"
git -C "$T/repo" init -q && git -C "$T/repo" add perfgate.json &&
	git -C "$T/repo" -c user.name=t -c user.email=t@t commit -qm config

bpf_before=$(bpf_orphans)
mine0=$(retrans "$NS") other0=$(retrans "$OTHER")
(cd "$T/repo" && exec "$PERFGATE" check --no-baseline=pass --report-dir "$T/rep") \
	>"$T/check.out" 2>"$T/check.err" &
pgpid=$!
wait $pgpid
rc=$?
mine=$(($(retrans "$NS") - mine0)) other=$(($(retrans "$OTHER") - other0))
r=$T/rep/result.json
if [ "$rc" -ne 0 ] || [ ! -f "$r" ]; then
	fail "check exited $rc: $(tail -n 1 "$T/check.err")"
else
	calls=$(metric "$r" getrandom.calls) reqs=$(metric "$r" load.requests)
	# One getrandom() per request served; a request in flight on each
	# connection when wrk stops is served but not counted by wrk.
	if awk -v c="$calls" -v r="$reqs" -v n="$CONNS" 'BEGIN { exit !(r > 0 && c >= r && c <= r + n) }'; then
		ok "getrandom.calls $calls = requests served ($reqs completed, $CONNS connections)"
	else
		fail "getrandom.calls $calls, requests $reqs: the outsider counted, or calls lost"
	fi
	kill -INT "${outsider_pids[1]}" 2>/dev/null
	wait "${outsider_pids[1]}" 2>/dev/null
	served=$(awk '/requests in/ { print $1 }' "$T/outsider.out")
	[ "${served:-0}" -gt 0 ] && ok "the outsider served $served requests meanwhile, not counted" ||
		fail "the outsider served no requests: $(tail -n 2 "$T/outsider.out")"
	tcp=$(metric "$r" tcp.retransmits)
	if [ "$tcp" -gt 0 ] && [ "$tcp" -le "$mine" ] && [ "$other" -gt 0 ]; then
		ok "retransmits $tcp counted, at most the container namespace's own $mine;" \
			"$other in the other namespace not counted"
	else
		fail "retransmits $tcp; container namespace $mine, other namespace $other"
	fi
	jq -e '.cpu_top.total > 0 and
		([.cpu_top.functions[].name | select(startswith("main."))] | length > 0)' "$r" \
		>/dev/null && ok "CPU profile fetched from inside the namespace" ||
		fail "no CPU profile: $(jq -c '.cpu_top | del(.functions)' "$r")"
	check "$r" cpu.seconds_per_req 'v > 0 && v < 0.01'
fi
state=$(podman inspect --format '{{.State.Running}} {{.State.Pid}}' "$NAME")
[ "$state" = "true $cpid" ] && ok "the container still runs, same process ($cpid)" ||
	fail "container state after check: '$state', was running as $cpid"
expect_clean "$pgpid" "check attached"
bpf_clean "$bpf_before" "check attached"

jq '.scenarios[0].load.duration_s = 6' "$T/repo/perfgate.json" >"$T/long.json"

# SIGTERM mid-load: perfgate goes, with everything of its own; the
# container is not signalled and runs on.
"$PERFGATE" capture -c "$T/long.json" -o "$T/term.json" >/dev/null 2>"$T/term.err" &
pgpid=$!
sleep 2.5
kill -TERM $pgpid
wait $pgpid
rc=$?
state=$(podman inspect --format '{{.State.Running}} {{.State.Pid}}' "$NAME")
[ "$rc" -ne 0 ] && [ "$state" = "true $cpid" ] && [ ! -e "$T/term.json" ] &&
	ok "SIGTERM mid-load: exit $rc, container untouched: $(tail -n 1 "$T/term.err")" ||
	fail "SIGTERM mid-load: exit $rc, container '$state': $(tail -n 1 "$T/term.err")"
expect_clean "$pgpid" "SIGTERM mid-load"
bpf_clean "$bpf_before" "SIGTERM mid-load"

# Without the privileges: exit 3 naming the capabilities, nothing done.
if command -v runuser >/dev/null; then
	cid=$(podman inspect --format '{{.Id}}' "$NAME")
	chmod 755 "$T" "$T/repo"
	jq --arg c "podman:${cid:0:12}" '.scenarios[0].workload.attach.container = $c' \
		"$T/repo/perfgate.json" >"$T/nobody.json" && chmod 644 "$T/nobody.json"
	rc=0
	runuser -u nobody -- "$PERFGATE" capture -c "$T/nobody.json" -o /tmp/pgit-nobody-$$.json \
		--no-probes 2>"$T/nobody.err" || rc=$?
	[ "$rc" -eq 3 ] && grep -q "CAP_SYS_PTRACE" "$T/nobody.err" &&
		[ ! -e /tmp/pgit-nobody-$$.json ] &&
		ok "unprivileged: exit 3: $(tail -n 1 "$T/nobody.err")" ||
		fail "unprivileged: exit $rc: $(tail -n 1 "$T/nobody.err")"
fi

# The container dies during the load: exit 3 naming it, nothing left.
"$PERFGATE" capture -c "$T/long.json" -o "$T/gone.json" >/dev/null 2>"$T/gone.err" &
pgpid=$!
sleep 2.5
podman kill "$NAME" >/dev/null 2>&1
wait $pgpid
rc=$?
errline=$(tail -n 1 "$T/gone.err")
[ "$rc" -eq 3 ] && [[ $errline == *"container 'podman:$NAME' is gone during the load"* ]] &&
	[ ! -e "$T/gone.json" ] && ok "container killed mid-load: exit 3: $errline" ||
	fail "container killed mid-load: exit $rc: $errline"
expect_clean "$pgpid" "gone mid-load"

# Not on this node.
"$PERFGATE" probe --container "podman:$NAME-missing" --duration 1 -o - >/dev/null 2>"$T/miss.err"
rc=$?
[ "$rc" -eq 3 ] && [ "$(wc -l <"$T/miss.err")" -eq 1 ] && grep -q "podman ps" "$T/miss.err" &&
	ok "missing container: exit 3: $(cat "$T/miss.err")" ||
	fail "missing container: exit $rc: $(cat "$T/miss.err")"
finish
