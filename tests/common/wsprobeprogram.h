#pragma once

#include <QString>
#include <QStringList>

namespace wsprobe::testing {

// What a run of a program of this build left: its exit code (-1 when it crashed or had to be
// killed) and everything it printed.
struct ProgramRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs this build's wsprobe-run with arguments in workingDirectory to its end; killed past
// timeoutMs.
ProgramRun runWsprobeRun(const QStringList &arguments, const QString &workingDirectory,
                         int timeoutMs = 60000);

// UTF-8 text files for the tests' inputs and outputs; false / empty when it cannot.
bool writeTextFile(const QString &path, const QString &text);
QString readTextFile(const QString &path);

} // namespace wsprobe::testing
