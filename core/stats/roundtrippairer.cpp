#include "roundtrippairer.h"

namespace wsprobe {

void RoundTripPairer::sent(qint64 sequence, qint64 ns, const std::optional<QString> &key)
{
    if (m_keyed && !key)
        return;
    if (m_waiting >= MaxWaiting) {
        ++m_untracked;
        return;
    }
    if (m_keyed)
        m_byKey[*key].push_back({sequence, ns});
    else
        m_queue.push_back({sequence, ns});
    ++m_waiting;
}

std::optional<RoundTripPair> RoundTripPairer::received(qint64 sequence, qint64 ns,
                                                       const std::optional<QString> &key)
{
    std::deque<Sent> *queue = &m_queue;
    QHash<QString, std::deque<Sent>>::iterator found;
    if (m_keyed) {
        if (!key)
            return std::nullopt;
        found = m_byKey.find(*key);
        if (found == m_byKey.end())
            return std::nullopt;
        queue = &found.value();
    }
    if (queue->empty())
        return std::nullopt;
    const Sent oldest = queue->front();
    queue->pop_front();
    --m_waiting;
    if (m_keyed && queue->empty())
        m_byKey.erase(found);
    return RoundTripPair{oldest.sequence, sequence, oldest.ns, ns - oldest.ns};
}

void RoundTripPairer::clear()
{
    m_queue.clear();
    m_byKey.clear();
    m_waiting = 0;
    m_untracked = 0;
}

} // namespace wsprobe
