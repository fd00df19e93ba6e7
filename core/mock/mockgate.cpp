#include "mockgate.h"

#include "demosocket.h"

#include <QTcpSocket>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// A client that never finishes its request header must not hold a socket forever.
constexpr qsizetype MaxRequestHeaderBytes = 16 * 1024;
constexpr int RequestHeaderTimeoutMs = 5000;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request"_ba;
    case 401: return "Unauthorized"_ba;
    case 403: return "Forbidden"_ba;
    case 404: return "Not Found"_ba;
    case 426: return "Upgrade Required"_ba;
    case 429: return "Too Many Requests"_ba;
    case 431: return "Request Header Fields Too Large"_ba;
    case 500: return "Internal Server Error"_ba;
    case 503: return "Service Unavailable"_ba;
    }
    return status < 500 ? "Client Error"_ba : "Server Error"_ba;
}

} // namespace

QByteArray MockGate::refusal(int status)
{
    const QByteArray body = "Refused by the wsprobe mock server: "_ba + QByteArray::number(status)
            + ' ' + reasonPhrase(status) + ".\n";
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
            + "\r\nServer: wsprobe-mock\r\nContent-Type: text/plain; charset=utf-8\r\n";
    if (status == 401)
        response += "WWW-Authenticate: Bearer realm=\"wsprobe-mock\"\r\n";
    response += "Content-Length: " + QByteArray::number(body.size())
            + "\r\nConnection: close\r\n\r\n" + body;
    return response;
}

MockGate::MockGate(QTcpSocket *socket, Decide decide, HandOver handOver)
    : QObject(socket), m_socket(socket), m_decide(std::move(decide)),
      m_handOver(std::move(handOver))
{
    connect(socket, &QTcpSocket::readyRead, this, &MockGate::inspect);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    // Bounds both the wait for the header and, after a refusal, the peer's taking the answer.
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, socket, &QTcpSocket::abort);
    m_deadline.start(RequestHeaderTimeoutMs);
    inspect();
}

void MockGate::inspect()
{
    if (m_refused) {
        m_socket->readAll();  // unread input would turn our close into a reset
        return;
    }
    const QByteArray peeked = m_socket->peek(MaxRequestHeaderBytes);
    const qsizetype end = peeked.indexOf("\r\n\r\n");
    if (end < 0) {
        if (peeked.size() >= MaxRequestHeaderBytes)
            refuse(431);
        return;
    }
    QList<QByteArray> lines = peeked.left(end).split('\n');
    const QList<QByteArray> requestLine = lines.takeFirst().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(1).startsWith('/')) {
        refuse(400);
        return;
    }
    Request request;
    request.path = QUrl::fromEncoded(requestLine.at(1)).path();
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        request.headers.append({name, value});
        if (name == "upgrade" && value.toLower().contains("websocket"))
            request.asksForWebSocket = true;
    }
    if (const int status = m_decide(request)) {
        refuse(status);
        return;
    }
    // From here on the socket belongs to QWebSocketServer, which re-emits readyRead for the
    // bytes already buffered (Qt 6.4), so the header we peeked at is read again there.
    disconnect(m_socket, nullptr, this, nullptr);
    disconnect(m_socket, &QTcpSocket::disconnected, m_socket, &QObject::deleteLater);
    m_deadline.stop();
    QTcpSocket *socket = m_socket;
    HandOver handOver = std::move(m_handOver);
    deleteLater();
    handOver(socket, request);
}

void MockGate::refuse(int status)
{
    m_refused = true;
    m_socket->readAll();
    m_socket->write(refusal(status));
    m_socket->disconnectFromHost();
    m_deadline.start(demo::CloseTimeoutMs);
}

} // namespace wsprobe
