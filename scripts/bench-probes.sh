#!/usr/bin/env bash
# Overhead of perfgate's eBPF probes (not a test; run as root after `make
# test` has built the helpers):
#  1. average run time per event of each BPF program, from the kernel's own
#     statistics (kernel.bpf_stats_enabled: run_time_ns / run_cnt); goal
#     <= 150 ns;
#  2. throughput of a getrandom-heavy loop and of the demo workload under
#     wrk, probes attached (B) vs not (A), interleaved A B A B ... in one
#     run so that machine drift hits both alike; goal <= 1 % slower.
# Usage: scripts/bench-probes.sh [PAIRS]   (default 5; env BUILD, PORT)
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PAIRS=${1:-5}
PORT=${PORT:-18431}
PERFGATE=$PWD/$BUILD/perfgate
LOOP=$PWD/$BUILD/tests/helpers/getrandom_loop
BULK=$PWD/$BUILD/tests/helpers/tcp_bulk
API=$PWD/$BUILD/orders-api
TAG=perfgate-bench-$$
CG="" NS="" PIDS=() OLD_STATS=""
TMP=$(mktemp -d /tmp/$TAG.XXXXXX)

die() { echo "bench-probes: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root"
for f in "$PERFGATE" "$LOOP" "$BULK" "$API"; do [ -x "$f" ] || die "no $f; run make test"; done
for t in jq bpftool wrk nft; do command -v $t >/dev/null || die "$t is not installed"; done

cleanup() {
	local p
	for p in "${PIDS[@]+"${PIDS[@]}"}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]+"${PIDS[@]}"}"; do wait "$p" 2>/dev/null; done
	[ -n "$OLD_STATS" ] && sysctl -q kernel.bpf_stats_enabled="$OLD_STATS"
	[ -n "$NS" ] && ip netns delete "$NS"
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
CG=$root/$TAG
mkdir "$CG" || die "cannot make $CG"

# probe_start: attach both programs (cgroup CG, port PORT); sets PROBE.
probe_start() {
	"$PERFGATE" probe --cgroup "$CG" --port "$PORT" -o /dev/null &
	PROBE=$!
	PIDS+=("$PROBE")
	for _ in $(seq 200); do
		[ "$(grep -h '^link_id:' /proc/$PROBE/fdinfo/* 2>/dev/null | wc -l)" -ge 3 ] && return
		sleep 0.05
	done
	die "perfgate probe did not attach"
}
probe_stop() { kill -INT "$PROBE"; wait "$PROBE"; }

echo "== 1. BPF run time per event (kernel.bpf_stats_enabled)"
stats() { # the probe's programs: "name run_cnt run_time_ns" lines
	local id
	for id in $(grep -h '^prog_id:' /proc/$PROBE/fdinfo/* | awk '{ print $2 }' | sort -un); do
		bpftool prog show id "$id" --json |
			jq -r '"\(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
	done
}
phase() { # NAME CMD...: run CMD, print each program's events and ns/event during it
	local name=$1
	shift
	stats >"$TMP/s0"
	"$@" >/dev/null
	stats >"$TMP/s1"
	join "$TMP/s0" "$TMP/s1" | awk -v p="$name" '$4 > $2 {
		printf "  %-22s %-20s %8d events %7.1f ns/event\n", p, $1, $4 - $2,
			($5 - $3) / ($4 - $2) }'
}
tcp_traffic() {
	ip netns exec "$NS" "$BULK" serve "$PORT" &
	PIDS+=($!)
	ip netns exec "$NS" "$BULK" client "$PORT" 3
}
OLD_STATS=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -q kernel.bpf_stats_enabled=1
NS=$TAG
ip netns add "$NS" && ip -n "$NS" link set lo up
ip netns exec "$NS" nft add table inet t
ip netns exec "$NS" nft add chain inet t c '{ type filter hook input priority 0; }'
ip netns exec "$NS" nft add rule inet t c meta l4proto tcp numgen random mod 100 '<' 5 drop
probe_start
phase "getrandom, in cgroup" "$LOOP" -c "$CG" 200000
phase "getrandom, elsewhere" "$LOOP" 200000
phase "retransmits, 5 % drop" tcp_traffic
probe_stop
sysctl -q kernel.bpf_stats_enabled="$OLD_STATS"
OLD_STATS=""

median() {
	sort -n | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
report() { # NAME UNIT FILE_A FILE_B
	local a b
	a=$(median <"$3") b=$(median <"$4")
	awk -v n="$1" -v u="$2" -v a="$a" -v b="$b" 'BEGIN {
		printf "%s: median without probes %.0f %s, with probes %.0f %s: %+.2f %%\n",
			n, a, u, b, u, (b - a) / a * 100 }'
}

echo "== 2a. getrandom loop (200000 calls of 16 B, in the probed cgroup), $PAIRS pairs"
: >"$TMP/a" && : >"$TMP/b"
loop_rate() { "$LOOP" -c "$CG" 200000 | sed -E 's/.*elapsed_ns=([0-9]+).*/\1/' |
	awk '{ printf "%.0f\n", 200000 / ($1 / 1e9) }'; }
for i in $(seq "$PAIRS"); do
	a=$(loop_rate)
	probe_start
	b=$(loop_rate)
	probe_stop
	echo "  pair $i: A $a calls/s, B $b calls/s"
	echo "$a" >>"$TMP/a" && echo "$b" >>"$TMP/b"
done
report "getrandom loop" calls/s "$TMP/a" "$TMP/b"

echo "== 2b. orders-api (GOMAXPROCS=1) under wrk -t1 -c8 -d3s /orders, $PAIRS pairs"
GOMAXPROCS=1 "$API" -addr "127.0.0.1:$PORT" &
API_PID=$!
PIDS+=("$API_PID")
echo "$API_PID" >"$CG/cgroup.procs"
for _ in $(seq 100); do
	curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
	sleep 0.1
done
rps() { wrk -t1 -c8 -d3s "http://127.0.0.1:$PORT/orders" | awk '/^Requests\/sec/ { print $2 }'; }
rps >/dev/null # warm-up
: >"$TMP/a" && : >"$TMP/b"
for i in $(seq "$PAIRS"); do
	a=$(rps)
	probe_start
	b=$(rps)
	probe_stop
	echo "  pair $i: A $a req/s, B $b req/s"
	echo "$a" >>"$TMP/a" && echo "$b" >>"$TMP/b"
done
report "orders-api" req/s "$TMP/a" "$TMP/b"
