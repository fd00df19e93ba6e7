'use strict';
// The Node peer of bench/scale: a `ws` client that does what the engine does, in one process:
// opens SESSIONS connections with at most CONCURRENCY connecting at once, holds them HOLD
// seconds, then sends MESSAGES text messages on each and waits for every echo. Run with
// NODE_PATH=/usr/share/nodejs, --expose-gc (a collection before each RSS reading, so garbage
// is not counted as connections) and a raised open-file limit.
//
//   node --expose-gc node_client.js URL SESSIONS CONCURRENCY HOLD MESSAGES PAYLOAD
//
// Prints one JSON line with the same fields the engine reports.

const WebSocket = require('ws');

const [url, sessionsArg, concurrencyArg, holdArg, messagesArg, payload] = process.argv.slice(2);
const sessions = Number.parseInt(sessionsArg ?? '', 10);
const concurrency = Number.parseInt(concurrencyArg ?? '', 10);
const holdSeconds = Number.parseFloat(holdArg ?? '');
const messages = Number.parseInt(messagesArg ?? '', 10);
if (!url || !(sessions > 0) || !(concurrency > 0) || !(holdSeconds >= 0) || !(messages >= 0)
    || payload === undefined) {
    process.stderr.write('usage: node node_client.js URL SESSIONS CONCURRENCY HOLD MESSAGES PAYLOAD\n');
    process.exit(2);
}

function rssKiB() {
    if (global.gc)
        global.gc();
    return Math.round(process.memoryUsage().rss / 1024);
}
function cpuSeconds() {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
}
const nowSeconds = () => Number(process.hrtime.bigint()) / 1e9;

const result = { peer: 'node', ok: false, sessions, connected: 0, failed: 0, dropped: 0 };
const sockets = [];
let phase = 'connect';
let started = 0;
let pending = 0;
let echoes = 0;
let expectedEchoes = 0;
let doneSending = null;

function fail(error) {
    result.error = error;
    finish();
}

function finish() {
    process.stdout.write(JSON.stringify(result) + '\n');
    for (const socket of sockets)
        socket.terminate();
    process.exit(result.ok ? 0 : 1);
}

function openNext() {
    while (pending < concurrency && started < sessions) {
        ++started;
        ++pending;
        const socket = new WebSocket(url, { perMessageDeflate: false });
        let opened = false;
        socket.on('open', () => {
            opened = true;
            --pending;
            ++result.connected;
            sockets.push(socket);
            openNext();
        });
        socket.on('message', () => {
            if (++echoes === expectedEchoes && doneSending)
                doneSending();
        });
        socket.on('error', () => {});
        socket.on('close', () => {
            if (!opened) {
                --pending;
                ++result.failed;
                openNext();
            } else if (phase !== 'closing') {
                ++result.dropped;
            }
        });
    }
    if (pending === 0 && started === sessions && phase === 'connect')
        connected();
}

let connectStart = 0;
let rssBefore = 0;
function connected() {
    phase = 'hold';
    result.connectSeconds = nowSeconds() - connectStart;
    result.rssAfterKiB = rssKiB();
    result.rssBeforeKiB = rssBefore;
    if (result.connected === 0)
        return fail('no connection opened');
    setTimeout(held, holdSeconds * 1000);
}

function held() {
    result.rssAfterHoldKiB = rssKiB();
    phase = 'messages';
    expectedEchoes = sockets.length * messages;
    const cpuStart = cpuSeconds();
    const start = nowSeconds();
    doneSending = () => {
        result.messageSeconds = nowSeconds() - start;
        result.messageCpuSeconds = cpuSeconds() - cpuStart;
        result.messages = expectedEchoes;
        result.echoes = echoes;
        result.ok = result.failed === 0 && result.dropped === 0;
        phase = 'closing';
        finish();
    };
    if (expectedEchoes === 0)
        return doneSending();
    for (const socket of sockets) {
        for (let i = 0; i < messages; ++i)
            socket.send(payload);
    }
}

rssBefore = rssKiB();
connectStart = nowSeconds();
openNext();
