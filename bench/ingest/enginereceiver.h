#pragma once

#include "receiverresult.h"

#include <session.h>

#include <QObject>
#include <QUrl>

namespace wsprobe::bench {

// Receiver (a): wsprobe's engine, a Session with its FrameLog on and default settings. Counts
// the incoming messages as the log announces them, the way a view of the log would, and
// reports what the log keeps. With a budget, the log spills old payloads to disk beyond it.
class EngineReceiver : public QObject
{
    Q_OBJECT

public:
    // logBudgetBytes 0: no LogMemoryBudget, every payload stays in RAM.
    EngineReceiver(qint64 expectedMessages, qint64 logBudgetBytes, QObject *parent = nullptr);

    void start(const QUrl &url);
    // Call after done().
    ReceiverResult result() const;

Q_SIGNALS:
    // The session finished: the server closed, or the connection failed.
    void done();

private:
    void onAppended(qint64 first, qint64 end);
    void onFinished();

    Session m_session;
    qint64 m_expected = 0;
    qint64 m_count = 0;
    qint64 m_bytes = 0;
    qint64 m_firstNs = 0;
    qint64 m_lastNs = 0;
    QString m_error;
};

} // namespace wsprobe::bench
