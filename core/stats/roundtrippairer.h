#pragma once

#include <QHash>
#include <QString>

#include <deque>
#include <optional>

namespace wsprobe {

// A sent message and the received one that answered it.
struct RoundTripPair
{
    qint64 sentSequence = -1;      // FrameLog sequence numbers
    qint64 receivedSequence = -1;
    qint64 sentNs = 0;             // FrameEvent::monotonicNs of the sent message
    qint64 roundTripNs = 0;        // received - sent

    friend bool operator==(const RoundTripPair &, const RoundTripPair &) = default;
};

// Pairs sent messages with their answers. Keyed: a received message answers the oldest waiting
// sent message with the same key; messages without a key are not paired. Not keyed ("the next
// message"): each received message answers the oldest sent message still waiting, and one that
// comes when none waits (a push from the server) answers nothing.
class RoundTripPairer
{
public:
    // Sent messages that may wait for an answer at once; more are not waited for (counted in
    // untracked()), so a server that never answers cannot make the queue grow without end.
    static constexpr qsizetype MaxWaiting = 65536;

    explicit RoundTripPairer(bool keyed = false) : m_keyed(keyed) {}

    bool isKeyed() const { return m_keyed; }
    // key: ignored when not keyed.
    void sent(qint64 sequence, qint64 ns, const std::optional<QString> &key);
    std::optional<RoundTripPair> received(qint64 sequence, qint64 ns,
                                          const std::optional<QString> &key);
    void clear();

    qsizetype waiting() const { return m_waiting; }
    qint64 untracked() const { return m_untracked; }

private:
    struct Sent
    {
        qint64 sequence;
        qint64 ns;
    };

    bool m_keyed;
    std::deque<Sent> m_queue;                 // not keyed
    QHash<QString, std::deque<Sent>> m_byKey; // keyed
    qsizetype m_waiting = 0;
    qint64 m_untracked = 0;
};

} // namespace wsprobe
