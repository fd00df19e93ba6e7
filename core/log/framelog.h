#pragma once

#include "frameevent.h"
#include "payloadarena.h"

#include <QObject>

#include <deque>
#include <map>
#include <memory>

namespace wsprobe {

class LogMemoryBudget;

// The append-only record of one session: every frame, handshake, close and error, in order.
// The single source the GUI, the assertions and the exports read from.
//
// Events are addressed by a sequence number that never changes: the first event ever appended
// is 0. When a capacity is set, the oldest events are discarded and firstSequence() moves on.
//
// What it keeps per event is a fixed 40-byte record (times, kind, sizes, codes, where the payload
// is) in chunks of ChunkSize, and the payload's own bytes in a PayloadArena: text as the UTF-8
// that came off the wire, made a QString only when someone reads it. at() puts a FrameEvent
// together on demand; the rare fields (a pong's round trip, sizes past 4 GiB) live out of line.
// Under a LogMemoryBudget old payloads move to disk and read back the same.
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
    // Shared by the logs of one thread; none keeps every payload in RAM.
    void setMemoryBudget(std::shared_ptr<LogMemoryBudget> budget);

    qint64 firstSequence() const { return m_first; }
    qint64 endSequence() const { return m_end; }
    qsizetype size() const { return qsizetype(m_end - m_first); }
    bool isEmpty() const { return m_end == m_first; }
    bool contains(qint64 sequence) const { return sequence >= m_first && sequence < m_end; }

    // sequence must be in [firstSequence(), endSequence()). The event is put together from the
    // log's record: a copy, valid whatever the log does next.
    FrameEvent at(qint64 sequence) const;
    // The same with at most maxPayloadBytes of its payload (text cut on a character boundary),
    // for a preview of what may be a huge message; size still says the whole.
    FrameEvent at(qint64 sequence, qint64 maxPayloadBytes) const;
    FrameEvent last() const { return at(m_end - 1); }
    // Everything but the payload (text and data empty), without reading it.
    FrameEvent headerAt(qint64 sequence) const { return materialize(sequence, 0); }
    EventKind kindAt(qint64 sequence) const;
    Direction directionAt(qint64 sequence) const;
    // The payload as kept: UTF-8 for text, close reasons and notes, the bytes otherwise.
    QByteArray payloadAt(qint64 sequence) const;

    // Messages numbered as people count them: 1 for the first text or binary message appended
    // since the log was made or cleared (handshakes, pings, closes, fragments and errors not
    // counted; discarded messages still counted). 0 when the event is not a message or not in
    // the log. The one numbering the window, the assertions and the exports name messages by.
    qint64 messageNumber(qint64 sequence) const;

    // Returns the new event's sequence number.
    qint64 append(FrameEvent &&event);
    // The same for an event whose payload the caller holds as bytes (UTF-8 for text): the
    // event's own text and data are ignored. What the session appends frames with.
    qint64 append(const FrameEvent &event, QByteArrayView payload, bool payloadIsText);
    void clear();

    // While a Batch lives, eventsAppended (and the capacity's discarding) wait for its end, then
    // come once for all it appended: one signal per socket read instead of one per frame.
    class Batch
    {
    public:
        explicit Batch(FrameLog *log) : m_log(log) { ++m_log->m_batchDepth; }
        ~Batch() { if (--m_log->m_batchDepth == 0) m_log->announce(); }
        Batch(const Batch &) = delete;
        Batch &operator=(const Batch &) = delete;

    private:
        FrameLog *m_log;
    };
    // Emits what a Batch holds back now (the batch goes on).
    void announce();

    // What the log holds, for the benchmarks and Settings.
    qint64 recordBytes() const;
    qint64 payloadBytesInMemory() const { return m_payloads.bytesInMemory(); }
    qint64 payloadBytesOnDisk() const { return m_payloads.bytesOnDisk(); }
    QString spillError() const { return m_payloads.spillError(); }

Q_SIGNALS:
    // Events [first, end) were appended.
    void eventsAppended(qint64 first, qint64 end);
    // Events before firstSequence were dropped to respect the capacity.
    void discarded(qint64 firstSequence);
    void cleared();

private:
    struct Record;
    struct Chunk;
    struct Extra
    {
        qint64 rttNs = -1;
        qint64 payloadBytes = -1;
        qint64 size = -1;
    };

    const Record &record(qint64 sequence) const;
    FrameEvent materialize(qint64 sequence, qint64 maxPayloadBytes) const;
    qint64 payloadLength(qint64 sequence, const Record &r) const;
    void trimToCapacity();

    std::deque<std::unique_ptr<Chunk>> m_chunks;  // Owned.
    PayloadArena m_payloads;
    std::map<qint64, Extra> m_extras;  // by sequence; only events that need one
    qint64 m_chunkBase = 0;  // sequence number of m_chunks.front()[0]
    qint64 m_first = 0;
    qint64 m_end = 0;
    qint64 m_announcedEnd = 0;
    int m_batchDepth = 0;
    qsizetype m_capacity = 0;
    qint64 m_messages = 0;   // messages appended since the last clear
};

} // namespace wsprobe
