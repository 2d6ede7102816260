#!/usr/bin/env bash
# TCP retransmit probe, for real: bulk traffic inside test namespaces with
# nftables dropping 5 % of TCP packets on input. Retransmits are counted for
# the target's namespace (--pid) or its listening port (--port), and not for
# the same traffic without drops, nor for another namespace's.
# needs: root: loads BPF programs, makes cgroups and network namespaces
. "$(dirname "$0")/probe_lib.sh"
BULK=$HELPERS/tcp_bulk
[ -x "$BULK" ] || skip "no $BULK; run make test"
command -v nft >/dev/null || skip "nft is not installed; run scripts/install-deps.sh"
PORT_A=5101 PORT_B=5102

for n in a b; do
	ip netns add "$TAG-$n" || skip "cannot create network namespaces"
	NETNS+=("$TAG-$n")
	ip -n "$TAG-$n" link set lo up || fail "cannot bring lo up in $TAG-$n"
done
in_ns() { local n=$1; shift; ip netns exec "$TAG-$n" "$@"; }
drop_on() {
	in_ns "$1" nft -f - <<-'NFT' || fail "cannot add the nftables drop rule"
	table inet perfgate_test {
		chain input {
			type filter hook input priority 0;
			meta l4proto tcp numgen random mod 100 < 5 drop
		}
	}
	NFT
}
drop_off() { in_ns "$1" nft delete table inet perfgate_test 2>/dev/null; true; }
retrans_segs() { # the namespace's own RetransSegs counter
	in_ns "$1" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RetransSegs")
		c = i; h = 1 } else print $c }' /proc/net/snmp
}

# Not through in_ns: a backgrounded function is a subshell, and $! would
# be that subshell, not the server (ip netns exec execs its command).
ip netns exec "$TAG-a" "$BULK" serve $PORT_A &
server_a=$!
PIDS+=("$server_a")
ip netns exec "$TAG-b" "$BULK" serve $PORT_B &
PIDS+=($!)
new_cgroup tcp
cg=$CG

# phase NAME: run 2 s of traffic in both namespaces under two probes, one by
# namespace (--pid of server a), one by port (PORT_A); sets NS PORT RA RB.
phase() {
	local pns pport ra0 rb0
	"$PERFGATE" probe --pid "$server_a" -o "$TMP/ns.json" 2>/dev/null &
	pns=$!
	"$PERFGATE" probe --cgroup "$cg" --port $PORT_A -o "$TMP/port.json" &
	pport=$!
	PIDS+=("$pns" "$pport")
	wait_attached "$pns" 3
	wait_attached "$pport" 3
	ra0=$(retrans_segs a) rb0=$(retrans_segs b)
	ip netns exec "$TAG-a" timeout 10 "$BULK" client $PORT_A 2 >"$TMP/a.out" &
	in_ns b timeout 10 "$BULK" client $PORT_B 2 >"$TMP/b.out" || fail "client b failed"
	wait $! || fail "client a failed"
	sleep 0.3 # let retransmit timers of the last drops fire
	RA=$(($(retrans_segs a) - ra0)) RB=$(($(retrans_segs b) - rb0))
	stop_probe "$pns"
	stop_probe "$pport"
	NS=$(jq .tcp.retransmits "$TMP/ns.json") PORT=$(jq .tcp.retransmits "$TMP/port.json")
	jq -e '.tcp.netns_ino > 0' "$TMP/ns.json" >/dev/null || fail "--pid did not scope by netns"
	echo "$1: probe by netns $NS, by port $PORT; RetransSegs a $RA, b $RB;" \
		"a $(cat "$TMP/a.out"), b $(cat "$TMP/b.out")"
}

drop_on a
drop_on b
phase "drop in a and b"
[ "$NS" -gt 0 ] || fail "no retransmits counted by netns with 5 % drop"
[ "$PORT" -gt 0 ] || fail "no retransmits counted by port with 5 % drop"
[ "$RB" -gt 0 ] || fail "namespace b saw no retransmits; the drop rule did not work"
[ "$NS" -le "$RA" ] && [ "$PORT" -le "$RA" ] ||
	fail "more retransmits counted than namespace a made ($RA): b's were counted"
ok "5 % drop: retransmits counted by netns ($NS) and by port ($PORT), at most a's own $RA"

drop_off a
phase "drop in b only"
[ "$RB" -gt 0 ] || fail "namespace b saw no retransmits; the drop rule did not work"
[ "$NS" = 0 ] || fail "$NS retransmits counted by netns without drops in a"
[ "$PORT" = 0 ] || fail "$PORT retransmits counted by port without drops in a"
ok "no drop in a: 0 counted, while b made $RB retransmits that were not counted"
