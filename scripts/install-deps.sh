#!/bin/sh
# Install what perfgate needs to build, test and run its demo, from Debian's
# archive only, plus the npm tools the tests use into build/npm. Idempotent:
# packages already present are not touched, and apt is not even consulted
# when nothing is missing.
#   --no-npm   Debian packages only (what a CI runner building perfgate needs):
#              neither the npm tools nor the newer Go below
set -eu

PKGS="make gcc clang llvm pkg-config git
bpftool libbpf-dev libelf-dev
libgit2-dev libjansson-dev libcurl4-openssl-dev libcmocka-dev
protobuf-c-compiler libprotobuf-c-dev zlib1g-dev libdeflate-dev
golang-go wrk nftables iproute2 libxml2-utils libxml2-dev procps time
clang-format libclang-rt-14-dev jq curl xz-utils gpgv debian-archive-keyring
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
	# --prefer-offline: the registry is asked only for what npm's cache
	# lacks (a fresh clone's install: 15 s -> 4 s here)
	# shellcheck disable=SC2086
	(cd "$NPM_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } &&
		timeout 300 npm install --no-audit --no-fund --prefer-offline $NPM_PKGS >/dev/null) ||
		echo "install-deps: warning: npm install failed; the tests that need" \
			"npm tools will skip" >&2
}

# Go 1.24+ calls getrandom through the vDSO, which no syscall tracepoint
# sees; the uprobe that counts those calls is tested on a real binary of
# such a Go. Debian 12 ships 1.19, Debian 13 (trixie) 1.24: its two
# packages, fetched from the same archive, checked as apt checks them (the
# InRelease signature by Debian's archive keyring, then SHA-256s down to
# each package), and unpacked into $BUILD/go-vdso, never installed: its go
# is $BUILD/go-vdso/bin/go. Without them the test skips.
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
GO_VDSO_DIR=${NPM_DIR%/npm}/go-vdso

go_vdso_fetch() { # PACKAGE INDEX DIR: download, verify and unpack one package
	entry=$(awk -v p="$1" '$1 == "Package:" { hit = ($2 == p) }
		hit && ($1 == "Filename:" || $1 == "SHA256:") { print $2 }' "$2")
	file=$(echo "$entry" | sed -n 1p) sum=$(echo "$entry" | sed -n 2p)
	[ -n "$file" ] && [ -n "$sum" ] || return 1
	curl -sfL --max-time 300 -o "$3/pkg.deb" "$DEBIAN_MIRROR/$file" &&
		echo "$sum  $3/pkg.deb" | sha256sum -c --quiet - &&
		dpkg-deb -x "$3/pkg.deb" "$3/root" && rm -f "$3/pkg.deb"
}

go_vdso_index() { # DIR: trixie's package index, as apt would trust it
	d=$DEBIAN_MIRROR/dists/trixie
	curl -sfL --max-time 60 -o "$1/InRelease" "$d/InRelease" &&
		gpgv --keyring /usr/share/keyrings/debian-archive-keyring.gpg \
			--output "$1/Release" "$1/InRelease" 2>/dev/null &&
		idx=main/binary-$(dpkg --print-architecture)/Packages.xz &&
		sum=$(awk -v f="$idx" '$3 == f && length($1) == 64 { print $1 }' "$1/Release") &&
		[ -n "$sum" ] && curl -sfL --max-time 120 -o "$1/Packages.xz" "$d/$idx" &&
		echo "$sum  $1/Packages.xz" | sha256sum -c --quiet - &&
		xz -dc "$1/Packages.xz" >"$1/Packages"
}

go_vdso_install() {
	[ -x "$GO_VDSO_DIR/bin/go" ] && return 0
	mkdir -p "$(dirname "$GO_VDSO_DIR")"
	tmp=$(mktemp -d "${GO_VDSO_DIR}.tmp.XXXXXX") || return 0
	ver=""
	if go_vdso_index "$tmp"; then
		ver=$(sed -n 's/^Package: golang-\(1\.[0-9]*\)-go$/\1/p' "$tmp/Packages" |
			awk -F. '$2 >= 24' | sort -t. -k2,2n | tail -n 1)
	fi
	if [ -n "$ver" ] && echo "install-deps: fetching Go $ver into $GO_VDSO_DIR" &&
		go_vdso_fetch "golang-$ver-go" "$tmp/Packages" "$tmp" &&
		go_vdso_fetch "golang-$ver-src" "$tmp/Packages" "$tmp" &&
		"$tmp/root/usr/lib/go-$ver/bin/go" version >/dev/null 2>&1; then
		# the packages' trees link lib/go-N into share/go-N: keep both
		ln -s "usr/lib/go-$ver/bin" "$tmp/root/bin"
		rm -rf "$GO_VDSO_DIR"
		mv "$tmp/root" "$GO_VDSO_DIR"
	else
		echo "install-deps: warning: no Go >= 1.24 from $DEBIAN_MIRROR (trixie);" \
			"the vDSO probe test will skip" >&2
	fi
	rm -rf "$tmp"
}

want_npm=1
[ "${1:-}" = --no-npm ] && want_npm=0
apt_install
[ "$want_npm" = 0 ] || npm_install
[ "$want_npm" = 0 ] || go_vdso_install
