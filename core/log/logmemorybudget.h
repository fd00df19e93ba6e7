#pragma once

#include <QString>

namespace wsprobe {

// How much payload memory the frame logs that share it may keep in RAM before they move their
// oldest payloads to disk (see PayloadArena). Shared by the logs of one thread (the window's
// sessions), passed to each; not thread-safe, and needs not be: the logs live in one thread.
class LogMemoryBudget
{
public:
    static constexpr qint64 DefaultLimitBytes = qint64(1) << 30;  // 1 GiB

    explicit LogMemoryBudget(qint64 limitBytes = DefaultLimitBytes) : m_limit(limitBytes) {}

    // 0: no limit, everything stays in RAM.
    void setLimit(qint64 bytes) { m_limit = qMax<qint64>(0, bytes); }
    qint64 limit() const { return m_limit; }

    // Where payloads past the limit go (an unnamed file in it); empty: the system's temporary
    // folder.
    void setSpillDirectory(const QString &path) { m_spillDirectory = path; }
    QString spillDirectory() const { return m_spillDirectory; }

    // Payload bytes the logs hold in RAM now.
    qint64 used() const { return m_used; }
    bool exceeded() const { return m_limit > 0 && m_used > m_limit; }

    void take(qint64 bytes) { m_used += bytes; }
    void give(qint64 bytes) { m_used -= bytes; }

private:
    qint64 m_limit;
    qint64 m_used = 0;
    QString m_spillDirectory;
};

} // namespace wsprobe
