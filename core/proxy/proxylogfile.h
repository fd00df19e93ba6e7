#pragma once

#include <QString>

namespace wsprobe {

class ProxyConnection;

// A proxy connection's log as JSON Lines: each line an event as the log export writes it
// (EventJson, docs/log-format.md) and, for a message, a "proxy" object with when the proxy
// received it, when it forwarded it and what the rules did (docs/proxy.md).
namespace ProxyLogFile {
bool write(const ProxyConnection &connection, const QString &path, QString *error);
} // namespace ProxyLogFile

} // namespace wsprobe
