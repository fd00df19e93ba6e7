#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace wsprobe {

// The mock server's HTTP front door: holds a fresh TCP connection until its request header has
// arrived (without consuming it), asks decide() what to do, and either refuses it with that HTTP
// status or hands it on untouched to QWebSocketServer, which can only accept or fail an
// upgrade. Lives as a child of its socket.
class MockGate : public QObject
{
public:
    struct Request
    {
        QString path;
        QList<QPair<QByteArray, QByteArray>> headers;  // names in lower case
        bool asksForWebSocket = false;
    };
    // An HTTP status to refuse with, or 0 to hand the socket over.
    using Decide = std::function<int(const Request &)>;
    using HandOver = std::function<void(QTcpSocket *, const Request &)>;

    MockGate(QTcpSocket *socket, Decide decide, HandOver handOver);

    static QByteArray refusal(int status);

private:
    void inspect();
    void refuse(int status);

    QTcpSocket *m_socket;  // Not owned: our parent.
    Decide m_decide;
    HandOver m_handOver;
    QTimer m_deadline;
    bool m_refused = false;
};

} // namespace wsprobe
