#!/usr/bin/env bash
# make demo: show perfgate on the bundled demo scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
exec "$BUILD/perfgate" --help
