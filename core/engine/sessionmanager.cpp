#include "sessionmanager.h"

namespace wsprobe {

SessionManager::SessionManager(QObject *parent)
    : QObject(parent)
{
}

SessionManager::~SessionManager() = default;

Session *SessionManager::createSession(const SessionSettings &settings)
{
    auto *session = new Session(settings, this);
    session->log()->setMemoryBudget(m_budget);
    session->setIoThreads(m_ioThreads);
    m_sessions.append(session);
    Q_EMIT sessionAdded(session);
    return session;
}

void SessionManager::removeSession(Session *session)
{
    if (!m_sessions.removeOne(session))
        return;
    Q_EMIT sessionRemoved(session);
    session->abort();
    session->deleteLater();
}

qint64 SessionManager::logBytesOnDisk() const
{
    qint64 bytes = 0;
    for (const Session *session : m_sessions)
        bytes += session->log()->payloadBytesOnDisk();
    return bytes;
}

void SessionManager::closeAll()
{
    for (Session *session : std::as_const(m_sessions)) {
        if (session->state() == SessionState::Open)
            session->close(1001, QStringLiteral("wsprobe is closing"));
        else
            session->abort();
    }
}

} // namespace wsprobe
