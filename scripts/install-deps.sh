#!/bin/sh
# Install what perfgate needs to build, test and run its demo, from Debian's
# archive only, plus the npm tools the tests use into build/npm. Idempotent:
# packages already present are not touched, and apt is not even consulted
# when nothing is missing.
#   --no-npm   Debian packages only (what a CI runner building perfgate needs)
set -eu

PKGS="make gcc clang llvm pkg-config git
bpftool libbpf-dev libelf-dev
libgit2-dev libjansson-dev libcurl4-openssl-dev libcmocka-dev
protobuf-c-compiler libprotobuf-c-dev zlib1g-dev
golang-go wrk nftables iproute2 libxml2-utils libxml2-dev procps time
clang-format libclang-rt-14-dev jq curl
chromium podman runc rsync python3"

# From npm, into $BUILD/npm (never system-wide): the GitLab CI schema
# validator (ajv, ajv-formats, js-yaml); gitlab-ci-local, which runs the CI
# template's jobs in the tests (4.73.0 runs on Node 20); the Kubernetes API
# schemas of kubernetes-models (4.x runs on Debian's nodejs 18; 5.x wants
# node 22). Without npm or the registry the tests that need them skip.
NPM_PKGS="ajv@8 ajv-formats@3 js-yaml@4 gitlab-ci-local@4.73.0 kubernetes-models@4"
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
	m=$NPM_DIR/node_modules
	[ -x "$m/.bin/gitlab-ci-local" ] && [ -d "$m/ajv-formats" ] &&
		[ -d "$m/kubernetes-models" ] && return 0
	if ! command -v npm >/dev/null; then
		echo "install-deps: npm not found; the tests that need npm tools will skip" >&2
		return 0
	fi
	mkdir -p "$NPM_DIR"
	echo "install-deps: installing $NPM_PKGS into $NPM_DIR"
	# shellcheck disable=SC2086
	(cd "$NPM_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } &&
		timeout 300 npm install --no-audit --no-fund $NPM_PKGS >/dev/null) ||
		echo "install-deps: warning: npm install failed; the tests that need" \
			"npm tools will skip" >&2
}

want_npm=1
[ "${1:-}" = --no-npm ] && want_npm=0
apt_install
[ "$want_npm" = 0 ] || npm_install
