#pragma once

#include <QStringList>

class QCoreApplication;

namespace wsprobe {

// `wsprobe-run --proxy LISTEN=TARGET [--rules RULES.json] [--log-dir DIR]`: the intercepting
// proxy (docs/proxy.md) until SIGINT or SIGTERM; the first line of stdout is its URL. Each
// connection's log is written to DIR as JSON Lines when it ends. Returns 0 after a signal, 1
// when the rules cannot be read or the port not taken, 2 on a usage error.
int runProxyCommand(QCoreApplication &app, const QStringList &arguments);

} // namespace wsprobe
