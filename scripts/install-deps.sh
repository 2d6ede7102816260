#!/bin/sh
# Install what perfgate needs to build, test and run its demo, from Debian's
# archive only. Idempotent: packages already present are not touched, and apt
# is not even consulted when nothing is missing.
set -eu

PKGS="make gcc clang llvm pkg-config git
bpftool libbpf-dev libelf-dev
libgit2-dev libjansson-dev libcurl4-openssl-dev libcmocka-dev
protobuf-c-compiler libprotobuf-c-dev zlib1g-dev
golang-go wrk nftables iproute2 libxml2-utils libxml2-dev procps time
clang-format libclang-rt-14-dev jq curl
rsync python3"

# From npm, into $BUILD/npm (never global): the GitLab CI schema validator
# and gitlab-ci-local, which runs the CI template's jobs in the tests.
# 4.73.0 is pinned: it runs on Node 20 (later releases want newer Node).
# --no-npm: Debian packages only (what a CI runner building perfgate needs).
NPM_PKGS="ajv@8 ajv-formats@3 js-yaml@4 gitlab-ci-local@4.73.0"
root=$(cd "$(dirname "$0")/.." && pwd)
case ${BUILD:-build} in
/*) NPM_DIR=$BUILD/npm ;;
*) NPM_DIR=$root/${BUILD:-build}/npm ;;
esac

apt_install() {
	missing=""
	for p in $PKGS; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
			missing="$missing $p"
		fi
	done
	# npm ships with some nodejs builds (NodeSource); ask apt only without it
	[ "$want_npm" = 1 ] && ! command -v npm >/dev/null 2>&1 && missing="$missing nodejs npm"
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "install-deps: missing packages:$missing; run this script as root" >&2
		exit 1
	fi
	echo "install-deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

npm_install() {
	[ -x "$NPM_DIR/node_modules/.bin/gitlab-ci-local" ] &&
		[ -d "$NPM_DIR/node_modules/ajv-formats" ] && return 0
	mkdir -p "$NPM_DIR"
	echo "install-deps: installing $NPM_PKGS into $NPM_DIR"
	# shellcheck disable=SC2086
	(cd "$NPM_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } &&
		npm install --no-audit --no-fund $NPM_PKGS >/dev/null) ||
		echo "install-deps: warning: npm install failed; the CI template tests will skip" >&2
}

want_npm=1
[ "${1:-}" = --no-npm ] && want_npm=0
apt_install
[ "$want_npm" = 0 ] || npm_install
