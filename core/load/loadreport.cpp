#include "loadreport.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace wsprobe::LoadReport {
namespace {

// "  label ......: value", the dots running to one column as k6 aligns them.
QString line(const QString &label, const QString &value)
{
    constexpr int Width = 26;
    QString text = u"  "_s + label + u' ';
    while (text.size() < Width)
        text += u'.';
    return text + u": "_s + value + u'\n';
}

QString statistics(const LatencyHistogram &histogram, bool withP90)
{
    if (histogram.count() == 0)
        return u"none measured"_s;
    QString text = u"avg=%1 min=%2 p50=%3"_s.arg(formatNs(histogram.meanNs()), formatNs(histogram.minNs()),
                                                  formatNs(histogram.percentileNs(50)));
    if (withP90)
        text += u" p90="_s + formatNs(histogram.percentileNs(90));
    text += u" p95=%1 p99=%2 max=%3"_s.arg(formatNs(histogram.percentileNs(95)),
                                            formatNs(histogram.percentileNs(99)), formatNs(histogram.maxNs()));
    return text;
}

QString rate(double perSecond)
{
    return QString::number(perSecond, 'f', 1) + u"/s"_s;
}

} // namespace

QList<ThresholdOutcome> evaluate(const QList<LoadThreshold> &thresholds, const LoadSummary &summary)
{
    QList<ThresholdOutcome> outcomes;
    for (const LoadThreshold &threshold : thresholds)
        outcomes.append({threshold, threshold.evaluate(summary)});
    return outcomes;
}

