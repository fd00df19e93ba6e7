#include "clienthandshake.h"

#include "httphead.h"
#include "secretmasker.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QStringDecoder>

#include <array>

using namespace Qt::StringLiterals;

namespace wsprobe {

using httphead::equalsIgnoringCase;
using httphead::hasLineBreak;
using httphead::trimmedOws;

namespace {

// RFC 6455 1.3: the GUID the server appends to the key before hashing it.
constexpr QByteArrayView AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
// How much of an answer that is not HTTP its failure quotes. The verdict waits for this many
// bytes (or the line's end), so that it is the same however the bytes were cut.
constexpr qsizetype QuoteBytes = 40;
// How much of a refusal's body responseText() shows.
constexpr qsizetype ShownBodyBytes = 4 * 1024;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Bytes for a failure message: printable ASCII as it is, the rest escaped, in quotes.
QString quoted(QByteArrayView bytes)
{
    QString text = u"\""_s;
    for (char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\r')
            text += u"\\r"_s;
        else if (c == '\n')
            text += u"\\n"_s;
        else if (c == '\t')
            text += u"\\t"_s;
        else if (c == '"' || c == '\\')
            text += u'\\' + QChar(QLatin1Char(c));
        else if (byte >= 0x20 && byte < 0x7f)
            text += QChar(QLatin1Char(c));
        else
            text += u"\\x%1"_s.arg(uint(byte), 2, 16, QChar(u'0'));
    }
    return text + u'"';
}

enum class Verdict { Valid, Invalid, Undecided };

// RFC 9112 4: "HTTP/1.1 SP 3DIGIT SP reason". line holds the line's bytes without its end;
// complete says whether the line ended there. Liberal in one way only: a status line that ends
// right after the code (no space, no reason) is taken, as many servers send it.
Verdict statusLineVerdict(QByteArrayView line, bool complete)
{
    constexpr QByteArrayView Versions[] = {"HTTP/1.1 ", "HTTP/1.0 "};
    bool versionCanMatch = false;
    for (QByteArrayView version : Versions) {
        const qsizetype n = qMin(line.size(), version.size());
        if (line.first(n) == version.first(n))
            versionCanMatch = true;
    }
    if (!versionCanMatch)
        return Verdict::Invalid;
    for (qsizetype i = 9; i < qMin<qsizetype>(line.size(), 12); ++i) {
        if (!isDigit(line[i]))
            return Verdict::Invalid;
    }
    if (line.size() >= 10 && (line[9] < '1' || line[9] > '5'))
        return Verdict::Invalid;  // RFC 9110 15: codes outside 100..599 are invalid
    if (line.size() > 12 && line[12] != ' ')
        return Verdict::Invalid;
    if (line.size() >= 12 && (complete || line.size() > 12))
        return Verdict::Valid;
    return complete ? Verdict::Invalid : Verdict::Undecided;
}

// The bytes of a refusal's body for people: CR LF and lone CRs become LF, so that the text is
// "\n" separated like the rest of the log.
QString bodyText(QByteArrayView body)
{
    QByteArrayView shown = body.first(qMin(body.size(), ShownBodyBytes));
    if (shown.size() < body.size()) {
        // Back over a UTF-8 sequence that the cut split: find its lead byte, and chop it when
        // fewer bytes follow it than it announces.
        qsizetype lead = shown.size() - 1;
        while (lead > 0 && shown.size() - lead < 4
               && (static_cast<unsigned char>(shown[lead]) & 0xc0) == 0x80)
            --lead;
        const auto byte = static_cast<unsigned char>(shown[lead]);
        const qsizetype length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
        if (shown.size() - lead < length)
            shown.truncate(lead);
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(shown);
    if (decoder.hasError())
        return u"(%1 bytes of binary data)"_s.arg(body.size());
    text.replace(u"\r\n"_s, u"\n"_s);
    text.replace(u'\r', u'\n');
    if (shown.size() < body.size())
        text += u"\n(… %1 more bytes)"_s.arg(body.size() - shown.size());
    return text;
}

int defaultPort(const QString &scheme)
{
    if (scheme == u"wss"_s || scheme == u"https"_s)
        return 443;
    return 80;
}

} // namespace

ClientHandshake::ClientHandshake(Request request)
    : m_request(std::move(request))
{
    // A request without a key gets a fresh one: the handshake cannot go without.
    if (m_request.key.isEmpty())
        m_request.key = randomKey();
    buildRequest();
}

QByteArray ClientHandshake::randomKey()
{
    std::array<quint32, 4> words;
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char *>(words.data()), sizeof(words)).toBase64();
}

QByteArray ClientHandshake::expectedAccept(QByteArrayView key)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(key);
    hash.addData(AcceptGuid);
    return hash.result().toBase64();
}

