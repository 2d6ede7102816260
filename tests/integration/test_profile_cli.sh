#!/usr/bin/env bash
# perfgate profile from the command line: top prints pprof's table and JSON;
# against go tool pprof (when go is installed), folded stacks of every shared
# test profile sum to the total `go tool pprof -top` reports and diff is
# byte-identical to `go tool pprof -top -diff_base`; a profile's flame graph
# against itself is all grey; bad input exits 2 with one stderr line.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -x "$PERFGATE" ] || skip "no perfgate binary at $PERFGATE; run make"
scratch tmp profile-cli
fail() { echo "FAIL: $*"; exit 1; }
prof=tests/data/pprof/http-json.cpu.pb.gz
TESTDATA=${PERFGATE_PPROF_TESTDATA:-../shared/testdata/pprof}
pprof() { TZ=UTC PPROF_BINARY_PATH=/nonexistent go tool pprof "$@" 2>/dev/null; }

TZ=UTC "$PERFGATE" profile top "$prof" -n 5 >"$tmp/out" 2>"$tmp/err" || fail "top exited $?"
grep -q '^Type: cpu$' "$tmp/out" || fail "no Type line"
grep -q '^Showing top 5 nodes out of 181$' "$tmp/out" || fail "no 'Showing top' line"
[ "$(sed '1,/flat%/d' "$tmp/out" | wc -l)" -eq 5 ] || fail "not 5 rows"
grep -q '590ms  6.88%  6.88%      590ms  6.88%  runtime/internal/syscall.Syscall6' \
	"$tmp/out" || fail "first row differs from pprof's"
if command -v go >/dev/null; then
	TZ=UTC PPROF_BINARY_PATH=/nonexistent go tool pprof -top -nodecount=5 "$prof" \
		>"$tmp/pprof" 2>/dev/null || fail "go tool pprof failed"
	cmp "$tmp/pprof" "$tmp/out" || fail "-n 5 differs from go tool pprof -top -nodecount=5"
	echo "ok: -n 5 is byte-identical to go tool pprof -top -nodecount=5"
fi

"$PERFGATE" profile top "$prof" --json --all >"$tmp/json" || fail "json exited $?"
python3 - "$tmp/json" <<'PY' || fail "json content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["sample_type"] == "cpu" and d["unit"] == "nanoseconds", d
assert d["total"] == 8570000000, d["total"]
assert len(d["functions"]) == 385, len(d["functions"])
f = d["functions"][0]
assert f == {"name": "runtime/internal/syscall.Syscall6", "flat": 590000000,
             "cum": 590000000}, f
PY
"$PERFGATE" profile top "$prof" --sample-index samples --json >"$tmp/json" ||
	fail "--sample-index samples exited $?"
grep -q '"unit": "count"' "$tmp/json" || fail "sample index by name"

