#!/usr/bin/env bash
# Captures that must fail cleanly: the contract's exit code, one clear line
# naming the cause, no result file, and nothing left behind (processes,
# cgroups, namespaces, nft tables, BPF programs) -- also on SIGTERM.
# needs: root: makes cgroups, network namespaces and BPF programs
. "$(dirname "$0")/capture_lib.sh"

bpf_before=$(bpf_orphans)

# expect NAME CODE PATTERN: the last run_capture exited CODE with a line
# matching PATTERN, and wrote no result.
expect() {
	if [ "$rc" -eq "$2" ] && [[ "$errline" == *"$3"* ]] && [ ! -e "$T/$1.json" ]; then
		ok "$1: exit $rc: $errline"
	else
		fail "$1: exit $rc (want $2), '$errline' (want *$3*)"
	fi
}

cat >"$T/load-exit1.sh" <<'EOF'
#!/bin/sh
echo "load: target unreachable" >&2
exit 1
EOF
cat >"$T/load-nometrics.sh" <<'EOF'
#!/bin/sh
sleep 0.2
EOF
cat >"$T/load-badmetrics.sh" <<'EOF'
#!/bin/sh
echo '{"requests": "many"}' > "$PERFGATE_METRICS_FILE"
EOF
chmod +x "$T"/load-*.sh

config "$T/c-crash.json" \
	'workload.cmd=["'"$WORKLOAD"'", "-addr", "127.0.0.1:8080", "-crash-after", "1s"]'
run_capture crash "$T/c-crash.json"
expect crash 3 "workload exited with status 2 during the"
[[ "$errline" == *"crashing on purpose"* ]] && ok "crash: its last output is shown" ||
	fail "crash: no workload output in '$errline'"
expect_clean "$pgpid" crash

config "$T/c-exit1.json" 'load.cmd=["'"$T/load-exit1.sh"'"]' load.warmup_s=0
run_capture exit1 "$T/c-exit1.json" --no-probes
expect exit1 3 "load script exited with status 1; its last output: 'load: target unreachable'"
expect_clean "$pgpid" "load script exit 1"

config "$T/c-nom.json" 'load.cmd=["'"$T/load-nometrics.sh"'"]' load.warmup_s=0
run_capture nom "$T/c-nom.json" --no-probes
expect nom 3 "load script wrote no metrics"
config "$T/c-badm.json" 'load.cmd=["'"$T/load-badmetrics.sh"'"]' load.warmup_s=0
run_capture badm "$T/c-badm.json" --no-probes
expect badm 3 "metrics file is malformed"
config "$T/c-noload.json" 'load.cmd=["'"$T/missing-load.sh"'"]' load.warmup_s=0
run_capture noload "$T/c-noload.json" --no-probes
expect noload 3 "load script"

config "$T/c-404.json" load.warmup_s=0 load.duration_s=1
sed -i 's|/debug/pprof/profile|/debug/pprof/nothing-here|' "$T/c-404.json"
run_capture p404 "$T/c-404.json" --no-probes
expect p404 3 "cannot fetch the CPU profile"
expect_clean "$pgpid" "pprof 404"

# A profile endpoint that answers with something else: the capture stands
# (the profile is evidence, not a metric), and says so on stderr, once.
config "$T/c-notprof.json" load.warmup_s=0 load.duration_s=1 runs=2
sed -i 's|/debug/pprof/profile|/healthz|' "$T/c-notprof.json"
run_capture notprof "$T/c-notprof.json" --no-probes
[ "$rc" -eq 0 ] && [ "$(grep -c "warning: the CPU profile from pprof_url was rejected" \
	"$T/notprof.err")" -eq 1 ] && jq -e '.cpu_top.error | length > 0' "$T/notprof.json" >/dev/null &&
	ok "not a profile: exit 0, one warning, cpu_top.error" ||
	fail "not a profile: exit $rc, $(cat "$T/notprof.err")"

config "$T/c-never.json" 'workload.cmd=["sleep", "30"]' workload.ready_timeout_s=1
run_capture never "$T/c-never.json" --no-probes
expect never 3 "workload not ready within 1 s"
expect_clean "$pgpid" "never ready"

config "$T/c-key.json" bogus_key=1
run_capture key "$T/c-key.json"
expect key 2 "bogus_key"

# An output that cannot be written is refused before the runs (exit 2 at
# once, no workload started), and no profile is left without its result.
config "$T/c-out.json" 'workload.cmd=["sleep", "30"]' workload.ready_timeout_s=20
mkdir "$T/outdir.json"
start=$(date +%s)
"$PERFGATE" capture -c "$T/c-out.json" -o "$T/outdir.json" >/dev/null 2>"$T/out.err"
rc=$?
errline=$(tail -n 1 "$T/out.err")
[ "$rc" -eq 2 ] && [[ "$errline" == *"outdir.json': it is a directory"* ]] &&
	[ $(($(date +%s) - start)) -lt 10 ] && [ ! -e "$T/outdir.pb.gz" ] &&
	ok "output is a directory: exit 2 before the runs: $errline" ||
	fail "output is a directory: exit $rc, '$errline'"
"$PERFGATE" capture -c "$T/c-out.json" -o "$T/no/such/dir.json" >/dev/null 2>"$T/out.err"
rc=$?
errline=$(tail -n 1 "$T/out.err")
[ "$rc" -eq 2 ] && [[ "$errline" == *"cannot write '$T/no/such/dir.json'"* ]] &&
	ok "output directory missing: exit 2: $errline" ||
	fail "output directory missing: exit $rc, '$errline'"

# SIGTERM in the middle of the measured load.
config "$T/c-term.json" load.warmup_s=0 load.duration_s=8
"$PERFGATE" capture -c "$T/c-term.json" -o "$T/term.json" >/dev/null 2>"$T/term.err" &
pgpid=$!
# Wait for wrk (it carries the load.env marker): the measured load runs.
for i in $(seq 1 100); do
	for p in $(marked_pids); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = wrk ] && break 2
	done
	sleep 0.1
done
sleep 1
kill -TERM "$pgpid"
wait "$pgpid"
rc=$?
errline=$(tail -n 1 "$T/term.err")
expect term 3 "interrupted by signal"
expect_clean "$pgpid" "SIGTERM mid-run"

bpf_clean "$bpf_before" "all captures"
finish
