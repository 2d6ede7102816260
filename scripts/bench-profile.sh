#!/usr/bin/env bash
# `perfgate profile top` against zcat of the same file (the floor: the file
# must be inflated) and against `go tool pprof -top`, side by side in one
# run, on the largest profile of the pprof testdata folder and on a large
# synthetic CPU profile (tests/bench/genprofile; BENCH_SAMPLES samples,
# default 400000, about 23 MB gzip / 37 MB decompressed; 0 skips it).
# Times are medians of interleaved runs (BENCH_RUNS, default 40; 3 for the
# synthetic profile), as CPU time (user + system, which other tenants of a
# shared machine do not inflate) and as wall time. Goals: on the testdata
# profile, perfgate's CPU time <= 1.5x zcat's; on the synthetic one, peak
# RSS <= 3x the decompressed profile. Exits 1 when a goal is missed.
# Extra profiles may be given as arguments.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
TESTDATA=${PERFGATE_PPROF_TESTDATA:-../shared/testdata/pprof}
SAMPLES=${BENCH_SAMPLES:-400000}
RUNS=${BENCH_RUNS:-40}
./scripts/install-deps.sh >/dev/null
make --no-print-directory "$BUILD/perfgate" >/dev/null
mkdir -p "$BUILD/bench"

profiles=()
if [ -d "$TESTDATA" ]; then
	largest=$(find "$TESTDATA" -maxdepth 1 -type f ! -name '*.txt' ! -name '*.md' \
		-printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
	[ -n "$largest" ] && profiles+=("$largest")
else
	echo "bench-profile: no testdata at $TESTDATA; no goal can be checked" >&2
fi
if [ "$SAMPLES" -gt 0 ]; then
	gen=$BUILD/bench/genprofile
	case $gen in /*) ;; *) gen=$PWD/$gen ;; esac
	synthetic=$BUILD/bench/synthetic-$SAMPLES.pb.gz
	if [ ! -x "$gen" ] || [ tests/bench/genprofile/main.go -nt "$gen" ]; then
		(cd tests/bench/genprofile && GOPROXY=off go build -o "$gen" .)
	fi
	[ -s "$synthetic" ] || "$gen" -samples "$SAMPLES" -o "$synthetic" >/dev/null
	profiles+=("$synthetic")
fi
profiles+=("$@")

export TZ=UTC PPROF_BINARY_PATH=/nonexistent-pprof-binaries
python3 - "$BUILD/perfgate" "$RUNS" "${largest:-}" "${profiles[@]}" <<'PY'
import gzip, os, sys, time

pg, runs, goal_file, files = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
null = os.open(os.devnull, os.O_WRONLY)

def run(argv):
    """wall s, cpu s (user + system, children included)"""
    s = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ,
                          file_actions=[(os.POSIX_SPAWN_DUP2, null, 1),
                                        (os.POSIX_SPAWN_DUP2, null, 2)])
    _, st, ru = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(st) != 0:
        sys.exit(f"bench-profile: {' '.join(argv)} failed")
    return time.perf_counter() - s, ru.ru_utime + ru.ru_stime

def peak_rss(argv):
    """KB, measured by /usr/bin/time: a child spawned from this (large)
    Python process would report Python's RSS from before its exec"""
    r, w = os.pipe()
    pid = os.posix_spawn("/usr/bin/time", ["/usr/bin/time", "-f", "%M", *argv], os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, null, 1),
                                       (os.POSIX_SPAWN_DUP2, w, 2)])
    os.close(w)
    out = os.read(r, 4096).decode().split()
    os.close(r)
    os.waitpid(pid, 0)
    return int(out[-1])

def unpacked_size(f):
    with open(f, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            return os.path.getsize(f)
    n = 0
    with gzip.open(f) as g:
        for chunk in iter(lambda: g.read(1 << 20), b""):
            n += len(chunk)
    return n

def med(v):
    return sorted(v)[len(v) // 2]

fail = 0
print(f"{'profile':34s} {'unpacked':>9s} | {'zcat':>8s} {'perfgate':>9s} {'ratio':>6s} | "
      f"{'wall ratio':>10s} | {'RSS/unp':>7s} | {'pprof':>7s} {'speed-up':>8s}")
for f in files:
    unpacked = unpacked_size(f)
    n = runs if unpacked < (8 << 20) else 3
    cmds = {"zcat": ["zcat", f], "pg": [pg, "profile", "top", f]}
    res = {k: [] for k in cmds}
    for _ in range(n):  # interleaved, so drift hits both alike
        for k, argv in cmds.items():
            res[k].append(run(argv))
    wall = {k: med([r[0] for r in v]) for k, v in res.items()}
    cpu = {k: med([r[1] for r in v]) for k, v in res.items()}
    rss = peak_rss(cmds["pg"]) * 1024 / unpacked
    if unpacked < (8 << 20) or os.environ.get("BENCH_PPROF") == "1":
        go = run(["go", "tool", "pprof", "-top", f])[0]
        gos, speed = f"{go:6.2f}s", f"{go / wall['pg']:7.0f}x"
    else:
        gos, speed = "-", "-"
    ratio = cpu["pg"] / cpu["zcat"]
    print(f"{os.path.basename(f):34s} {unpacked / 1048576:8.2f}M | {cpu['zcat'] * 1000:7.1f}ms "
          f"{cpu['pg'] * 1000:8.1f}ms {ratio:5.2f}x | {wall['pg'] / wall['zcat']:9.2f}x | "
          f"{rss:6.2f}x | {gos:>7s} {speed:>8s}")
    if f == goal_file and ratio > 1.5:
        fail = 1
    if unpacked >= (8 << 20) and rss > 3:
        fail = 1
print(f"goals: CPU time <= 1.5x zcat on {os.path.basename(goal_file) or '(no testdata)'}; "
      f"peak RSS <= 3x the unpacked size of large profiles. Medians of {runs} interleaved "
      f"runs (3 for large profiles): {'met' if not fail else 'MISSED'}")
sys.exit(fail)
PY
