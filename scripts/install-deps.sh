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
chromium"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing; run this script as root" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
