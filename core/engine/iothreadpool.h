#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QThread>

#include <atomic>

namespace wsprobe {

// One of the pool's threads. Its sockets read into one scratch buffer: a read is parsed (what
// is kept, copied out) before the thread reads for another socket, so a buffer per thread
// serves them all and an idle connection holds none.
class IoThread : public QThread
{
    Q_OBJECT

public:
    using QThread::QThread;
    // For code running in this thread only.
    QByteArray &readScratch() { return m_readScratch; }

private:
    QByteArray m_readScratch;
};

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