// The rows of the request: the handshake's own in RFC 6455 4.1's order, each replaced in place
// by the user's headers of the same name, then the user's other headers in their order. A row
// whose name is empty or whose name or value holds a CR or LF is dropped, here and in
// requestText(): written raw it would end the head early or smuggle in a header of its own, and
// a handshake that throws is worse for the engine than a row left out (the log shows the
// request as sent, so a missing row is visible).
void ClientHandshake::buildRequest()
{
    const QUrl &url = m_request.url;
    m_target = url.path(QUrl::FullyEncoded).toUtf8();
    if (m_target.isEmpty())
        m_target = "/";
    if (url.hasQuery())
        m_target += '?' + url.query(QUrl::FullyEncoded).toUtf8();

    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    const int port = url.port();
    if (port >= 0 && port != defaultPort(url.scheme()))
        host += ':' + QByteArray::number(port);

    QList<Header> extra;
    for (const Header &header : m_request.headers) {
        if (!header.first.isEmpty() && !hasLineBreak(header.first) && !hasLineBreak(header.second))
            extra.append(header);
    }

    QByteArray origin = m_request.origin.toUtf8();
    if (hasLineBreak(origin))
        origin.clear();
    QByteArrayList protocols;
    for (const QString &protocol : m_request.subprotocols) {
        const QByteArray bytes = protocol.toUtf8();
        if (!bytes.isEmpty() && !hasLineBreak(bytes))
            protocols.append(bytes);
    }
    QByteArray authorization;
    if (!url.userInfo().isEmpty()) {
        authorization = "Basic "
            + (url.userName(QUrl::FullyDecoded) + u':' + url.password(QUrl::FullyDecoded))
                      .toUtf8()
                      .toBase64();
    }
    QByteArray key = m_request.key;
    if (hasLineBreak(key))
        key.clear();

    const std::array<Header, 8> own = {{
        {"Host", host},
        {"Upgrade", "websocket"},
        {"Connection", "Upgrade"},
        {"Sec-WebSocket-Key", key},
        {"Sec-WebSocket-Version", "13"},
        {"Origin", origin},
        {"Sec-WebSocket-Protocol", protocols.join(", ")},
        {"Authorization", authorization},
    }};
    m_sentHeaders.clear();
    for (const Header &row : own) {
        bool replaced = false;
        for (qsizetype i = 0; i < extra.size();) {
            if (equalsIgnoringCase(extra[i].first, row.first)) {
                m_sentHeaders.append(extra.takeAt(i));
                replaced = true;
            } else {
                ++i;
            }
        }
        if (!replaced && !row.second.isEmpty())
            m_sentHeaders.append(row);
    }
    m_sentHeaders += extra;

    // What the answer is checked against is what went, not what the Request said.
    m_sentKey.clear();
    m_offeredProtocols.clear();
    m_offeredExtensions = false;
    bool keySeen = false;
    for (const Header &header : std::as_const(m_sentHeaders)) {
        if (!keySeen && equalsIgnoringCase(header.first, "Sec-WebSocket-Key")) {
            m_sentKey = header.second;
            keySeen = true;
        } else if (equalsIgnoringCase(header.first, "Sec-WebSocket-Protocol")) {
            for (const QByteArray &value : header.second.split(',')) {
                const QByteArray protocol = trimmedOws(value).toByteArray();
                if (!protocol.isEmpty())
                    m_offeredProtocols.append(protocol);
            }
        } else if (equalsIgnoringCase(header.first, "Sec-WebSocket-Extensions")) {
            m_offeredExtensions = true;
        }
    }
}

QByteArray ClientHandshake::requestBytes() const
{
    QByteArray bytes = "GET " + m_target + " HTTP/1.1\r\n";
    for (const Header &header : m_sentHeaders)
        bytes += header.first + ": " + header.second + "\r\n";
    return bytes + "\r\n";
}

