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
chromium podman runc"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done

# npm packages the tests validate manifests with, into build/npm (never
# system-wide): the Kubernetes API schemas of kubernetes-models (4.x runs on
# Debian's nodejs 18; 5.x wants node 22), and js-yaml.
# Without npm or the registry the manifest test says so and skips.
npm_deps() {
	dir=${BUILD:-build}/npm
	[ -d "$dir/node_modules/kubernetes-models" ] && [ -d "$dir/node_modules/js-yaml" ] && return 0
	if ! command -v npm >/dev/null; then
		echo "install-deps: npm not found; the Kubernetes manifest test will skip" >&2
		return 0
	fi
	mkdir -p "$dir"
	[ -f "$dir/package.json" ] || (cd "$dir" && npm init -y >/dev/null)
	(cd "$dir" && timeout 300 npm install --no-audit --no-fund kubernetes-models@4 \
		js-yaml@4 >/dev/null) ||
		echo "install-deps: could not install kubernetes-models from npm; the" \
			"Kubernetes manifest test will skip" >&2
}

if [ -z "$missing" ]; then
	npm_deps
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing; run this script as root" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
npm_deps
