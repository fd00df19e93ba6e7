#pragma once

#include "jsonerror.h"
#include "scenario.h"

#include <QList>
#include <QStringList>

#include <optional>

namespace wsprobe {

// Reads scenario files (format version 1, docs/scenario-format.md). Every problem comes back
// with its file, line and column; unknown keys and steps are errors, never ignored.
namespace ScenarioLoader {

struct Result
{
    std::optional<Scenario> scenario;  // set only when there is no error
    QList<JsonError> errors;

    // One error per line, in the "file:line:column: message" form.
    QString errorText() const;
};

Result loadFile(const QString &path);
// fileName names the text in errors; relative paths in it (files to send, TLS files) are
// resolved against baseDirectory.
Result loadText(QStringView text, const QString &fileName, const QString &baseDirectory);

// The scenario files in these files and folders (folders recursively, *.json, skipping names
// starting with '_' or '.', *.env.json, *.mock.json and *.schema.json), sorted, without duplicates. Paths that do not exist are reported.
// FIFOs, devices and other files that are not regular are listed too: loading one says why it
// cannot be read.
QStringList findFiles(const QStringList &paths, QStringList *problems);

} // namespace ScenarioLoader
} // namespace wsprobe
