'use strict';
// The Node receiver of bench/ingest: a `ws` client that only counts messages, the reference the
// other receivers are compared with. Run with NODE_PATH=/usr/share/nodejs (Debian's node-ws).
//
//   node node_client.js URL COUNT [TIMEOUT_MS]
//
// Prints one JSON line, the same fields as wsprobe-bench-ingest --client: the time is from the
// first message received to the last (the connect is not timed), the peak RSS is maxRSS.

const WebSocket = require('ws');

const [url, countArg, timeoutArg] = process.argv.slice(2);
const expected = Number.parseInt(countArg ?? '', 10);
const timeoutMs = Number.parseInt(timeoutArg ?? '120000', 10);
if (!url || !(expected > 0)) {
    process.stderr.write('usage: node node_client.js URL COUNT [TIMEOUT_MS]\n');
    process.exit(2);
}

let count = 0;
let bytes = 0;
let firstNs = 0n;
let lastNs = 0n;
let closeCode = 0;

function finish(error) {
    const seconds = count > 0 ? Number(lastNs - firstNs) / 1e9 : 0;
    const result = {
        receiver: 'node',
        ok: !error && count === expected,
        messages: count,
        bytes,
        seconds,
        peakRssKiB: process.resourceUsage().maxRSS,
        closeCode,
    };
    if (error)
        result.error = error;
    else if (count !== expected)
        result.error = `received ${count} messages, expected ${expected}`;
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(result.ok ? 0 : 1);
}

const timer = setTimeout(() => finish(`timed out after ${timeoutMs} ms`), timeoutMs);

// No permessage-deflate: the other receivers do not offer it either.
const ws = new WebSocket(url, { perMessageDeflate: false });
// The clock is read twice per run, not per message, as in the C++ receivers.
ws.on('message', (data) => {
    if (count === 0)
        firstNs = process.hrtime.bigint();
    bytes += data.length;
    if (++count === expected)
        lastNs = process.hrtime.bigint();
});
ws.on('close', (code) => {
    closeCode = code;
    clearTimeout(timer);
    finish();
});
ws.on('error', (error) => {
    clearTimeout(timer);
    finish(String(error.message ?? error));
});
