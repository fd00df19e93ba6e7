#pragma once

// The pings of one connection in flight: when each was sent, so its pong gets a round trip of
// its own, and how many automatic pings have gone unanswered, so a dead peer can be told.

#include <QByteArray>
#include <QHash>

namespace wsprobe {

class PingTracker
{
public:
    // A new connection: pings sent on the last one are never answered on this one.
    void reset();

    // A payload unique to this tracker, for a ping the user sent without one.
    QByteArray nextPayload();

    // A ping went out at monotonicNs.
    void sent(const QByteArray &payload, qint64 monotonicNs);
    // A pong arrived at monotonicNs: the round trip of the ping with its payload, or -1 when no
    // ping of ours had it. Any pong shows the peer alive.
    qint64 answered(const QByteArray &payload, qint64 monotonicNs);

    // The automatic pings since the last pong.
    void autoPingSent() { ++m_unanswered; }
    int unanswered() const { return m_unanswered; }

private:
    QHash<QByteArray, qint64> m_sentAt;  // payload -> monotonic ns sent
    quint64 m_counter = 0;               // not reset: payloads stay unique across connections
    int m_unanswered = 0;
};

} // namespace wsprobe
