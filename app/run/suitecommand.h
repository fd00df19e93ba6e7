#pragma once

#include <QStringList>

namespace wsprobe {

// `wsprobe-run PATH... [options] [QTest options]`: loads the scenarios found in PATHs and runs
// them as one QTest test (see ScenarioSuite). Returns the process exit code: the number of
// failed scenarios, or 2 for a usage error.
int runSuiteCommand(const QStringList &arguments);

} // namespace wsprobe
