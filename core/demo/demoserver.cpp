#include "demoserver.h"

#include "chatroom.h"
#include "closecodes.h"
#include "demorequestgate.h"
#include "demosocket.h"
#include "messagepump.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {

using namespace demo;

namespace {

constexpr qint64 MaxMessageCount = 10'000'000;
constexpr qint64 MaxFloodMessageSize = 16 * 1024 * 1024;
constexpr qint64 MaxSeqIntervalMs = 60'000;
// The sequence number every /flood message starts with: 8 digits hold MaxMessageCount.
constexpr qsizetype FloodCounterWidth = 8;

void serveEcho(QWebSocket *socket)
{
    QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                     [socket](const QString &message) {
                         if (canTakeMore(socket))
                             socket->sendTextMessage(message);
                     });
    QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                     [socket](const QByteArray &message) {
                         if (canTakeMore(socket))
                             socket->sendBinaryMessage(message);
                     });
}

void serveClose(QWebSocket *socket, const QUrlQuery &query)
{
    int code = 1000;
    QString reason = queryText(query, u"reason"_s);
    if (query.hasQueryItem(u"code"_s)) {
        bool ok = false;
        const int requested = query.queryItemValue(u"code"_s).toInt(&ok);
        if (ok && CloseCodes::canBeSent(requested)) {
            code = requested;
        } else {
            // A code no endpoint may put on the wire (1005, 1006, 999, 5000, ...): sending it
            // would make this server the protocol violator, so say what was asked instead.
            code = 1002;
            reason = u"cannot close with code %1"_s.arg(query.queryItemValue(u"code"_s));
        }
    }
    closeWithin(socket, code, reason);
}

