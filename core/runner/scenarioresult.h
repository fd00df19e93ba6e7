#pragma once

#include <QList>
#include <QString>

namespace wsprobe {

struct StepResult
{
    enum class Status { Pending, Running, Passed, Failed, Skipped };

    int index = 0;
    QString title;
    Status status = Status::Pending;
    QString expected;
    QString actual;
    QString message;      // why it failed, or a note
    qint64 startedMs = 0; // from the scenario's start
    qint64 durationMs = 0;
    int line = 0;         // in the scenario file; 0 = unknown
};

// What a run produced: each step's verdict and timings. The clients' frame logs stay with the
// runner's sessions.
struct ScenarioResult
{
    QString name;
    QString filePath;
    bool passed = false;
    qint64 durationMs = 0;
    QList<StepResult> steps;
    QString error;        // set when the scenario could not run at all (or timed out)

    // The first failed step, or null.
    const StepResult *firstFailure() const;
    // A few lines a person reads in a CI log: which step, expected, actual, where.
    QString failureReport() const;
};

QString displayName(StepResult::Status status);

} // namespace wsprobe