QString formatNs(qint64 ns)
{
    if (ns < 0)
        return u"-"_s;
    if (ns < 1'000'000)
        return QString::number(double(ns) / 1e3, 'f', ns < 10'000 ? 2 : 0) + u"µs"_s;
    if (ns < 1'000'000'000)
        return QString::number(double(ns) / 1e6, 'f', 2) + u"ms"_s;
    return QString::number(double(ns) / 1e9, 'f', 2) + u"s"_s;
}

QString formatBytes(double bytes)
{
    if (bytes < 1000)
        return QString::number(qint64(bytes)) + u" B"_s;
    if (bytes < 1e6)
        return QString::number(bytes / 1e3, 'f', 1) + u" kB"_s;
    if (bytes < 1e9)
        return QString::number(bytes / 1e6, 'f', 1) + u" MB"_s;
    return QString::number(bytes / 1e9, 'f', 2) + u" GB"_s;
}

QString formatDurationMs(qint64 ms)
{
    if (ms < 1000 || ms % 1000)
        return ms < 60'000 || ms % 1000 ? QString::number(ms) + u"ms"_s : QString();
    const qint64 s = ms / 1000;
    if (s < 60)
        return QString::number(s) + u's';
    return QString::number(s / 60) + u'm' + (s % 60 ? QString::number(s % 60) + u's' : QString());
}

QString shape(const LoadProfile &profile)
{
    QString shape = profile.arrivalRate > 0
            ? u"%1 iterations/s on at most %2 users"_s.arg(profile.arrivalRate).arg(profile.users)
            : u"%1 users"_s.arg(profile.users);
    if (profile.rampUpMs > 0)
        shape += u", ramp-up "_s + formatDurationMs(profile.rampUpMs);
    shape += u", duration "_s + formatDurationMs(profile.durationMs);
    if (profile.arrivalRate <= 0 && profile.iterations > 0)
        shape += u", %1 iterations each"_s.arg(profile.iterations);
    if (profile.arrivalRate <= 0 && profile.thinkTimeMs > 0)
        shape += u", think "_s + formatDurationMs(profile.thinkTimeMs);
    return shape;
}

QString thresholdLine(const ThresholdOutcome &outcome)
{
    return u"%1 (%2)"_s.arg(outcome.threshold.text(), outcome.verdict.actual);
}

QList<Line> figures(const LoadProfile &profile, const LoadSummary &summary)
{
    const double seconds = double(summary.elapsedNs) / 1e9;
    QList<Line> lines;
    lines.append({u"connect time"_s, statistics(summary.connect, false)});
    lines.append({u"round trip"_s, statistics(summary.roundTrips, true)
                                           + u" (%1 pairs)"_s.arg(summary.roundTrips.count())});
    lines.append({u"messages in"_s, u"%1  %2"_s.arg(summary.messagesIn).arg(rate(summary.perSecond(summary.messagesIn)))});
    lines.append({u"messages out"_s, u"%1  %2"_s.arg(summary.messagesOut).arg(rate(summary.perSecond(summary.messagesOut)))});
    lines.append({u"data in"_s, u"%1  %2/s"_s.arg(formatBytes(double(summary.bytesIn)),
                                                  formatBytes(summary.perSecond(summary.bytesIn)))});
    lines.append({u"data out"_s, u"%1  %2/s"_s.arg(formatBytes(double(summary.bytesOut)),
                                                   formatBytes(summary.perSecond(summary.bytesOut)))});
    lines.append({u"iterations"_s, u"%1  %2  (%3 passed, %4 failed)"_s.arg(summary.iterations)
                                           .arg(rate(summary.perSecond(summary.iterations)))
                                           .arg(summary.passed).arg(summary.failed())});
    if (summary.dropped > 0)
        lines.append({u"dropped iterations"_s, u"%1 (every user was busy)"_s.arg(summary.dropped)});
    lines.append({u"errors"_s, u"%1  %2%  (%3 connection failures, %4 failed steps)"_s.arg(summary.errors())
                                       .arg(QString::number(summary.errorRate() * 100, 'f', 2))
                                       .arg(summary.connectionFailures).arg(summary.failedSteps)});
    lines.append({u"users"_s, u"%1 at most at once, of %2"_s.arg(summary.usersMax).arg(profile.users)});
    lines.append({u"run time"_s, QString::number(seconds, 'f', 1) + u's'});
    return lines;
}

QString text(const QString &scenarioName, const LoadProfile &profile, const LoadSummary &summary,
             const QList<ThresholdOutcome> &outcomes)
{
    QString out;
    out += line(u"scenario"_s, scenarioName);
    out += line(u"load"_s, shape(profile));
    out += u'\n';

    if (!outcomes.isEmpty()) {
        out += u"  THRESHOLDS\n"_s;
        for (const ThresholdOutcome &outcome : outcomes)
            out += u"    %1 %2\n"_s.arg(outcome.verdict.passed ? u"✓"_s : u"✗"_s, thresholdLine(outcome));
        out += u'\n';
    }

    for (const Line &figure : figures(profile, summary))
        out += line(figure.label, figure.value);
    return out;
}

QJsonObject toJson(const QString &scenarioName, const LoadProfile &profile, const LoadSummary &summary,
                   const QList<ThresholdOutcome> &outcomes)
{
    const auto ms = [](qint64 ns) { return ns < 0 ? QJsonValue() : QJsonValue(double(ns) / 1e6); };
    const auto times = [&ms](const LatencyHistogram &histogram) {
        return QJsonObject{{u"count"_s, histogram.count()},
                           {u"avg"_s, ms(histogram.meanNs())},
                           {u"min"_s, ms(histogram.minNs())},
                           {u"p50"_s, ms(histogram.percentileNs(50))},
                           {u"p90"_s, ms(histogram.percentileNs(90))},
                           {u"p95"_s, ms(histogram.percentileNs(95))},
                           {u"p99"_s, ms(histogram.percentileNs(99))},
                           {u"max"_s, ms(histogram.maxNs())}};
    };
    QJsonArray thresholds;
    for (const ThresholdOutcome &outcome : outcomes) {
        thresholds.append(QJsonObject{{u"threshold"_s, outcome.threshold.text()},
                                      {u"passed"_s, outcome.verdict.passed},
                                      {u"actual"_s, outcome.verdict.actual}});
    }
    const QJsonObject load{{u"users"_s, profile.users},
                           {u"rampUpMs"_s, profile.rampUpMs},
                           {u"durationMs"_s, profile.durationMs},
                           {u"iterations"_s, profile.iterations},
                           {u"arrivalRate"_s, profile.arrivalRate},
                           {u"thinkTimeMs"_s, profile.thinkTimeMs}};
    return QJsonObject{
        {u"scenario"_s, scenarioName},
        {u"load"_s, load},
        {u"thresholds"_s, thresholds},
        {u"connectMs"_s, times(summary.connect)},
        {u"roundTripMs"_s, times(summary.roundTrips)},
        {u"messagesIn"_s, summary.messagesIn},
        {u"messagesOut"_s, summary.messagesOut},
        {u"bytesIn"_s, summary.bytesIn},
        {u"bytesOut"_s, summary.bytesOut},
        {u"iterations"_s, summary.iterations},
        {u"passed"_s, summary.passed},
        {u"failed"_s, summary.failed()},
        {u"connectionFailures"_s, summary.connectionFailures},
        {u"failedSteps"_s, summary.failedSteps},
        {u"dropped"_s, summary.dropped},
        {u"errorRate"_s, summary.errorRate()},
        {u"usersMax"_s, summary.usersMax},
        {u"runTimeMs"_s, double(summary.elapsedNs) / 1e6},
    };
}

QByteArray toCsv(const QString &scenarioName, const LoadProfile &profile, const LoadSummary &summary,
                 const QList<ThresholdOutcome> &outcomes)
{
    const auto field = [](QString text) {
        if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n'))
            return text;
        text.replace(u"\""_s, u"\"\""_s);
        return u'"' + text + u'"';
    };
    QString out = u"figure,value\r\n"_s;
    const auto row = [&](const QString &label, const QString &value) {
        out += field(label) + u',' + field(value) + u"\r\n"_s;
    };
    row(u"scenario"_s, scenarioName);
    row(u"load"_s, shape(profile));
    for (const ThresholdOutcome &outcome : outcomes) {
        row(u"threshold "_s + outcome.threshold.text(),
            (outcome.verdict.passed ? u"passed ("_s : u"failed ("_s) + outcome.verdict.actual + u')');
    }
    for (const Line &figure : figures(profile, summary))
        row(figure.label, figure.value);
    return out.toUtf8();
}

} // namespace wsprobe::LoadReport
