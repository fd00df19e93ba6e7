#include "demoserver.h"

#include "closecodes.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <vector>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// A client that never finishes its request header must not hold a socket forever.
constexpr qsizetype MaxRequestHeaderBytes = 16 * 1024;
constexpr int RequestHeaderTimeoutMs = 5000;
// After our close frame (or a refusal), how long the peer gets before we drop the connection.
constexpr int CloseTimeoutMs = 5000;

constexpr qint64 MaxMessageCount = 10'000'000;
constexpr qint64 MaxFloodMessageSize = 16 * 1024 * 1024;
constexpr qint64 MaxSeqIntervalMs = 60'000;
// The sequence number every /flood message starts with: 8 digits hold MaxMessageCount.
constexpr qsizetype FloodCounterWidth = 8;

// A pump tops the socket's write buffer up to this much, so a flood costs a bounded amount of
// memory however large n is, and the event loop regains control between batches.
constexpr qint64 PumpHighWaterBytes = 512 * 1024;
constexpr int PumpMaxMessagesPerBatch = 2048;

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

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request"_ba;
    case 401: return "Unauthorized"_ba;
    case 402: return "Payment Required"_ba;
    case 403: return "Forbidden"_ba;
    case 404: return "Not Found"_ba;
    case 405: return "Method Not Allowed"_ba;
    case 406: return "Not Acceptable"_ba;
    case 407: return "Proxy Authentication Required"_ba;
    case 408: return "Request Timeout"_ba;
    case 409: return "Conflict"_ba;
    case 410: return "Gone"_ba;
    case 411: return "Length Required"_ba;
    case 412: return "Precondition Failed"_ba;
    case 413: return "Content Too Large"_ba;
    case 414: return "URI Too Long"_ba;
    case 415: return "Unsupported Media Type"_ba;
    case 416: return "Range Not Satisfiable"_ba;
    case 417: return "Expectation Failed"_ba;
    case 418: return "I'm a teapot"_ba;
    case 421: return "Misdirected Request"_ba;
    case 422: return "Unprocessable Content"_ba;
    case 423: return "Locked"_ba;
    case 424: return "Failed Dependency"_ba;
    case 425: return "Too Early"_ba;
    case 426: return "Upgrade Required"_ba;
    case 428: return "Precondition Required"_ba;
    case 429: return "Too Many Requests"_ba;
    case 431: return "Request Header Fields Too Large"_ba;
    case 451: return "Unavailable For Legal Reasons"_ba;
    case 500: return "Internal Server Error"_ba;
    case 501: return "Not Implemented"_ba;
    case 502: return "Bad Gateway"_ba;
    case 503: return "Service Unavailable"_ba;
    case 504: return "Gateway Timeout"_ba;
    case 505: return "HTTP Version Not Supported"_ba;
    case 506: return "Variant Also Negotiates"_ba;
    case 507: return "Insufficient Storage"_ba;
    case 508: return "Loop Detected"_ba;
    case 510: return "Not Extended"_ba;
    case 511: return "Network Authentication Required"_ba;
    }
    return status < 500 ? "Client Error"_ba : "Server Error"_ba;
}

QByteArray httpErrorResponse(int status, const QByteArray &body)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status)
            + "\r\nServer: wsprobe-demo\r\nContent-Type: text/plain; charset=utf-8\r\n";
    // RFC 9110 asks a 401 to name a scheme; clients that log headers then show a realistic one.
    if (status == 401)
        response += "WWW-Authenticate: Bearer realm=\"wsprobe-demo\"\r\n";
    if (status == 426)
        response += "Upgrade: websocket\r\n";
    response += "Content-Length: " + QByteArray::number(body.size())
            + "\r\nConnection: close\r\n\r\n" + body;
    return response;
}

QString infoText()
{
    return u"wsprobe demo server. Endpoints:\n"
           "  /echo                         echoes every text and binary message\n"
           "  /chat?name=N                  broadcasts JSON chat messages to everyone on /chat\n"
           "  /close?code=4001&reason=R     accepts, then closes with that code and reason\n"
           "  /reject?status=401            refuses the upgrade with that HTTP status\n"
           "  /flood?n=100000&size=64&binary=0  sends n messages as fast as you read, then closes\n"
           "  /seq?n=20&interval=0          sends {\"seq\":1}..{\"seq\":n}, interval ms apart\n"_s;
}

// What the server does with a request, decided from its head alone.
struct Route
{
    enum class Kind { WebSocket, Refuse };
    Kind kind = Kind::Refuse;
    int status = 0;       // Refuse
    QByteArray body;      // Refuse
};

bool isWebSocketPath(QStringView path)
{
    constexpr QStringView paths[] = {u"/", u"/echo", u"/chat", u"/close", u"/flood", u"/seq"};
    return std::find(std::begin(paths), std::end(paths), path) != std::end(paths);
}

bool asksForWebSocket(const QList<QByteArray> &headerLines)
{
    for (const QByteArray &line : headerLines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "upgrade"
            && line.mid(colon + 1).toLower().contains("websocket")) {
            return true;
        }
    }
    return false;
}

