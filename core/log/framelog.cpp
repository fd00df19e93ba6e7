#include "framelog.h"

#include "logmemorybudget.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <new>
#include <type_traits>

namespace wsprobe {

namespace {

constexpr quint32 OutOfLine = std::numeric_limits<quint32>::max();

enum RecordFlag : quint8 {
    FinalFrame = 1,
    CleanClose = 2,
    HasExtra = 4,
    PayloadIsText = 8,
};

bool holdsText(EventKind kind)
{
    switch (kind) {
    case EventKind::Binary:
    case EventKind::BinaryFrame:
    case EventKind::Ping:
    case EventKind::Pong:
        return false;
    default:
        return true;
    }
}

bool isMessageKind(EventKind kind)
{
    return kind == EventKind::Text || kind == EventKind::Binary;
}

} // namespace

// What the log keeps of an event besides its payload's bytes.
struct FrameLog::Record
{
    qint64 monotonicNs;
    qint64 wallMs;
    quint64 payloadOffset;  // in m_payloads
    quint32 payloadBytes;   // OutOfLine: in m_extras
    quint32 size;           // on the wire; OutOfLine: in m_extras
    quint16 closeCode;
    quint16 httpStatus;
    EventKind kind;
    Direction direction;
    quint8 flags;           // RecordFlag
    quint8 errorAndInitiator;  // ErrorKind in the low nibble, CloseInitiator in the high one

    static constexpr std::size_t Promised = 40;  // bytes per event besides its payload
};

// ChunkSize records, written one by one as they are appended: a new chunk costs one allocation
// and touches its pages only as they fill. A log's first chunk starts with FirstChunkRecords and
// doubles as it fills: an idle session's few events cost a heap block, not a 160 KiB mapping.
struct FrameLog::Chunk
{
    static_assert(sizeof(Record) <= Record::Promised);
    static_assert(std::is_trivially_copyable_v<Record>);  // moved by realloc as the chunk grows
    static constexpr qsizetype FirstChunkRecords = 32;

    struct FreeRecords
    {
        void operator()(Record *records) const { std::free(records); }
    };

    explicit Chunk(qsizetype capacity) { grow(capacity); }
    void grow(qsizetype newCapacity)
    {
        // Not value-initialised: a page is touched when a record is written to it.
        void *grown = std::realloc(records.get(), std::size_t(newCapacity) * sizeof(Record));
        if (!grown)
            throw std::bad_alloc();
        (void)records.release();
        records.reset(static_cast<Record *>(grown));
        capacity = newCapacity;
    }

