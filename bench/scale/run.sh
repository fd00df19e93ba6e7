#!/bin/sh
# Builds and runs the scale benchmark. Arguments go to wsprobe-bench-scale (try --help).
#
#   bench/scale/run.sh                             # 10,000 sessions held 60 s, 100 messages each
#   bench/scale/run.sh --sessions 1000 --hold 5    # a quick check
#   BUILD_DIR=build/bench bench/scale/run.sh
#
# The last line printed is the JSON summary: bench/scale/run.sh | tail -n 1
set -eu

SOURCE_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-build/default}
cd "$SOURCE_DIR"

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    cmake --preset default -B "$BUILD_DIR" >&2
fi
cmake --build "$BUILD_DIR" --target wsprobe-bench-scale >&2

# The benchmark raises its own soft open-file limit to the hard one; raising it here too lets
# the children it starts (the Node server and client) inherit it.
ulimit -n "$(ulimit -H -n)" 2>/dev/null || true
exec "$BUILD_DIR/bin/wsprobe-bench-scale" "$@"
