#pragma once

#include "capturedconnection.h"
#include "jsonerror.h"

#include <QList>

namespace wsprobe {

// Reads the WebSocket connections out of a HAR file as Chrome and Firefox DevTools save it
// ("Save all as HAR with content"): every entry with "_resourceType": "websocket", a 101
// response or a ws(s) URL, with its request headers and its "_webSocketMessages" (text, and
// binary as base64). Other entries (pages, scripts, XHR) are passed over.
namespace HarReader {

// False, with the first problem and where it is in *error, for a file that is not JSON, not a
// HAR, or holds no WebSocket connection.
bool read(const QString &path, QList<CapturedConnection> *connections, JsonError *error);
bool parse(QStringView text, const QString &fileName, QList<CapturedConnection> *connections,
           JsonError *error);

} // namespace HarReader
} // namespace wsprobe
