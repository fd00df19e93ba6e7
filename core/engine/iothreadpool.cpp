#include "iothreadpool.h"

namespace wsprobe {

IoThreadPool::IoThreadPool(int threads)
{
    const int count = threads > 0 ? threads : qMax(1, QThread::idealThreadCount());
    for (int i = 0; i < count; ++i) {
        auto *thread = new IoThread;
        thread->setObjectName(QStringLiteral("wsprobe-io-%1").arg(i + 1));
        m_threads.append(thread);
    }
}

IoThreadPool::~IoThreadPool()
{
    // A thread that ends deletes the workers handed to deleteLater() before it goes.
    for (QThread *thread : std::as_const(m_threads)) {
        thread->quit();
        thread->wait();
        delete thread;
    }
}

QThread *IoThreadPool::next()
{
    QThread *thread = m_threads.at(qsizetype(m_next.fetch_add(1) % quint64(m_threads.size())));
    if (!thread->isRunning())
        thread->start();
    return thread;
}

} // namespace wsprobe
