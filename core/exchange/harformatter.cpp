#include "harformatter.h"

#include "secretmasker.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QJsonObject nameValue(const QString &name, const QString &value)
{
    return QJsonObject{{u"name"_s, name}, {u"value"_s, value}};
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// "Subprotocol: chat" in the logged 101 -> "chat"; "(none)" -> "".
// The answer as logged: "HTTP/1.1 101 Switching Protocols", "Name: value" lines, then (for a
// refusal) an empty line and the body.
struct LoggedResponse
{
    QString statusText;
    QList<std::pair<QString, QString>> headers;
};

LoggedResponse parseResponse(const QString &responseText)
{
    LoggedResponse response;
    const QStringList lines = responseText.split(u'\n');
    if (lines.isEmpty())
        return response;
    response.statusText = lines.first().section(u' ', 2);
    for (qsizetype i = 1; i < lines.size() && !lines[i].isEmpty(); ++i) {
        const qsizetype colon = lines[i].indexOf(u':');
        if (colon > 0)
            response.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    return response;
}

} // namespace

HarFormatter::HarFormatter(const ExportOptions &options) : m_options(options) {}

QString HarFormatter::masked(const QString &text) const
{
    return m_options.mask ? m_options.mask(text) : text;
}

QByteArray HarFormatter::begin()
{
    const QString version = QCoreApplication::applicationVersion();
    const QJsonObject creator{{u"name"_s, u"wsprobe"_s}, {u"version"_s, version.isEmpty() ? u"unknown"_s : version}};
    return R"({"log":{"version":"1.2","creator":)" + compact(creator) + R"(,"pages":[],"entries":[)";
}

QByteArray HarFormatter::openEntry(qint64 startedMs, const QString &requestText)
{
    QByteArray bytes = closeEntry();
    if (!m_firstEntry)
        bytes += ',';
    m_firstEntry = false;
    m_entryOpen = true;
    m_firstMessage = true;
    m_entry = Entry();
    m_entry.startedMs = startedMs;
    m_entry.lastMs = startedMs;
    m_entry.requestText = requestText;
    bytes += R"({"_resourceType":"websocket","_webSocketMessages":[)";
    return bytes;
}

QByteArray HarFormatter::event(const FrameEvent &event, qint64)
{
    QByteArray bytes;
    if (event.kind == EventKind::Handshake && event.direction == Direction::Outgoing)
        return openEntry(event.wallMs, event.text);
    if (!m_entryOpen && (event.isMessage() || event.kind == EventKind::Handshake))
        bytes += openEntry(event.wallMs, {});  // rows picked without their upgrade
    if (!m_entryOpen)
        return bytes;
    m_entry.lastMs = std::max(m_entry.lastMs, event.wallMs);
    if (event.kind == EventKind::Handshake && event.direction == Direction::Incoming) {
        // Logs made before answers carried their status held only 101s.
        m_entry.status = event.httpStatus != 0 ? event.httpStatus : 101;
        m_entry.responseText = event.text;
    } else if (event.kind == EventKind::Error && event.httpStatus != 0 && m_entry.status == 0) {
        m_entry.status = event.httpStatus;
    } else if (event.isMessage() && event.direction != Direction::Local) {
        const bool binary = event.kind == EventKind::Binary;
        QJsonObject message{
            {u"type"_s, event.direction == Direction::Outgoing ? u"send"_s : u"receive"_s},
            {u"time"_s, double(event.wallMs) / 1000.0},
            {u"opcode"_s, binary ? 2 : 1},
            {u"data"_s, binary ? QString::fromLatin1(event.data.toBase64()) : masked(event.text)},
        };
        if (!m_firstMessage)
            bytes += ',';
        m_firstMessage = false;
        bytes += compact(message);
    }
    return bytes;
}

QByteArray HarFormatter::closeEntry()
{
    if (!m_entryOpen)
        return {};
    m_entryOpen = false;

    // The logged request: "GET /path?query HTTP/1.1", then "Name: value" lines.
    const QStringList lines = m_entry.requestText.split(u'\n', Qt::SkipEmptyParts);
    QString target = u"/"_s;
    QString host;
    QJsonArray headers;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        if (i == 0 && line.startsWith(u"GET "_s)) {
            target = line.section(u' ', 1, 1);
            continue;
        }
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0)
            continue;
        const QString name = line.left(colon).trimmed();
        const QString value = line.mid(colon + 1).trimmed();
        if (name.compare(u"host"_s, Qt::CaseInsensitive) == 0)
            host = value;
        headers.append(nameValue(name, masked(SecretMasker::maskHeaderValue(name, value))));
    }
    QUrl url = m_options.url;
    if (!host.isEmpty()) {
        const QString scheme = url.scheme().isEmpty() ? u"ws"_s : url.scheme();
        url = QUrl(scheme + u"://"_s + host + target);
    }
    const QString urlText = masked(SecretMasker::maskUrl(url));
    QJsonArray queryString;
    for (const auto &item : QUrlQuery(QUrl(urlText)).queryItems(QUrl::FullyDecoded))
        queryString.append(nameValue(item.first, item.second));

    QJsonObject request{
        {u"method"_s, u"GET"_s}, {u"url"_s, urlText}, {u"httpVersion"_s, u"HTTP/1.1"_s},
        {u"cookies"_s, QJsonArray()}, {u"headers"_s, headers}, {u"queryString"_s, queryString},
        {u"headersSize"_s, -1}, {u"bodySize"_s, 0},
    };
    // The answer's headers as the server sent them (secrets were masked when it was logged).
    const LoggedResponse logged = parseResponse(m_entry.responseText);
    QJsonArray responseHeaders;
    for (const auto &[name, value] : logged.headers)
        responseHeaders.append(nameValue(name, masked(value)));
    QJsonObject response{
        {u"status"_s, m_entry.status},
        {u"statusText"_s, !logged.statusText.isEmpty() ? logged.statusText
                              : m_entry.status == 101 ? u"Switching Protocols"_s : QString()},
        {u"httpVersion"_s, u"HTTP/1.1"_s}, {u"cookies"_s, QJsonArray()}, {u"headers"_s, responseHeaders},
        {u"content"_s, QJsonObject{{u"size"_s, 0}, {u"mimeType"_s, u"x-unknown"_s}}},
        {u"redirectURL"_s, QString()}, {u"headersSize"_s, -1}, {u"bodySize"_s, 0},
    };
    const qint64 durationMs = m_entry.lastMs - m_entry.startedMs;
    QJsonObject timings{
        {u"blocked"_s, -1}, {u"dns"_s, -1}, {u"connect"_s, -1}, {u"ssl"_s, -1},
        {u"send"_s, 0}, {u"wait"_s, double(durationMs)}, {u"receive"_s, 0},
    };
    QByteArray bytes = "],";
    bytes += "\"startedDateTime\":\"" + isoTime(m_entry.startedMs).toLatin1() + '"';
    bytes += ",\"time\":" + QByteArray::number(durationMs);
    bytes += ",\"request\":" + compact(request);
    bytes += ",\"response\":" + compact(response);
    bytes += ",\"cache\":{},\"timings\":" + compact(timings) + '}';
    return bytes;
}

QByteArray HarFormatter::end()
{
    return closeEntry() + "]}}\n";
}

} // namespace wsprobe
