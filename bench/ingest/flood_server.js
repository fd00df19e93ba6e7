'use strict';
// The flood source of bench/ingest. Run with NODE_PATH=/usr/share/nodejs (Debian's node-ws).
// Listens on 127.0.0.1, on a port the system picks, prints {"port":N} on one line once
// listening, and exits when stdin closes or on SIGTERM.
//
//   GET /flood?kind=text|binary&n=N&size=BYTES
//
// The upgrade is accepted by ws; after it, the data frames are written straight to the TCP
// socket from one pre-encoded buffer, so that per-message work on the server side is nil and
// the receiver is always the bottleneck. The close frame 1000 goes through ws, which writes it
// behind the raw frames on the same socket and completes the close handshake.

const http = require('http');
const { WebSocketServer } = require('ws');

const BlockBytes = 1 << 20;        // one write: about 1 MiB of frames
const HighWaterBytes = 4 << 20;    // wait for 'drain' past this much queued in node

const blocks = new Map();  // "kind/size" -> { buffer, frameBytes, framesPerBlock }

// A server frame: FIN, no mask (RFC 6455 5.2).
function encodeFrame(opcode, payload) {
    let header;
    if (payload.length < 126) {
        header = Buffer.from([0x80 | opcode, payload.length]);
    } else if (payload.length < 65536) {
        header = Buffer.alloc(4);
        header[0] = 0x80 | opcode;
        header[1] = 126;
        header.writeUInt16BE(payload.length, 2);
    } else {
        header = Buffer.alloc(10);
        header[0] = 0x80 | opcode;
        header[1] = 127;
        header.writeBigUInt64BE(BigInt(payload.length), 2);
    }
    return Buffer.concat([header, payload]);
}

function payloadOf(kind, size) {
    const payload = Buffer.alloc(size);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (let i = 0; i < size; ++i) {
        payload[i] = kind === 'text' ? alphabet.charCodeAt(i % alphabet.length) : (i * 7) & 0xff;
    }
    return payload;
}

// Built once per kind and size, then written as often as the workload needs.
function blockFor(kind, size) {
    const key = `${kind}/${size}`;
    let block = blocks.get(key);
    if (!block) {
        const frame = encodeFrame(kind === 'text' ? 0x1 : 0x2, payloadOf(kind, size));
        const framesPerBlock = Math.max(1, Math.floor(BlockBytes / frame.length));
        const buffer = Buffer.allocUnsafe(framesPerBlock * frame.length);
        for (let i = 0; i < framesPerBlock; ++i)
            frame.copy(buffer, i * frame.length);
        block = { buffer, frameBytes: frame.length, framesPerBlock };
        blocks.set(key, block);
    }
    return block;
}

// Resolves on 'drain', or when the socket is gone (a 'drain' would never come).
function drained(socket) {
    return new Promise((resolve) => {
        const done = () => {
            socket.off('drain', done);
            socket.off('close', done);
            resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
    });
}

async function flood(socket, block, n) {
    let remaining = n;
    while (remaining > 0 && !socket.destroyed) {
        const frames = Math.min(remaining, block.framesPerBlock);
        const chunk = frames === block.framesPerBlock
            ? block.buffer
            : block.buffer.subarray(0, frames * block.frameBytes);
        remaining -= frames;
        if (!socket.write(chunk) && socket.writableLength >= HighWaterBytes)
            await drained(socket);
    }
}

function intParam(url, name, fallback) {
    const n = Number.parseInt(url.searchParams.get(name) ?? '', 10);
    return Number.isNaN(n) ? fallback : n;
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const server = http.createServer((req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' });
    res.end('WebSocket only\n');
});

server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'ws://127.0.0.1');
    const kind = url.searchParams.get('kind') === 'binary' ? 'binary' : 'text';
    const n = intParam(url, 'n', 1000);
    const size = intParam(url, 'size', 64);
    if (url.pathname !== '/flood' || n < 0 || size < 0) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
    }
    const block = blockFor(kind, size);  // before the upgrade: not inside the timed window
    wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => {});
        // ws owns the socket's reading side (it answers the client's close frame); we only
        // add writes, and its own close frame is queued after ours.
        flood(ws._socket, block, n).then(() => {
            if (ws.readyState === ws.OPEN)
                ws.close(1000);
        });
    });
});

server.listen(0, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
