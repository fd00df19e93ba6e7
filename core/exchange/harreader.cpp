#include "harreader.h"

#include "locatedjson.h"

#include <QDateTime>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe::HarReader {
namespace {

// Times are kept in nanoseconds since the epoch, in 64 bits: that reaches the year 2262.
constexpr double MaxEpochSeconds = 9e9;

// Reads one HAR entry; every problem is reported where it is.
class EntryReader
{
public:
    EntryReader(const QString &fileName, JsonError *error) : m_fileName(fileName), m_error(error) {}

    bool isWebSocket(const LocatedValue &entry) const
    {
        if (string(entry, u"_resourceType") == "websocket"_L1)
            return true;
        const LocatedValue *response = member(entry, u"response");
        if (response && member(*response, u"status") && member(*response, u"status")->toDouble() == 101)
            return true;
        const LocatedValue *request = member(entry, u"request");
        const QString url = request ? string(*request, u"url") : QString();
        return url.startsWith(u"ws://"_s) || url.startsWith(u"wss://"_s);
    }

    bool read(const LocatedValue &entry, CapturedConnection *connection)
    {
        const LocatedValue *request = member(entry, u"request");
        if (!request || !request->isObject())
            return fail(entry.location(), u"a WebSocket entry needs a \"request\" object"_s);
        const LocatedValue *url = member(*request, u"url");
        if (!url || !url->isString())
            return fail(request->location(), u"the request needs a \"url\" string"_s);
        connection->settings.url = webSocketUrl(url->toString());
        const QString scheme = connection->settings.url.scheme();
        if (!connection->settings.url.isValid() || connection->settings.url.host().isEmpty()
            || (scheme != "ws"_L1 && scheme != "wss"_L1))
            return fail(url->location(), u"not a WebSocket URL: %1"_s.arg(url->describe()));
        if (const LocatedValue *headers = member(*request, u"headers")) {
            if (!headers->isArray())
                return fail(headers->location(), u"\"headers\" must be an array of {name, value}"_s);
            for (const LocatedValue &header : headers->elements()) {
                const LocatedValue *name = member(header, u"name");
                const LocatedValue *value = member(header, u"value");
                if (!name || !name->isString() || !value || !value->isString())
                    return fail(header.location(), u"a header needs \"name\" and \"value\" strings"_s);
                addCapturedHeader(connection->settings, name->toString(), value->toString());
            }
        }

        qint64 startedMs = 0;
        if (const LocatedValue *started = member(entry, u"startedDateTime")) {
            const QDateTime time = QDateTime::fromString(started->toString(), Qt::ISODateWithMs);
            if (!started->isString() || !time.isValid() || time.toMSecsSinceEpoch() < 0
                || time.toMSecsSinceEpoch() >= MaxEpochSeconds * 1000)
                return fail(started->location(), u"\"startedDateTime\" must be an ISO 8601 date and time "
                                                 "from 1970 to 2255"_s);
            startedMs = time.toMSecsSinceEpoch();
        }

        const LocatedValue *messages = member(entry, u"_webSocketMessages");
        if (messages && !messages->isArray())
            return fail(messages->location(), u"\"_webSocketMessages\" must be an array"_s);
        std::vector<FrameEvent> frames;
        if (messages) {
            for (const LocatedValue &message : messages->elements()) {
                std::optional<FrameEvent> event = readMessage(message);
                if (!event)
                    return false;
                if (event->kind != EventKind::Info)
                    frames.push_back(std::move(*event));
            }
        }
        if (startedMs == 0 && !frames.empty())
            startedMs = frames.front().wallMs;
        // A refused upgrade (DevTools keep those too) is replayed as one: expect the refusal.
        const LocatedValue *response = member(entry, u"response");
        const LocatedValue *status = response ? member(*response, u"status") : nullptr;
        if (status && status->isNumber() && status->toDouble() >= 200 && status->toDouble() < 1000
            && status->toDouble() != 101 && frames.empty()) {
            connection->refusedStatus = int(status->toDouble());
            connection->refusedAtMs = startedMs;
            return true;
        }

        // The upgrade, accepted when the capture began: what the recorder starts a client at.
        FrameEvent opened;
        opened.kind = EventKind::Handshake;
        opened.direction = Direction::Incoming;
        opened.wallMs = startedMs;
        opened.monotonicNs = startedMs * 1'000'000;
        opened.text = u"HTTP/1.1 101 Switching Protocols"_s;
        opened.httpStatus = 101;
        connection->events.push_back(std::move(opened));
        for (FrameEvent &frame : frames)
            connection->events.push_back(std::move(frame));
        return true;
    }

private:
    static const LocatedValue *member(const LocatedValue &object, QStringView key)
    {
        const LocatedMember *found = object.member(key);
        return found ? &found->value : nullptr;
    }

