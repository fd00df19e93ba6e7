# A WebSocket client on Python's websockets (Debian: python3-websockets, run with
# /usr/bin/python3) that tst_mockserver drives against the mock server: what it sees goes to
# stdout as one JSON object a line, each stamped with the milliseconds since start ("t"); each
# line of stdin is sent as a text message ("CLOSE" closes with 1000, "PING payload" sends a ping
# and reports its pong, or "no pong" after 1 s; "BINARY hex" sends a binary message); a binary
# message received is reported with its bytes in "hex"; it exits when the connection ends or
# stdin closes.
#
#   python3 mock_client.py URL [--header "Name: value"]... [--protocol NAME]...
import asyncio
import json
import os
import sys
import time

import websockets

START = time.monotonic()


def emit(event):
    event["t"] = (time.monotonic() - START) * 1000.0
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


async def main():
    args = sys.argv[1:]
    url = args.pop(0)
    headers = []
    protocols = []
    while args:
        option, value = args.pop(0), args.pop(0)
        if option == "--header":
            name, _, rest = value.partition(":")
            headers.append((name.strip(), rest.strip()))
        elif option == "--protocol":
            protocols.append(value)
    try:
        ws = await websockets.connect(url, extra_headers=headers,
                                      subprotocols=protocols or None, open_timeout=5)
    except websockets.exceptions.InvalidStatusCode as error:
        emit({"event": "rejected", "status": error.status_code})
        return
    emit({"event": "open", "protocol": ws.subprotocol})
    loop = asyncio.get_running_loop()

    async def forward_stdin():
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                os._exit(0)
            line = line.rstrip("\n")
            try:
                if line == "CLOSE":
                    await ws.close()
                    return
                if line.startswith("PING "):
                    waiter = await ws.ping(line[5:])
                    try:
                        await asyncio.wait_for(waiter, 1.0)
                        emit({"event": "pong", "data": line[5:]})
                    except asyncio.TimeoutError:
                        emit({"event": "no pong", "data": line[5:]})
                    continue
                if line.startswith("BINARY "):
                    await ws.send(bytes.fromhex(line[7:]))
                    continue
                await ws.send(line)
            except websockets.exceptions.ConnectionClosed:
                return

    forwarding = asyncio.ensure_future(forward_stdin())
    try:
        async for message in ws:
            if isinstance(message, str):
                emit({"event": "message", "data": message})
            else:
                emit({"event": "message", "data": message.decode(errors="replace"),
                      "hex": message.hex()})
    except websockets.exceptions.ConnectionClosed:
        pass
    emit({"event": "close", "code": ws.close_code, "reason": ws.close_reason})
    forwarding.cancel()


asyncio.run(main())
# The thread blocked in stdin.readline() would keep the interpreter alive.
sys.stdout.flush()
os._exit(0)