    // For message numbers: messages appended before this chunk's first event, and those among
    // its first `released` events, which the capacity released.
    qint64 messagesBefore = 0;
    qsizetype released = 0;
    qint64 messagesReleased = 0;
    qsizetype capacity = 0;
    std::unique_ptr<Record[], FreeRecords> records;
};

FrameLog::FrameLog(QObject *parent)
    : QObject(parent)
{
}

FrameLog::~FrameLog() = default;

void FrameLog::setCapacity(qsizetype maxEvents)
{
    m_capacity = qMax<qsizetype>(0, maxEvents);
    if (m_batchDepth == 0)
        trimToCapacity();
}

void FrameLog::setMemoryBudget(std::shared_ptr<LogMemoryBudget> budget)
{
    m_payloads.setBudget(std::move(budget));
}

qint64 FrameLog::recordBytes() const
{
    qint64 bytes = 0;
    for (const auto &chunk : m_chunks)
        bytes += qint64(sizeof(Chunk)) + chunk->capacity * qint64(sizeof(Record));
    return bytes
        + qint64(m_extras.size()) * qint64(sizeof(Extra) + 48);  // a map node's own overhead, roughly
}

const FrameLog::Record &FrameLog::record(qint64 sequence) const
{
    Q_ASSERT(contains(sequence));
    const qint64 offset = sequence - m_chunkBase;
    return m_chunks[std::size_t(offset / ChunkSize)]->records[offset % ChunkSize];
}

EventKind FrameLog::kindAt(qint64 sequence) const
{
    return record(sequence).kind;
}

Direction FrameLog::directionAt(qint64 sequence) const
{
    return record(sequence).direction;
}

qint64 FrameLog::payloadLength(qint64 sequence, const Record &r) const
{
    return r.payloadBytes != OutOfLine ? qint64(r.payloadBytes) : m_extras.at(sequence).payloadBytes;
}

QByteArray FrameLog::payloadAt(qint64 sequence) const
{
    const Record &r = record(sequence);
    return m_payloads.read(r.payloadOffset, payloadLength(sequence, r));
}

FrameEvent FrameLog::at(qint64 sequence) const
{
    return materialize(sequence, -1);
}

FrameEvent FrameLog::at(qint64 sequence, qint64 maxPayloadBytes) const
{
    return materialize(sequence, qMax<qint64>(0, maxPayloadBytes));
}

FrameEvent FrameLog::materialize(qint64 sequence, qint64 maxPayloadBytes) const
{
    const Record &r = record(sequence);
    FrameEvent event;
    event.monotonicNs = r.monotonicNs;
    event.wallMs = r.wallMs;
    event.kind = r.kind;
    event.direction = r.direction;
    event.closeCode = r.closeCode;
    event.httpStatus = r.httpStatus;
    event.finalFrame = r.flags & FinalFrame;
    event.cleanClose = r.flags & CleanClose;
    event.error = ErrorKind(r.errorAndInitiator & 0x0F);
    event.closeInitiator = CloseInitiator(r.errorAndInitiator >> 4);
    const Extra *extra = (r.flags & HasExtra) ? &m_extras.at(sequence) : nullptr;
    event.size = r.size != OutOfLine ? qint64(r.size) : extra->size;
    if (extra)
        event.rttNs = extra->rttNs;

    qint64 length = payloadLength(sequence, r);
    const bool text = r.flags & PayloadIsText;
    if (maxPayloadBytes == 0)
        return event;
    if (maxPayloadBytes > 0 && length > maxPayloadBytes) {
        length = maxPayloadBytes;
        if (text) {
            // Cut before a character, not in one: step back over UTF-8 continuation bytes.
            const QByteArray tail = m_payloads.read(r.payloadOffset + quint64(length), 1);
            qint64 back = 0;
            while (length - back > 0 && back < 4) {
                const QByteArray byte = back == 0 ? tail : m_payloads.read(r.payloadOffset + quint64(length - back), 1);
                if ((byte.at(0) & 0xC0) != 0x80)
                    break;
                ++back;
            }
            length -= back;
        }
    }
    QByteArray payload = m_payloads.read(r.payloadOffset, length);
    if (text)
        event.text = QString::fromUtf8(payload);
    else
        event.data = std::move(payload);
    return event;
}

qint64 FrameLog::append(FrameEvent &&event)
{
    // Whichever of the two the event fills; by its kind when it fills both or neither.
    const bool text = event.text.isEmpty() == event.data.isEmpty() ? holdsText(event.kind)
                                                                   : !event.text.isEmpty();
    if (text) {
        const QByteArray utf8 = event.text.toUtf8();
        return append(event, utf8, true);
    }
    return append(event, event.data, false);
}

qint64 FrameLog::append(const FrameEvent &event, QByteArrayView payload, bool payloadIsText)
{
    const qint64 offset = m_end - m_chunkBase;
    const auto chunkIndex = std::size_t(offset / ChunkSize);
    if (chunkIndex == m_chunks.size()) {
        m_chunks.push_back(std::make_unique<Chunk>(m_chunks.empty() && m_chunkBase == m_end
                                                           ? Chunk::FirstChunkRecords
                                                           : ChunkSize));
        m_chunks.back()->messagesBefore = m_messages;
    }
    Chunk &chunk = *m_chunks[chunkIndex];
    const qsizetype within = offset % ChunkSize;
    if (within == chunk.capacity)
        chunk.grow(std::min(chunk.capacity * 2, ChunkSize));
    const qint64 sequence = m_end;
    Record &r = chunk.records[within];
    r.monotonicNs = event.monotonicNs;
    r.wallMs = event.wallMs;
    r.payloadOffset = m_payloads.append(payload.data(), payload.size());
    r.closeCode = event.closeCode;
    r.httpStatus = event.httpStatus;
    r.kind = event.kind;
    r.direction = event.direction;
    r.errorAndInitiator = quint8(quint8(event.error) | (quint8(event.closeInitiator) << 4));
    r.flags = (event.finalFrame ? FinalFrame : 0) | (event.cleanClose ? CleanClose : 0)
        | (payloadIsText ? PayloadIsText : 0);

    Extra extra;
    bool needsExtra = event.rttNs >= 0;
    extra.rttNs = event.rttNs;
    if (payload.size() < qsizetype(OutOfLine)) {
        r.payloadBytes = quint32(payload.size());
    } else {
        r.payloadBytes = OutOfLine;
        extra.payloadBytes = payload.size();
        needsExtra = true;
    }
    if (event.size >= 0 && event.size < qint64(OutOfLine)) {
        r.size = quint32(event.size);
    } else {
        r.size = OutOfLine;
        extra.size = event.size;
        needsExtra = true;
    }
    if (needsExtra) {
        r.flags |= HasExtra;
        m_extras[sequence] = extra;
    }

    m_messages += isMessageKind(event.kind);
    ++m_end;
    if (m_batchDepth == 0)
        announce();
    return sequence;
}

void FrameLog::announce()
{
    if (m_announcedEnd < m_first)
        m_announcedEnd = m_first;
    if (m_end > m_announcedEnd) {
        const qint64 first = m_announcedEnd;
        m_announcedEnd = m_end;
        Q_EMIT eventsAppended(first, m_end);
    }
    trimToCapacity();
}

qint64 FrameLog::messageNumber(qint64 sequence) const
{
    if (!contains(sequence) || !isMessageKind(record(sequence).kind))
        return 0;
    const qint64 offset = sequence - m_chunkBase;
    const Chunk &chunk = *m_chunks[std::size_t(offset / ChunkSize)];
    qint64 number = chunk.messagesBefore + chunk.messagesReleased;
    // At most one chunk's events: this is asked when a message is named, not per event.
    for (qsizetype i = chunk.released; i <= offset % ChunkSize; ++i)
        number += isMessageKind(chunk.records[i].kind);
    return number;
}

void FrameLog::clear()
{
    m_messages = 0;
    m_chunks.clear();
    m_extras.clear();
    m_payloads.clear();
    m_chunkBase = m_end;
    m_first = m_end;
    m_announcedEnd = m_end;
    Q_EMIT cleared();
}

void FrameLog::trimToCapacity()
{
    if (m_capacity == 0 || size() <= m_capacity)
        return;
    const qint64 newFirst = m_end - m_capacity;
    for (qint64 seq = m_first; seq < newFirst; ++seq) {
        const qint64 offset = seq - m_chunkBase;
        Chunk &chunk = *m_chunks[std::size_t(offset / ChunkSize)];
        chunk.messagesReleased += isMessageKind(chunk.records[offset % ChunkSize].kind);
        chunk.released = offset % ChunkSize + 1;
    }
    m_first = newFirst;
    m_extras.erase(m_extras.begin(), m_extras.lower_bound(m_first));
    m_payloads.releaseBefore(record(m_first).payloadOffset);
    while (!m_chunks.empty() && m_first - m_chunkBase >= ChunkSize) {
        m_chunks.pop_front();
        m_chunkBase += ChunkSize;
    }
    Q_EMIT discarded(m_first);
}

} // namespace wsprobe
