#!/usr/bin/env bash
# The proxy's added latency, p50/p99: an echo server (tests/peers), the proxy
# as users run it (`wsprobe-run --proxy`), and one node `ws` client doing round trips to the
# server directly and through the proxy, alternating, in the same run.
# Usage: [SERVER=node|python] bench/proxy/run.sh [ROUND_TRIPS (5000)] [SIZE (64)]
# The echo server is tests/peers/node_server.js (Debian's ws), or with SERVER=python
# tests/peers/python_server.py.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD_DIR:-$root/build/default}"
cmake --build "$build" --target wsprobe-run >/dev/null
node_program="$(command -v node || command -v nodejs)"
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
work="$(mktemp -d)"
cleanup() {
    [[ -n "${proxy_pid:-}" ]] && kill "$proxy_pid" 2>/dev/null || true
    [[ -n "${server_pid:-}" ]] && kill "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The server prints {"port": N} and stays while its stdin is open.
mkfifo "$work/server-in"
if [[ "${SERVER:-node}" == node ]]; then
    "$node_program" "$root/tests/peers/node_server.js" <"$work/server-in" >"$work/server-out" &
else
    /usr/bin/python3 "$root/tests/peers/python_server.py" <"$work/server-in" >"$work/server-out" &
fi
server_pid=$!
exec 3>"$work/server-in"
for _ in $(seq 100); do grep -q port "$work/server-out" 2>/dev/null && break; sleep 0.1; done
port="$(sed -n 's/.*"port": *\([0-9]*\).*/\1/p' "$work/server-out")"
echo "server: ${SERVER:-node} on port $port" >&2

"$build/bin/wsprobe-run" --proxy "127.0.0.1:0=ws://127.0.0.1:$port" >"$work/proxy-out" 2>/dev/null &
proxy_pid=$!
for _ in $(seq 100); do [[ -s "$work/proxy-out" ]] && break; sleep 0.1; done
proxy_url="$(head -n 1 "$work/proxy-out")"

"$node_program" "$root/bench/common/latency_pair.js" direct "ws://127.0.0.1:$port/echo" proxied "$proxy_url/echo" "$@"