QString ClientHandshake::requestText() const
{
    // The target as it went, with the values of secret query parameters masked: the same
    // parameters SecretMasker::maskUrl masks, but the rest kept percent-encoded as sent.
    QString shownTarget = QString::fromUtf8(m_target);
    const qsizetype question = shownTarget.indexOf(u'?');
    if (question >= 0) {
        QStringList items = shownTarget.sliced(question + 1).split(u'&');
        for (QString &item : items) {
            const qsizetype equals = item.indexOf(u'=');
            const QString name = QUrl::fromPercentEncoding(item.first(equals < 0 ? item.size() : equals).toUtf8());
            if (equals >= 0 && SecretMasker::isSecretParameter(name))
                item = item.first(equals + 1) + SecretMasker::Mask.toString();
        }
        shownTarget = shownTarget.first(question + 1) + items.join(u'&');
    }

    QString text = u"GET "_s + shownTarget + u" HTTP/1.1"_s;
    for (const Header &header : m_sentHeaders) {
        const QString name = QString::fromUtf8(header.first);
        text += u'\n' + name + u": "_s
            + SecretMasker::maskHeaderValue(name, QString::fromUtf8(header.second));
    }
    return text;
}

ClientHandshake::Status ClientHandshake::read(QByteArrayView bytes)
{
    if (m_status != Status::Incomplete)
        return m_status;
    if (m_headComplete) {
        appendBody(bytes);
        return m_status;
    }
    m_buffer += bytes;
    if (!m_statusLineChecked && !checkStatusLine())
        return m_status;
    if (m_statusLineChecked)
        scanHead();
    return m_status;
}

// Decides on the first line as soon as it ended, or QuoteBytes of it came: an answer that is
// not HTTP fails at once, however the bytes were cut, and quotes the same bytes. Returns false
// when the handshake failed.
bool ClientHandshake::checkStatusLine()
{
    const qsizetype newline = m_buffer.indexOf('\n');
    QByteArrayView line(m_buffer);
    if (newline >= 0) {
        line = line.first(newline);
        if (line.endsWith('\r'))
            line.chop(1);
    } else if (m_buffer.size() <= QuoteBytes) {
        return true;  // undecided: wait for more
    }
    const Verdict verdict = statusLineVerdict(line, newline >= 0);
    if (verdict == Verdict::Invalid)
        return fail(u"the answer is not HTTP: "_s + quoted(line.first(qMin(line.size(), QuoteBytes))));
    if (line.startsWith("HTTP/1.0") && line.sliced(9, 3) == "101")
        return fail(u"the 101 answer is HTTP/1.0; a WebSocket upgrade needs HTTP/1.1"_s);
    m_statusLineChecked = true;
    return true;
}

// Looks for the empty line that ends the head, from where the last call stopped. Lines may end
// in CR LF or, liberal in what we accept (RFC 9112 2.2), in a bare LF.
void ClientHandshake::scanHead()
{
    const qsizetype end = qMin(m_buffer.size(), MaxHeadBytes);
    for (; m_scanned < end; ++m_scanned) {
        if (m_buffer[m_scanned] != '\n')
            continue;
        const qsizetype lineLength = m_scanned - m_lineStart;
        const bool empty = lineLength == 0 || (lineLength == 1 && m_buffer[m_lineStart] == '\r');
        m_lineStart = m_scanned + 1;
        if (empty) {  // the status line, checked already, is never empty
            ++m_scanned;
            parseHead(m_scanned);
            return;
        }
    }
    if (m_buffer.size() >= MaxHeadBytes)
        fail(u"the answer's head is over 64 KiB"_s);
}

