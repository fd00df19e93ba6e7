#include "loadthreshold.h"

#include <QList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Reads the expression left to right; each read skips the blanks before it.
class Scanner
{
public:
    explicit Scanner(const QString &text) : m_text(text.toLower()) {}

    qsizetype position() const { return m_pos; }
    bool atEnd() { skipBlanks(); return m_pos >= m_text.size(); }
    void skip() { skipBlanks(); }
    QString word()
    {
        skipBlanks();
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && (m_text[m_pos].isLetter() || m_text[m_pos].isDigit()))
            ++m_pos;
        return m_text.mid(start, m_pos - start);
    }
    // The next word without taking it.
    QString peekWord()
    {
        const qsizetype saved = m_pos;
        const QString found = word();
        m_pos = saved;
        return found;
    }
    QString symbol()
    {
        skipBlanks();
        for (const char *candidate : {"<=", ">=", "==", "!=", "<", ">", "%"}) {
            const QLatin1StringView op(candidate);
            if (QStringView(m_text).mid(m_pos).startsWith(op)) {
                m_pos += op.size();
                return op.toString();
            }
        }
        return {};
    }
    std::optional<double> number()
    {
        skipBlanks();
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && (m_text[m_pos].isDigit() || m_text[m_pos] == u'.'))
            ++m_pos;
        bool ok = false;
        const double value = m_text.mid(start, m_pos - start).toDouble(&ok);
        if (!ok || m_pos == start) {
            m_pos = start;
            return std::nullopt;
        }
        return value;
    }
    // What is at the current position, for an error message.
    QString rest()
    {
        skipBlanks();
        return m_pos < m_text.size() ? u"\"%1\""_s.arg(m_text.mid(m_pos, 12)) : u"the end"_s;
    }

private:
    void skipBlanks()
    {
        while (m_pos < m_text.size() && m_text[m_pos].isSpace())
            ++m_pos;
    }
    QString m_text;
    qsizetype m_pos = 0;
};

std::optional<LoadThreshold::Statistic> statisticNamed(const QString &word)
{
    using S = LoadThreshold::Statistic;
    static const QList<std::pair<QString, S>> names = {
        {u"p50"_s, S::P50}, {u"p90"_s, S::P90}, {u"p95"_s, S::P95}, {u"p99"_s, S::P99},
        {u"min"_s, S::Min}, {u"max"_s, S::Max}, {u"avg"_s, S::Avg}, {u"med"_s, S::P50}};
    for (const auto &[name, statistic] : names) {
        if (word == name)
            return statistic;
    }
    return std::nullopt;
}

constexpr auto Metrics = "p50, p90, p95, p99, min, max, avg (round trip, ms), connect p95 (and the "
                         "other statistics), errors, rate, rate in, rate out, iterations";

} // namespace

std::optional<LoadThreshold> LoadThreshold::parse(const QString &text, QString *error, int *column)
{
    Scanner scanner(text);
    LoadThreshold threshold;
    threshold.m_text = text.simplified();
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        if (column)
            *column = int(scanner.position()) + 1;
        return std::nullopt;
    };
    if (scanner.atEnd())
        return fail(u"a threshold is empty; write one such as \"p95<200\" or \"errors<1%\""_s);

    const qsizetype metricStart = scanner.position();
    const QString first = scanner.word();
    if (first == "connect"_L1) {
        threshold.m_metric = Metric::Connect;
        const QString second = scanner.word();
        const std::optional<Statistic> statistic = statisticNamed(second);
        if (!statistic)
            return fail(u"\"connect\" is followed by a statistic (p50, p90, p95, p99, min, max, avg), found %1"_s
                                .arg(second.isEmpty() ? scanner.rest() : u"\"%1\""_s.arg(second)));
        threshold.m_statistic = *statistic;
    } else if (const std::optional<Statistic> statistic = statisticNamed(first)) {
        threshold.m_metric = Metric::RoundTrip;
        threshold.m_statistic = *statistic;
    } else if (first == "errors"_L1 || first == "error"_L1) {
        threshold.m_metric = Metric::Errors;
    } else if (first == "iterations"_L1) {
        threshold.m_metric = Metric::Iterations;
    } else if (first == "rate"_L1) {
        threshold.m_metric = Metric::Rate;
        const QString direction = scanner.peekWord();
        if (direction == "in"_L1 || direction == "out"_L1) {
            scanner.word();
            threshold.m_metric = direction == "in"_L1 ? Metric::RateIn : Metric::RateOut;
        }
    } else {
        if (column)
            *column = int(metricStart) + 1;
        if (error) {
            *error = u"unknown measure %1; thresholds measure %2"_s
                             .arg(first.isEmpty() ? scanner.rest() : u"\"%1\""_s.arg(first),
                                  QLatin1StringView(Metrics));
        }
        return std::nullopt;
    }

    const QString op = scanner.symbol();
    static const QList<std::pair<QString, Operator>> operators = {
        {u"<"_s, Operator::Less}, {u"<="_s, Operator::LessOrEqual}, {u">"_s, Operator::Greater},
        {u">="_s, Operator::GreaterOrEqual}, {u"=="_s, Operator::Equal}, {u"!="_s, Operator::NotEqual}};
    bool foundOperator = false;
    for (const auto &[name, value] : operators) {
        if (op == name) {
            threshold.m_operator = value;
            foundOperator = true;
        }
    }
    if (!foundOperator)
        return fail(u"expected a comparison (<, <=, >, >=, ==, !=), found %1"_s.arg(scanner.rest()));

    const std::optional<double> number = scanner.number();
    if (!number)
        return fail(u"expected a number after \"%1\", found %2"_s.arg(op, scanner.rest()));
    threshold.m_limit = *number;

    scanner.skip();
    const qsizetype unitStart = scanner.position();
    QString unit = scanner.symbol();
    if (unit.isEmpty())
        unit = scanner.word();
    const bool isTime = threshold.m_metric == Metric::RoundTrip || threshold.m_metric == Metric::Connect;
    if (unit == "%"_L1) {
        if (threshold.m_metric != Metric::Errors)
            return fail(u"\"%\" goes with errors only (errors<1%)"_s);
        threshold.m_metric = Metric::ErrorRate;
        threshold.m_limit = *number / 100.0;
    } else if (unit == "s"_L1 || unit == "ms"_L1) {
        if (!isTime)
            return fail(u"\"%1\" goes with a time (p95<200ms, connect p99<1s) only"_s.arg(unit));
        if (unit == "s"_L1)
            threshold.m_limit = *number * 1000;
    } else if (!unit.isEmpty()) {
        if (column)
            *column = int(unitStart) + 1;
        if (error)
            *error = u"unknown unit \"%1\"; use ms or s for times, % for errors"_s.arg(unit);
        return std::nullopt;
    }
    if (!scanner.atEnd())
        return fail(u"unexpected %1 after the threshold"_s.arg(scanner.rest()));
    return threshold;
}

