#!/usr/bin/env bash
# Run perfgate's test suites and print one closing line:
#   tests: N passed, N failed, N skipped
# Suites: unit (cmocka binaries), fuzz (replay of every seed corpus), and
# integration (tests/integration/test_*.sh; those that declare '# needs: root'
# are skipped when not root; exit 77 = skipped).
# Usage: run-tests.sh [unit|fuzz|integration]...
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD PERFGATE="$PWD/$BUILD/perfgate"
suites=${*:-unit fuzz integration}
pass=0 fail=0 skip=0 failed=()

run() { # name timeout cmd...
	local name=$1 limit=$2 rc t0=$SECONDS
	shift 2
	echo "=== $name"
	timeout --kill-after=10 "$limit" "$@"
	rc=$?
	echo "--- $name: exit $rc, $((SECONDS - t0)) s"
	case $rc in
	0) pass=$((pass + 1)) ;;
	77) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1)); failed+=("$name (exit $rc)") ;;
	esac
}

for s in $suites; do
	case $s in
	unit)
		for t in "$BUILD"/tests/test_*; do
			[ -x "$t" ] || continue
			case $t in *.d) continue ;; esac
			run "unit/$(basename "$t")" 120 "$t"
		done ;;
	fuzz)
		for t in "$BUILD"/tests/fuzz_*-replay; do
			[ -x "$t" ] || continue
			target=$(basename "$t" -replay)
			target=${target#fuzz_}
			run "fuzz/$target" 300 "$t" "tests/fuzz/corpus/$target"
		done ;;
	integration)
		for t in tests/integration/test_*.sh; do
			[ -f "$t" ] || continue
			# A script declares '# needs: root' (tests/integration/lib.sh).
			if [ "$(id -u)" -ne 0 ] && grep -q '^# needs: root' "$t"; then
				echo "=== integration/$(basename "$t")"
				echo "SKIP: needs root ($(sed -n 's/^# needs: root:* *//p' "$t" | head -n 1))"
				skip=$((skip + 1))
				continue
			fi
			run "integration/$(basename "$t")" 600 bash "$t"
		done ;;
	*) echo "run-tests: unknown suite '$s'" >&2; exit 2 ;;
	esac
done

for f in "${failed[@]+"${failed[@]}"}"; do echo "FAILED: $f"; done
echo "tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
