#pragma once

#include "roundtrippairer.h"

#include <QJsonObject>
#include <QString>

#include <deque>
#include <functional>
#include <optional>

namespace wsprobe {

class FrameLog;

// "p95 round trip < 200 ms over the last 100 pairs": a limit on a percentile (or the max) of the
// latest round trips, shared by the scenario step `roundTrip` and the live assertion of the
// same name. The percentile is exact (nearest rank) over the pairs it looks at.
class RoundTripLimit
{
public:
    static constexpr qsizetype MaxOver = 10000;  // SessionStats::MaxRecentPairs

    // The keys a limit is written with, and their percentiles: p50 p90 p95 p99 max (100).
    static const QStringList &percentileKeys();
    static std::optional<double> percentOf(QStringView key);

    RoundTripLimit() = default;
    RoundTripLimit(QString key, double limitMs, qsizetype over);

    // {"p95": 200, "over": 100}; `ignored` keys (such as the step's own) are let through.
    // Nullopt with *error (naming the member, "/p95: ...") when it is not such a limit.
    static std::optional<RoundTripLimit> fromJson(const QJsonObject &spec, QString *error,
                                                  const QStringList &ignored = {});
    QJsonObject toJson() const;  // {"p95": 200, "over": 100}
    // "p95 round trip < 200 ms over the last 100 pairs"
    QString describe() const;

    const QString &key() const { return m_key; }
    double limitMs() const { return m_limitMs; }
    qsizetype over() const { return m_over; }  // 0: every pair kept
    // How many pairs a verdict needs: `over`, or 1.
    qsizetype pairsNeeded() const { return m_over > 0 ? m_over : 1; }

    struct Verdict
    {
        bool decided = false;   // enough pairs
        bool passed = false;
        qint64 measuredNs = -1; // the percentile over the pairs looked at
        RoundTripPair slowest;
        qsizetype pairs = 0;
        QString expected;       // describe()
        QString actual;         // "p95 250.300 ms over the last 100 pairs (messages 3 to 202)"
        QString explanation;    // "... not under 200 ms; the slowest: message 45, answered by ..."
    };
    // How a sequence number is named in texts: "message 12".
    using Namer = std::function<QString(qint64 sequence)>;
    // By the log's message numbers ("event 7" for a sequence that is no message there).
    static Namer namesFrom(const FrameLog *log);

    // pairs: oldest first.
    Verdict evaluate(const std::deque<RoundTripPair> &pairs, const Namer &nameOf) const;

    friend bool operator==(const RoundTripLimit &, const RoundTripLimit &) = default;

private:
    QString m_key = QStringLiteral("p95");
    double m_limitMs = 0;
    qsizetype m_over = 0;
};

} // namespace wsprobe
