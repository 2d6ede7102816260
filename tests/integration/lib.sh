# Shared by every tests/integration/test_*.sh (sourced first, not run): where
# the checkout and the build are, skip/ok, exit actions and scratch
# directories that go on every exit path, signals included.
#
# A script that needs root says so with a line '# needs: root: WHY' in its
# opening comment: scripts/run-tests.sh then skips it, with the reason,
# when not run as root, and need_root skips it the same way when it is run
# by hand. Scripts without that line run as any user.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PERFGATE=${PERFGATE:-$BUILD/perfgate}
case $PERFGATE in /*) ;; *) PERFGATE=$ROOT/$PERFGATE ;; esac
# The Go build cache the Makefile built with (the machine's, see there),
# warm with the standard library: the scratch services build in seconds.
[ -n "${GOCACHE:-}" ] || ! command -v go >/dev/null || export GOCACHE="$(go env GOCACHE)"

skip() { echo "SKIP: $*"; exit 77; }
ok() { echo "ok: $*"; }

need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root ($*)"; }
need_tools() {
	local t
	for t; do
		command -v "$t" >/dev/null || skip "$t is not installed; run scripts/install-deps.sh"
	done
}

# at_exit 'COMMAND': run COMMAND when the script ends, however it ends;
# the latest registered runs first, as cleanups nest.
PG_AT_EXIT=()
at_exit() { PG_AT_EXIT+=("$1"); }
run_at_exit() {
	local i
	for ((i = ${#PG_AT_EXIT[@]} - 1; i >= 0; i--)); do eval "${PG_AT_EXIT[i]}" || true; done
}
trap run_at_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# scratch VAR TAG: a new directory "$TMPDIR/pg-TAG.XXXXXX" in VAR (set by
# name: a command substitution's subshell would lose the exit action),
# removed at exit.
scratch() {
	local d
	d=$(mktemp -d "${TMPDIR:-/tmp}/pg-$2.XXXXXX") || { echo "FAIL: cannot make a scratch directory"; exit 1; }
	printf -v "$1" %s "$d"
	at_exit "rm -rf -- '$d'"
}
