#pragma once

#include "scenario.h"

namespace wsprobe {

// Writes a scenario in the version 1 file format, laid out for people and for diffs: keys in a
// fixed, meaningful order, one step per line. Saves are atomic (QSaveFile): a crash or a full
// disk never leaves half a file where a good one was.
namespace ScenarioWriter {

QString toText(const Scenario &scenario);
bool save(const Scenario &scenario, const QString &path, QString *error);

} // namespace ScenarioWriter
} // namespace wsprobe
