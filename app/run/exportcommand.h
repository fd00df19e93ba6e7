#pragma once

#include <QStringList>

namespace wsprobe {

// `wsprobe-run --export artillery|k6 SCENARIO [-o FILE] [--users N] [--ramp D] [--duration D]
// [--arrival-rate R] [--var NAME=VALUE]`: writes the scenario as a load tool's script and lists
// on stderr what it could not carry over. Returns the exit code (2 for a usage error or a
// scenario that cannot be read).
int runExportCommand(const QStringList &arguments);

} // namespace wsprobe
