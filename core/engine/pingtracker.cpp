#include "pingtracker.h"

namespace wsprobe {
namespace {

// Unanswered pings are forgotten past this many, so a server that never answers costs nothing.
constexpr qsizetype MaxPendingPings = 1024;

} // namespace

void PingTracker::reset()
{
    m_sentAt.clear();
    m_unanswered = 0;
}

QByteArray PingTracker::nextPayload()
{
    return "wsprobe-ping-" + QByteArray::number(++m_counter);
}

void PingTracker::sent(const QByteArray &payload, qint64 monotonicNs)
{
    if (m_sentAt.size() >= MaxPendingPings)
        m_sentAt.clear();
    m_sentAt.insert(payload, monotonicNs);
}

qint64 PingTracker::answered(const QByteArray &payload, qint64 monotonicNs)
{
    m_unanswered = 0;
    const auto sentAt = m_sentAt.constFind(payload);
    if (sentAt == m_sentAt.cend())
        return -1;
    const qint64 rtt = monotonicNs - sentAt.value();
    m_sentAt.erase(sentAt);
    return rtt;
}

} // namespace wsprobe
