#!/usr/bin/env bash
# Time `perfgate profile top` against `go tool pprof -top` on the largest
# profile of the pprof testdata folder and on a large synthetic CPU profile
# (tests/bench/genprofile; BENCH_SAMPLES samples, default 400000, about
# 23 MB gzip / 37 MB decompressed), and print wall time, peak RSS and the
# ratios. Goals: perfgate at least 20x faster, and its peak RSS at most 3x
# the decompressed profile. Extra profiles may be given as arguments.
# Each command runs BENCH_RUNS times (default 1); the fastest run counts.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
TESTDATA=${PERFGATE_PPROF_TESTDATA:-../shared/testdata/pprof}
SAMPLES=${BENCH_SAMPLES:-400000}
RUNS=${BENCH_RUNS:-1}
./scripts/install-deps.sh
make --no-print-directory "$BUILD/perfgate" >/dev/null
mkdir -p "$BUILD/bench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen=$BUILD/bench/genprofile
synthetic=$BUILD/bench/synthetic-$SAMPLES.pb.gz
if [ ! -x "$gen" ] || [ tests/bench/genprofile/main.go -nt "$gen" ]; then
	(cd tests/bench/genprofile && GOPROXY=off \
		GOCACHE="$PWD/../../../$BUILD/gocache" go build -o "../../../$gen" .)
fi
[ -s "$synthetic" ] || "$gen" -samples "$SAMPLES" -o "$synthetic"

profiles=()
if [ -d "$TESTDATA" ]; then
	largest=$(find "$TESTDATA" -maxdepth 1 -type f ! -name '*.txt' ! -name '*.md' \
		-printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
	[ -n "$largest" ] && profiles+=("$largest")
else
	echo "bench-profile: no testdata at $TESTDATA; only the synthetic profile" >&2
fi
profiles+=("$synthetic" "$@")

# measure CMD... -> "seconds kilobytes" of the fastest of RUNS runs
measure() {
	local best="" i wall rss
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -v "$@" >/dev/null 2>"$tmp/time" || {
			cat "$tmp/time" >&2
			return 1
		}
		wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
			for (k = 1; k <= n; k++) s = s * 60 + t[k]; print s }' "$tmp/time")
		rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time")
		if [ -z "$best" ] || awk -v a="$wall" -v b="${best% *}" 'BEGIN { exit !(a < b) }'; then
			best="$wall $rss"
		fi
	done
	echo "$best"
}

export TZ=UTC PPROF_BINARY_PATH=/nonexistent-pprof-binaries
printf '%-40s %10s %10s | %9s %9s | %9s %9s | %8s %8s\n' profile "size" "unpacked" \
	"perfgate" "RSS" "pprof" "RSS" speedup "RSS/unp"
fail=0
for f in "${profiles[@]}"; do
	size=$(stat -c %s "$f")
	if [ "$(head -c2 "$f" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
		unpacked=$(gzip -dc "$f" | wc -c)
	else
		unpacked=$size
	fi
	read -r pg_s pg_kb < <(measure "$BUILD/perfgate" profile top "$f")
	read -r go_s go_kb < <(measure go tool pprof -top "$f")
	speedup=$(awk -v a="$go_s" -v b="$pg_s" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
	memratio=$(awk -v r="$pg_kb" -v u="$unpacked" 'BEGIN { printf "%.2f", r * 1024 / u }')
	printf '%-40s %9.1fM %9.1fM | %8.3fs %8.1fM | %8.2fs %8.1fM | %7sx %7sx\n' \
		"$(basename "$f")" "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')" \
		"$(awk -v s="$unpacked" 'BEGIN { print s / 1048576 }')" "$pg_s" \
		"$(awk -v k="$pg_kb" 'BEGIN { print k / 1024 }')" "$go_s" \
		"$(awk -v k="$go_kb" 'BEGIN { print k / 1024 }')" "$speedup" "$memratio"
	awk -v s="$speedup" 'BEGIN { exit !(s < 20) }' && fail=1
done
echo "goals: speedup >= 20x; perfgate RSS <= 3x the unpacked profile (large profiles:"
echo "a small one's RSS is the program itself). wall = fastest of $RUNS run(s)."
exit $fail
