#!/bin/sh
# Builds and runs the ingest benchmark. Arguments go to wsprobe-bench-ingest (try --help).
#
#   bench/ingest/run.sh                      # 3 rounds, 500,000 x 64 B text, 200,000 x 1 KiB binary
#   bench/ingest/run.sh --rounds 5
#   BUILD_DIR=build/bench bench/ingest/run.sh
#
# The last line printed is the JSON summary: bench/ingest/run.sh | tail -n 1
set -eu

SOURCE_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-build/default}
cd "$SOURCE_DIR"

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    cmake --preset default -B "$BUILD_DIR" >&2
fi
cmake --build "$BUILD_DIR" --target wsprobe-bench-ingest >&2

exec "$BUILD_DIR/bin/wsprobe-bench-ingest" "$@"
