#!/usr/bin/env bash
# perfgate profile top from the command line: the bundled profile prints
# pprof's table and JSON; bad input exits 2 with one stderr line.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -x "$PERFGATE" ] || skip "no perfgate binary at $PERFGATE; run make"
scratch tmp profile-cli
fail() { echo "FAIL: $*"; exit 1; }
prof=tests/data/pprof/http-json.cpu.pb.gz

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
echo "PASS: profile top CLI"
