#include "serverhandshake.h"

#include "clienthandshake.h"
#include "httphead.h"

#include <QUrl>

#include <cctype>
#include <utility>

using namespace Qt::StringLiterals;

namespace wsprobe {

using httphead::equalsIgnoringCase;
using httphead::hasLineBreak;
using httphead::trimmedOws;

namespace {

// The comma-separated elements of a header value (RFC 9110 5.6.1), trimmed, empty ones left out.
QList<QByteArrayView> listElements(QByteArrayView value)
{
    QList<QByteArrayView> elements;
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype comma = value.indexOf(',', start);
        if (comma < 0)
            comma = value.size();
        const QByteArrayView element = trimmedOws(value.sliced(start, comma - start));
        if (!element.isEmpty())
            elements.append(element);
        start = comma + 1;
    }
    return elements;
}

bool hasToken(QByteArrayView value, QByteArrayView token)
{
    for (QByteArrayView element : listElements(value))
        if (equalsIgnoringCase(element, token))
            return true;
    return false;
}

// A request-line quote for a failure: printable ASCII, the rest as \xNN, at most 80 bytes.
QString quoted(QByteArrayView bytes)
{
    QString text = u"\""_s;
    for (char c : bytes.first(qMin(bytes.size(), qsizetype(80)))) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7F && byte != '"' && byte != '\\')
            text += QLatin1Char(char(byte));
        else
            text += u"\\x%1"_s.arg(uint(byte), 2, 16, QChar(u'0'));
    }
    return text + u'"';
}

} // namespace

ServerHandshake::Status ServerHandshake::read(QByteArrayView bytes)
{
    if (m_status == Status::Complete)
        m_leftover += bytes;  // the client's first frames, for takeLeftover()
    if (m_status != Status::Incomplete)
        return m_status;
    m_buffer += bytes;
    scanHead();
    return m_status;
}

void ServerHandshake::scanHead()
{
    const qsizetype end = qMin(m_buffer.size(), MaxHeadBytes);
    for (; m_scanned < end; ++m_scanned) {
        if (m_buffer[m_scanned] != '\n')
            continue;
        const qsizetype lineLength = m_scanned - m_lineStart;
        const bool empty = lineLength == 0 || (lineLength == 1 && m_buffer[m_lineStart] == '\r');
        const bool first = m_lineStart == 0;
        m_lineStart = m_scanned + 1;
        if (empty && !first) {
            ++m_scanned;
            parseHead(m_scanned);
            return;
        }
    }
    if (m_buffer.size() >= MaxHeadBytes)
        fail(431, u"the request's head is over %1 KiB"_s.arg(MaxHeadBytes / 1024));
}

void ServerHandshake::parseHead(qsizetype headSize)
{
    QList<QByteArrayView> lines = httphead::lines(QByteArrayView(m_buffer).first(headSize));
    m_leftover = m_buffer.sliced(headSize);

    for (QByteArrayView line : std::as_const(lines)) {
        if (line.contains('\r') || line.contains('\0')) {
            fail(400, u"the request's head has a stray CR or NUL byte: "_s + quoted(line));
            return;
        }
    }

    // "GET /chat HTTP/1.1": exactly three parts, separated by single spaces (RFC 9112 3).
    const QByteArrayView requestLine = lines.takeFirst();
    const QList<QByteArray> parts = requestLine.toByteArray().split(' ');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty()) {
        fail(400, u"the request line is not \"METHOD TARGET HTTP/1.1\": "_s + quoted(requestLine));
        return;
    }
    m_method = parts.at(0);
    m_target = parts.at(1);
    const QByteArray &version = parts.at(2);
    if (!version.startsWith("HTTP/") || version.size() != 8 || version.at(6) != '.'
        || !std::isdigit(uchar(version.at(5))) || !std::isdigit(uchar(version.at(7)))) {
        fail(400, u"the request line's version is not HTTP: "_s + quoted(version));
        return;
    }
    m_version = version;

    for (QByteArrayView line : std::as_const(lines)) {
        if (line.front() == ' ' || line.front() == '\t') {
            fail(400, u"the request folds a header over two lines (obsolete line folding): "_s
                              + quoted(line));
            return;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            fail(400, u"the request has a header line without a name and a colon: "_s + quoted(line));
            return;
        }
        const QByteArrayView name = line.first(colon);
        if (name.back() == ' ' || name.back() == '\t') {
            // RFC 9112 5.1: no whitespace between a field's name and its colon.
            fail(400, u"the request has whitespace between a header's name and its colon: "_s
                              + quoted(line));
            return;
        }
        m_headers.append({name.toByteArray(), trimmedOws(line.sliced(colon + 1)).toByteArray()});
    }
    m_buffer.clear();
    if (checkUpgrade())
        m_status = Status::Complete;
}

