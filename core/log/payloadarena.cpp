#include "payloadarena.h"

#include "logmemorybudget.h"

#include <QDir>
#include <QTemporaryFile>

#include <algorithm>
#include <cstdlib>
#include <cstring>


namespace wsprobe {

namespace {

// A segment's memory, allocated without touching it: a page costs when a payload is first
// written to it. Not advised for transparent huge pages: measured on a 2-vCPU VM, a binary
// flood ran twice as slow with them (1M x 1 KiB: 3.0-3.8 s against 1.7-1.8 s), the 2 MiB
// faults costing more than the 512 small ones they replace.
char *allocateSegment(std::size_t bytes)
{
    void *memory = std::malloc(bytes);
    if (!memory)
        throw std::bad_alloc();
    return static_cast<char *>(memory);
}

} // namespace

void PayloadArena::FreeSegment::operator()(char *memory) const
{
    std::free(memory);
}

PayloadArena::PayloadArena() = default;

PayloadArena::~PayloadArena()
{
    clear();
}

void PayloadArena::setBudget(std::shared_ptr<LogMemoryBudget> budget)
{
    const qint64 held = bytesInMemory();
    if (m_budget)
        m_budget->give(held);
    m_budget = std::move(budget);
    if (m_budget) {
        m_budget->take(held);
        spillWhileOverBudget();
    }
}

void PayloadArena::startSegment()
{
    Segment segment;
    // Not value-initialised: a page is touched when a payload is written to it, not before.
    const qint64 capacity = m_segments.empty() ? FirstSegmentBytes : SegmentBytes;
    segment.memory.reset(allocateSegment(std::size_t(capacity)));
    m_segments.push_back(std::move(segment));
    m_lastCapacity = capacity;
    if (m_budget) {
        m_budget->take(capacity);
        spillWhileOverBudget();
    }
}

// Only the first segment of a log is ever short: it doubles (at least to `needed` bytes) until
// it is whole. realloc moves what it holds, a few KiB, or remaps it once it is large.
void PayloadArena::growLastSegment(qint64 needed)
{
    qint64 capacity = m_lastCapacity;
    while (capacity < needed)
        capacity *= 2;
    capacity = std::min(capacity, SegmentBytes);
    Segment &last = m_segments.back();
    void *grown = std::realloc(last.memory.get(), std::size_t(capacity));
    if (!grown)
        throw std::bad_alloc();
    (void)last.memory.release();
    last.memory.reset(static_cast<char *>(grown));
    if (m_budget)
        m_budget->take(capacity - m_lastCapacity);
    m_lastCapacity = capacity;
}

quint64 PayloadArena::append(const char *bytes, qint64 length)
{
    const quint64 start = m_end;
    while (length > 0) {
        const qint64 within = qint64(m_end % quint64(SegmentBytes));
        if (within == 0 && m_end / quint64(SegmentBytes) == m_firstSegment + m_segments.size())
            startSegment();
        const qint64 n = std::min(length, SegmentBytes - within);
        if (within + n > m_lastCapacity)
            growLastSegment(within + n);
        std::memcpy(segmentAt(m_end / quint64(SegmentBytes)).memory.get() + within, bytes, std::size_t(n));
        bytes += n;
        length -= n;
        m_end += quint64(n);
    }
    return start;
}

QByteArray PayloadArena::read(quint64 offset, qint64 length) const
{
    Q_ASSERT(offset / quint64(SegmentBytes) >= m_firstSegment && offset + quint64(length) <= m_end);
    QByteArray out(length, Qt::Uninitialized);
    char *to = out.data();
    while (length > 0) {
        const quint64 index = offset / quint64(SegmentBytes);
        const qint64 within = qint64(offset % quint64(SegmentBytes));
        const qint64 n = std::min(length, SegmentBytes - within);
        const Segment &segment = segmentAt(index);
        const char *from = segment.memory ? segment.memory.get() : spilledBytes(index);
        if (from)
            std::memcpy(to, from + within, std::size_t(n));
        else
            std::memset(to, 0, std::size_t(n));  // the file could not be mapped: unreachable bytes read as zeros
        to += n;
        offset += quint64(n);
        length -= n;
    }
    return out;
}

void PayloadArena::releaseBefore(quint64 offset)
{
    const quint64 keepFrom = offset / quint64(SegmentBytes);
    while (m_firstSegment < keepFrom && !m_segments.empty()) {
        Segment &segment = m_segments.front();
        if (segment.memory) {
            if (m_budget)
                m_budget->give(SegmentBytes);
        } else {
            const auto mapped = std::find_if(m_mappings.begin(), m_mappings.end(),
                                             [this](const Mapping &m) { return m.segment == m_firstSegment; });
            if (mapped != m_mappings.end()) {
                unmap(*mapped);
                m_mappings.erase(mapped);
            }
            m_freeFileSlots.push_back(segment.fileOffset);
        }
        m_segments.pop_front();
        ++m_firstSegment;
    }
    m_firstInMemory = std::max(m_firstInMemory, m_firstSegment);
}

void PayloadArena::clear()
{
    unmapAll();
    if (m_budget)
        m_budget->give(bytesInMemory());
    m_segments.clear();
    m_lastCapacity = 0;
    m_file.reset();
    m_fileEnd = 0;
    m_freeFileSlots.clear();
    // Offsets go on from where they were: an offset once given is never given again.
    m_end = (m_end + quint64(SegmentBytes) - 1) / quint64(SegmentBytes) * quint64(SegmentBytes);
    m_firstSegment = m_firstInMemory = m_end / quint64(SegmentBytes);
    m_spillError.clear();
}

qint64 PayloadArena::bytesInMemory() const
{
    // The last segment is never spilled: when there is one, it is in memory.
    const auto inMemory = qint64(m_firstSegment + m_segments.size() - m_firstInMemory);
    return inMemory == 0 ? 0 : (inMemory - 1) * SegmentBytes + m_lastCapacity;
}

qint64 PayloadArena::bytesOnDisk() const
{
    return qint64(m_firstInMemory - m_firstSegment) * SegmentBytes;
}

void PayloadArena::spillWhileOverBudget()
{
    if (m_segments.empty())
        return;
    // The segment being written stays: only full ones move.
    const quint64 last = m_firstSegment + m_segments.size() - 1;
    while (m_budget->exceeded() && m_firstInMemory < last && m_spillError.isEmpty()) {
        if (!spill(segmentAt(m_firstInMemory)))
            return;
        m_budget->give(SegmentBytes);
        ++m_firstInMemory;
    }
}

bool PayloadArena::spill(Segment &segment)
{
    if (!m_file) {
        const QString folder = m_budget->spillDirectory().isEmpty() ? QDir::tempPath() : m_budget->spillDirectory();
        auto file = std::make_unique<QTemporaryFile>(folder + QStringLiteral("/wsprobe-log-XXXXXX"));
        if (!file->open()) {
            m_spillError = file->errorString();
            return false;
        }
        m_file = std::move(file);
    }
    qint64 at = m_fileEnd;
    if (!m_freeFileSlots.empty()) {
        at = m_freeFileSlots.back();
        m_freeFileSlots.pop_back();
    }
    if (!m_file->seek(at) || m_file->write(segment.memory.get(), SegmentBytes) != SegmentBytes
        || !m_file->flush()) {
        // Disk full or gone: keep the payloads in RAM rather than lose them.
        m_spillError = m_file->errorString();
        if (at != m_fileEnd)
            m_freeFileSlots.push_back(at);
        return false;
    }
    m_fileEnd = std::max(m_fileEnd, at + SegmentBytes);
    segment.fileOffset = at;
    segment.memory.reset();
    return true;
}

const char *PayloadArena::spilledBytes(quint64 index) const
{
    ++m_useClock;
    for (Mapping &mapping : m_mappings) {
        if (mapping.segment == index) {
            mapping.lastUse = m_useClock;
            return reinterpret_cast<const char *>(mapping.data);
        }
    }
    if (qsizetype(m_mappings.size()) >= MappedSegments) {
        const auto oldest = std::min_element(m_mappings.begin(), m_mappings.end(),
                                             [](const Mapping &a, const Mapping &b) { return a.lastUse < b.lastUse; });
        unmap(*oldest);
        m_mappings.erase(oldest);
    }
    uchar *data = m_file->map(segmentAt(index).fileOffset, SegmentBytes);
    if (!data)
        return nullptr;
    m_mappings.push_back({index, data, m_useClock});
    return reinterpret_cast<const char *>(data);
}

void PayloadArena::unmap(const Mapping &mapping) const
{
    if (m_file)
        m_file->unmap(mapping.data);
}

void PayloadArena::unmapAll() const
{
    for (const Mapping &mapping : m_mappings)
        unmap(mapping);
    m_mappings.clear();
}

} // namespace wsprobe