// head: the request line and the header fields, without the blank line that ends them.
Route routeFor(const QByteArray &head)
{
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray &line : lines)
        line = line.trimmed();
    // "GET /close?code=4001 HTTP/1.1"
    const QList<QByteArray> parts = lines.takeFirst().split(' ');
    if (parts.size() != 3 || !parts.at(1).startsWith('/'))
        return {Route::Kind::Refuse, 400, "Malformed request line.\n"_ba};
    const QUrl target = QUrl::fromEncoded(parts.at(1));
    const QString path = target.path();
    if (path == "/reject"_L1) {
        const QUrlQuery query(target);
        const qint64 status = queryNumber(query, u"status"_s, 401, 0, 999);
        if (status < 400 || status > 599) {
            return {Route::Kind::Refuse, 400,
                    "/reject needs a status from 400 to 599, got "_ba
                            + query.queryItemValue(u"status"_s).toUtf8() + ".\n"};
        }
        return {Route::Kind::Refuse, int(status),
                "Refused by the wsprobe demo server (/reject?status="_ba
                        + QByteArray::number(status) + ").\n"};
    }
    if (!isWebSocketPath(path)) {
        return {Route::Kind::Refuse, 404,
                "No demo endpoint at "_ba + path.toUtf8()
                        + ". Try /, /echo, /chat, /close, /reject, /flood or /seq.\n"};
    }
    // QWebSocketServer would drop a plain HTTP request without a word; a browser or curl
    // pointed at the demo server deserves to learn what it is talking to.
    if (!asksForWebSocket(lines))
        return {Route::Kind::Refuse, 426, infoText().toUtf8() + '\n'};
    return {Route::Kind::WebSocket, 0, {}};
}

// Holds a fresh TCP connection until its HTTP request header has arrived, without consuming a
// byte of it, then either refuses it with a plain HTTP response or hands it on untouched.
// QWebSocketServer can only accept or fail an upgrade; this is how /reject and unknown paths get
// a real status line. Lives as a child of its socket.
class RequestGate : public QObject
{
public:
    using HandOver = std::function<void(QTcpSocket *)>;

    RequestGate(QTcpSocket *socket, HandOver handOver)
        : QObject(socket), m_socket(socket), m_handOver(std::move(handOver))
    {
        connect(socket, &QTcpSocket::readyRead, this, &RequestGate::inspect);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        // Bounds both the wait for the header and, after a refusal, the wait for the peer to
        // take our response and go.
        m_deadline.setSingleShot(true);
        connect(&m_deadline, &QTimer::timeout, socket, &QTcpSocket::abort);
        m_deadline.start(RequestHeaderTimeoutMs);
        inspect();
    }

private:
    void inspect()
    {
        if (m_refused) {
            m_socket->readAll();  // unread input would turn our close into a reset
            return;
        }
        const QByteArray head = m_socket->peek(MaxRequestHeaderBytes);
        const qsizetype end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            if (head.size() >= MaxRequestHeaderBytes)
                refuse(431, "The request header exceeds 16 KiB.\n"_ba);
            return;
        }
        const Route route = routeFor(head.left(end));
        if (route.kind == Route::Kind::Refuse) {
            refuse(route.status, route.body);
            return;
        }
        // From here on the socket belongs to QWebSocketServer: drop every tie to it, and leave
        // the server's children (the connections still at the gate). Qt 6.4's
        // handleConnection() re-emits readyRead itself when bytes are already buffered, so the
        // header we peeked at is processed even though no new data will arrive. QWebSocket
        // clients send their whole header in one write: every tst_demoserver test relies on it.
        disconnect(m_socket, nullptr, this, nullptr);
        disconnect(m_socket, &QTcpSocket::disconnected, m_socket, &QObject::deleteLater);
        m_deadline.stop();
        QTcpSocket *socket = m_socket;
        HandOver handOver = std::move(m_handOver);
        deleteLater();
        handOver(socket);
    }

    void refuse(int status, const QByteArray &body)
    {
        m_refused = true;
        m_socket->readAll();
        m_socket->write(httpErrorResponse(status, body));
        // Closes once the response is written; the deadline catches a peer that never reads.
        m_socket->disconnectFromHost();
        m_deadline.start(CloseTimeoutMs);
    }

    QTcpSocket *m_socket;  // Not owned: our parent.
    HandOver m_handOver;
    QTimer m_deadline;
    bool m_refused = false;
};

// Sends messages 1..count to one socket, either as fast as the peer reads them or one per
// interval, then calls done once everything has left the write buffer. Never queues more than
// PumpHighWaterBytes plus one message. Lives as a child of its socket.
class MessagePump : public QObject
{
public:
    using Send = std::function<void(QWebSocket *, qint64 index)>;
    using Done = std::function<void(QWebSocket *)>;

