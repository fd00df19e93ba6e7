#!/usr/bin/python3
"""The chat room behind wsprobe's example examples/05-chat-room.json, on python3-websockets 10.4.

Run with /usr/bin/python3 (Debian's, where python3-websockets is installed). Listens on
127.0.0.1 only, on the port given with --port (default 0: the system picks one), and prints
{"port": N} on one line once listening. Exits when stdin closes or on SIGTERM/SIGINT.

    /usr/bin/python3 tests/examples/chat_server.py [--port N]

One endpoint, /chat?name=NAME (anything else is refused with HTTP 404), one room:
  - on connect every client, the new one included, receives the text "NAME has connected";
  - a text message T from NAME goes to every other client as "NAME: T" (binary is ignored);
  - on disconnect every other client receives "NAME has disconnected".
Without a name the client is "guest_<n>".
"""

import argparse
import asyncio
import http
import itertools
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

clients = set()
guest_numbers = itertools.count(1)


def split_path(path):
    parsed = urllib.parse.urlsplit(path)
    return parsed.path, urllib.parse.parse_qs(parsed.query)


async def process_request(path, request_headers):
    route, _ = split_path(path)
    if route != "/chat":
        status = http.HTTPStatus.NOT_FOUND
        return status, [], f"{status.value} {status.phrase}\n".encode()
    return None


async def handler(websocket, path):
    _, query = split_path(path)
    name = query.get("name", [""])[0] or f"guest_{next(guest_numbers)}"
    clients.add(websocket)
    broadcast(clients, f"{name} has connected")
    try:
        async for message in websocket:
            if isinstance(message, str):
                broadcast(clients - {websocket}, f"{name}: {message}")
    except websockets.ConnectionClosed:
        pass
    finally:
        clients.discard(websocket)
        broadcast(clients, f"{name} has disconnected")


def parse_arguments():
    parser = argparse.ArgumentParser(description="The chat room of wsprobe's examples.")
    parser.add_argument("--port", type=int, default=0,
                        help="port on 127.0.0.1 (default 0: any free port)")
    arguments = parser.parse_args()
    if not 0 <= arguments.port <= 65535:
        parser.error("--port needs a number from 0 to 65535")
    return arguments


async def main(arguments):
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

    server = await serve(handler, "127.0.0.1", arguments.port, process_request=process_request)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port}, separators=(",", ":")), flush=True)
    await stop
    # Whoever stops us has no use for closing handshakes: end every connection now.
    for websocket in list(server.websockets):
        websocket.transport.abort()
    server.close()
    try:
        await asyncio.wait_for(server.wait_closed(), 2)
    except asyncio.TimeoutError:
        pass


if __name__ == "__main__":
    asyncio.run(main(parse_arguments()))
