#!/usr/bin/python3
"""A WebSocket peer built on python3-websockets 10.4, for wsprobe's integration tests.

Run with /usr/bin/python3 (Debian's, where python3-websockets is installed). Listens on
127.0.0.1, on a port the system picks, and prints {"port": N} on one line once listening.
Exits when stdin closes or on SIGTERM.

The endpoints are those of node_server.js; see there for the list. On any of them here,
?respond_header=Name:value adds that header to the 101, and /ping?ping=payload pings the client
once with that payload right after the upgrade.
"""

import asyncio
import http
import json
import os
import signal
import sys
import urllib.parse

import websockets

# The connection-per-coroutine API this script is written for: websockets.serve from 10 to 13,
# kept as websockets.legacy from 14 on, when websockets.serve became a different API.
try:
    from websockets.legacy.protocol import broadcast
    from websockets.legacy.server import serve
except ImportError:
    from websockets import broadcast, serve

PREFERRED_PROTOCOLS = ["chat.v2", "chat.v1"]
KNOWN_PATHS = {"/echo", "/ping", "/close", "/broadcast", "/headers", "/drop",
               "/fragmented", "/flood", "/auth", "/lastclose"}
broadcast_clients = set()
last_close = {"code": 0, "reason": ""}


def split_path(path):
    parsed = urllib.parse.urlsplit(path)
    return parsed.path, urllib.parse.parse_qs(parsed.query)


def int_param(query, name, fallback):
    try:
        return int(query[name][0])
    except (KeyError, IndexError, ValueError):
        return fallback


def refuse(status, headers=()):
    body = f"{status.value} {status.phrase}\n".encode()
    return status, list(headers), body


async def process_request(path, request_headers):
    route, _ = split_path(path)
    if route == "/forbidden":
        return refuse(http.HTTPStatus.FORBIDDEN)
    if route == "/auth" and request_headers.get("Authorization") != "Bearer good-token":
        return refuse(http.HTTPStatus.UNAUTHORIZED, [("WWW-Authenticate", "Bearer")])
    if route not in KNOWN_PATHS:
        return refuse(http.HTTPStatus.NOT_FOUND)
    return None


def extra_headers(path, request_headers):
    """?respond_header=Name:value on any endpoint: the 101 carries that header too."""
    _, query = split_path(path)
    headers = []
    for item in query.get("respond_header", []):
        name, _, value = item.partition(":")
        if name:
            headers.append((name, value))
    return headers


def select_subprotocol(client_subprotocols, server_subprotocols):
    for protocol in PREFERRED_PROTOCOLS:
        if protocol in client_subprotocols:
            return protocol
    return None


async def echo(websocket):
    async for message in websocket:
        await websocket.send(message)


def pattern_text(size):
    unit = "abcdefghijklmnopqrstuvwxyz0123456789"
    return (unit * (size // len(unit) + 1))[:size]


async def handler(websocket, path):
    route, query = split_path(path)
    try:
        if route == "/lastclose":
            await websocket.send(json.dumps(last_close))
            async for _ in websocket:
                await websocket.send(json.dumps(last_close))
        elif route == "/close":
            await websocket.close(int_param(query, "code", 1000),
                                  query.get("reason", [""])[0])
        elif route == "/broadcast":
            broadcast_clients.add(websocket)
            try:
                async for message in websocket:
                    broadcast(broadcast_clients, message)
            finally:
                broadcast_clients.discard(websocket)
        elif route == "/headers":
            headers = {}
            for name, value in websocket.request_headers.raw_items():
                name = name.lower()
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
            await websocket.send(json.dumps(headers))
            await echo(websocket)
        elif route == "/drop":
            await asyncio.sleep(int_param(query, "delay", 200) / 1000)
            websocket.transport.abort()
        elif route == "/fragmented":
            size = int_param(query, "size", 1048576)
            frames = max(1, min(int_param(query, "frames", 4), max(1, size)))
            text = pattern_text(size)
            chunk = -(-size // frames)
            # A list of str is sent as one text message, one frame per element.
            await websocket.send([text[i * chunk:(i + 1) * chunk] for i in range(frames)])
            await echo(websocket)
        elif route == "/flood":
            for i in range(int_param(query, "n", 100000)):
                await websocket.send(str(i))
            await echo(websocket)
        else:  # /echo, /ping, /auth
            if route == "/ping" and "ping" in query:
                await websocket.ping(query["ping"][0])
            await echo(websocket)
    except websockets.ConnectionClosed:
        pass
    finally:
        if route != "/lastclose":
            await websocket.wait_closed()
            # 1005: a close frame without a code; 1006: no close frame at all.
            last_close["code"] = websocket.close_code
            last_close["reason"] = websocket.close_reason


async def main():
    loop = asyncio.get_running_loop()
    stop = loop.create_future()

    def request_stop():
        if not stop.done():
            stop.set_result(None)

    def on_stdin():
        try:
            data = os.read(sys.stdin.fileno(), 4096)
        except OSError:
            data = b""
        if not data:
            request_stop()

    loop.add_signal_handler(signal.SIGTERM, request_stop)
    loop.add_signal_handler(signal.SIGINT, request_stop)
    try:
        loop.add_reader(sys.stdin.fileno(), on_stdin)
    except (OSError, ValueError, PermissionError):
        pass  # stdin is a regular file or closed: rely on SIGTERM

    server = await serve(handler, "127.0.0.1", 0,
                         subprotocols=PREFERRED_PROTOCOLS,
                         select_subprotocol=select_subprotocol,
                         process_request=process_request,
                         extra_headers=extra_headers,
                         max_size=None, max_queue=None)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    await stop
    # A test that stops us has no use for closing handshakes: end every connection now.
    for websocket in list(server.websockets):
        websocket.transport.abort()
    server.close()
    try:
        await asyncio.wait_for(server.wait_closed(), 2)
    except asyncio.TimeoutError:
        pass

if __name__ == "__main__":
    asyncio.run(main())
