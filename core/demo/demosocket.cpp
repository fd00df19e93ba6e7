#include "demosocket.h"

#include <QTcpServer>

#include "demoserver.h"

#include <QSocketNotifier>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <cerrno>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace wsprobe::demo {

qint64 queryNumber(const QUrlQuery &query, const QString &key, qint64 fallback, qint64 min,
                   qint64 max)
{
    if (!query.hasQueryItem(key))
        return fallback;
    bool ok = false;
    const qint64 value = query.queryItemValue(key).toLongLong(&ok);
    if (!ok)
        return fallback;
    return std::clamp(value, min, max);
}

QString queryText(const QUrlQuery &query, const QString &key)
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

// A close frame carries at most 123 bytes of reason; cut on a character boundary so the peer
// still receives valid UTF-8.
QString truncatedCloseReason(const QString &reason)
{
    constexpr qsizetype MaxReasonBytes = 123;
    QString result = reason;
    while (result.toUtf8().size() > MaxReasonBytes) {
        result.chop(1);
        if (!result.isEmpty() && result.back().isHighSurrogate())
            result.chop(1);
    }
    return result;
}

// The TCP socket under an upgraded QWebSocket, which offers no accessor: QWebSocketServer
// leaves it where it was, a child of the DemoServer (the QWebSocket's parent too).
QTcpSocket *tcpSocketOf(const QWebSocket *socket)
{
    if (!socket->parent())
        return nullptr;
    const QList<QTcpSocket *> candidates =
            socket->parent()->findChildren<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
    for (QTcpSocket *tcp : candidates) {
        if (tcp->localPort() == socket->localPort() && tcp->peerPort() == socket->peerPort()
            && tcp->peerAddress() == socket->peerAddress()) {
            return tcp;
        }
    }
    return nullptr;
}

// QWebSocket::close() closes its TCP socket as soon as the close frame is written, and a
// closing QTcpSocket reads nothing more. What the peer sends meanwhile stays unread, and the
// kernel ends a socket closed with unread input by a reset, which destroys what the peer has
// not read yet: our close frame, and the reason in it. So while the socket closes, whatever
// arrives is read here and dropped, and the peer gets a clean end after the close frame.
void discardInputWhileClosing(QTcpSocket *tcp)
{
    if (!tcp || tcp->state() != QAbstractSocket::ClosingState || tcp->socketDescriptor() < 0)
        return;
    const int fd = int(tcp->socketDescriptor());
    auto *notifier = new QSocketNotifier(fd, QSocketNotifier::Read, tcp);
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [notifier, fd] {
        char scratch[64 * 1024];
        const ssize_t n = ::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            notifier->setEnabled(false);
    });
    // Qt closes the descriptor just before it reports UnconnectedState, with no event
    // processed in between: the notifier never watches a closed (or reused) descriptor.
    QObject::connect(tcp, &QAbstractSocket::stateChanged, notifier,
                     [notifier](QAbstractSocket::SocketState state) {
                         if (state == QAbstractSocket::UnconnectedState)
                             notifier->setEnabled(false);
                     });
}

// Sends a close frame and bounds the wait for the peer's answer.
void closeWithin(QWebSocket *socket, int code, const QString &reason)
{
    socket->close(QWebSocketProtocol::CloseCode(code), truncatedCloseReason(reason));
    QTimer::singleShot(CloseTimeoutMs, socket, [socket] { socket->abort(); });
}

// A client that does not read lets everything sent to it pile up in the server's memory
// (/echo reached 1.6 GB, /chat 2 GB for one silent member). So a message goes only to a
// connection with less than MaxQueuedBytes still unsent, and one that stays over it is closed
// instead: its close frame waits behind what it has not read, so a client that reads again
// learns why, and closeWithin() drops one that never does. 1008 rather than 1013 (Try Again
// Later), which QtWebSockets 6.4 clients misreport as 1002.
bool canTakeMore(QWebSocket *socket)
{
    if (socket->state() != QAbstractSocket::ConnectedState)
        return false;
    if (socket->bytesToWrite() < DemoServer::MaxQueuedBytes)
        return true;
    closeWithin(socket, int(QWebSocketProtocol::CloseCodePolicyViolated),
                u"outgoing queue over %1 MiB: client not reading"_s.arg(
                        DemoServer::MaxQueuedBytes / (1024 * 1024)));
    return false;
}

QUrl webSocketUrl(const QTcpServer &server)
{
    if (!server.isListening())
        return {};
    QUrl url;
    url.setScheme(u"ws"_s);
    url.setHost(server.serverAddress().toString());
    url.setPort(server.serverPort());
    return url;
}

} // namespace wsprobe::demo
