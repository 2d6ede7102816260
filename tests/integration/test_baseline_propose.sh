#!/usr/bin/env bash
# perfgate baseline propose and diff on a local bare remote that takes push
# options as GitLab does (a pre-receive hook records them):
#   the first proposal says it is the first baseline; the second commits
#   old -> new on perfgate/baseline-<sha> (work tree and HEAD untouched),
#   pushes it with merge_request.create/.target/.title, and describes the
#   change per metric, inside or outside the runs' noise, with both hosts;
#   on that branch `baseline diff HEAD` compares with the predecessor,
#   `baseline diff HEAD HEAD` is refused, --format markdown works, and
#   `baseline show` names the previous baseline's file; a proposal onto
#   an existing branch is refused (before a capture of HEAD) and leaves
#   no files behind.
set -euo pipefail
# shellcheck source=tests/integration/scratch_lib.sh
. "$(dirname "$0")/scratch_lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (one real capture)"; exit 77; }
[ -x "$BUILD/orders-api" ] || { echo "SKIP: $BUILD/orders-api not built"; exit 77; }
"$PERFGATE" baseline --help | grep -q propose || { echo "SKIP: no baseline propose"; exit 77; }

tmp=$(mktemp -d /tmp/pg-propose.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

git init -q --bare -b main "$tmp/origin.git"
git -C "$tmp/origin.git" config receive.advertisePushOptions true
cat >"$tmp/origin.git/hooks/pre-receive" <<'SH'
#!/bin/sh
cat >>"$GIT_DIR/pushed-refs"
env | grep '^GIT_PUSH_OPTION_[0-9]' | sort >>"$GIT_DIR/push-options" || true
SH
chmod +x "$tmp/origin.git/hooks/pre-receive"

repo=$tmp/repo
git clone -q "$tmp/origin.git" "$repo" 2>/dev/null
cd "$repo"
scratch_config "$BUILD/orders-api" "$ROOT/scripts/load-wrk.sh" 8080
git add -A && git commit -qm A && git push -q origin main
A=$(git rev-parse HEAD)
"$PERFGATE" capture -o "$tmp/a.json" >"$tmp/capture.out" 2>&1 || { cat "$tmp/capture.out"; fail capture; }

"$PERFGATE" baseline propose --from "$tmp/a.json" >"$tmp/p1.out" 2>"$tmp/p1.err" ||
	{ cat "$tmp/p1.out" "$tmp/p1.err"; fail "first propose"; }
grep -q "The first baseline of \`orders-api\`" "$tmp/p1.out" || fail "first: not said to be first"
git -C "$tmp/origin.git" rev-parse -q --verify "refs/heads/perfgate/baseline-${A:0:12}" \
	>/dev/null || fail "first: branch not pushed"
[ "$(git rev-parse HEAD)" = "$A" ] && [ "$(git branch --show-current)" = main ] ||
	fail "first: HEAD moved"
grep -q "GIT_PUSH_OPTION_0=merge_request.create" "$tmp/origin.git/push-options" ||
	fail "first: no merge_request.create push option"
grep -q "merge_request.target=main" "$tmp/origin.git/push-options" || fail "first: no target"
echo "ok: first proposal pushed perfgate/baseline-${A:0:12} with merge-request push options"

# the lead merges it; a later commit B gets a slower baseline
git merge -q --ff-only "perfgate/baseline-${A:0:12}"
[ -f "baselines/orders-api/$A.json" ] && [ -f "baselines/orders-api/$A.pb.gz" ] ||
	fail "the proposal's commit lacks the baseline files"
echo change >file && git add file && git commit -qm B && git push -q origin main
B=$(git rev-parse HEAD)
python3 - "$tmp/a.json" "$tmp/b.json" "$B" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["commit"] = sys.argv[3]
m = d["metrics"]["cpu.seconds_per_req"]
m["values"] = [v * 3 for v in m["values"]]
m["median"] = sorted(m["values"])[len(m["values"]) // 2]
d["host"]["cpu_model"] = "Imaginary Xeon 9999"
d["host"]["cores"] = 64
json.dump(d, open(sys.argv[2], "w"))
PY
cp "$tmp/a.pb.gz" "$tmp/b.pb.gz"
"$PERFGATE" baseline propose --from "$tmp/b.json" >"$tmp/p2.out" 2>"$tmp/p2.err" ||
	{ cat "$tmp/p2.out" "$tmp/p2.err"; fail "second propose"; }
grep -Eq '^\| `cpu\.seconds_per_req` \| s \| [0-9.e-]+ \| [0-9.e-]+ \| \+200\.0 % \| outside \|$' \
	"$tmp/p2.out" || { cat "$tmp/p2.out"; fail "second: no old -> new row for cpu outside noise"; }
grep -q "different hosts:.*Imaginary Xeon 9999', 64 cores" "$tmp/p2.out" ||
	fail "second: the hosts' difference is not said"
grep -qF "(\`baselines/orders-api/$A.json\`)" "$tmp/p2.out" || fail "second: old file not named"
grep -q "^previous .*/baselines/orders-api/$A.json (perfgate baseline diff ${B:0:12})$" \
	"$tmp/p2.out" || fail "second: the previous baseline's path is not shown"
git log -1 --format=%B "perfgate/baseline-${B:0:12}" | grep -q 'cpu.seconds_per_req' ||
	fail "second: the commit message lacks the table"
[ -z "$(git status --porcelain --untracked-files=no)" ] || fail "second: the index changed"
echo "ok: second proposal describes old -> new, noise and hosts"

git checkout -q "perfgate/baseline-${B:0:12}"
"$PERFGATE" baseline diff HEAD >"$tmp/d1.out" || fail "diff HEAD"
grep -q "baseline diff ${A:0:12} -> ${B:0:12}" "$tmp/d1.out" || fail "diff HEAD: not A -> B"
grep -Eq '^cpu\.seconds_per_req .* \+200\.0 %  outside$' "$tmp/d1.out" ||
	{ cat "$tmp/d1.out"; fail "diff HEAD: no cpu row"; }
grep -q "verdict\|threshold" "$tmp/d1.out" && fail "diff HEAD: shows a gate verdict"
rc=0
"$PERFGATE" baseline diff HEAD HEAD >"$tmp/self.out" 2>"$tmp/self.err" || rc=$?
[ "$rc" -eq 2 ] || fail "diff HEAD HEAD: exit $rc, want 2"
grep -q "diffed with itself" "$tmp/self.err" || fail "diff HEAD HEAD: no clear line"
[ -s "$tmp/self.out" ] && fail "diff HEAD HEAD: printed a table"
"$PERFGATE" baseline diff "$A" HEAD --format markdown >"$tmp/md.out" || fail "diff markdown"
grep -q '^| metric | unit | old | new | change | noise |$' "$tmp/md.out" || fail "markdown table"
"$PERFGATE" baseline show >"$tmp/show.out" || fail show
grep -q "^previous .*baselines/orders-api/$A.json$" "$tmp/show.out" ||
	fail "show: no previous baseline path"
echo "ok: diff with predecessor, self-diff refused, markdown, previous path"

rc=0
git checkout -q main
"$PERFGATE" baseline propose --from "$tmp/b.json" --force >"$tmp/p3.out" 2>"$tmp/p3.err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "baseline branch" "$tmp/p3.err" ||
	{ cat "$tmp/p3.err"; fail "a second proposal onto an existing branch: exit $rc"; }
[ -z "$(git status --porcelain)" ] || fail "a failed proposal left files: $(git status --porcelain)"
grep -q "^recorded " "$tmp/p2.out" "$tmp/p3.out" && fail "propose names a file it moves away"
# a capture of HEAD whose proposal branch exists is refused before it runs
rc=0
start=$(date +%s)
"$PERFGATE" baseline propose >"$tmp/p4.out" 2>"$tmp/p4.err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "branch 'perfgate/baseline-${B:0:12}' exists" "$tmp/p4.err" ||
	{ cat "$tmp/p4.err"; fail "a proposal of HEAD onto an existing branch: exit $rc"; }
[ $(($(date +%s) - start)) -lt 5 ] || fail "the existing branch was found only after a capture"
[ -z "$(git status --porcelain)" ] || fail "a refused proposal left files"
echo "ok: a proposal onto an existing branch is refused and leaves the work tree as it was"
echo "PASS: baseline propose and diff"
