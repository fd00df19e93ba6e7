#include "framelog.h"

#include <cstddef>
#include <new>

namespace wsprobe {

// Raw storage for ChunkSize events, constructed one by one as they are appended: a new chunk
// costs one allocation and no pass over its memory.
struct FrameLog::Chunk
{
    alignas(FrameEvent) std::byte storage[ChunkSize * sizeof(FrameEvent)];
    qsizetype constructed = 0;
    // For message numbers: messages appended before this chunk's first event, and those among
    // its first `released` events, whose kind was lost when the capacity released them.
    qint64 messagesBefore = 0;
    qsizetype released = 0;
    qint64 messagesReleased = 0;

    FrameEvent &operator[](qsizetype i) { return reinterpret_cast<FrameEvent *>(storage)[i]; }
    const FrameEvent &operator[](qsizetype i) const { return reinterpret_cast<const FrameEvent *>(storage)[i]; }

    Chunk() {}  // user-provided: make_unique must not zero the storage
    Chunk(const Chunk &) = delete;
    Chunk &operator=(const Chunk &) = delete;
    ~Chunk()
    {
        for (qsizetype i = 0; i < constructed; ++i)
            (*this)[i].~FrameEvent();
    }
};

FrameLog::FrameLog(QObject *parent)
    : QObject(parent)
{
}

FrameLog::~FrameLog() = default;

void FrameLog::setCapacity(qsizetype maxEvents)
{
    m_capacity = qMax<qsizetype>(0, maxEvents);
    trimToCapacity();
}

const FrameEvent &FrameLog::at(qint64 sequence) const
{
    Q_ASSERT(contains(sequence));
    const qint64 offset = sequence - m_chunkBase;
    return (*m_chunks[std::size_t(offset / ChunkSize)])[offset % ChunkSize];
}

qint64 FrameLog::append(FrameEvent &&event)
{
    const qint64 offset = m_end - m_chunkBase;
    const auto chunkIndex = std::size_t(offset / ChunkSize);
    if (chunkIndex == m_chunks.size()) {
        m_chunks.push_back(std::make_unique<Chunk>());
        m_chunks.back()->messagesBefore = m_messages;
    }
    Chunk &chunk = *m_chunks[chunkIndex];
    m_messages += event.isMessage();
    new (&chunk[offset % ChunkSize]) FrameEvent(std::move(event));
    ++chunk.constructed;
    const qint64 sequence = m_end++;
    Q_EMIT appended(sequence);
    trimToCapacity();
    return sequence;
}

qint64 FrameLog::messageNumber(qint64 sequence) const
{
    if (!contains(sequence) || !at(sequence).isMessage())
        return 0;
    const qint64 offset = sequence - m_chunkBase;
    const Chunk &chunk = *m_chunks[std::size_t(offset / ChunkSize)];
    qint64 number = chunk.messagesBefore + chunk.messagesReleased;
    // At most one chunk's events: this is asked when a message is named, not per event.
    for (qsizetype i = chunk.released; i <= offset % ChunkSize; ++i)
        number += chunk[i].isMessage();
    return number;
}

void FrameLog::clear()
{
    m_messages = 0;
    m_chunks.clear();
    m_chunkBase = m_end;
    m_first = m_end;
    Q_EMIT cleared();
}

void FrameLog::trimToCapacity()
{
    if (m_capacity == 0 || size() <= m_capacity)
        return;
    const qint64 newFirst = m_end - m_capacity;
    // Release payloads now; the chunk itself goes once all of its events are gone.
    for (qint64 seq = m_first; seq < newFirst; ++seq) {
        const qint64 offset = seq - m_chunkBase;
        Chunk &chunk = *m_chunks[std::size_t(offset / ChunkSize)];
        chunk.messagesReleased += chunk[offset % ChunkSize].isMessage();
        chunk.released = offset % ChunkSize + 1;
        chunk[offset % ChunkSize] = {};
    }
    m_first = newFirst;
    while (!m_chunks.empty() && m_first - m_chunkBase >= ChunkSize) {
        m_chunks.pop_front();
        m_chunkBase += ChunkSize;
    }
    Q_EMIT discarded(m_first);
}

} // namespace wsprobe
