#include "ratewindow.h"

namespace wsprobe {

RateWindow::RateWindow(qint64 windowNs, int slots)
    : m_slotNs(qMax<qint64>(windowNs / qMax(slots, 1), 1)), m_slots(std::size_t(qMax(slots, 1)))
{
}

void RateWindow::add(qint64 ns, qint64 bytes)
{
    const qint64 index = ns / m_slotNs;
    Slot &slot = m_slots[std::size_t(index % qint64(m_slots.size()))];
    if (slot.index != index)
        slot = {index, 0, 0};
    ++slot.messages;
    slot.bytes += bytes;
}

void RateWindow::clear()
{
    for (Slot &slot : m_slots)
        slot = {};
}

double RateWindow::perSecond(qint64 nowNs, qint64 sinceNs, qint64 Slot::*member) const
{
    const qint64 nowIndex = nowNs / m_slotNs;
    const qint64 firstIndex = nowIndex - qint64(m_slots.size()) + 1;
    const qint64 fromNs = qMax(firstIndex * m_slotNs, sinceNs);
    const qint64 spanNs = nowNs - fromNs;
    if (spanNs <= 0)
        return 0;
    qint64 total = 0;
    for (const Slot &slot : m_slots) {
        if (slot.index >= firstIndex && slot.index <= nowIndex)
            total += slot.*member;
    }
    return double(total) * 1e9 / double(spanNs);
}

double RateWindow::messagesPerSecond(qint64 nowNs, qint64 sinceNs) const
{
    return perSecond(nowNs, sinceNs, &Slot::messages);
}

double RateWindow::bytesPerSecond(qint64 nowNs, qint64 sinceNs) const
{
    return perSecond(nowNs, sinceNs, &Slot::bytes);
}

} // namespace wsprobe
