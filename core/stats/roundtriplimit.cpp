#include "roundtriplimit.h"

#include "framelog.h"
#include "latencyhistogram.h"

#include <QStringList>

#include <vector>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QString millis(qint64 ns)
{
    return u"%1 ms"_s.arg(double(ns) / 1e6, 0, 'f', 3);
}

} // namespace

RoundTripLimit::Namer RoundTripLimit::namesFrom(const FrameLog *log)
{
    return [log](qint64 sequence) {
        const qint64 number = log ? log->messageNumber(sequence) : 0;
        return number > 0 ? u"message %1"_s.arg(number) : u"event %1"_s.arg(sequence);
    };
}

const QStringList &RoundTripLimit::percentileKeys()
{
    static const QStringList keys{u"p50"_s, u"p90"_s, u"p95"_s, u"p99"_s, u"max"_s};
    return keys;
}

std::optional<double> RoundTripLimit::percentOf(QStringView key)
{
    if (key == u"max")
        return 100.0;
    if (key == u"p50")
        return 50.0;
    if (key == u"p90")
        return 90.0;
    if (key == u"p95")
        return 95.0;
    if (key == u"p99")
        return 99.0;
    return std::nullopt;
}

RoundTripLimit::RoundTripLimit(QString key, double limitMs, qsizetype over)
    : m_key(std::move(key)), m_limitMs(limitMs), m_over(over)
{
}

std::optional<RoundTripLimit> RoundTripLimit::fromJson(const QJsonObject &spec, QString *error,
                                                       const QStringList &ignored)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QString key;
    for (const QString &candidate : percentileKeys()) {
        if (!spec.contains(candidate))
            continue;
        if (!key.isEmpty())
            return fail(u"/%1: one limit at a time: \"%2\" is given too"_s.arg(candidate, key));
        key = candidate;
    }
    if (key.isEmpty())
        return fail(u"a round-trip limit names one of \"p50\", \"p90\", \"p95\", \"p99\" and \"max\" "
                    "with milliseconds: {\"p95\": 200, \"over\": 100}"_s);
    const QJsonValue limit = spec.value(key);
    if (!limit.isDouble() || limit.toDouble() <= 0)
        return fail(u"/%1: expected milliseconds above 0"_s.arg(key));
    qsizetype over = 0;
    if (spec.contains(u"over")) {
        const QJsonValue value = spec.value(u"over");
        const double count = value.toDouble(-1);
        if (!value.isDouble() || count != double(qint64(count)) || count < 1 || count > MaxOver)
            return fail(u"/over: expected a number of pairs from 1 to %1"_s.arg(MaxOver));
        over = qsizetype(count);
    }
    for (auto it = spec.begin(); it != spec.end(); ++it) {
        if (it.key() != key && it.key() != u"over" && !ignored.contains(it.key()))
            return fail(u"/%1: not part of a round-trip limit (%2 and \"over\")"_s.arg(it.key(), key));
    }
    return RoundTripLimit(key, limit.toDouble(), over);
}

QJsonObject RoundTripLimit::toJson() const
{
    QJsonObject object{{m_key, m_limitMs}};
    if (m_over > 0)
        object.insert(u"over", m_over);
    return object;
}

QString RoundTripLimit::describe() const
{
    QString text = u"%1 round trip < %2 ms"_s.arg(m_key).arg(m_limitMs);
    if (m_over > 0)
        text += m_over == 1 ? u" over the last pair"_s : u" over the last %1 pairs"_s.arg(m_over);
    return text;
}

RoundTripLimit::Verdict RoundTripLimit::evaluate(const std::deque<RoundTripPair> &pairs,
                                                 const Namer &nameOf) const
{
    Verdict verdict;
    verdict.expected = describe();
    const qsizetype kept = qsizetype(pairs.size());
    if (kept < pairsNeeded()) {
        verdict.pairs = kept;
        verdict.actual = kept == 1 ? u"1 pair"_s : u"%1 pairs"_s.arg(kept);
        return verdict;
    }
    const qsizetype n = m_over > 0 ? m_over : kept;
    std::vector<qint64> values;
    values.reserve(std::size_t(n));
    const auto first = pairs.end() - n;
    verdict.slowest = *first;
    for (auto it = first; it != pairs.end(); ++it) {
        values.push_back(it->roundTripNs);
        if (it->roundTripNs > verdict.slowest.roundTripNs)
            verdict.slowest = *it;
    }
    verdict.decided = true;
    verdict.pairs = n;
    verdict.measuredNs = exactPercentile(values, *percentOf(m_key));
    verdict.passed = double(verdict.measuredNs) < m_limitMs * 1e6;
    const QString which = m_over > 0 ? u"the last %1"_s.arg(n) : u"all %1"_s.arg(n);
    verdict.actual = u"%1 %2 over %3 %4 (sent %5 to %6)"_s
                         .arg(m_key, millis(verdict.measuredNs), which,
                              n == 1 ? u"pair"_s : u"pairs"_s,
                              nameOf(first->sentSequence),
                              nameOf(pairs.back().sentSequence));
    if (!verdict.passed) {
        verdict.explanation = u"the %1 round trip over %2 %3 was %4, not under %5 ms; the slowest: "
                              "%6 answered by %7 after %8"_s
                                  .arg(m_key, which, n == 1 ? u"pair"_s : u"pairs"_s,
                                       millis(verdict.measuredNs))
                                  .arg(m_limitMs)
                                  .arg(nameOf(verdict.slowest.sentSequence),
                                       nameOf(verdict.slowest.receivedSequence),
                                       millis(verdict.slowest.roundTripNs));
    }
    return verdict;
}

} // namespace wsprobe
