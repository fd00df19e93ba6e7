#pragma once

#include "peerprocess.h"

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace wsprobe {

// A third-party WebSocket client (tests/app/mock_client.{js,py}: Node's ws or Python's
// websockets) run as a process against a mock server: each line of its stdout is one JSON event
// ("open", "message", "close", "rejected"); send() writes a line it sends as a text message
// ("CLOSE" closes with 1000). Killed, bounded, when destroyed.
class MockClientProcess
{
public:
    MockClientProcess();
    ~MockClientProcess();
    MockClientProcess(const MockClientProcess &) = delete;
    MockClientProcess &operator=(const MockClientProcess &) = delete;

    bool start(PeerProcess::Kind kind, const QUrl &url, const QStringList &options, QString *error);
    void send(const QString &line);

    // Waits (at most timeoutMs) for the first event of that kind from index `from` on; its
    // index, or -1.
    int waitFor(const QString &kind, int from = 0, int timeoutMs = 10000);
    // The data of the messages received so far, in order.
    QStringList messages() const;
    const QList<QJsonObject> &events() const { return m_events; }
    // Everything it said, stderr included, for a failure message.
    QString transcript();

private:
    QProcess m_process;
    QList<QJsonObject> m_events;
};

} // namespace wsprobe
