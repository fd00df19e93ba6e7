#include "sessionstats.h"

#include "clock.h"
#include "framelog.h"

#include <algorithm>

namespace wsprobe {

SessionStats::SessionStats(QObject *parent) : QObject(parent) {}

SessionStats::~SessionStats() = default;

void SessionStats::setLog(FrameLog *log)
{
    if (m_log == log)
        return;
    if (m_log)
        disconnect(m_log, nullptr, this, nullptr);
    m_log = log;
    if (log) {
        connect(log, &FrameLog::eventsAppended, this, &SessionStats::onAppended);
        connect(log, &FrameLog::cleared, this, &SessionStats::restart);
    }
    reread();
}

void SessionStats::setCorrelation(std::unique_ptr<const CorrelationKey> key)
{
    m_key = std::move(key);
    reread();
}

void SessionStats::setRateWindow(qint64 windowNs, int slots)
{
    m_windowIn = RateWindow(windowNs, slots);
    m_windowOut = RateWindow(windowNs, slots);
    reread();
}

void SessionStats::restart()
{
    m_pairer = RoundTripPairer(m_key != nullptr);
    m_roundTrips.clear();
    m_pings.clear();
    m_recent.clear();
    m_windowIn.clear();
    m_windowOut.clear();
    m_handshakeNs = m_openNs = m_endNs = m_connectNs = m_pingLastNs = -1;
    m_messagesIn = m_messagesOut = m_bytesIn = m_bytesOut = 0;
    Q_EMIT restarted();
}

void SessionStats::reread()
{
    restart();
    if (!m_log || m_log->isEmpty())
        return;
    // Only the current connection counts: from the last upgrade request on.
    qint64 from = m_log->endSequence() - 1;
    while (from > m_log->firstSequence()
           && !(m_log->at(from).kind == EventKind::Handshake
                && m_log->at(from).direction == Direction::Outgoing))
        --from;
    for (qint64 sequence = from; sequence < m_log->endSequence(); ++sequence)
        take(sequence, m_log->at(sequence));
}

void SessionStats::onAppended(qint64 first, qint64 end)
{
    for (qint64 sequence = first; sequence < end; ++sequence)
        take(sequence, m_log->at(sequence));
}

void SessionStats::take(qint64 sequence, const FrameEvent &event)
{
    if (event.kind == EventKind::Handshake && event.direction == Direction::Outgoing) {
        restart();
        m_handshakeNs = event.monotonicNs;
        return;
    }
    if (event.acceptsUpgrade()) {
        m_openNs = event.monotonicNs;
        if (m_handshakeNs >= 0)
            m_connectNs = event.monotonicNs - m_handshakeNs;
        return;
    }
    if (m_openNs < 0)
        m_openNs = event.monotonicNs;
    if (event.kind == EventKind::Close) {
        m_endNs = event.monotonicNs;
        return;
    }
    if (event.kind == EventKind::Pong && event.direction == Direction::Incoming && event.rttNs >= 0) {
        m_pings.record(event.rttNs);
        m_pingLastNs = event.rttNs;
        return;
    }
    if (!event.isMessage())
        return;
    const std::optional<QString> key = m_key ? m_key->keyOf(event) : std::nullopt;
    if (event.direction == Direction::Outgoing) {
        ++m_messagesOut;
        m_bytesOut += event.size;
        m_windowOut.add(event.monotonicNs, event.size);
        m_pairer.sent(sequence, event.monotonicNs, key);
    } else if (event.direction == Direction::Incoming) {
        ++m_messagesIn;
        m_bytesIn += event.size;
        m_windowIn.add(event.monotonicNs, event.size);
        if (const std::optional<RoundTripPair> pair = m_pairer.received(sequence, event.monotonicNs, key)) {
            m_roundTrips.record(pair->roundTripNs);
            m_recent.push_back(*pair);
            if (qsizetype(m_recent.size()) > MaxRecentPairs)
                m_recent.pop_front();
        }
    }
}

StatsFigures SessionStats::figures() const
{
    return figures(monotonicNowNs());
}

StatsFigures SessionStats::figures(qint64 nowNs) const
{
    StatsFigures f;
    f.pairs = m_roundTrips.count();
    f.awaiting = m_pairer.waiting();
    if (f.pairs > 0) {
        f.roundTripMinNs = m_roundTrips.minNs();
        f.roundTripP50Ns = m_roundTrips.percentileNs(50);
        f.roundTripP90Ns = m_roundTrips.percentileNs(90);
        f.roundTripP95Ns = m_roundTrips.percentileNs(95);
        f.roundTripP99Ns = m_roundTrips.percentileNs(99);
        f.roundTripMaxNs = m_roundTrips.maxNs();
        f.roundTripMeanNs = m_roundTrips.meanNs();
    }
    f.connectNs = m_connectNs;
    f.messagesIn = m_messagesIn;
    f.messagesOut = m_messagesOut;
    f.bytesIn = m_bytesIn;
    f.bytesOut = m_bytesOut;
    f.windowNs = m_windowIn.windowNs();
    if (m_openNs >= 0) {
        const qint64 endNs = m_endNs >= 0 ? m_endNs : qMax(nowNs, m_openNs);
        f.elapsedNs = endNs - m_openNs;
        if (f.elapsedNs > 0) {
            const double seconds = double(f.elapsedNs) / 1e9;
            f.messagesInPerSecond = double(m_messagesIn) / seconds;
            f.messagesOutPerSecond = double(m_messagesOut) / seconds;
            f.bytesInPerSecond = double(m_bytesIn) / seconds;
            f.bytesOutPerSecond = double(m_bytesOut) / seconds;
        }
        f.windowMessagesInPerSecond = m_windowIn.messagesPerSecond(endNs, m_openNs);
        f.windowMessagesOutPerSecond = m_windowOut.messagesPerSecond(endNs, m_openNs);
        f.windowBytesInPerSecond = m_windowIn.bytesPerSecond(endNs, m_openNs);
        f.windowBytesOutPerSecond = m_windowOut.bytesPerSecond(endNs, m_openNs);
    }
    f.pings = m_pings.count();
    f.pingLastNs = m_pingLastNs;
    f.pingP50Ns = m_pings.percentileNs(50);
    f.pingMaxNs = m_pings.maxNs();
    return f;
}

qint64 SessionStats::recentPercentileNs(double percent, qsizetype pairs) const
{
    const qsizetype kept = qsizetype(m_recent.size());
    const qsizetype n = pairs <= 0 ? kept : qMin(pairs, kept);
    std::vector<qint64> values;
    values.reserve(std::size_t(n));
    for (auto it = m_recent.end() - n; it != m_recent.end(); ++it)
        values.push_back(it->roundTripNs);
    return exactPercentile(values, percent);
}

} // namespace wsprobe