// RFC 6455 4.2.1, in the order a server can say most about a request: first whether it is a
// WebSocket request at all, then what it lacks.
bool ServerHandshake::checkUpgrade()
{
    if (m_method != "GET") {
        fail(400, u"the upgrade request's method is %1; a WebSocket upgrade is a GET"_s.arg(
                          QString::fromLatin1(m_method)));
        return false;
    }
    if (m_target.front() != '/') {
        fail(400, u"the request's target does not start with \"/\": "_s + quoted(m_target));
        return false;
    }
    // HTTP/1.1 or later (RFC 6455 4.2.1, item 1): "HTTP/1.0" and "HTTP/0.9" are not.
    if (m_version < "HTTP/1.1") {
        fail(400, u"the request is %1; a WebSocket upgrade needs HTTP/1.1"_s.arg(
                          QString::fromLatin1(m_version)));
        return false;
    }
    const QByteArray upgrade = header("Upgrade");
    if (upgrade.isNull() || !hasToken(upgrade, "websocket")) {
        fail(426, upgrade.isNull() ? u"the request has no Upgrade header: not a WebSocket request"_s
                                   : u"the request's Upgrade header does not name websocket: "_s
                                             + quoted(upgrade));
        return false;
    }
    const QByteArray connection = header("Connection");
    if (connection.isNull() || !hasToken(connection, "upgrade")) {
        fail(400, u"the request's Connection header does not hold the Upgrade token"_s);
        return false;
    }
    if (header("Host").isNull()) {
        fail(400, u"the request has no Host header (RFC 6455 4.1)"_s);
        return false;
    }
    const QByteArray version = header("Sec-WebSocket-Version");
    if (version.isNull()) {
        fail(426, u"the request has no Sec-WebSocket-Version; this server speaks 13"_s);
        return false;
    }
    if (version != "13") {
        fail(426, u"the request asks for Sec-WebSocket-Version %1; this server speaks 13"_s.arg(
                          QString::fromLatin1(version)));
        return false;
    }
    int keys = 0;
    for (const Header &h : std::as_const(m_headers))
        keys += equalsIgnoringCase(h.first, "Sec-WebSocket-Key") ? 1 : 0;
    const QByteArray key = header("Sec-WebSocket-Key");
    if (keys != 1) {
        fail(400, keys == 0 ? u"the request has no Sec-WebSocket-Key"_s
                            : u"the request has %1 Sec-WebSocket-Key headers; one is allowed"_s.arg(keys));
        return false;
    }
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16 || key.size() != 24) {
        fail(400, u"the request's Sec-WebSocket-Key is not 16 bytes in base64: "_s + quoted(key));
        return false;
    }
    m_key = key;
    const QByteArray protocols = header("Sec-WebSocket-Protocol");
    for (QByteArrayView element : listElements(protocols))
        m_subprotocols.append(QString::fromLatin1(element));
    return true;
}

ServerHandshake::Status ServerHandshake::fail(int status, const QString &why)
{
    m_status = Status::Invalid;
    m_failureStatus = status;
    m_failure = why;
    m_buffer.clear();
    m_leftover.clear();  // nothing after a refused request is read
    return m_status;
}

QString ServerHandshake::path() const
{
    return QUrl::fromEncoded(m_target).path();
}

QByteArray ServerHandshake::header(QByteArrayView name) const
{
    QByteArray value;
    bool found = false;
    for (const Header &h : m_headers) {
        if (!equalsIgnoringCase(h.first, name))
            continue;
        if (found)
            value += ", ";
        value += h.second;
        found = true;
    }
    return found ? (value.isNull() ? QByteArray("") : value) : QByteArray();
}

QString ServerHandshake::chooseSubprotocol(const QStringList &supported) const
{
    for (const QString &offered : m_subprotocols)
        if (supported.contains(offered))
            return offered;
    return {};
}

QByteArray ServerHandshake::takeLeftover()
{
    return std::exchange(m_leftover, QByteArray());
}

QByteArray ServerHandshake::invalidResponse(QByteArrayView serverName) const
{
    QList<Header> headers{{"Server", serverName.toByteArray()},
                          {"Content-Type", "text/plain; charset=utf-8"}};
    if (m_failureStatus == 426) {
        headers.append(Header("Upgrade", "websocket"));
        headers.append(Header("Sec-WebSocket-Version", "13"));
    }
    return rejectResponse(m_failureStatus, headers, m_failure.toUtf8() + ".\n");
}

QByteArray ServerHandshake::acceptFor(QByteArrayView key)
{
    return ClientHandshake::expectedAccept(key);
}

QByteArray ServerHandshake::acceptResponse(const QString &subprotocol,
                                           const QList<Header> &extra) const
{
    QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Accept: "_ba
            + acceptFor(m_key) + "\r\n";
    if (!subprotocol.isEmpty() && !hasLineBreak(subprotocol.toLatin1()))
        response += "Sec-WebSocket-Protocol: " + subprotocol.toLatin1() + "\r\n";
    for (const Header &h : extra) {
        if (h.first.isEmpty() || hasLineBreak(h.first) || hasLineBreak(h.second))
            continue;
        response += h.first + ": " + h.second + "\r\n";
    }
    return response + "\r\n";
}

QByteArray ServerHandshake::rejectResponse(int status, const QList<Header> &headers,
                                           QByteArrayView body)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
            + "\r\n";
    for (const Header &h : headers) {
        if (h.first.isEmpty() || hasLineBreak(h.first) || hasLineBreak(h.second))
            continue;
        response += h.first + ": " + h.second + "\r\n";
    }
    response += "Content-Length: " + QByteArray::number(body.size())
            + "\r\nConnection: close\r\n\r\n";
    response += body;
    return response;
}

QByteArray ServerHandshake::reasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request"_ba;
    case 401: return "Unauthorized"_ba;
    case 403: return "Forbidden"_ba;
    case 404: return "Not Found"_ba;
    case 405: return "Method Not Allowed"_ba;
    case 426: return "Upgrade Required"_ba;
    case 429: return "Too Many Requests"_ba;
    case 431: return "Request Header Fields Too Large"_ba;
    case 500: return "Internal Server Error"_ba;
    case 503: return "Service Unavailable"_ba;
    }
    return status < 500 ? "Client Error"_ba : "Server Error"_ba;
}

} // namespace wsprobe
