#pragma once

#include "loadprofile.h"
#include "loadsummary.h"
#include "loadthreshold.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace wsprobe {

// A threshold and how the run fared against it.
struct ThresholdOutcome
{
    LoadThreshold threshold;
    LoadThreshold::Verdict verdict;
};

namespace LoadReport {
// One line of the end-of-test table: "round trip" and what follows its dotted leader.
struct Line
{
    QString label;
    QString value;
};

// Each threshold evaluated against summary, in order.
QList<ThresholdOutcome> evaluate(const QList<LoadThreshold> &thresholds, const LoadSummary &summary);
// The end-of-test table a terminal shows, k6-style: the thresholds with ✓ or ✗, then one line a
// figure with dotted leaders (connect time and round trip with their percentiles, messages and
// data in and out with their rates, iterations, errors, users).
QString text(const QString &scenarioName, const LoadProfile &profile, const LoadSummary &summary,
             const QList<ThresholdOutcome> &outcomes);
// The parts text() is made of, for a window's table: the "load" line's value ("20 users,
// ramp-up 2s, duration 10s"), a threshold's line without its mark ("p95<200 (1.04ms)"), and the
// figures under the thresholds, one a line, in the same order and words.
QString shape(const LoadProfile &profile);
QString thresholdLine(const ThresholdOutcome &outcome);
QList<Line> figures(const LoadProfile &profile, const LoadSummary &summary);
// The whole summary for a program to read: the load, each threshold's verdict, and each figure
// as numbers (times in ms, null for nothing measured).
QJsonObject toJson(const QString &scenarioName, const LoadProfile &profile, const LoadSummary &summary,
                   const QList<ThresholdOutcome> &outcomes);
// What text() prints, as "figure,value" rows (RFC 4180 quoting), thresholds first.
QByteArray toCsv(const QString &scenarioName, const LoadProfile &profile, const LoadSummary &summary,
                 const QList<ThresholdOutcome> &outcomes);
// "1.23ms", "950µs", "2.50s"; "-" for a negative (unknown) value.
QString formatNs(qint64 ns);
// "12 kB", "3.4 MB", "900 B".
QString formatBytes(double bytes);
// "10s", "1m30s", "500ms".
QString formatDurationMs(qint64 ms);
} // namespace LoadReport

} // namespace wsprobe
