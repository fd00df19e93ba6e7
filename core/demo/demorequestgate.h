#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace wsprobe::demo {

// The demo server's HTTP front door: holds a fresh TCP connection until its HTTP request header
// has arrived, without consuming a byte of it, then either refuses it with a plain HTTP response
// or hands it on untouched. QWebSocketServer can only accept or fail an upgrade; this is how
// /reject and unknown paths get a real status line. Lives as a child of its socket.
class RequestGate : public QObject
{
public:
    using HandOver = std::function<void(QTcpSocket *)>;

    RequestGate(QTcpSocket *socket, HandOver handOver);

private:
    void inspect();
    void refuse(int status, const QByteArray &body);

    QTcpSocket *m_socket;  // Not owned: our parent.
    HandOver m_handOver;
    QTimer m_deadline;
    bool m_refused = false;
};

// What the demo server offers, for a plain HTTP request and for a WebSocket on /.
QString infoText();

} // namespace wsprobe::demo
