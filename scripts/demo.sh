#!/usr/bin/env bash
# make demo: capture the demo scenario (perfgate.json, "orders-api") and
# print its metrics table; the result lands in $BUILD/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
mkdir -p "$BUILD/demo"
exec "$BUILD/perfgate" capture -c perfgate.json -s orders-api -o "$BUILD/demo/result.json" "$@"
