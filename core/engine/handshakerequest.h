#pragma once

// The upgrade request as the log shows it. QtWebSockets builds and sends its own and exposes
// none of it, so this is what it sends, rebuilt from the settings, with secrets masked.

#include <QString>

class QUrl;

namespace wsprobe {

struct SessionSettings;

// The request lines (no trailing newline) for connecting to url with these settings; url is the
// settings' effective URL, already checked to be ws:// or wss://. Sec-WebSocket-Key is left out:
// QtWebSockets makes it and does not tell.
QString handshakeRequestText(const SessionSettings &settings, const QUrl &url);

} // namespace wsprobe