if command -v go >/dev/null && [ -d "$TESTDATA" ]; then
	n=0
	for f in "$TESTDATA"/*; do
		case $f in *.txt | *.md) continue ;; esac
		unit=$("$PERFGATE" profile top "$f" --json |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["unit"])')
		case $unit in nanoseconds) flag=-unit=ns ;; bytes) flag=-unit=B ;; *) flag= ;; esac
		want=$(pprof -top -nodecount=1 $flag "$f" |
			sed -n 's/.* of \([0-9]*\)[a-zA-Z]* total.*/\1/p')
		"$PERFGATE" profile folded "$f" >"$tmp/folded" || fail "folded $f exited $?"
		got=$(python3 -c 'import sys
print(sum(abs(int(l.rsplit(" ", 1)[1])) for l in open(sys.argv[1])))' "$tmp/folded")
		[ -n "$want" ] && [ "$got" = "$want" ] ||
			fail "$(basename "$f"): folded sums to $got, pprof's total is '$want'"
		! grep -qv '^[^ ]\+\( [^ ]\+\)* -\?[0-9]\+$' "$tmp/folded" ||
			fail "$(basename "$f"): a line is not 'a;b;c N'"
		n=$((n + 1))
	done
	echo "ok: folded stacks of $n profiles sum to go tool pprof -top's totals"
	for p in parca-fib.pb.gz:parca-profile1.pb.gz \
		perfgate-gen-http-json.cpu.pb.gz:parca-labels.pb.gz \
		pprof-sample.cpu:parca-stripped-cpu.stripped.pprof \
		parca-alloc_objects.pb.gz:parca-alloc_objects.pb.gz; do
		b=$TESTDATA/${p%%:*} c=$TESTDATA/${p##*:}
		for n in 0 3; do
			TZ=UTC "$PERFGATE" profile diff "$b" "$c" -n $n >"$tmp/ours" ||
				fail "diff $p exited $?"
			pprof -top -nodecount=$n -diff_base "$b" "$c" >"$tmp/pprof" ||
				fail "go tool pprof -diff_base $p failed"
			cmp -s "$tmp/ours" "$tmp/pprof" || fail "diff -n $n $p differs from pprof"
		done
	done
	echo "ok: profile diff is byte-identical to go tool pprof -top -diff_base"
	# pprof's own diff-base profile (base samples labelled pprof::base):
	# profile top finds those labels in its one pass over the samples
	pprof -proto -diff_base "$TESTDATA/parca-fib.pb.gz" "$TESTDATA/parca-profile1.pb.gz" \
		>"$tmp/merged.pb.gz" || fail "go tool pprof -proto -diff_base failed"
	TZ=UTC "$PERFGATE" profile top "$tmp/merged.pb.gz" >"$tmp/ours" || fail "top of merged"
	pprof -top "$tmp/merged.pb.gz" >"$tmp/pprof" || fail "go tool pprof -top of merged"
	grep -q 'Total samples = 29.74s' "$tmp/pprof" || fail "pprof's total is not the base's"
	cmp -s "$tmp/ours" "$tmp/pprof" || fail "top of a diff-base profile differs from pprof"
	echo "ok: top of a diff-base profile is byte-identical to go tool pprof -top"
else
	echo "skipped: folded and diff against go tool pprof (no go, or no $TESTDATA)"
fi

"$PERFGATE" profile flame "$prof" --base "$prof" -o "$tmp/self.svg" || fail "flame exited $?"
xmllint --noout "$tmp/self.svg" || fail "flame: not well-formed"
python3 - "$tmp/self.svg" <<'PY' || fail "a profile against itself is not all grey"
import re, sys
fills = re.findall(r'<g class="frame">.*?<rect [^>]*fill="(rgb\([0-9,]+\))"', open(sys.argv[1]).read())
assert len(fills) > 50 and set(fills) <= {"rgb(214,214,206)", "rgb(200,200,200)"}, set(fills)
print("ok: %d frames of a profile against itself, all grey" % len(fills))
PY
grep -q "<script" "$tmp/self.svg" || fail "flame: no search/zoom script"

expect_2() { # description, args...
	local what=$1 rc
	shift
	"$PERFGATE" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq 2 ] || fail "$what: exit $rc, want 2"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$what: stderr is not one line: $(cat "$tmp/err")"
	[ ! -s "$tmp/out" ] || fail "$what: wrote to stdout"
	echo "ok: $what -> $(cat "$tmp/err")"
}
head -c 5000 /dev/urandom >"$tmp/random"
head -c 3000 "$prof" >"$tmp/truncated.gz"
: >"$tmp/empty"
expect_2 "random bytes" profile top "$tmp/random"
expect_2 "truncated gzip" profile top "$tmp/truncated.gz"
expect_2 "empty file" profile top "$tmp/empty"
expect_2 "directory" profile top "$tmp"
expect_2 "missing file" profile top "$tmp/nope"
expect_2 "bad sample index" profile top "$prof" --sample-index 9
expect_2 "bad -n" profile top "$prof" -n x
expect_2 "no file" profile top
expect_2 "unknown option" profile top "$prof" --bogus
[ -d "$TESTDATA" ] &&
	expect_2 "diff of other kinds" profile diff "$prof" "$TESTDATA/parca-alloc_objects.pb.gz"
expect_2 "diff of one file" profile diff "$prof"
expect_2 "folded of random bytes" profile folded "$tmp/random"
expect_2 "flame without -o" profile flame "$prof"
expect_2 "flame of random bytes" profile flame "$tmp/random" -o "$tmp/bad.svg"
[ ! -e "$tmp/bad.svg" ] || fail "a failed flame left a file"
# a --base that is no profile is the user's typo, not a plain flame graph
expect_2 "flame with a --base of random bytes" profile flame "$prof" --base "$tmp/random" \
	-o "$tmp/bad.svg"
grep -q "cannot read profile '$tmp/random'" "$tmp/err" || fail "flame --base: $(cat "$tmp/err")"
[ ! -e "$tmp/bad.svg" ] || fail "a flame with a bad --base left a file"
echo "PASS: profile top, diff, flame, folded CLI"
