#pragma once

#include "sourcelocation.h"

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace wsprobe {

// A threshold as written ("p95<200"), and where: the load block's string, or none for one given
// on the command line. core/load reads its grammar.
struct LoadThresholdText
{
    QString text;
    SourceLocation where;
};

// The load a scenario is run with, by wsprobe-run's load mode or by a script exported for
// Artillery or k6: `users` virtual users, arriving over `rampUpMs`, then kept for `durationMs`.
// What a scenario's "load" block holds; options on the command line replace single fields.
struct LoadProfile
{
    int users = 1;
    qint64 rampUpMs = 0;
    qint64 durationMs = 60000;
    // New users a second once ramped up; 0: `users` a second (each finished user is replaced
    // at once). k6 then runs closed (ramping or constant VUs), Artillery caps arrivals at
    // `users` at a time. wsprobe's load mode: iterations started a second (the open model), at
    // most `users` at once.
    double arrivalRate = 0;
    // Load mode only: iterations per user (0: loop until the duration ends), the pause between
    // a user's iterations, a CSV file of per-user values, and the thresholds the run must meet.
    int iterations = 0;
    qint64 thinkTimeMs = 0;
    QString dataFile;
    QList<LoadThresholdText> thresholds;

    // "500ms", "10s", "2m", "1h", or a bare number of seconds; nullopt for anything else.
    static std::optional<qint64> parseDuration(QStringView text);
};

} // namespace wsprobe
