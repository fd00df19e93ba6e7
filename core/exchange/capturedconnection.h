#pragma once

#include "frameevent.h"
#include "sessionsettings.h"

#include <QString>

#include <vector>

namespace wsprobe {

// One WebSocket connection read from a capture (a HAR entry, an exported log): how to connect,
// and what went over it as frame-log events (the upgrade accepted, then the messages, stamped
// with the times they were captured at).
struct CapturedConnection
{
    SessionSettings settings;
    std::vector<FrameEvent> events;
    // A capture of a refused upgrade: its HTTP status (0 for a connection that opened), and
    // when it was tried (ms since the epoch).
    int refusedStatus = 0;
    qint64 refusedAtMs = 0;
};

// Puts one header of a captured upgrade request where a session takes it: Origin and
// Sec-WebSocket-Protocol into their own settings; the headers the socket makes itself (Host,
// Upgrade, Connection, Sec-WebSocket-Key/Version/Extensions/Accept, HTTP/2 pseudo-headers,
// Content-Length) left out; every other one kept as it was sent.
void addCapturedHeader(SessionSettings &settings, const QString &name, const QString &value);

// The URL of a captured upgrade: http(s) becomes ws(s), as DevTools sometimes write it.
QUrl webSocketUrl(const QString &text);

} // namespace wsprobe