std::optional<double> LoadThreshold::valueIn(const LoadSummary &summary) const
{
    switch (m_metric) {
    case Metric::RoundTrip:
    case Metric::Connect: {
        const LatencyHistogram &histogram = m_metric == Metric::Connect ? summary.connect : summary.roundTrips;
        if (histogram.count() == 0)
            return std::nullopt;
        qint64 ns = -1;
        switch (m_statistic) {
        case Statistic::P50: ns = histogram.percentileNs(50); break;
        case Statistic::P90: ns = histogram.percentileNs(90); break;
        case Statistic::P95: ns = histogram.percentileNs(95); break;
        case Statistic::P99: ns = histogram.percentileNs(99); break;
        case Statistic::Min: ns = histogram.minNs(); break;
        case Statistic::Max: ns = histogram.maxNs(); break;
        case Statistic::Avg:
        case Statistic::None: ns = histogram.meanNs(); break;
        }
        return double(ns) / 1e6;
    }
    case Metric::Errors: return double(summary.errors());
    case Metric::ErrorRate:
        if (summary.iterations == 0)
            return std::nullopt;
        return summary.errorRate();
    case Metric::Rate: return summary.messageRate();
    case Metric::RateIn: return summary.perSecond(summary.messagesIn);
    case Metric::RateOut: return summary.perSecond(summary.messagesOut);
    case Metric::Iterations: return double(summary.iterations);
    }
    return std::nullopt;
}

QString LoadThreshold::formatValue(double value) const
{
    switch (m_metric) {
    case Metric::RoundTrip:
    case Metric::Connect: return QString::number(value, 'f', 2) + u"ms"_s;
    case Metric::ErrorRate: return QString::number(value * 100, 'f', 2) + u'%';
    case Metric::Rate:
    case Metric::RateIn:
    case Metric::RateOut: return QString::number(value, 'f', 1) + u"/s"_s;
    case Metric::Errors:
    case Metric::Iterations: return QString::number(qint64(value));
    }
    return QString::number(value);
}

LoadThreshold::Verdict LoadThreshold::evaluate(const LoadSummary &summary) const
{
    const std::optional<double> value = valueIn(summary);
    if (!value) {
        const bool connect = m_metric == Metric::Connect;
        return {false, connect ? u"no connection was opened"_s
                               : m_metric == Metric::RoundTrip ? u"no round trip was measured"_s
                                                               : u"no iteration finished"_s};
    }
    bool passed = false;
    switch (m_operator) {
    case Operator::Less: passed = *value < m_limit; break;
    case Operator::LessOrEqual: passed = *value <= m_limit; break;
    case Operator::Greater: passed = *value > m_limit; break;
    case Operator::GreaterOrEqual: passed = *value >= m_limit; break;
    case Operator::Equal: passed = *value == m_limit; break;
    case Operator::NotEqual: passed = *value != m_limit; break;
    }
    return {passed, formatValue(*value)};
}

} // namespace wsprobe
