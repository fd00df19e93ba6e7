#pragma once

#include <QString>
#include <QUrl>

class QTcpServer;
class QTcpSocket;
class QUrlQuery;
class QWebSocket;

// Socket and query helpers the demo server's endpoints share: bounded closes, the outgoing-queue
// limit, and reading numbers and text from a request's query.
namespace wsprobe::demo {

// After our close frame (or a refusal), how long the peer gets before we drop the connection.
inline constexpr int CloseTimeoutMs = 5000;

// The value of key clamped to [min, max]; fallback when it is missing or not a number.
qint64 queryNumber(const QUrlQuery &query, const QString &key, qint64 fallback, qint64 min,
                   qint64 max);
QString queryText(const QUrlQuery &query, const QString &key);

// A close frame carries at most 123 bytes of reason; cut on a character boundary so the peer
// still receives valid UTF-8.
QString truncatedCloseReason(const QString &reason);

// The TCP socket under an upgraded QWebSocket, which offers no accessor: QWebSocketServer
// leaves it where it was, a child of the DemoServer (the QWebSocket's parent too).
QTcpSocket *tcpSocketOf(const QWebSocket *socket);

// While tcp closes, reads and drops whatever arrives, so the peer gets a clean end after our
// close frame rather than a reset. See the definition for why.
void discardInputWhileClosing(QTcpSocket *tcp);

// Sends a close frame and bounds the wait for the peer's answer.
void closeWithin(QWebSocket *socket, int code, const QString &reason);

// Whether a message may be queued for socket: false when it is not connected, or when it holds
// DemoServer::MaxQueuedBytes unsent already, in which case it is closed (1008).
bool canTakeMore(QWebSocket *socket);

// ws://address:port of a listening server; empty when it does not listen.
QUrl webSocketUrl(const QTcpServer &server);

} // namespace wsprobe::demo
