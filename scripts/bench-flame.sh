#!/usr/bin/env bash
# Time `perfgate profile flame` on the largest profile of the pprof testdata
# folder (and, with BENCH_SAMPLES set, on a synthetic CPU profile of that
# many samples from tests/bench/genprofile), and print wall time, peak RSS,
# the SVG's size and its frame count. Goals: under 5 MB of SVG for every
# profile, and under 1 s for the test profile (the synthetic one's time is
# a figure, not a goal); frames narrower than 0.5 px are drawn merged ("N
# frames under 0.5 px"), and that width grows until the frames fit about
# 4 MB, which is what bounds the size. Exit 1 when a goal is missed.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
TESTDATA=${PERFGATE_PPROF_TESTDATA:-../shared/testdata/pprof}
./scripts/install-deps.sh
make --no-print-directory "$BUILD/perfgate" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

profiles=()
if [ -d "$TESTDATA" ]; then
	profiles+=("$(find "$TESTDATA" -maxdepth 1 -type f ! -name '*.txt' ! -name '*.md' \
		-printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)")
fi
if [ -n "${BENCH_SAMPLES:-}" ]; then
	gen=$BUILD/bench/genprofile
	case $gen in /*) ;; *) gen=$PWD/$gen ;; esac
	mkdir -p "$BUILD/bench"
	(cd tests/bench/genprofile && GOWORK=off GOFLAGS=-mod=mod GOPROXY=off go build -o "$gen" .)
	"$gen" -samples "$BENCH_SAMPLES" -o "$tmp/synthetic.pb.gz"
	profiles+=("$tmp/synthetic.pb.gz")
fi
[ ${#profiles[@]} -gt 0 ] || { echo "bench-flame: no profile to draw" >&2; exit 1; }

printf '%-36s %9s | %8s %8s | %9s %7s\n' profile size wall RSS svg frames
fail=0
for f in "${profiles[@]}"; do
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$BUILD/perfgate" profile flame "$f" -o "$tmp/out.svg"
	read -r wall kb <"$tmp/time"
	svg=$(stat -c %s "$tmp/out.svg")
	frames=$(grep -c '<g class="frame">' "$tmp/out.svg")
	printf '%-36s %8.1fK | %7.2fs %7.1fM | %8.1fK %7d\n' "$(basename "$f")" \
		"$(awk -v s="$(stat -c %s "$f")" 'BEGIN { print s / 1024 }')" "$wall" \
		"$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$(awk -v s="$svg" 'BEGIN { print s / 1024 }')" \
		"$frames"
	limit=1
	[ "$f" = "$tmp/synthetic.pb.gz" ] && limit=inf
	awk -v w="$wall" -v s="$svg" -v l="$limit" 'BEGIN { exit !(w >= l + 0 || s >= 5 * 1048576) }' &&
		fail=1
done
echo "goals: under 5 MB of SVG per profile, under 1 s for the test profile"
exit $fail
