#pragma once

#include <QtGlobal>

#include <vector>

namespace wsprobe {

// Messages and bytes per second over a sliding window: counts kept in time slots (the window
// divided in SlotCount), so a flood costs no memory per message. The window is the slots that
// end after `now - windowNs`, the current one included: it is exact to one slot (100 ms by
// default).
class RateWindow
{
public:
    static constexpr qint64 DefaultWindowNs = 5'000'000'000;
    static constexpr int DefaultSlots = 50;

    explicit RateWindow(qint64 windowNs = DefaultWindowNs, int slots = DefaultSlots);

    void add(qint64 ns, qint64 bytes);
    void clear();

    qint64 windowNs() const { return m_slotNs * qint64(m_slots.size()); }
    // Per second over the window's slots up to nowNs; when sinceNs (the connection's start) is
    // later than the window's first slot, over the time since then. 0 when no time has passed.
    double messagesPerSecond(qint64 nowNs, qint64 sinceNs) const;
    double bytesPerSecond(qint64 nowNs, qint64 sinceNs) const;

private:
    struct Slot
    {
        qint64 index = -1;  // time / slot length: which slot of all time this one holds
        qint64 messages = 0;
        qint64 bytes = 0;
    };

    double perSecond(qint64 nowNs, qint64 sinceNs, qint64 Slot::*member) const;

    qint64 m_slotNs;
    std::vector<Slot> m_slots;  // a ring, indexed by slot index modulo its size
};

} // namespace wsprobe
