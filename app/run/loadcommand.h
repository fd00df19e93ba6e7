#pragma once

#include "variables.h"

#include <QStringList>

#include <optional>

namespace wsprobe {

// wsprobe-run's load mode: the options that ask for it, each replacing one field of the
// scenario's "load" block.
struct LoadOptions
{
    bool load = false;  // --load: the file's own load block, nothing changed
    std::optional<int> users;
    std::optional<qint64> rampUpMs;
    std::optional<qint64> durationMs;
    std::optional<int> iterations;
    std::optional<double> arrivalRate;
    std::optional<qint64> thinkTimeMs;
    std::optional<QString> dataFile;
    QStringList thresholds;  // replace the file's when any is given

    bool any() const;
    // Takes arguments[*i] (and its value) when it is a load option: true, with *i moved past
    // it, or false with *error set when the value is wrong. nullopt: not a load option.
    static std::optional<bool> take(const QStringList &arguments, qsizetype *i, LoadOptions *options,
                                    QString *error);
};

// Runs scenarioPath as the load the options and its "load" block describe, prints the summary
// table and returns the number of failed thresholds (2 when it cannot run). With QTest report
// options (-o report.xml,junitxml) the thresholds are also a QTest test, one row each.
int runLoadCommand(const QString &scenarioPath, const LoadOptions &options, const Variables &variables,
                   int timeoutOverrideMs, const QStringList &qtestArguments);

} // namespace wsprobe
