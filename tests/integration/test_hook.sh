#!/usr/bin/env bash
# The pre-push hook, installed by `perfgate hook install` into a scratch
# application repository (a Go service with a "build"), pushing to a local
# bare remote:
#   install twice (updates its own hook), refuses a hook it did not write;
#   a push that adds a commit is gated and passes, printing the report path;
#   a branch deletion and an up-to-date ref skip in under a second;
#   a committed CPU regression with a stale binary from before it is rebuilt,
#     measured and blocked (exit 1, remote unchanged);
#   a commit without perfgate.json (from before adoption) is not gated;
#   as an unprivileged user (nobody) the hook runs with --no-probes and a
#     push passes, and a paired check interleaves (no duet without root).
set -euo pipefail
# shellcheck source=tests/integration/scratch_lib.sh
. "$(dirname "$0")/scratch_lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (to compare with an unprivileged run)"; exit 77; }
command -v go >/dev/null || { echo "SKIP: go is needed to build the scratch service"; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: setpriv (util-linux) is needed"; exit 77; }
"$PERFGATE" hook --help >/dev/null 2>&1 || { echo "SKIP: no perfgate hook"; exit 77; }

tmp=$(mktemp -d /tmp/pg-hook.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
# nobody cannot write root's Go cache: a copy of it, warm with the
# standard library the Makefile compiled, so its builds take seconds
cp -a "${GOCACHE:-$BUILD/gocache}" "$tmp/gocache-nobody" 2>/dev/null ||
	mkdir -p "$tmp/gocache-nobody"
export GOFLAGS=-mod=mod GOPROXY=off
ms() { date +%s%3N; }

git init -q --bare -b main "$tmp/origin.git"
repo=$tmp/app
git clone -q "$tmp/origin.git" "$repo" 2>/dev/null
cd "$repo"
scratch_app
printf 'build/\n' >.gitignore
scratch_config build/orders-api scripts/load-wrk.sh 18097 go
git add -A && git commit -qm A && PERFGATE_SKIP=1 git push -q origin main 2>/dev/null

"$PERFGATE" hook install | grep -q "^installed .*/.git/hooks/pre-push$" || fail "install"
"$PERFGATE" hook install | grep -q "^updated " || fail "reinstall"
mkdir -p "$tmp/other" && git -C "$tmp/other" init -q
printf '#!/bin/sh\nexit 0\n' >"$tmp/other/.git/hooks/pre-push"
rc=0
(cd "$tmp/other" && "$PERFGATE" hook install) 2>"$tmp/foreign.err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "perfgate did not write" "$tmp/foreign.err" ||
	fail "a foreign hook: exit $rc"
grep -q '^exit 0$' "$tmp/other/.git/hooks/pre-push" || fail "the foreign hook was touched"
echo "ok: hook install (and refuses a hook it did not write)"

# build is quiet unless asked (-v says what it built)
"$PERFGATE" build >"$tmp/build.out" 2>&1 && [ ! -s "$tmp/build.out" ] ||
	{ cat "$tmp/build.out"; fail "build without -v printed"; }
"$PERFGATE" build -v 2>&1 | grep -q "^perfgate: built the current tree in " || fail "build -v"
"$PERFGATE" baseline record >"$tmp/record.out" 2>&1 || { cat "$tmp/record.out"; fail "record"; }
git add baselines && git commit -qm "B: baseline of A"
git push origin main >"$tmp/pass.out" 2>&1 || { cat "$tmp/pass.out"; fail "push of B blocked"; }
grep -q "passed the performance gate; report: .*/.git/perfgate-report/" "$tmp/pass.out" ||
	{ cat "$tmp/pass.out"; fail "pass: no report path"; }
B=$(git rev-parse HEAD)
# B's own reference (origin's main, A) holds no baseline yet: baselines are
# read as committed on the reference side, so this check passes without one
[ -s ".git/perfgate-report/$B/result.json" ] || fail "pass: no report folder"
echo "ok: a push that adds a commit is gated and passes"

PERFGATE_SKIP=1 git push -q origin main:refs/heads/topic 2>/dev/null
t0=$(ms)
git push -q --delete origin topic 2>"$tmp/delete.err" || { cat "$tmp/delete.err"; fail delete; }
t1=$(ms)
echo "refs/heads/main $B refs/heads/main $B" | .git/hooks/pre-push origin "$tmp/origin.git" ||
	fail "up-to-date ref: blocked"
t2=$(ms)
grep -q "gating" "$tmp/delete.err" && fail "a deletion was gated"
[ $((t1 - t0)) -lt 1000 ] && [ $((t2 - t1)) -lt 1000 ] ||
	fail "skips took $((t1 - t0)) ms and $((t2 - t1)) ms"
echo "ok: deletion ($((t1 - t0)) ms) and up-to-date ref ($((t2 - t1)) ms) skip"

# a committed regression; build/orders-api is still the binary of A
cp "$ROOT/tests/data/gitlab/burn.go" orders-api/
git add orders-api/burn.go && git commit -qm "C: hash in the background"
stale=$(stat -c %Y build/orders-api)
rc=0
git push origin main >"$tmp/regress.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || { cat "$tmp/regress.out"; fail "the regression was pushed"; }
grep -q "performance regression in $(git rev-parse HEAD); push blocked" "$tmp/regress.out" ||
	{ cat "$tmp/regress.out"; fail "regression: not explained"; }
[ "$(stat -c %Y build/orders-api)" != "$stale" ] || fail "the stale binary was not rebuilt"
grep -q '"cpu.seconds_per_req"' ".git/perfgate-report/$(git rev-parse HEAD)/junit.xml" ||
	fail "regression: report does not name cpu.seconds_per_req"
[ "$(git -C "$tmp/origin.git" rev-parse main)" = "$B" ] || fail "the remote moved"
echo "ok: stale build rebuilt, regression blocked"

# A branch from before perfgate was adopted (no perfgate.json): pushed
# without gating, not blocked as a config error.
tree=$(printf '100644 blob %s\tREADME\n' "$(echo old | git hash-object -w --stdin)" | git mktree)
old=$(git commit-tree "$tree" -m "before perfgate")
git push origin "$old:refs/heads/old" >"$tmp/old.out" 2>&1 ||
	{ cat "$tmp/old.out"; fail "a commit without perfgate.json was blocked"; }
grep -q "has no perfgate.json; not gating it" "$tmp/old.out" || fail "old: $(cat "$tmp/old.out")"
echo "ok: a commit without perfgate.json is pushed ungated"

# unprivileged: drop C, push a docs commit as nobody
git reset -q --hard "$B"
echo docs >README && git add README && git commit -qm "D: docs"
chown -R nobody:nogroup "$tmp"
as_nobody() { setpriv --reuid nobody --regid nogroup --clear-groups \
	env HOME="$tmp" PATH="$PATH" GOCACHE="$tmp/gocache-nobody" "$@"; }
as_nobody git -c safe.directory='*' push origin main >"$tmp/nobody.out" 2>&1 ||
	{ cat "$tmp/nobody.out"; fail "unprivileged push blocked"; }
grep -q "captured without probes" "$tmp/nobody.out" || fail "nobody: not --no-probes"
grep -q "without root: no cgroup" "$tmp/nobody.out" || fail "nobody: what is missing unsaid"
grep -q "passed the performance gate" "$tmp/nobody.out" || fail "nobody: not gated"
echo "ok: as nobody the hook runs with --no-probes and the push passes"

# A paired check as nobody: without root there is no namespace or cgroup per
# side, so no duet (both sides would want the same port); it interleaves.
as_nobody "$PERFGATE" check --no-probes --mode paired --report-dir "$tmp/paired-nobody" \
	>"$tmp/paired.out" 2>&1 || { cat "$tmp/paired.out"; fail "nobody: the paired check failed"; }
grep -q "note: a duet needs root" "$tmp/paired.out" &&
	grep -q "round 1: \(reference\|current\) first" "$tmp/paired.out" ||
	{ cat "$tmp/paired.out"; fail "nobody: the paired check did not interleave"; }
# the stored baseline was recorded as root (the cgroup's CPU); as nobody the
# sides count their main process: no drift is claimed between the two
grep -q "this runner measures the reference" "$tmp/paired.out" &&
	{ cat "$tmp/paired.out"; fail "nobody: a CPU drift against a root-recorded baseline"; }
echo "ok: as nobody a paired check interleaves its sides, and claims no CPU drift"

# A report folder nobody may write is the user's to fix: exit 2, at once.
rc=0
as_nobody "$PERFGATE" check --no-probes --report-dir /root/perfgate-denied \
	>/dev/null 2>"$tmp/denied.err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "Permission denied" "$tmp/denied.err" ||
	fail "nobody: an unwritable report folder: exit $rc, $(cat "$tmp/denied.err")"
echo "ok: as nobody an unwritable report folder is exit 2"
echo "PASS: pre-push hook"
