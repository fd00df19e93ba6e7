#pragma once

#include <QList>
#include <QString>

#include <atomic>

class QThread;

namespace wsprobe {

// The threads the sessions' sockets live in: a few, shared, instead of one per session, so one
// process holds thousands of connections. A connection stays in the thread it was given; the
// threads take connections in turn. Nothing in a worker blocks its thread (SocketInbox never
// waits), so a flooding connection slows only the ones that share its core.
//
// Shared by the sessions that use it (std::shared_ptr): the last one to go stops the threads.
class IoThreadPool
{
public:
    // 0: one per core.
    explicit IoThreadPool(int threads = 0);
    ~IoThreadPool();
    IoThreadPool(const IoThreadPool &) = delete;
    IoThreadPool &operator=(const IoThreadPool &) = delete;

    int size() const { return int(m_threads.size()); }
    // The thread the next connection goes to; started on first use.
    QThread *next();

private:
    QList<QThread *> m_threads;  // Owned.
    std::atomic<quint64> m_next{0};
};

} // namespace wsprobe
