// A WebSocket client on Node's `ws` (Debian: node-ws, NODE_PATH=/usr/share/nodejs) that
// tst_mockserver drives against the mock server: what it sees goes to stdout as one JSON object
// a line, each stamped with the milliseconds since start ("t"); each line of stdin is sent as
// a text message ("CLOSE" closes with 1000, "PING payload" sends a ping, "BINARY hex" a binary
// message); a binary message received is reported with its bytes in "hex", a pong as "pong";
// it exits when the connection ends or stdin closes.
//
//   node mock_client.js URL [--header "Name: value"]... [--protocol NAME]...
'use strict';
const WebSocket = require('ws');
const readline = require('readline');

const args = process.argv.slice(2);
const url = args.shift();
const headers = {};
const protocols = [];
while (args.length > 0) {
    const option = args.shift();
    const value = args.shift();
    if (option === '--header') {
        const colon = value.indexOf(':');
        headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
    } else if (option === '--protocol') {
        protocols.push(value);
    }
}

const start = process.hrtime.bigint();
function emit(event) {
    event.t = Number(process.hrtime.bigint() - start) / 1e6;
    process.stdout.write(JSON.stringify(event) + '\n');
}

const ws = new WebSocket(url, protocols, { headers, handshakeTimeout: 5000 });
ws.on('open', () => emit({ event: 'open', protocol: ws.protocol }));
ws.on('message', (data, isBinary) => {
    const event = { event: 'message', data: data.toString() };
    if (isBinary)
        event.hex = data.toString('hex');
    emit(event);
});
ws.on('pong', (data) => emit({ event: 'pong', data: data.toString() }));
ws.on('unexpected-response', (request, response) => {
    emit({ event: 'rejected', status: response.statusCode });
    process.exit(0);
});
ws.on('error', (error) => emit({ event: 'error', message: String(error.message) }));
ws.on('close', (code, reason) => {
    emit({ event: 'close', code, reason: reason.toString() });
    process.exit(0);
});

const input = readline.createInterface({ input: process.stdin });
input.on('line', (line) => {
    if (line === 'CLOSE')
        ws.close(1000);
    else if (line.startsWith('PING ') && ws.readyState === WebSocket.OPEN)
        ws.ping(line.slice(5));
    else if (line.startsWith('BINARY ') && ws.readyState === WebSocket.OPEN)
        ws.send(Buffer.from(line.slice(7), 'hex'), { binary: true });
    else if (ws.readyState === WebSocket.OPEN)
        ws.send(line);
});
input.on('close', () => process.exit(0));
