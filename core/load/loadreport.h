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
// One line of the summary: "round trip", "avg=395µs min=32µs ...".
struct Figure
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
// The summary's figures, in the order text() prints them after the thresholds (a window shows
// them as a table).
QList<Figure> figures(const LoadProfile &profile, const LoadSummary &summary);
// The run's shape as text() prints it: "20 users, ramp-up 2s, duration 10s, think 100ms".
QString shape(const LoadProfile &profile);
// The whole summary for a program to read: the load, each threshold's verdict, and each figure
// as numbers (times in ms, with null for nothing measured).
QJsonObject toJson(const QString &scenarioName, const LoadProfile &profile, const LoadSummary &summary,
                   const QList<ThresholdOutcome> &outcomes);
// The same as text() prints it, as "figure,value" rows (RFC 4180 quoting), thresholds first.
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
