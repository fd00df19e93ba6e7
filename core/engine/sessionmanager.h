#pragma once

#include "logmemorybudget.h"
#include "session.h"

#include <QList>
#include <QObject>

namespace wsprobe {

// Owns the sessions open at once. Every session runs on its own socket and timers in the
// event loop; none waits on another, so a slow, flooding or dead server delays only its own.
// Their logs share one LogMemoryBudget: past it, the oldest payloads move to disk. Their
// sockets share one IoThreadPool (a thread per core).
class SessionManager : public QObject
{
    Q_OBJECT

public:
    explicit SessionManager(QObject *parent = nullptr);
    ~SessionManager() override;

    Session *createSession(const SessionSettings &settings);
    // Aborts the session's connection and deletes it later.
    void removeSession(Session *session);
    const QList<Session *> &sessions() const { return m_sessions; }
    qsizetype count() const { return m_sessions.size(); }

    // The budget every session's log shares (1 GiB unless set; 0 bytes: no limit).
    LogMemoryBudget &logMemoryBudget() { return *m_budget; }
    const LogMemoryBudget &logMemoryBudget() const { return *m_budget; }
    // The same, for other logs of the window to share (a Server tab's client logs).
    std::shared_ptr<LogMemoryBudget> sharedLogMemoryBudget() const { return m_budget; }
    // Payload bytes the sessions' logs keep on disk.
    qint64 logBytesOnDisk() const;

    // Closes every open session with 1001 Going Away.
    void closeAll();

Q_SIGNALS:
    void sessionAdded(wsprobe::Session *session);
    void sessionRemoved(wsprobe::Session *session);

private:
    QList<Session *> m_sessions;  // Owned (children).
    std::shared_ptr<LogMemoryBudget> m_budget = std::make_shared<LogMemoryBudget>();
    std::shared_ptr<IoThreadPool> m_ioThreads = std::make_shared<IoThreadPool>();
};

} // namespace wsprobe
