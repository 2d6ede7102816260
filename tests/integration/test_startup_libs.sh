#!/usr/bin/env bash
# Start-up: perfgate links neither libgit2 nor libcurl; the commands that
# need them load them (gate/dynlib.c) and the others never do, as the
# dynamic loader itself reports (LD_DEBUG=files).
set -u
cd "$(dirname "$0")/../.."
: "${PERFGATE:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }

# loaded CMD...: the shared objects the loader mapped while running CMD
loaded() {
	LD_DEBUG=files "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\).*/\1/p' | sort -u
}

ldd "$PERFGATE" | grep -Eq 'libgit2|libcurl' && fail "ldd lists libgit2 or libcurl"
ok "ldd: $(ldd "$PERFGATE" | awk '{ print $1 }' | tr '\n' ' ')"

cp tests/data/pprof/http-json.cpu.pb.gz "$tmp/p.pb.gz"
cp "$(ls baselines/*/*.json | head -1)" "$tmp/r.json"
libs=$(cd "$tmp" && loaded "$PERFGATE" profile top p.pb.gz)
echo "$libs" | grep -Eq 'libgit2|libcurl' && fail "profile top loaded: $libs"
libs=$(cd "$tmp" && loaded "$PERFGATE" compare r.json r.json)
echo "$libs" | grep -Eq 'libgit2|libcurl' && fail "compare loaded: $libs"
ok "profile top and compare (outside a repository) load neither"

# A repository with baselines: `baseline list` opens libgit2 on first use.
git init -q "$tmp/repo"
printf '{"scenarios": [{"name": "s", "workload": {"cmd": ["true"], "ready_url": %s},
  "load": {"cmd": ["true"], "duration_s": 1}}]}\n' '"http://127.0.0.1:1/"' \
	>"$tmp/repo/perfgate.json"
libs=$(cd "$tmp/repo" && loaded "$PERFGATE" baseline list)
echo "$libs" | grep -q libgit2 || fail "baseline list did not load libgit2: $libs"
echo "$libs" | grep -q libcurl || fail "loading a config with URLs did not load libcurl: $libs"
(cd "$tmp/repo" && "$PERFGATE" baseline list >/dev/null) || fail "baseline list failed"
ok "baseline list loads libgit2 (and the config's URL check libcurl) when it needs them"
echo "PASS: start-up libraries"
