// The mock's echo round trip beside a node `ws` echo server's: one node `ws` client does round
// trips to both, alternating in batches so both see the same machine load, and prints the
// percentiles of each as one JSON object.
// Usage: node latency_client.js NODE_URL MOCK_URL [ROUND_TRIPS] [SIZE]
'use strict';
const WebSocket = require('ws');

const [nodeUrl, mockUrl] = process.argv.slice(2, 4);
const total = Number(process.argv[4] || 5000);
const size = Number(process.argv[5] || 64);
const batch = 100;
const payload = 'x'.repeat(size);

function open(url) {
    return new Promise((resolve, reject) => {
        const socket = new WebSocket(url);
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
    });
}

function roundTrip(socket) {
    return new Promise((resolve) => {
        const start = process.hrtime.bigint();
        socket.once('message', () => resolve(Number(process.hrtime.bigint() - start) / 1000));
        socket.send(payload);
    });
}

function percentile(sorted, p) {
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(samples) {
    const sorted = [...samples].sort((a, b) => a - b);
    const round = (us) => Math.round(us * 10) / 10;
    return { n: sorted.length, p50Us: round(percentile(sorted, 50)), p90Us: round(percentile(sorted, 90)),
             p99Us: round(percentile(sorted, 99)), maxUs: round(sorted[sorted.length - 1]) };
}

(async () => {
    const node = await open(nodeUrl);
    const mock = await open(mockUrl);
    const samples = { node: [], mock: [] };
    // Warm-up: JIT, first allocations, TCP windows.
    for (let i = 0; i < 200; ++i) { await roundTrip(node); await roundTrip(mock); }
    for (let done = 0; done < total; done += batch) {
        for (let i = 0; i < batch; ++i) samples.node.push(await roundTrip(node));
        for (let i = 0; i < batch; ++i) samples.mock.push(await roundTrip(mock));
    }
    node.close();
    mock.close();
    console.log(JSON.stringify({ size, node: summary(samples.node), mock: summary(samples.mock) }));
})().catch((error) => { console.error(String(error)); process.exit(1); });
