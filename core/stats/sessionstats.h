#pragma once

#include "correlationkey.h"
#include "framelog.h"
#include "latencyhistogram.h"
#include "ratewindow.h"
#include "roundtrippairer.h"
#include "statsfigures.h"

#include <QObject>
#include <QPointer>

#include <deque>
#include <memory>
#include <vector>

namespace wsprobe {


// The latency and throughput of one session's current connection, read from its FrameLog as
// events are appended (its public API and `appended` only). Per event: a few additions and, for
// a message when a CorrelationKey is set, one look at its key; no signal, no allocation beyond
// the pairs kept. Readers ask for figures() when they want them (the Stats tab on a timer).
//
// The figures start over when a connection starts (the upgrade request is logged) and when the
// log is cleared: what one connection did says nothing of the next.
class SessionStats : public QObject
{
    Q_OBJECT

public:
    // The most recent pairs kept, for "over the last N pairs" and charts.
    static constexpr qsizetype MaxRecentPairs = 10000;

    explicit SessionStats(QObject *parent = nullptr);
    ~SessionStats() override;

    // Not owned; may be null. Reads the log's current connection at once, then follows it.
    void setLog(FrameLog *log);
    FrameLog *log() const { return m_log; }
    // Null: the next received message answers (the default). Reads the log again.
    void setCorrelation(std::unique_ptr<const CorrelationKey> key);
    const CorrelationKey *correlation() const { return m_key.get(); }
    // The sliding window of the rates (5 s in 50 slots by default). Reads the log again.
    void setRateWindow(qint64 windowNs, int slots = RateWindow::DefaultSlots);

    // At nowNs (FrameEvent::monotonicNs's clock): the rates of an open connection run to now.
    StatsFigures figures(qint64 nowNs) const;
    StatsFigures figures() const;

    qint64 pairCount() const { return m_roundTrips.count(); }
    // Sent messages still waiting for their answer.
    qsizetype awaiting() const { return m_pairer.waiting(); }
    const LatencyHistogram &roundTrips() const { return m_roundTrips; }
    const LatencyHistogram &pingRoundTrips() const { return m_pings; }
    // The last pairs, oldest first (at most MaxRecentPairs).
    const std::deque<RoundTripPair> &recentPairs() const { return m_recent; }
    // The exact nearest-rank percentile of the last `pairs` round trips (all kept when 0 or
    // more than kept); -1 when there are none.
    qint64 recentPercentileNs(double percent, qsizetype pairs) const;

Q_SIGNALS:
    // The figures started over: a new connection, a cleared log, another setting.
    void restarted();

private:
    void onAppended(qint64 first, qint64 end);
    void take(qint64 sequence, const FrameEvent &event);
    void restart();
    void reread();

    QPointer<FrameLog> m_log;  // Not owned.
    std::unique_ptr<const CorrelationKey> m_key;  // Owned.
    RoundTripPairer m_pairer;
    LatencyHistogram m_roundTrips;
    LatencyHistogram m_pings;
    std::deque<RoundTripPair> m_recent;
    RateWindow m_windowIn;
    RateWindow m_windowOut;

    qint64 m_handshakeNs = -1;  // the upgrade request
    qint64 m_openNs = -1;       // the 101, or the first event when none was logged
    qint64 m_endNs = -1;        // the connection's Close event
    qint64 m_connectNs = -1;
    qint64 m_messagesIn = 0;
    qint64 m_messagesOut = 0;
    qint64 m_bytesIn = 0;
    qint64 m_bytesOut = 0;
    qint64 m_pingLastNs = -1;
};

} // namespace wsprobe
