#include "demorequestgate.h"

#include "demosocket.h"

#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe::demo {
namespace {

// A client that never finishes its request header must not hold a socket forever.
constexpr qsizetype MaxRequestHeaderBytes = 16 * 1024;
constexpr int RequestHeaderTimeoutMs = 5000;

QByteArray httpErrorResponse(int status, const QByteArray &body, const QByteArray &serverName)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status)
            + "\r\nServer: " + serverName + "\r\nContent-Type: text/plain; charset=utf-8\r\n";
    // RFC 9110 asks a 401 to name a scheme; clients that log headers then show a realistic one.
    if (status == 401)
        response += "WWW-Authenticate: Bearer realm=\"" + serverName + "\"\r\n";
    if (status == 426)
        response += "Upgrade: websocket\r\n";
    response += "Content-Length: " + QByteArray::number(body.size())
            + "\r\nConnection: close\r\n\r\n" + body;
    return response;
}

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

} // namespace

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

RequestGate::Verdict demoRoute(const QByteArray &head)
{
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray &line : lines)
        line = line.trimmed();
    // "GET /close?code=4001 HTTP/1.1"
    const QList<QByteArray> parts = lines.takeFirst().split(' ');
    if (parts.size() != 3 || !parts.at(1).startsWith('/'))
        return {400, "Malformed request line.\n"_ba};
    const QUrl target = QUrl::fromEncoded(parts.at(1));
    const QString path = target.path();
    if (path == "/reject"_L1) {
        const QUrlQuery query(target);
        const qint64 status = queryNumber(query, u"status"_s, 401, 0, 999);
        if (status < 400 || status > 599) {
            return {400,
                    "/reject needs a status from 400 to 599, got "_ba
                            + query.queryItemValue(u"status"_s).toUtf8() + ".\n"};
        }
        return {int(status),
                "Refused by the wsprobe demo server (/reject?status="_ba
                        + QByteArray::number(status) + ").\n"};
    }
    if (!isWebSocketPath(path)) {
        return {404,
                "No demo endpoint at "_ba + path.toUtf8()
                        + ". Try /, /echo, /chat, /close, /reject, /flood or /seq.\n"};
    }
    // QWebSocketServer would drop a plain HTTP request without a word; a browser or curl
    // pointed at the demo server deserves to learn what it is talking to.
    if (!asksForWebSocket(lines))
        return {426, infoText().toUtf8() + '\n'};
    return {};
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

RequestGate::RequestGate(QTcpSocket *socket, QByteArray serverName, Decide decide,
                         HandOver handOver)
    : QObject(socket), m_socket(socket), m_serverName(std::move(serverName)),
      m_decide(std::move(decide)), m_handOver(std::move(handOver))
{
    // A server's small messages leave when sent, not when the client's delayed ACK of the
    // previous one comes (Nagle's algorithm): the client's log and round trips stay true.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QTcpSocket::readyRead, this, &RequestGate::inspect);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    // Bounds both the wait for the header and, after a refusal, the wait for the peer to
    // take our response and go.
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, socket, &QTcpSocket::abort);
    m_deadline.start(RequestHeaderTimeoutMs);
    inspect();
}

void RequestGate::inspect()
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
    const Verdict verdict = m_decide(head.left(end));
    if (verdict.status != 0) {
        refuse(verdict.status, verdict.body);
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

void RequestGate::refuse(int status, const QByteArray &body)
{
    m_refused = true;
    m_socket->readAll();
    m_socket->write(httpErrorResponse(status, body, m_serverName));
    // Closes once the response is written; the deadline catches a peer that never reads.
    m_socket->disconnectFromHost();
    m_deadline.start(CloseTimeoutMs);
}

} // namespace wsprobe::demo
