#pragma once

#include "jsonerror.h"
#include "mockscript.h"

#include <QList>
#include <QString>

#include <optional>

namespace wsprobe {

// Reads a mock server file (docs/mock-server.md) into a MockScript. Every problem is reported
// with its file:line:column, all of them in one pass; nothing is returned when there is one.
namespace MockScriptReader {

std::optional<MockScript> readFile(const QString &path, QList<JsonError> *errors);
// fileName names the text in errors.
std::optional<MockScript> readText(const QString &text, const QString &fileName,
                                   QList<JsonError> *errors);
// Whether a file is a mock server file: by its name, *.mock.json.
bool isMockFileName(const QString &fileName);

} // namespace MockScriptReader
} // namespace wsprobe
