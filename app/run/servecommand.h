#pragma once

#include <QStringList>

class QCoreApplication;

namespace wsprobe {

// `wsprobe-run --serve MOCK.json [--port N] [--var NAME=VALUE]...`: serves a mock server file
// on loopback until SIGINT or SIGTERM; the first line of stdout is its URL. Returns 0 after a
// signal, 1 when the file cannot be read or the port not taken (file:line:column on stderr),
// 2 on a usage error.
int runServeCommand(QCoreApplication &app, const QStringList &arguments);

} // namespace wsprobe