void ClientHandshake::parseHead(qsizetype headSize)
{
    QList<QByteArrayView> lines = httphead::lines(QByteArrayView(m_buffer).first(headSize));

    for (QByteArrayView line : std::as_const(lines)) {
        if (line.contains('\r') || line.contains('\0')) {
            fail(u"the answer's head has a stray CR or NUL byte: "_s + quoted(line.first(qMin(line.size(), 80))));
            return;
        }
    }

    const QByteArrayView statusLine = lines.takeFirst();
    QList<Header> headers;
    for (QByteArrayView line : std::as_const(lines)) {
        if (line.front() == ' ' || line.front() == '\t') {
            fail(u"the answer folds a header over two lines (obsolete line folding): "_s
                 + quoted(line.first(qMin(line.size(), 80))));
            return;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon < 0) {
            fail(u"the answer has a header line without a colon: "_s
                 + quoted(line.first(qMin(line.size(), 80))));
            return;
        }
        const QByteArrayView name = line.first(colon);
        if (name.isEmpty()) {
            fail(u"the answer has a header without a name: "_s + quoted(line.first(qMin(line.size(), 80))));
            return;
        }
        if (name.back() == ' ' || name.back() == '\t') {
            // RFC 9112 5.1: no whitespace between a field's name and its colon.
            fail(u"the answer has whitespace between a header's name and its colon: "_s
                 + quoted(line.first(qMin(line.size(), 80))));
            return;
        }
        headers.append({name.toByteArray(), trimmedOws(line.sliced(colon + 1)).toByteArray()});
    }

    m_headComplete = true;
    m_httpVersion = statusLine.first(8).toByteArray();
    m_httpStatus = statusLine.sliced(9, 3).toInt();
    m_reasonPhrase = statusLine.size() > 13 ? statusLine.sliced(13).toByteArray() : QByteArray();
    m_responseHeaders = headers;
    // A copy: m_buffer is cleared below, and a view of it would dangle.
    const QByteArray rest = m_buffer.sliced(headSize);

    if (m_httpStatus == 101) {
        if (checkUpgrade()) {
            m_status = Status::Accepted;
            m_leftover = rest;
        }
        m_buffer.clear();
        return;
    }

    // A 1xx other than 101 (100 Continue, 103 Early Hints) is an interim answer in HTTP, but the
    // upgrade asked for no body and expects nothing of the kind: taken as the answer, a
    // refusal, with no body (RFC 9110 6.4.1: 1xx, 204 and 304 have none).
    const bool noBody = m_httpStatus < 200 || m_httpStatus == 204 || m_httpStatus == 304;
    m_bodyExpected = noBody ? 0 : bodyLength();
    m_buffer.clear();
    if (m_bodyExpected < 0 || m_bodyExpected > MaxBodyBytes) {
        // No length we can wait for: what came with the head is all the log gets.
        m_body = rest.first(qMin(rest.size(), MaxBodyBytes));
        refuse();
        return;
    }
    appendBody(rest);
}

// The refusal's Content-Length, or -1 when it has none we can trust (RFC 9112 6.3: a
// Transfer-Encoding overrides it; several different values make it invalid).
qint64 ClientHandshake::bodyLength() const
{
    qint64 length = -1;
    for (const Header &header : m_responseHeaders) {
        if (equalsIgnoringCase(header.first, "Transfer-Encoding"))
            return -1;
        if (!equalsIgnoringCase(header.first, "Content-Length"))
            continue;
        for (const QByteArray &part : header.second.split(',')) {
            const QByteArrayView digits = trimmedOws(part);
            if (digits.isEmpty() || digits.size() > 15
                || !std::all_of(digits.begin(), digits.end(), isDigit))
                return -1;
            const qint64 value = digits.toLongLong();
            if (length >= 0 && value != length)
                return -1;
            length = value;
        }
    }
    return length;
}

void ClientHandshake::appendBody(QByteArrayView bytes)
{
    const qsizetype wanted = qsizetype(m_bodyExpected) - m_body.size();
    m_body += bytes.first(qMin(bytes.size(), wanted));
    if (m_body.size() >= m_bodyExpected)
        refuse();
}

void ClientHandshake::refuse()
{
    m_status = Status::Refused;
    m_failure = u"refused with HTTP %1"_s.arg(m_httpStatus);
    if (!m_reasonPhrase.isEmpty())
        m_failure += u' ' + QString::fromUtf8(m_reasonPhrase);
}

