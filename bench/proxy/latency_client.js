// The proxy's added latency: one node `ws` client does echo round trips to the same server
// directly and through the proxy, alternating in batches so both see the same machine load,
// and prints the percentiles of each and their difference as one JSON object.
// Usage: node latency_client.js DIRECT_URL PROXIED_URL [ROUND_TRIPS] [SIZE]
'use strict';
const WebSocket = require('ws');

const [directUrl, proxiedUrl] = process.argv.slice(2, 4);
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
    const direct = await open(directUrl);
    const proxied = await open(proxiedUrl);
    const samples = { direct: [], proxied: [] };
    // Warm-up: JIT, the proxy's first allocations, TCP windows.
    for (let i = 0; i < 200; ++i) { await roundTrip(direct); await roundTrip(proxied); }
    for (let done = 0; done < total; done += batch) {
        for (let i = 0; i < batch; ++i) samples.direct.push(await roundTrip(direct));
        for (let i = 0; i < batch; ++i) samples.proxied.push(await roundTrip(proxied));
    }
    direct.close();
    proxied.close();
    const d = summary(samples.direct);
    const p = summary(samples.proxied);
    console.log(JSON.stringify({ size, direct: d, proxied: p,
                                 addedP50Us: Math.round((p.p50Us - d.p50Us) * 10) / 10,
                                 addedP99Us: Math.round((p.p99Us - d.p99Us) * 10) / 10 }));
})().catch((error) => { console.error(String(error)); process.exit(1); });
