#!/usr/bin/python3
"""A python3-websockets server that refuses the upgrade on /forbidden with 403 and a body.

For tst_clienthandshake. Run with /usr/bin/python3 (Debian's, with python3-websockets).
Listens on 127.0.0.1 on a port the system picks, prints {"port": N} once listening, and exits
when stdin closes or on SIGTERM (the protocol of tests/peers/python_server.py).
"""

import asyncio
import http
import json
import os
import signal
import sys

try:
    from websockets.legacy.server import serve
except ImportError:
    from websockets import serve

BODY = b"no entry here\n"


async def process_request(path, request_headers):
    if path.startswith("/forbidden"):
        return http.HTTPStatus.FORBIDDEN, [("Content-Type", "text/plain")], BODY
    return None


async def echo(websocket, path=None):
    async for message in websocket:
        await websocket.send(message)


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

    server = await serve(echo, "127.0.0.1", 0, process_request=process_request)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    await stop
    for websocket in list(server.websockets):
        websocket.transport.abort()
    server.close()
    try:
        await asyncio.wait_for(server.wait_closed(), 2)
    except asyncio.TimeoutError:
        pass

if __name__ == "__main__":
    asyncio.run(main())
