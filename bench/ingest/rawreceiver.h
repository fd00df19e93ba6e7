#pragma once

#include "receiverresult.h"

#include <QUrl>

namespace wsprobe::bench {

// The server's ceiling: upgrades by hand over a plain blocking POSIX socket, then reads and
// drops the bytes into one 1 MiB buffer without parsing a frame. If this is not well above
// every real receiver, the server (or the loopback) is the bottleneck, not the receiver.
// payloadBytes: of one message; every frame of the flood has the same size.
ReceiverResult receiveRaw(const QUrl &url, qint64 expectedMessages, qint64 payloadBytes,
                          int timeoutMs);

} // namespace wsprobe::bench
