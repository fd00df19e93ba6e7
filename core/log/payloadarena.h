#pragma once

#include <QByteArray>
#include <QString>

#include <deque>
#include <memory>
#include <vector>

class QTemporaryFile;

namespace wsprobe {

class LogMemoryBudget;

// The payloads of one frame log, back to back in fixed-size segments: a payload costs its own
// bytes and nothing else, wherever it lands (it may span segments). Appending touches only the
// bytes written, so the log pays for fresh memory in proportion to what it keeps.
//
// Under a LogMemoryBudget, once the logs sharing it hold more than its limit, the oldest full
// segments move to an unnamed temporary file (gone with the process, even after a crash) and are
// read back through memory maps, a few kept open at a time. Offsets never change, so whoever
// holds one reads the same bytes wherever the segment lives.
class PayloadArena
{
public:
    static constexpr qint64 SegmentBytes = qint64(4) << 20;
    // A log's first segment starts this small and doubles as it fills, up to SegmentBytes: an
    // idle session's few hundred bytes of handshake cost a heap block, not a 4 MiB mapping.
    // Later segments are whole from the start (a log that filled one is likely to fill more).
    static constexpr qint64 FirstSegmentBytes = 2048;
    static constexpr int MappedSegments = 16;  // spilled segments kept mapped for reading

    PayloadArena();
    ~PayloadArena();
    PayloadArena(const PayloadArena &) = delete;
    PayloadArena &operator=(const PayloadArena &) = delete;

    void setBudget(std::shared_ptr<LogMemoryBudget> budget);

    // Returns the offset the bytes start at.
    quint64 append(const char *bytes, qint64 length);
    // length bytes from offset, which must not have been released.
    QByteArray read(quint64 offset, qint64 length) const;
    // Segments wholly before offset are freed (RAM or disk).
    void releaseBefore(quint64 offset);
    void clear();

    qint64 bytesInMemory() const;   // segments in RAM, as allocated
    qint64 bytesOnDisk() const;     // segments spilled
    // Why the last spill failed (the disk full, say); the payloads then stay in RAM.
    QString spillError() const { return m_spillError; }

private:
    struct FreeSegment
    {
        void operator()(char *memory) const;
    };
    struct Segment
    {
        std::unique_ptr<char[], FreeSegment> memory;  // null once spilled
        qint64 fileOffset = -1;          // where it went
    };
    struct Mapping
    {
        quint64 segment = 0;
        uchar *data = nullptr;
        quint64 lastUse = 0;
    };

    Segment &segmentAt(quint64 index) { return m_segments[std::size_t(index - m_firstSegment)]; }
    const Segment &segmentAt(quint64 index) const { return m_segments[std::size_t(index - m_firstSegment)]; }
    void startSegment();
    void growLastSegment(qint64 needed);
    void spillWhileOverBudget();
    bool spill(Segment &segment);
    const char *spilledBytes(quint64 index) const;
    void unmapAll() const;
    void unmap(const Mapping &mapping) const;

    std::shared_ptr<LogMemoryBudget> m_budget;
    std::deque<Segment> m_segments;
    quint64 m_firstSegment = 0;      // index of m_segments.front()
    quint64 m_firstInMemory = 0;     // segments before it are on disk (spilled oldest first)
    quint64 m_end = 0;               // offset the next byte goes to
    qint64 m_lastCapacity = 0;       // bytes allocated for m_segments.back(); the others are whole
    std::unique_ptr<QTemporaryFile> m_file;
    qint64 m_fileEnd = 0;
    std::vector<qint64> m_freeFileSlots;   // offsets of released segments, reused
    mutable std::vector<Mapping> m_mappings;
    mutable quint64 m_useClock = 0;
    QString m_spillError;
};

} // namespace wsprobe
