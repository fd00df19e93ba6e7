#include "framelog.h"

#include <array>

namespace wsprobe {

struct FrameLog::Chunk
{
    std::array<FrameEvent, ChunkSize> events;
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
    return m_chunks[std::size_t(offset / ChunkSize)]->events[std::size_t(offset % ChunkSize)];
}

qint64 FrameLog::append(FrameEvent &&event)
{
    const qint64 offset = m_end - m_chunkBase;
    const auto chunkIndex = std::size_t(offset / ChunkSize);
    if (chunkIndex == m_chunks.size())
        m_chunks.push_back(std::make_unique<Chunk>());
    m_chunks[chunkIndex]->events[std::size_t(offset % ChunkSize)] = std::move(event);
    const qint64 sequence = m_end++;
    Q_EMIT appended(sequence);
    trimToCapacity();
    return sequence;
}

void FrameLog::clear()
{
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
        m_chunks[std::size_t(offset / ChunkSize)]->events[std::size_t(offset % ChunkSize)] = {};
    }
    m_first = newFirst;
    while (!m_chunks.empty() && m_first - m_chunkBase >= ChunkSize) {
        m_chunks.pop_front();
        m_chunkBase += ChunkSize;
    }
    Q_EMIT discarded(m_first);
}

} // namespace wsprobe