void serveFlood(QWebSocket *socket, const QUrlQuery &query)
{
    const qint64 count = queryNumber(query, u"n"_s, 100'000, 0, MaxMessageCount);
    const qint64 size = queryNumber(query, u"size"_s, 64, 0, MaxFloodMessageSize);
    const bool binary = queryNumber(query, u"binary"_s, 0, 0, 1) == 1;

    // One template whose counter is rewritten in place, rather than a payload built per message.
    QByteArray payload(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        payload[i] = binary ? char(i % 256) : char('!' + i % 94);
    auto send = [payload, binary](QWebSocket *s, qint64 index) mutable {
        // The sequence number, zero padded, leads every message; a short message keeps its
        // lowest digits.
        const QByteArray digits =
                QByteArray::number(index).rightJustified(FloodCounterWidth, '0');
        const qsizetype n = std::min<qsizetype>(payload.size(), FloodCounterWidth);
        std::copy_n(digits.constData() + FloodCounterWidth - n, n, payload.data());
        if (binary)
            s->sendBinaryMessage(payload);
        else
            s->sendTextMessage(QString::fromLatin1(payload));
    };
    new MessagePump(socket, count, 0, std::move(send), [count](QWebSocket *s) {
        closeWithin(s, 1000, u"flood complete: %1 messages"_s.arg(count));
    });
}

void serveSeq(QWebSocket *socket, const QUrlQuery &query)
{
    const qint64 count = queryNumber(query, u"n"_s, 20, 0, MaxMessageCount);
    const int interval = int(queryNumber(query, u"interval"_s, 0, 0, MaxSeqIntervalMs));
    new MessagePump(socket, count, interval, [](QWebSocket *s, qint64 index) {
        s->sendTextMessage(u"{\"seq\":%1}"_s.arg(index));
    });
}

} // namespace

class DemoServer::Private
{
public:
    explicit Private(DemoServer *q) : q(q)
    {
        QObject::connect(&tcpServer, &QTcpServer::newConnection, q, [this] { acceptTcp(); });
        QObject::connect(&wsServer, &QWebSocketServer::newConnection, q,
                         [this] { acceptWebSocket(); });
    }

    void acceptTcp()
    {
        while (QTcpSocket *socket = tcpServer.nextPendingConnection()) {
            new RequestGate(socket, "wsprobe-demo"_ba, &demoRoute, [this](QTcpSocket *s) {
                // An upgraded QWebSocket deletes its socket itself, a failed handshake's socket
                // is deleted by QWebSocketServer; q only keeps it from leaking if neither comes.
                s->setParent(q);
                wsServer.handleConnection(s);
            });
        }
    }

    void acceptWebSocket()
    {
        while (QWebSocket *socket = wsServer.nextPendingConnection()) {
            socket->setParent(q);
            QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            // QWebSocketServer only takes these from Qt 6.5 on.
            socket->setMaxAllowedIncomingMessageSize(quint64(MaxIncomingMessageBytes));
            socket->setMaxAllowedIncomingFrameSize(quint64(MaxIncomingMessageBytes));
            // However the close starts (ours, or QtWebSockets' own on a protocol error or a
            // message too big), input is dropped while the socket closes.
            if (QTcpSocket *tcp = tcpSocketOf(socket)) {
                QObject::connect(tcp, &QAbstractSocket::stateChanged, socket,
                                 [tcp](QAbstractSocket::SocketState state) {
                                     if (state == QAbstractSocket::ClosingState)
                                         discardInputWhileClosing(tcp);
                                 });
            }
            // A handshake already under way when close() was called completes afterwards.
            if (!tcpServer.isListening())
                closeWithin(socket, 1001, u"demo server closed"_s);
            else
                serve(socket);
        }
    }

    void serve(QWebSocket *socket)
    {
        const QUrl url = socket->requestUrl();
        const QUrlQuery query(url);
        const QString path = url.path();
        Q_EMIT q->clientServed(url);
        QObject::connect(socket, &QWebSocket::textMessageReceived, q,
                         [this, url](const QString &message) {
                             Q_EMIT q->textMessageReceived(url, message);
                         });
        if (path == "/echo"_L1) {
            serveEcho(socket);
        } else if (path == "/chat"_L1) {
            chat.join(socket, queryText(query, u"name"_s));
        } else if (path == "/close"_L1) {
            serveClose(socket, query);
        } else if (path == "/flood"_L1) {
            serveFlood(socket, query);
        } else if (path == "/seq"_L1) {
            serveSeq(socket, query);
        } else {
            socket->sendTextMessage(infoText() + u"This connection echoes what you send."_s);
            serveEcho(socket);
        }
    }

    QList<QWebSocket *> clients() const
    {
        return q->findChildren<QWebSocket *>(Qt::FindDirectChildrenOnly);
    }

    // Connections still waiting for their request header, or being refused.
    QList<QTcpSocket *> gatedSockets() const
    {
        return tcpServer.findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    }

    DemoServer *q;
    QTcpServer tcpServer;
    // Never listens: it only upgrades the connections tcpServer's gates hand it.
    QWebSocketServer wsServer{u"wsprobe demo server"_s, QWebSocketServer::NonSecureMode};
    ChatRoom chat;
    QString errorString;
};

DemoServer::DemoServer(QObject *parent) : QObject(parent), d(new Private(this)) {}

DemoServer::~DemoServer()
{
    d->chat.clear();
    d->tcpServer.close();
    const QList<QWebSocket *> clients = d->clients();
    for (QWebSocket *socket : clients) {
        socket->abort();
        delete socket;
    }
    delete d;
}

bool DemoServer::listen(const QHostAddress &address, quint16 port)
{
    if (d->tcpServer.isListening()) {
        d->errorString = u"The demo server already listens at %1."_s.arg(url().toString());
        return false;
    }
    // The demo endpoints let anyone flood or hold connections: never offer them to a network.
    if (!address.isLoopback()) {
        d->errorString =
                u"The demo server listens on loopback addresses only, not on %1."_s.arg(
                        address.toString());
        return false;
    }
    if (!d->tcpServer.listen(address, port)) {
        d->errorString = d->tcpServer.errorString();
        return false;
    }
    d->errorString.clear();
    return true;
}

void DemoServer::close()
{
    d->tcpServer.close();
    d->chat.clear();
    const QList<QTcpSocket *> gated = d->gatedSockets();
    for (QTcpSocket *socket : gated)
        socket->abort();
    const QList<QWebSocket *> clients = d->clients();
    for (QWebSocket *socket : clients) {
        if (socket->state() == QAbstractSocket::ConnectedState)
            closeWithin(socket, 1001, u"demo server closed"_s);
        else
            socket->abort();
    }
}

bool DemoServer::isListening() const
{
    return d->tcpServer.isListening();
}

quint16 DemoServer::port() const
{
    return d->tcpServer.serverPort();
}

QUrl DemoServer::url() const
{
    return demo::webSocketUrl(d->tcpServer);
}

QString DemoServer::errorString() const
{
    return d->errorString;
}

qint64 DemoServer::queuedBytes() const
{
    qint64 total = 0;
    const QList<QWebSocket *> clients = d->clients();
    for (const QWebSocket *socket : clients)
        total += socket->bytesToWrite();
    return total;
}

} // namespace wsprobe