// RFC 6455 4.2.2 point 5 and 4.1's client checks of a 101. Several lines of one header count as
// one comma-separated value (RFC 9110 5.3), so two Sec-WebSocket-Accept lines never match.
bool ClientHandshake::checkUpgrade()
{
    const QByteArray upgrade = combinedHeader("Upgrade");
    if (upgrade.isNull())
        return fail(u"the 101 answer has no Upgrade header"_s);
    if (!equalsIgnoringCase(upgrade, "websocket"))
        return fail(u"the 101 answer upgrades to %1, not to websocket"_s.arg(quoted(upgrade)));

    const QByteArray connection = combinedHeader("Connection");
    if (connection.isNull())
        return fail(u"the 101 answer has no Connection header"_s);
    bool upgradeToken = false;
    for (const QByteArray &token : connection.split(',')) {
        if (equalsIgnoringCase(trimmedOws(token), "upgrade"))
            upgradeToken = true;
    }
    if (!upgradeToken)
        return fail(u"the 101 answer's Connection header does not say upgrade: %1"_s.arg(quoted(connection)));

    const QByteArray accept = combinedHeader("Sec-WebSocket-Accept");
    if (accept.isNull())
        return fail(u"the 101 answer has no Sec-WebSocket-Accept"_s);
    if (accept != expectedAccept(m_sentKey))
        return fail(u"Sec-WebSocket-Accept does not match the key sent"_s);

    const QByteArray extensions = combinedHeader("Sec-WebSocket-Extensions");
    if (!extensions.isEmpty()) {
        // wsprobe speaks no extension; a user who offered one by hand sees why it failed.
        return fail(m_offeredExtensions
                        ? u"the server chose extension %1, which wsprobe does not support"_s.arg(quoted(extensions))
                        : u"the server chose extension %1, which was not offered"_s.arg(quoted(extensions)));
    }

    const QByteArray protocol = combinedHeader("Sec-WebSocket-Protocol");
    if (!protocol.isEmpty()) {
        if (protocol.contains(','))
            return fail(u"the server chose several subprotocols, %1, where one was allowed"_s.arg(quoted(protocol)));
        if (!m_offeredProtocols.contains(protocol))
            return fail(u"the server chose subprotocol %1, which was not offered"_s.arg(quoted(protocol)));
        m_subprotocol = QString::fromUtf8(protocol);
    }
    return true;
}

// Every line of the header joined by ", ", or a null QByteArray when there is none.
QByteArray ClientHandshake::combinedHeader(QByteArrayView name) const
{
    QByteArray value;
    bool found = false;
    for (const Header &header : m_responseHeaders) {
        if (!equalsIgnoringCase(header.first, name))
            continue;
        if (found)
            value += ", ";
        value += header.second;
        found = true;
    }
    if (found && value.isNull())
        value = QByteArray("");
    return value;
}

bool ClientHandshake::fail(const QString &why)
{
    m_status = Status::Failed;
    m_failure = why;
    m_buffer.clear();
    m_leftover.clear();
    return false;
}

ClientHandshake::Status ClientHandshake::endOfStream()
{
    if (m_status != Status::Incomplete)
        return m_status;
    if (m_headComplete) {
        refuse();  // a refusal whose body was cut short: what came is kept
        return m_status;
    }
    if (m_buffer.isEmpty()) {
        fail(u"the server ended the connection before answering the upgrade"_s);
        return m_status;
    }
    if (!m_statusLineChecked) {
        QByteArrayView line(m_buffer);
        const qsizetype newline = line.indexOf('\n');
        if (newline >= 0)
            line = line.first(newline);
        if (statusLineVerdict(line, false) == Verdict::Invalid) {
            fail(u"the answer is not HTTP: "_s + quoted(line.first(qMin(line.size(), QuoteBytes))));
            return m_status;
        }
    }
    fail(u"the server ended the connection in the middle of its answer"_s);
    return m_status;
}

QByteArray ClientHandshake::responseHeader(QByteArrayView name) const
{
    for (const Header &header : m_responseHeaders) {
        if (equalsIgnoringCase(header.first, name))
            return header.second.isNull() ? QByteArray("") : header.second;
    }
    return {};
}

QString ClientHandshake::responseText() const
{
    if (m_httpStatus == 0)
        return {};
    QString text = QString::fromLatin1(m_httpVersion) + u' ' + QString::number(m_httpStatus);
    if (!m_reasonPhrase.isEmpty())
        text += u' ' + QString::fromUtf8(m_reasonPhrase);
    for (const Header &header : m_responseHeaders) {
        const QString name = QString::fromUtf8(header.first);
        text += u'\n' + name + u": "_s
            + SecretMasker::maskHeaderValue(name, QString::fromUtf8(header.second));
    }
    // An empty body adds nothing: no empty line after a head that said it all.
    if (m_httpStatus != 101 && !m_body.isEmpty())
        text += u"\n\n"_s + bodyText(m_body);
    return text;
}

QByteArray ClientHandshake::takeLeftover()
{
    return std::exchange(m_leftover, {});
}

} // namespace wsprobe
