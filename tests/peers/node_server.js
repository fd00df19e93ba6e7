'use strict';
// A WebSocket peer built on the `ws` library (Debian: node-ws), for wsprobe's integration tests.
// Run with NODE_PATH=/usr/share/nodejs. Listens on 127.0.0.1, on a port the system picks, and
// prints {"port":N} on one line once listening. Exits when stdin closes or on SIGTERM.
//
// Endpoints (the path selects the behaviour; python_server.py implements the same set):
//   /echo                         echoes every message, text as text, binary as binary
//   /ping                         echo; the library answers pings by itself
//   /close?code=&reason=          closes with that code and reason right after the upgrade
//   /broadcast                    every message from any /broadcast client goes to all of them
//   /headers                      sends the request headers (lower-case names) as JSON, then echo
//   /drop?delay=200               ends the TCP connection without a close frame, every time
//   /fragmented?size=&frames=4    sends one text message of `size` bytes in `frames` frames,
//                                 then echo
//   /flood?n=                     sends n text messages "0".."n-1", in order, then echo
//   /auth                         needs "Authorization: Bearer good-token", else HTTP 401;
//                                 then echo
//   /forbidden                    always refused with HTTP 403
//   /lastclose                    sends {"code":N,"reason":"..."}, the close frame last received
//                                 from a client on another endpoint (code 0: none yet, 1006: no
//                                 close frame), on open and again in reply to every message
// Anything else is refused with HTTP 404. Subprotocol: chat.v2 if the client offers it, else
// chat.v1 if offered, else none (the server's preference, not the client's order).

const { WebSocketServer } = require('ws');

const preferredProtocols = ['chat.v2', 'chat.v1'];
const knownPaths = new Set(['/echo', '/ping', '/close', '/broadcast', '/headers', '/drop',
    '/fragmented', '/flood', '/auth', '/lastclose']);
const broadcastClients = new Set();
let lastClose = { code: 0, reason: '' };

function intParam(url, name, fallback) {
    const value = url.searchParams.get(name);
    if (value === null || value === '')
        return fallback;
    const n = Number.parseInt(value, 10);
    return Number.isNaN(n) ? fallback : n;
}

function verifyClient(info, accept) {
    const url = new URL(info.req.url, 'ws://127.0.0.1');
    if (url.pathname === '/forbidden')
        return accept(false, 403, 'Forbidden');
    if (url.pathname === '/auth' && info.req.headers['authorization'] !== 'Bearer good-token')
        return accept(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
    if (!knownPaths.has(url.pathname))
        return accept(false, 404, 'Not Found');
    accept(true);
}

function handleProtocols(offered /* Set */) {
    for (const protocol of preferredProtocols) {
        if (offered.has(protocol))
            return protocol;
    }
    return false;
}

function echo(ws) {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
}

// Deterministic content, so a test can check what it got and not only how much.
function patternText(size) {
    const unit = 'abcdefghijklmnopqrstuvwxyz0123456789';
    return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

function sendFragmented(ws, size, frames) {
    const text = patternText(size);
    const count = Math.max(1, Math.min(frames, Math.max(1, size)));
    const chunkSize = Math.ceil(size / count);
    for (let i = 0; i < count; ++i) {
        const chunk = text.slice(i * chunkSize, (i + 1) * chunkSize);
        ws.send(chunk, { binary: false, fin: i === count - 1 });
    }
}

function sendFlood(ws, n) {
    // Batches keep the event loop turning (and memory bounded) without changing the order.
    let next = 0;
    const batch = () => {
        if (ws.readyState !== ws.OPEN)
            return;
        const end = Math.min(n, next + 1000);
        for (; next < end; ++next)
            ws.send(String(next));
        if (next < n) {
            if (ws.bufferedAmount > 4 * 1024 * 1024)
                setTimeout(batch, 5);
            else
                setImmediate(batch);
        }
    };
    batch();
}

const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient,
    handleProtocols,
    maxPayload: 256 * 1024 * 1024,
});

server.on('connection', (ws, req) => {
    const url = new URL(req.url, 'ws://127.0.0.1');
    ws.on('error', () => {});  // a peer that misbehaves must not bring the server down
    if (url.pathname !== '/lastclose') {
        ws.on('close', (code, reason) => {
            // ws reports 1005 for a close frame without a code and 1006 for none at all.
            lastClose = { code, reason: reason.toString() };
        });
    }
    switch (url.pathname) {
    case '/lastclose':
        ws.send(JSON.stringify(lastClose));
        ws.on('message', () => ws.send(JSON.stringify(lastClose)));
        break;
    case '/close':
        ws.close(intParam(url, 'code', 1000), url.searchParams.get('reason') || '');
        break;
    case '/broadcast':
        broadcastClients.add(ws);
        ws.on('close', () => broadcastClients.delete(ws));
        ws.on('message', (data, isBinary) => {
            for (const client of broadcastClients) {
                if (client.readyState === client.OPEN)
                    client.send(data, { binary: isBinary });
            }
        });
        break;
    case '/headers':
        ws.send(JSON.stringify(req.headers));
        echo(ws);
        break;
    case '/drop':
        setTimeout(() => ws.terminate(), intParam(url, 'delay', 200));
        break;
    case '/fragmented':
        sendFragmented(ws, intParam(url, 'size', 1048576), intParam(url, 'frames', 4));
        echo(ws);
        break;
    case '/flood':
        sendFlood(ws, intParam(url, 'n', 100000));
        echo(ws);
        break;
    default:  // /echo, /ping, /auth
        echo(ws);
        break;
    }
});

server.on('listening', () => {
    process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});

server.on('error', (error) => {
    process.stderr.write(`node_server: ${error.message}\n`);
    process.exit(1);
});

function shutdown() {
    for (const client of server.clients)
        client.terminate();
    server.close();
    process.exit(0);
}

process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
