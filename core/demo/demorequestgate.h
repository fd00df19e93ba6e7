#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace wsprobe::demo {

// An HTTP front door for a QWebSocketServer: holds a fresh TCP connection until its request
// header has arrived, without consuming a byte of it, asks decide() what to do, then either
// refuses it with a plain HTTP response or hands it on untouched. QWebSocketServer can only
// accept or fail an upgrade; this is how a server gets to answer with a real status line. A
// header over 16 KiB is refused with 431, one not complete within 5 s is dropped. Lives as a
// child of its socket. The demo server's routing is demoRoute(); the mock server has its own.
class RequestGate : public QObject
{
public:
    // What to do with a request: status 0 hands the socket over, any other refuses it with
    // that status and body.
    struct Verdict
    {
        int status = 0;
        QByteArray body;
    };
    // head: the request line and the header fields, without the blank line that ends them.
    using Decide = std::function<Verdict(const QByteArray &head)>;
    using HandOver = std::function<void(QTcpSocket *)>;

    // serverName: the Server header of a refusal ("wsprobe-demo").
    RequestGate(QTcpSocket *socket, QByteArray serverName, Decide decide, HandOver handOver);

private:
    void inspect();
    void refuse(int status, const QByteArray &body);

    QTcpSocket *m_socket;  // Not owned: our parent.
    QByteArray m_serverName;
    Decide m_decide;
    HandOver m_handOver;
    QTimer m_deadline;
    bool m_refused = false;
};

// "Not Found" for 404: the reason phrase of an HTTP status (RFC 9110), or a generic one.
QByteArray httpReasonPhrase(int status);

// The demo server's routing: its endpoints, /reject, and a page for plain HTTP requests.
RequestGate::Verdict demoRoute(const QByteArray &head);

// What the demo server offers, for a plain HTTP request and for a WebSocket on /.
QString infoText();

} // namespace wsprobe::demo
