#pragma once

#include <QStringList>

namespace wsprobe {

// `wsprobe-run --import-har FILE | --import-log FILE [-o SCENARIO] [--loose] [--name NAME]`:
// turns a DevTools HAR or an exported JSON Lines log into a scenario file (stdout without -o).
// Returns 0, or 2 with the reason (file:line:column for a broken capture) on stderr.
int runImportCommand(const QStringList &arguments);

} // namespace wsprobe
