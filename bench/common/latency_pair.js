// Echo round trips to two servers side by side (the proxy's added latency: direct, then
// proxied; the mock's: node ws, then the mock): one node `ws` client does round trips to both,
// alternating in batches so both see the same machine load, and prints the percentiles of each,
// under the names given, and what the second adds to the first, as one JSON object.
// Usage: node latency_pair.js FIRST_NAME FIRST_URL SECOND_NAME SECOND_URL [ROUND_TRIPS] [SIZE]
'use strict';
const WebSocket = require('ws');

const [firstName, firstUrl, secondName, secondUrl] = process.argv.slice(2, 6);
const total = Number(process.argv[6] || 5000);
const size = Number(process.argv[7] || 64);
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
    const first = await open(firstUrl);
    const second = await open(secondUrl);
    const samples = [[], []];
    // Warm-up: JIT, the servers' first allocations, TCP windows.
    for (let i = 0; i < 200; ++i) { await roundTrip(first); await roundTrip(second); }
    for (let done = 0; done < total; done += batch) {
        for (let i = 0; i < batch; ++i) samples[0].push(await roundTrip(first));
        for (let i = 0; i < batch; ++i) samples[1].push(await roundTrip(second));
    }
    first.close();
    second.close();
    const a = summary(samples[0]);
    const b = summary(samples[1]);
    console.log(JSON.stringify({ size, [firstName]: a, [secondName]: b,
                                 addedP50Us: Math.round((b.p50Us - a.p50Us) * 10) / 10,
                                 addedP99Us: Math.round((b.p99Us - a.p99Us) * 10) / 10 }));
})().catch((error) => { console.error(String(error)); process.exit(1); });
