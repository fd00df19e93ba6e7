'use strict';
// The server behind wsprobe's example scenarios (examples/*.json), built on the `ws` library
// (Debian: node-ws 8). The chat room of examples/05-chat-room.json is chat_server.py.
//
// Run with NODE_PATH=/usr/share/nodejs (where Debian installs ws). Listens on 127.0.0.1 only, on
// the port given with --port (default 0: the system picks one), and prints {"port":N} on one line
// once listening. Exits when stdin closes or on SIGTERM/SIGINT.
//
//   NODE_PATH=/usr/share/nodejs node tests/examples/example_server.js [--port N] [--token T]
//
// The token /secure accepts is --token, else $WSPROBE_EXAMPLE_TOKEN. Without either, /secure
// refuses every upgrade: there is no built-in token, so none can leak into a scenario.
//
// Endpoints (anything else is refused with HTTP 404):
//   /echo            every message comes back unchanged (text as text, binary as binary), except
//                    the text {"type":"ECHO_TIMES_3","value":V}: answered by three text messages
//                    V (a string value as is, anything else as compact JSON)
//   /broadcast       {"type":"ECHO_TO_ALL","value":V}: every client connected to /broadcast,
//                    the sender included, receives V as one text message (as above)
//   /groups?name=N   group chat; N names the client in "from" (default "client-<id>"):
//                    {"type":"CREATE_GROUP","group":G}   -> text G (creates G if it does not
//                                                           exist; the sender becomes a member)
//                    {"type":"JOIN_GROUP","group":G}     -> text "joined G"
//                    {"type":"LEAVE_GROUP","group":G}    -> text "left G"
//                    {"type":"GROUP_MESSAGE","group":G,"text":T}
//                        -> every member of G, the sender included, receives
//                           {"type":"GROUP_MESSAGE","group":G,"from":N,"text":T}
//                    A group ends when its last member leaves or disconnects.
//   /secure          needs "Authorization: Bearer <token>", else HTTP 401 (no message is ever
//                    sent on a refused upgrade); then echo
//   /session?token=T&ttl=1000
//                    a session token valid for ttl ms (default 1000): any non-empty token, in the
//                    query or as "Authorization: Bearer T", is accepted (else HTTP 401); the
//                    server closes with 4001 "token expired" ttl ms after the upgrade; echo
//                    until then
//   /seq?n=20        sends {"seq":1} .. {"seq":n} right after the upgrade, then echo
// On /broadcast and /groups a message that is not one of the commands above is answered, to the
// sender only, with {"type":"ERROR","error":"<what was wrong>"}.

const crypto = require('crypto');
const { WebSocketServer } = require('ws');

const knownPaths = new Set(['/echo', '/broadcast', '/groups', '/secure', '/session', '/seq']);
const SessionExpiredCode = 4001;
const SessionExpiredReason = 'token expired';

function parseArguments(argv) {
    const options = { port: 0, token: process.env.WSPROBE_EXAMPLE_TOKEN || '' };
    for (let i = 0; i < argv.length; ++i) {
        const arg = argv[i];
        const value = () => {
            if (i + 1 >= argv.length)
                usage(`${arg} needs a value`);
            return argv[++i];
        };
        if (arg === '--port') {
            options.port = Number.parseInt(value(), 10);
            if (!(options.port >= 0 && options.port <= 65535))
                usage('--port needs a number from 0 to 65535');
        } else if (arg === '--token') {
            options.token = value();
        } else {
            usage(`unknown argument ${arg}`);
        }
    }
    return options;
}

function usage(message) {
    process.stderr.write(`example_server: ${message}\n`
        + 'usage: node example_server.js [--port N] [--token T]\n');
    process.exit(2);
}

const options = parseArguments(process.argv.slice(2));

function intParam(url, name, fallback, min, max) {
    const n = Number.parseInt(url.searchParams.get(name) ?? '', 10);
    return Number.isNaN(n) ? fallback : Math.min(max, Math.max(min, n));
}

function bearer(req) {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers['authorization'] || '');
    return match ? match[1].trim() : '';
}

// Compares in constant time, so the example does not teach a timing leak.
function isValidToken(given) {
    if (!options.token || !given)
        return false;
    const a = crypto.createHash('sha256').update(given).digest();
    const b = crypto.createHash('sha256').update(options.token).digest();
    return crypto.timingSafeEqual(a, b);
}

