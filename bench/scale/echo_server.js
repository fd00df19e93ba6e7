'use strict';
// The server of bench/scale: a `ws` echo server on 127.0.0.1, one port per peer measured, so
// each peer's connections have their own ephemeral ports and counts. Run with
// NODE_PATH=/usr/share/nodejs (Debian's node-ws) and a raised open-file limit.
//
//   node echo_server.js PORTS
//
// Prints {"ports":[...]} once listening. Each line "stats" on stdin is answered with one JSON
// line: per port, the connections open now, accepted in all, and the messages received. Exits
// when stdin ends.

const { WebSocketServer } = require('ws');
const readline = require('readline');

const count = Number.parseInt(process.argv[2] ?? '1', 10);
if (!(count > 0)) {
    process.stderr.write('usage: node echo_server.js PORTS\n');
    process.exit(2);
}

const servers = [];
function listen(index) {
    if (index === count) {
        process.stdout.write(JSON.stringify({ ports: servers.map((s) => s.stats.port) }) + '\n');
        return;
    }
    const stats = { port: 0, open: 0, accepted: 0, received: 0 };
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, backlog: 4096,
                                         perMessageDeflate: false });
    server.on('connection', (socket) => {
        ++stats.open;
        ++stats.accepted;
        socket.on('message', (data, isBinary) => {
            ++stats.received;
            socket.send(data, { binary: isBinary });
        });
        socket.on('close', () => --stats.open);
        socket.on('error', () => {});
    });
    server.on('listening', () => {
        stats.port = server.address().port;
        servers.push({ server, stats });
        listen(index + 1);
    });
}
listen(0);

const input = readline.createInterface({ input: process.stdin });
input.on('line', (line) => {
    if (line.trim() === 'stats')
        process.stdout.write(JSON.stringify(servers.map((s) => s.stats)) + '\n');
});
input.on('close', () => process.exit(0));
