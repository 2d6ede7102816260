#!/usr/bin/env bash
# perfgate profile folded | diff | flame from the command line, against
# go tool pprof: folded stacks of every shared test profile sum to the total
# `go tool pprof -top` reports; diff is byte-identical to
# `go tool pprof -top -diff_base`; a profile diffed with itself is all grey
# in the flame graph; bad input exits 2 with one stderr line and no file.
set -u
: "${PERFGATE:?}"
TESTDATA=${PERFGATE_PPROF_TESTDATA:-../shared/testdata/pprof}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v go >/dev/null || { echo "SKIP: go tool pprof is the reference and go is missing"; exit 77; }
[ -d "$TESTDATA" ] || { echo "SKIP: no pprof testdata at $TESTDATA"; exit 77; }
pprof() { TZ=UTC PPROF_BINARY_PATH=/nonexistent go tool pprof "$@" 2>/dev/null; }

n=0
for f in "$TESTDATA"/*; do
	case $f in *.txt | *.md) continue ;; esac
	unit=$("$PERFGATE" profile top "$f" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["unit"])')
	case $unit in nanoseconds) flag=-unit=ns ;; bytes) flag=-unit=B ;; *) flag= ;; esac
	want=$(pprof -top -nodecount=1 $flag "$f" | sed -n 's/.* of \([0-9]*\)[a-zA-Z]* total.*/\1/p')
	"$PERFGATE" profile folded "$f" >"$tmp/folded" || fail "folded $f exited $?"
	got=$(python3 -c 'import sys; print(sum(abs(int(l.rsplit(" ", 1)[1])) for l in open(sys.argv[1])))' "$tmp/folded")
	[ -n "$want" ] && [ "$got" = "$want" ] || fail "$(basename "$f"): folded sums to $got, pprof's total is '$want'"
	! grep -qv '^[^ ]\+\( [^ ]\+\)* -\?[0-9]\+$' "$tmp/folded" || fail "$(basename "$f"): a line is not 'a;b;c N'"
	n=$((n + 1))
done
echo "ok: folded stacks of $n profiles sum to go tool pprof -top's totals"

pairs="parca-fib.pb.gz:parca-profile1.pb.gz perfgate-gen-http-json.cpu.pb.gz:parca-labels.pb.gz
pprof-sample.cpu:parca-stripped-cpu.stripped.pprof parca-alloc_objects.pb.gz:parca-alloc_objects.pb.gz"
for p in $pairs; do
	b=$TESTDATA/${p%%:*} c=$TESTDATA/${p##*:}
	TZ=UTC "$PERFGATE" profile diff "$b" "$c" >"$tmp/ours" || fail "diff $p exited $?"
	pprof -top -diff_base "$b" "$c" >"$tmp/pprof" || fail "go tool pprof -diff_base $p failed"
	cmp -s "$tmp/ours" "$tmp/pprof" || { diff "$tmp/pprof" "$tmp/ours" | head; fail "diff $p differs from pprof"; }
	TZ=UTC "$PERFGATE" profile diff "$b" "$c" -n 3 >"$tmp/ours"
	pprof -top -nodecount=3 -diff_base "$b" "$c" >"$tmp/pprof"
	cmp -s "$tmp/ours" "$tmp/pprof" || fail "diff -n 3 $p differs from pprof"
done
echo "ok: profile diff is byte-identical to go tool pprof -top -diff_base"

prof=$TESTDATA/perfgate-gen-http-json.cpu.pb.gz
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
	echo "ok: $what -> $(cat "$tmp/err")"
}
head -c 3000 /dev/urandom >"$tmp/random"
expect_2 "diff of other kinds" profile diff "$prof" "$TESTDATA/parca-alloc_objects.pb.gz"
expect_2 "diff of one file" profile diff "$prof"
expect_2 "folded of random bytes" profile folded "$tmp/random"
expect_2 "flame without -o" profile flame "$prof"
expect_2 "flame of random bytes" profile flame "$tmp/random" -o "$tmp/bad.svg"
[ ! -e "$tmp/bad.svg" ] || fail "a failed flame left a file"
echo "PASS: profile diff, flame, folded"
