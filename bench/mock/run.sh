#!/usr/bin/env bash
# The mock server's echo round trip, p50/p99, beside a node `ws` echo server's, in one run.
# Usage: bench/mock/run.sh [--round-trips N (5000)] [--size BYTES (64)] [--node PROGRAM]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD_DIR:-$root/build/default}"
[[ -f "$build/CMakeCache.txt" ]] || cmake --preset default >/dev/null
cmake --build "$build" --target wsprobe-bench-mock wsprobe-run >/dev/null
exec "$build/bin/wsprobe-bench-mock" --wsprobe-run "$build/bin/wsprobe-run" "$@"
