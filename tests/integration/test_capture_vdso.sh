#!/usr/bin/env bash
# The demo service built with Go 1.24, whose crypto/rand calls getrandom
# through the vDSO: a real capture counts those calls with the uprobe on
# runtime.vgetrandom (one per request, as the syscall probe counts them
# for Go 1.19), the syscall probe sees almost none, and the report says
# why. Go 1.24 comes from scripts/install-deps.sh (build/go-vdso).
# needs: root: makes cgroups, network namespaces and BPF programs
. "$(dirname "$0")/capture_lib.sh"

GO_VDSO=$BUILD/go-vdso/bin/go
[ -x "$GO_VDSO" ] || skip "no Go >= 1.24 at $GO_VDSO (scripts/install-deps.sh fetches it)"
case $(uname -r) in
[0-5].* | 6.[0-9].* | 6.10.*) skip "Linux $(uname -r) has no vDSO getrandom (6.11+)" ;;
esac

bin=$T/orders-api-vdso
(cd "$ROOT/tests/workload/orders-api" && GOWORK=off GOTOOLCHAIN=local GOPROXY=off \
	GOCACHE="$BUILD/gocache-vdso" "$GO_VDSO" build -trimpath -o "$bin" .) ||
	{ fail "go build with $("$GO_VDSO" version)"; finish; }
config "$T/perfgate.json" "workload.cmd=[\"$bin\", \"-addr\", \"127.0.0.1:8080\"]"

run_capture vdso "$T/perfgate.json"
r=$T/vdso.json
if [ "$rc" -ne 0 ]; then
	fail "capture exited $rc: $errline"
else
	jq -e '.go_version | startswith("go1.2")' "$r" >/dev/null &&
		ok "go_version $(jq -r .go_version "$r")" || fail "go_version: $(jq .go_version "$r")"
	# one token per request: a vDSO call each, in the measured window
	v=$(jq '.metrics["getrandom.vdso_calls"].median / .metrics["load.requests"].median' "$r")
	awk -v v="$v" 'BEGIN { exit !(v >= 0.98 && v <= 1.05) }' &&
		ok "getrandom.vdso_calls per request = $v" ||
		fail "getrandom.vdso_calls per request = $v, expected 0.98..1.05"
	check "$r" getrandom.calls_per_req 'v < 0.05'
	"$PERFGATE" compare "$r" "$r" >"$T/compare.out" 2>&1
	grep -q "calls getrandom through the vDSO.*getrandom.vdso_calls counts those" \
		"$T/compare.out" && ok "the report says getrandom.* counts only syscalls" ||
		fail "no vDSO note in the report: $(head -c 400 "$T/compare.out")"
fi
expect_clean "$pgpid" "capture"
finish
