#include "jsonlreader.h"

#include "eventjson.h"
#include "inputfilereader.h"
#include "locatedjson.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wsprobe::JsonlReader {
namespace {

constexpr qint64 MaxWallMs = 9'000'000'000'000;           // the year 2255
constexpr qint64 MaxMonotonicNs = 4'000'000'000'000'000'000;  // 126 years of uptime

// The settings an upgrade request as logged describes ("GET /path HTTP/1.1", "Name: value").
SessionSettings settingsFrom(const QString &requestText, const QString &urlText)
{
    SessionSettings settings;
    QString target = u"/"_s;
    QString host;
    const QStringList lines = requestText.split(u'\n', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i == 0 && lines[i].startsWith(u"GET "_s)) {
            target = lines[i].section(u' ', 1, 1);
            continue;
        }
        const qsizetype colon = lines[i].indexOf(u':');
        if (colon <= 0)
            continue;
        const QString name = lines[i].left(colon).trimmed();
        const QString value = lines[i].mid(colon + 1).trimmed();
        if (name.compare(u"host"_s, Qt::CaseInsensitive) == 0)
            host = value;
        addCapturedHeader(settings, name, value);
    }
    settings.url = !urlText.isEmpty() ? webSocketUrl(urlText) : QUrl(u"ws://"_s + host + target);
    return settings;
}

} // namespace

bool parse(QStringView text, const QString &fileName, CapturedConnection *connection, JsonError *error)
{
    QString requestText;
    QString url;
    int lineNumber = 0;
    for (QStringView line : text.split(u'\n')) {
        ++lineNumber;
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        JsonError lineError;
        const std::optional<LocatedValue> value = LocatedJson::parse(line, fileName, &lineError);
        if (!value || !value->isObject()) {
            if (error) {
                *error = value ? JsonError{fileName, {lineNumber, 1}, u"each line must be one JSON object (an event)"_s}
                               : JsonError{fileName, {lineNumber, lineError.where.column}, lineError.message};
            }
            return false;
        }
        const QJsonObject object = value->toJsonValue().toObject();
        QString problem;
        std::optional<FrameEvent> event = EventJson::fromJson(object, &problem);
        if (!event) {
            if (error)
                *error = JsonError{fileName, {lineNumber, 1}, problem};
            return false;
        }
        // Differences of these times are taken when the scenario is built: keep them in range.
        if (event->wallMs < 0 || event->wallMs >= MaxWallMs || event->monotonicNs < 0 || event->monotonicNs >= MaxMonotonicNs) {
            if (error)
                *error = JsonError{fileName, {lineNumber, 1}, u"\"wallMs\" or \"monotonicNs\" is out of range"_s};
            return false;
        }
        // An answer written without its status: its status line says it, else it is a 101 (the
        // only answer logs held before refusals were logged as answers).
        if (event->kind == EventKind::Handshake && event->direction == Direction::Incoming
            && event->httpStatus == 0) {
            const uint status = event->text.section(u' ', 1, 1).toUInt();
            event->httpStatus = quint16(status >= 100 && status < 600 ? status : 101);
        }
        if (event->kind == EventKind::Handshake && event->direction == Direction::Outgoing) {
            requestText = event->text;
            url = object.value(u"url"_s).toString();
        }
        connection->events.push_back(std::move(*event));
    }
    if (requestText.isEmpty()) {
        if (error)
            *error = JsonError{fileName, {}, u"the log holds no upgrade request (a \"handshake\" event going \"out\"): "
                                             "nothing says where to connect"_s};
        return false;
    }
    connection->settings = settingsFrom(requestText, url);
    return true;
}

bool read(const QString &path, CapturedConnection *connection, JsonError *error)
{
    InputFileReader reader;
    const std::optional<QByteArray> data = reader.read(path);
    if (!data) {
        if (error)
            *error = JsonError{path, {}, reader.error()};
        return false;
    }
    const QString text = QString::fromUtf8(*data);
    return parse(text, path, connection, error);
}

} // namespace wsprobe::JsonlReader
