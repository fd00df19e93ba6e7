// A WebSocket client on Debian's node `ws`, for the proxy's tests: connects to argv[2] with
// the subprotocols of argv[3] (comma separated, may be empty), then takes commands on stdin,
// one JSON object a line ({"send": "text"}, {"ping": "payload"} or {"close": [code, "reason"]}),
// and reports what happens on stdout, one JSON object a line: {"open": protocol, "headers": the
// 101's headers, names in lower case}, {"message": text}, {"ping": payload}, {"pong": payload},
// {"close": [code, reason]}, {"refused": status}, {"error": text}. Exits when the connection
// ends or stdin closes.
'use strict';
const WebSocket = require('ws');
const readline = require('readline');

const protocols = (process.argv[3] || '').split(',').filter((p) => p.length > 0);
const socket = new WebSocket(process.argv[2], protocols);
const report = (object) => process.stdout.write(JSON.stringify(object) + '\n');

let responseHeaders = {};
socket.on('upgrade', (response) => { responseHeaders = response.headers; });
socket.on('ping', (data) => report({ ping: data.toString() }));
socket.on('pong', (data) => report({ pong: data.toString() }));
socket.on('open', () => report({ open: socket.protocol, headers: responseHeaders }));
socket.on('message', (data, isBinary) => report({ message: isBinary ? data.toString('hex') : data.toString() }));
socket.on('close', (code, reason) => { report({ close: [code, reason.toString()] }); process.exit(0); });
socket.on('unexpected-response', (request, response) => {
    report({ refused: response.statusCode, header: response.headers['www-authenticate'] || '' });
    process.exit(0);
});
socket.on('error', (error) => report({ error: String(error.message) }));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const command = JSON.parse(line);
    if (command.send !== undefined) socket.send(command.send);
    if (command.ping !== undefined) socket.ping(command.ping);
    if (command.close !== undefined) socket.close(command.close[0], command.close[1]);
});
process.stdin.on('end', () => process.exit(0));