    MessagePump(QWebSocket *socket, qint64 count, int intervalMs, Send send, Done done = {})
        : QObject(socket), m_socket(socket), m_count(count), m_send(std::move(send)),
          m_done(std::move(done))
    {
        m_paced = intervalMs > 0;
        connect(socket, &QWebSocket::bytesWritten, this, &MessagePump::onBytesWritten);
        if (m_paced) {
            connect(&m_interval, &QTimer::timeout, this, &MessagePump::sendOne);
            m_interval.start(intervalMs);
        } else {
            // Queued so the caller finishes setting the socket up before the first batch.
            QTimer::singleShot(0, this, &MessagePump::fill);
        }
    }

private:
    bool finishedSending() const { return m_next > m_count; }

    void fill()
    {
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
            return;
        int batch = 0;
        while (!finishedSending() && batch < PumpMaxMessagesPerBatch
               && m_socket->bytesToWrite() < PumpHighWaterBytes) {
            if (!canTakeMore(m_socket))
                return;
            m_send(m_socket, m_next++);
            ++batch;
        }
        afterSending();
    }

    void sendOne()
    {
        // The timer does not wait for the client to read: canTakeMore() bounds what a slow
        // reader of a long /seq costs.
        if (!m_socket || !canTakeMore(m_socket)) {
            m_interval.stop();
            return;
        }
        if (!finishedSending())
            m_send(m_socket, m_next++);
        if (finishedSending())
            m_interval.stop();
        afterSending();
    }

    void afterSending()
    {
        if (!m_socket)
            return;
        if (m_socket->bytesToWrite() > 0)
            return;  // bytesWritten continues
        if (finishedSending())
            finish();
        else if (!m_paced)
            QTimer::singleShot(0, this, &MessagePump::fill);
    }

    void onBytesWritten()
    {
        if (!m_socket)
            return;
        if (!finishedSending()) {
            if (!m_paced && m_socket->bytesToWrite() < PumpHighWaterBytes)
                fill();
        } else if (m_socket->bytesToWrite() == 0) {
            finish();
        }
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        if (m_done && m_socket)
            m_done(m_socket);
    }

    QPointer<QWebSocket> m_socket;  // Not owned: our parent.
    qint64 m_count;
    qint64 m_next = 1;
    Send m_send;
    Done m_done;
    QTimer m_interval;
    bool m_paced = false;
    bool m_finished = false;
};

// The members of /chat and the JSON notices they all receive.
class ChatRoom : public QObject
{
public:
    void join(QWebSocket *socket, const QString &requestedName)
    {
        const QString name =
                requestedName.isEmpty() ? u"user-%1"_s.arg(m_nextGuest++) : requestedName;
        m_members.push_back({socket, name});
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) { say(socket, text); });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] { leave(socket); });
        broadcast({{"type"_L1, "join"_L1}, {"name"_L1, name}, {"clients"_L1, clientCount()}});
    }

    // Forgets every member without notices: the server is going away.
    void clear()
    {
        for (const Member &member : m_members) {
            if (member.socket)
                disconnect(member.socket, nullptr, this, nullptr);
        }
        m_members.clear();
    }

private:
    struct Member
    {
        QPointer<QWebSocket> socket;
        QString name;
    };

    int clientCount() const { return int(m_members.size()); }

    void leave(QWebSocket *socket)
    {
        const auto it = std::find_if(m_members.begin(), m_members.end(),
                                     [socket](const Member &m) { return m.socket == socket; });
        if (it == m_members.end())
            return;
        const QString name = it->name;
        m_members.erase(it);
        broadcast({{"type"_L1, "leave"_L1}, {"name"_L1, name}, {"clients"_L1, clientCount()}});
    }

    void say(QWebSocket *socket, const QString &text)
    {
        const auto it = std::find_if(m_members.begin(), m_members.end(),
                                     [socket](const Member &m) { return m.socket == socket; });
        if (it == m_members.end())
            return;
        // Clients that speak JSON send {"text": ...}; anything else is taken as the text itself.
        QString said = text;
        const QJsonDocument json = QJsonDocument::fromJson(text.toUtf8());
        if (json.isObject() && json.object().value("text"_L1).isString())
            said = json.object().value("text"_L1).toString();
        broadcast({{"type"_L1, "message"_L1}, {"from"_L1, it->name}, {"text"_L1, said}});
    }

    void broadcast(const QJsonObject &message)
    {
        const QString text =
                QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
        // Copy: a send can fail and disconnect a member while we iterate.
        const std::vector<Member> members = m_members;
        std::vector<QWebSocket *> leaving;
        for (const Member &member : members) {
            if (!member.socket)
                continue;
            if (canTakeMore(member.socket))
                member.socket->sendTextMessage(text);
            else
                leaving.push_back(member.socket);
        }
        // Closing (for not reading, or on its own): it leaves now rather than when its
        // connection ends, so nothing more is queued for it and the others are told at once.
        for (QWebSocket *socket : leaving)
            leave(socket);
    }

    std::vector<Member> m_members;
    int m_nextGuest = 1;
};

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
            new RequestGate(socket, [this](QTcpSocket *s) {
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
    if (!isListening())
        return {};
    QUrl url;
    url.setScheme(u"ws"_s);
    url.setHost(d->tcpServer.serverAddress().toString());
    url.setPort(port());
    return url;
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
