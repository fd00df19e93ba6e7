#!/usr/bin/env bash
# Builds and runs the GUI flood benchmark under a virtual X server (as a user would see it).
# Usage: bench/guiflood/run.sh [--messages N] [--size BYTES] [--filter TEXT] (try --help)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD_DIR:-$root/build/default}"
cmake --build "$build" --target wsprobe-bench-guiflood >/dev/null
exec xvfb-run -a -s "-screen 0 1600x1000x24" "$build/bin/wsprobe-bench-guiflood" "$@"
