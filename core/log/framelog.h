#pragma once

#include "frameevent.h"

#include <QObject>

#include <deque>
#include <memory>

namespace wsprobe {

// The append-only record of one session: every frame, handshake, close and error, in order.
// The single source the GUI, the assertions and the exports read from.
//
// Events are addressed by a sequence number that never changes: the first event ever appended
// is 0. When a capacity is set, the oldest events are discarded and firstSequence() moves on.
// Storage is a list of fixed-size chunks, so appending allocates once per chunk, never per event.
class FrameLog : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype ChunkSize = 4096;

    explicit FrameLog(QObject *parent = nullptr);
    ~FrameLog() override;

    // 0 keeps everything.
    void setCapacity(qsizetype maxEvents);
    qsizetype capacity() const { return m_capacity; }

    qint64 firstSequence() const { return m_first; }
    qint64 endSequence() const { return m_end; }
    qsizetype size() const { return qsizetype(m_end - m_first); }
    bool isEmpty() const { return m_end == m_first; }
    bool contains(qint64 sequence) const { return sequence >= m_first && sequence < m_end; }

    // sequence must be in [firstSequence(), endSequence()).
    const FrameEvent &at(qint64 sequence) const;
    const FrameEvent &last() const { return at(m_end - 1); }

    // Messages numbered as people count them: 1 for the first text or binary message appended
    // since the log was made or cleared (handshakes, pings, closes, fragments and errors not
    // counted; discarded messages still counted). 0 when the event is not a message or not in
    // the log. The one numbering the window, the assertions and the exports name messages by.
    qint64 messageNumber(qint64 sequence) const;

    // Returns the new event's sequence number.
    qint64 append(FrameEvent &&event);
    void clear();

Q_SIGNALS:
    void appended(qint64 sequence);
    // Events before firstSequence were dropped to respect the capacity.
    void discarded(qint64 firstSequence);
    void cleared();

private:
    struct Chunk;
    void trimToCapacity();

    std::deque<std::unique_ptr<Chunk>> m_chunks;  // Owned.
    qint64 m_chunkBase = 0;  // sequence number of m_chunks.front()[0]
    qint64 m_first = 0;
    qint64 m_end = 0;
    qsizetype m_capacity = 0;
    qint64 m_messages = 0;   // messages appended since the last clear
};

} // namespace wsprobe
