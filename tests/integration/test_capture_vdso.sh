#!/usr/bin/env bash
# The demo service built with Go 1.24, whose crypto/rand calls getrandom
# through the vDSO: a real capture counts those calls with the uprobe on
# runtime.vgetrandom (one per request, as the syscall probe counts them
# for Go 1.19), the syscall probe sees almost none, and the report says
# why. The Makefile builds it (go-helpers) with the Go 1.24 that
# scripts/install-deps.sh fetches into build/go-vdso.
# needs: root: makes cgroups, network namespaces and BPF programs
. "$(dirname "$0")/capture_lib.sh"

bin=$BUILD/tests/helpers/orders-api-vdso
[ -x "$bin" ] || skip "no $bin: the Makefile builds it with the Go >= 1.24 that" \
	"scripts/install-deps.sh fetches into $BUILD/go-vdso"
case $(uname -r) in
[0-5].* | 6.[0-9].* | 6.10.*) skip "Linux $(uname -r) has no vDSO getrandom (6.11+)" ;;
esac

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