function verifyClient(info, accept) {
    const url = new URL(info.req.url, 'ws://127.0.0.1');
    if (!knownPaths.has(url.pathname))
        return accept(false, 404, 'Not Found');
    if (url.pathname === '/secure' && !isValidToken(bearer(info.req)))
        return accept(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
    if (url.pathname === '/session' && !(url.searchParams.get('token') || bearer(info.req)))
        return accept(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
    accept(true);
}

// The JSON object in a text message, or null.
function parseCommand(data, isBinary) {
    if (isBinary)
        return null;
    try {
        const value = JSON.parse(data.toString());
        return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
    } catch {
        return null;
    }
}

function asText(value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
}

function sendError(ws, error) {
    ws.send(JSON.stringify({ type: 'ERROR', error }));
}

function echo(ws) {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
}

function serveEcho(ws) {
    ws.on('message', (data, isBinary) => {
        const command = parseCommand(data, isBinary);
        if (command && command.type === 'ECHO_TIMES_3' && 'value' in command) {
            const text = asText(command.value);
            for (let i = 0; i < 3; ++i)
                ws.send(text);
            return;
        }
        ws.send(data, { binary: isBinary });
    });
}

const broadcastClients = new Set();

function serveBroadcast(ws) {
    broadcastClients.add(ws);
    ws.on('close', () => broadcastClients.delete(ws));
    ws.on('message', (data, isBinary) => {
        const command = parseCommand(data, isBinary);
        if (!command || command.type !== 'ECHO_TO_ALL' || !('value' in command))
            return sendError(ws, 'expected {"type":"ECHO_TO_ALL","value":...}');
        const text = asText(command.value);
        for (const client of broadcastClients) {
            if (client.readyState === client.OPEN)
                client.send(text);
        }
    });
}

const groups = new Map();  // group name -> Set of sockets
let nextClientId = 1;

function leaveGroup(ws, name) {
    const members = groups.get(name);
    if (!members)
        return false;
    const wasMember = members.delete(ws);
    if (members.size === 0)
        groups.delete(name);
    return wasMember;
}

function serveGroups(ws, url) {
    const clientName = url.searchParams.get('name') || `client-${nextClientId++}`;
    const joined = new Set();
    ws.on('close', () => {
        for (const name of joined)
            leaveGroup(ws, name);
    });
    ws.on('message', (data, isBinary) => {
        const command = parseCommand(data, isBinary);
        if (!command || typeof command.type !== 'string')
            return sendError(ws, 'expected a JSON object with a "type"');
        const group = command.group;
        if (typeof group !== 'string' || group === '')
            return sendError(ws, `${command.type} needs a non-empty string "group"`);
        switch (command.type) {
        case 'CREATE_GROUP':
            if (!groups.has(group))
                groups.set(group, new Set());
            groups.get(group).add(ws);
            joined.add(group);
            return ws.send(group);
        case 'JOIN_GROUP':
            if (!groups.has(group))
                return sendError(ws, `no group "${group}"`);
            groups.get(group).add(ws);
            joined.add(group);
            return ws.send(`joined ${group}`);
        case 'LEAVE_GROUP':
            if (!leaveGroup(ws, group))
                return sendError(ws, `not a member of "${group}"`);
            joined.delete(group);
            return ws.send(`left ${group}`);
        case 'GROUP_MESSAGE': {
            const members = groups.get(group);
            if (!members || !members.has(ws))
                return sendError(ws, `not a member of "${group}"`);
            if (typeof command.text !== 'string')
                return sendError(ws, 'GROUP_MESSAGE needs a string "text"');
            const message = JSON.stringify(
                { type: 'GROUP_MESSAGE', group, from: clientName, text: command.text });
            for (const member of members) {
                if (member.readyState === member.OPEN)
                    member.send(message);
            }
            return;
        }
        default:
            return sendError(ws, `unknown type "${command.type}"`);
        }
    });
}

function serveSession(ws, url) {
    const ttl = intParam(url, 'ttl', 1000, 100, 60000);
    const timer = setTimeout(() => ws.close(SessionExpiredCode, SessionExpiredReason), ttl);
    ws.on('close', () => clearTimeout(timer));
    echo(ws);
}

function serveSequence(ws, url) {
    const n = intParam(url, 'n', 20, 0, 100000);
    for (let seq = 1; seq <= n; ++seq)
        ws.send(JSON.stringify({ seq }));
    echo(ws);
}

const server = new WebSocketServer({ host: '127.0.0.1', port: options.port, verifyClient });

server.on('connection', (ws, req) => {
    const url = new URL(req.url, 'ws://127.0.0.1');
    ws.on('error', () => {});  // a client that misbehaves must not bring the server down
    switch (url.pathname) {
    case '/echo': return serveEcho(ws);
    case '/broadcast': return serveBroadcast(ws);
    case '/groups': return serveGroups(ws, url);
    case '/session': return serveSession(ws, url);
    case '/seq': return serveSequence(ws, url);
    default: return echo(ws);  // /secure
    }
});

server.on('listening', () => {
    process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});

server.on('error', (error) => {
    process.stderr.write(`example_server: ${error.message}\n`);
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