    static QString string(const LocatedValue &object, QStringView key)
    {
        const LocatedValue *value = member(object, key);
        return value ? value->toString() : QString();
    }

    bool fail(SourceLocation where, const QString &message)
    {
        if (m_error)
            *m_error = JsonError{m_fileName, where, message};
        return false;
    }

    // A message as an event; an Info event for opcodes DevTools log but scenarios do not send
    // (control frames).
    std::optional<FrameEvent> readMessage(const LocatedValue &message)
    {
        if (!message.isObject()) {
            fail(message.location(), u"a WebSocket message must be an object, found %1"_s.arg(message.describe()));
            return std::nullopt;
        }
        const LocatedValue *type = member(message, u"type");
        const LocatedValue *time = member(message, u"time");
        const LocatedValue *opcode = member(message, u"opcode");
        const LocatedValue *data = member(message, u"data");
        if (!type || (type->toString() != "send"_L1 && type->toString() != "receive"_L1)) {
            fail(type ? type->location() : message.location(), u"\"type\" must be \"send\" or \"receive\""_s);
            return std::nullopt;
        }
        if (!time || !time->isNumber() || !(time->toDouble() >= 0 && time->toDouble() < MaxEpochSeconds)) {
            fail(time ? time->location() : message.location(),
                 u"\"time\" must be a number of seconds since the epoch (before the year 2255)"_s);
            return std::nullopt;
        }
        if (!opcode || !opcode->isNumber()) {
            fail(opcode ? opcode->location() : message.location(), u"\"opcode\" must be a number (1 text, 2 binary)"_s);
            return std::nullopt;
        }
        if (!data || !data->isString()) {
            fail(data ? data->location() : message.location(), u"\"data\" must be a string"_s);
            return std::nullopt;
        }
        FrameEvent event;
        const int code = opcode->toDouble() == 1 ? 1 : opcode->toDouble() == 2 ? 2 : 0;
        if (code != 1 && code != 2)
            return event;  // Info: skipped
        event.direction = type->toString() == "send"_L1 ? Direction::Outgoing : Direction::Incoming;
        event.wallMs = std::llround(time->toDouble() * 1000.0);
        // Microseconds: what a double of seconds since the epoch still holds exactly.
        event.monotonicNs = std::llround(time->toDouble() * 1e6) * 1000;
        if (code == 1) {
            event.kind = EventKind::Text;
            event.text = data->toString();
            event.size = utf8Length(event.text);
        } else {
            auto bytes = QByteArray::fromBase64Encoding(data->toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
            if (!bytes) {
                fail(data->location(), u"a binary message (opcode 2) must be base64"_s);
                return std::nullopt;
            }
            event.kind = EventKind::Binary;
            event.data = *bytes;
            event.size = event.data.size();
        }
        return event;
    }

    QString m_fileName;
    JsonError *m_error;
};

bool readRoot(const LocatedValue &root, const QString &fileName, QList<CapturedConnection> *connections,
              JsonError *error)
{
    const auto fail = [&](SourceLocation where, const QString &message) {
        if (error)
            *error = JsonError{fileName, where, message};
        return false;
    };
    const LocatedMember *log = root.member(u"log");
    if (!root.isObject() || !log || !log->value.isObject())
        return fail(root.location(), u"not a HAR file: expected an object with a \"log\" object"_s);
    const LocatedMember *entries = log->value.member(u"entries");
    if (!entries || !entries->value.isArray())
        return fail(log->value.location(), u"not a HAR file: \"log\" needs an \"entries\" array"_s);
    EntryReader reader(fileName, error);
    for (const LocatedValue &entry : entries->value.elements()) {
        if (!entry.isObject())
            return fail(entry.location(), u"an entry must be an object, found %1"_s.arg(entry.describe()));
        if (!reader.isWebSocket(entry))
            continue;
        CapturedConnection connection;
        if (!reader.read(entry, &connection))
            return false;
        connections->append(std::move(connection));
    }
    if (connections->isEmpty())
        return fail(entries->value.location(), u"the HAR holds no WebSocket connection (no entry with "
                                               "\"_resourceType\": \"websocket\", a 101 response or a ws:// URL)"_s);
    return true;
}

} // namespace

bool read(const QString &path, QList<CapturedConnection> *connections, JsonError *error)
{
    const std::optional<LocatedValue> root = LocatedJson::parseFile(path, error);
    return root && readRoot(*root, path, connections, error);
}

bool parse(QStringView text, const QString &fileName, QList<CapturedConnection> *connections,
           JsonError *error)
{
    const std::optional<LocatedValue> root = LocatedJson::parse(text, fileName, error);
    return root && readRoot(*root, fileName, connections, error);
}

} // namespace wsprobe::HarReader
