#!/usr/bin/env bash
# Start-up cost of perfgate against a static no-op C program, side by side in
# one run: median wall time of RUNS spawns each (default 300) of the no-op,
# `perfgate --version`, `perfgate profile top` on a small profile and
# `perfgate compare` of a result with itself (outside any repository, so no
# config is looked up). Goal: `perfgate --version` within 3x the no-op.
# Also lists the shared libraries the binary maps at start (ldd): libgit2 and
# libcurl are loaded only by the commands that use them (gate/dynlib.c).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${1:-300}
make --no-print-directory "$BUILD/perfgate" >/dev/null
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac # used after a cd
t=$(mktemp -d /tmp/perfgate-startup-XXXXXX)
trap 'rm -rf "$t"' EXIT
printf 'int main(void)\n{\n\treturn 0;\n}\n' >"$t/noop.c"
cc -O2 -static -o "$t/noop" "$t/noop.c"
cp tests/data/pprof/http-json.cpu.pb.gz "$t/p.pb.gz"
cp "$(ls baselines/*/*.json | head -1)" "$t/r.json"

echo "shared libraries of $BUILD/perfgate (ldd):"
ldd "$BUILD/perfgate" | sed 's/^/  /'
if ldd "$BUILD/perfgate" | grep -Eq 'libgit2|libcurl'; then
	echo "bench-startup: perfgate links libgit2 or libcurl at start" >&2
	exit 1
fi
cd "$t"
python3 - "$RUNS" "$BUILD/perfgate" <<'PY'
import os, sys, time
runs, pg = int(sys.argv[1]), sys.argv[2]
cmds = [("static no-op", ["./noop"]), ("perfgate --version", [pg, "--version"]),
        ("perfgate profile top (26 KB)", [pg, "profile", "top", "p.pb.gz"]),
        ("perfgate compare", [pg, "compare", "r.json", "r.json"])]
null = os.open(os.devnull, os.O_WRONLY)
times = {name: [] for name, _ in cmds}
for _ in range(runs):  # interleaved, so drift on the shared machine hits all
    for name, argv in cmds:
        s = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
        _, st = os.waitpid(pid, 0)
        times[name].append(time.perf_counter() - s)
        if os.waitstatus_to_exitcode(st) != 0:
            sys.exit(f"bench-startup: {argv} failed")
med = {n: sorted(v)[len(v) // 2] * 1000 for n, v in times.items()}
base = med["static no-op"]
for n, _ in cmds:
    print(f"{n:32s} {med[n]:8.3f} ms  {med[n] / base:5.1f}x the no-op")
ratio = med["perfgate --version"] / base
print(f"goal: perfgate --version <= 3x the static no-op: {ratio:.1f}x "
      f"({'met' if ratio <= 3 else 'MISSED'}); medians of {runs} interleaved runs")
sys.exit(0 if ratio <= 3 else 1)
PY
