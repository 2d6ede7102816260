#!/usr/bin/env bash
# getrandom probe, for real: exact call counts scoped to one cgroup and the
# cgroups below it, and latency quantiles that agree with the caller's own timing.
. "$(dirname "$0")/probe_lib.sh"
LOOP=$HELPERS/getrandom_loop
[ -x "$LOOP" ] || skip "no $LOOP; run make test"

# probe_run CGROUP OUT: start perfgate probe on CGROUP in the background,
# wait until its programs are attached; sets PROBE.
probe_start() {
	"$PERFGATE" probe --cgroup "$1" --duration 60 -o "$2" 2>"$TMP/probe.err" &
	PROBE=$!
	PIDS+=("$PROBE")
	wait_attached "$PROBE" 2
}

# 1. Exactly N calls from inside the cgroup; an outsider calling at the same
# time is not counted.
new_cgroup gr
cg=$CG
probe_start "$cg" "$TMP/count.json"
"$LOOP" 30000 >/dev/null &
outsider=$!
PIDS+=("$outsider")
"$LOOP" -c "$cg" 10000 >/dev/null || fail "helper failed"
wait "$outsider" || fail "outsider helper failed"
stop_probe "$PROBE"
calls=$(jq .getrandom.calls "$TMP/count.json")
[ "$calls" = 10000 ] || fail "getrandom.calls is $calls, want exactly 10000"
hist=$(jq '[.getrandom.histogram[].count] | add' "$TMP/count.json")
[ "$hist" = 10000 ] || fail "histogram holds $hist calls, want 10000"
jq -e '.getrandom.lat_p50_ns > 0 and .getrandom.lat_p99_ns >= .getrandom.lat_p50_ns and
	.getrandom.lat_max_ns >= .getrandom.lat_p99_ns and .stopped_by == "SIGINT"' \
	"$TMP/count.json" >/dev/null || fail "implausible quantiles: $(jq -c .getrandom "$TMP/count.json")"
ok "10000 calls in the cgroup counted exactly, 30000 outside it ignored"

# 1b. The cgroups below the target count too (a pod's containers, the child
# cgroup an engine runs a container in); a sibling's do not.
mkdir "$cg/sub" || fail "cannot make $cg/sub"
CGROUPS=("$cg/sub" "${CGROUPS[@]}") # removed before its parent
new_cgroup gr-sibling
probe_start "$cg" "$TMP/sub.json"
"$LOOP" -c "$CG" 3000 >/dev/null || fail "helper failed"
"$LOOP" -c "$cg/sub" 4000 >/dev/null || fail "helper failed"
"$LOOP" -c "$cg" 1000 >/dev/null || fail "helper failed"
stop_probe "$PROBE"
calls=$(jq .getrandom.calls "$TMP/sub.json")
[ "$calls" = 5000 ] || fail "getrandom.calls is $calls, want 4000 below + 1000 in the cgroup"
ok "4000 calls in a child cgroup and 1000 in the cgroup counted, 3000 in a sibling not"

# 2. Quantiles against user-space timing. Each call's kernel window
# (sys_enter .. sys_exit) lies inside the helper's user-space timing of it,
# so every histogram quantile is at most the user-space one plus one bucket
# (3.1 %): checked strictly. The other side needs the overhead o that user
# space adds outside the kernel's window (syscall entry and return, the
# tracepoint machinery, two clock reads; about 1.4 us on this VM, far more
# than the 16-byte call itself). o is measured per quantile with zero-byte
# calls under the same probes just before (user q - kernel q); then for
# 16-byte calls the histogram's q must equal user q - o within one bucket
# plus noise: 100 ns or 15 % of o, whichever is larger (o drifts 30-200 ns
# between runs here on a busy 2-core VM). The helper runs pinned, at
# real-time priority, so preemption by other tasks, which lands outside the
# kernel's window, does not inflate its p99. A busy machine can still shift
# o between the two runs, so the pair is tried up to 3 times.
quantiles() { # BYTES -> "user_p50 user_p99 kernel_p50 kernel_p99"
	local u
	probe_start "$cg" "$TMP/q.json"
	u=$(taskset -c 0 "$LOOP" -c "$cg" -b "$1" -r -t 20000) || fail "helper failed"
	stop_probe "$PROBE"
	[ "$(jq .getrandom.calls "$TMP/q.json")" = 20000 ] || fail "calls != 20000"
	echo "$(echo "$u" | sed -E 's/.*p50_ns=([0-9]+) p99_ns=([0-9]+).*/\1 \2/')" \
		"$(jq -r '"\(.getrandom.lat_p50_ns) \(.getrandom.lat_p99_ns)"' "$TMP/q.json")"
}
check() { # NAME USER KERNEL OVERHEAD
	awk -v n="$1" -v u="$2" -v k="$3" -v o="$4" 'BEGIN {
		if (k > u * 1.031 + 1) {
			printf "%s: histogram %d ns exceeds user-space timing %d ns\n", n, k, u
			exit 2
		}
		want = u - o; noise = o * 0.15 > 100 ? o * 0.15 : 100
		tol = k * 0.031 + noise; d = k - want; if (d < 0) d = -d
		printf "%s: histogram %d ns, user-space timing minus overhead %d ns, " \
			"|diff| %d <= %d\n", n, k, want, d, tol
		exit d > tol }'
}
for attempt in 1 2 3; do
	read -r cu50 cu99 ck50 ck99 <<<"$(quantiles 0)"
	read -r u50 u99 k50 k99 <<<"$(quantiles 16)"
	echo "attempt $attempt: calibration (0 B): user p50 $cu50 p99 $cu99," \
		"kernel p50 $ck50 p99 $ck99; 16 B: user p50 $u50 p99 $u99, kernel p50 $k50 p99 $k99"
	check p50 "$u50" "$k50" $((cu50 - ck50)); r50=$?
	check p99 "$u99" "$k99" $((cu99 - ck99)); r99=$?
	[ $r50 = 2 ] || [ $r99 = 2 ] && fail "a histogram quantile exceeds the caller's own timing"
	if [ $r50 = 0 ] && [ $r99 = 0 ]; then
		ok "p50 and p99 agree with user-space timing"
		exit 0
	fi
done
fail "p50/p99 disagree with user-space timing in 3 attempts"
