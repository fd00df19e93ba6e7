#pragma once

#include "loadprofile.h"
#include "loadsummary.h"
#include "loadthreshold.h"

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
// Each threshold evaluated against summary, in order.
QList<ThresholdOutcome> evaluate(const QList<LoadThreshold> &thresholds, const LoadSummary &summary);
// The end-of-test table a terminal shows, k6-style: the thresholds with ✓ or ✗, then one line a
// figure with dotted leaders (connect time and round trip with their percentiles, messages and
// data in and out with their rates, iterations, errors, users).
QString text(const QString &scenarioName, const LoadProfile &profile, const LoadSummary &summary,
             const QList<ThresholdOutcome> &outcomes);
// "1.23ms", "950µs", "2.50s"; "-" for a negative (unknown) value.
QString formatNs(qint64 ns);
// "12 kB", "3.4 MB", "900 B".
QString formatBytes(double bytes);
// "10s", "1m30s", "500ms".
QString formatDurationMs(qint64 ms);
} // namespace LoadReport

} // namespace wsprobe
