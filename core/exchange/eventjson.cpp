#include "eventjson.h"

#include <QDateTime>


#include <array>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace wsprobe::EventJson {
namespace {

constexpr std::array KindNames = {
    std::pair(EventKind::Text, u"text"), std::pair(EventKind::Binary, u"binary"),
    std::pair(EventKind::TextFrame, u"textFrame"), std::pair(EventKind::BinaryFrame, u"binaryFrame"),
    std::pair(EventKind::Ping, u"ping"), std::pair(EventKind::Pong, u"pong"),
    std::pair(EventKind::Close, u"close"), std::pair(EventKind::Handshake, u"handshake"),
    std::pair(EventKind::Error, u"error"), std::pair(EventKind::Info, u"info"),
};
constexpr std::array DirectionNames = {
    std::pair(Direction::Outgoing, u"out"), std::pair(Direction::Incoming, u"in"),
    std::pair(Direction::Local, u"local"),
};
constexpr std::array ErrorNames = {
    std::pair(ErrorKind::None, u"none"), std::pair(ErrorKind::ConnectionRefused, u"connectionRefused"),
    std::pair(ErrorKind::HostNotFound, u"hostNotFound"), std::pair(ErrorKind::Timeout, u"timeout"),
    std::pair(ErrorKind::Tls, u"tls"), std::pair(ErrorKind::HandshakeRejected, u"handshakeRejected"),
    std::pair(ErrorKind::RemoteClosed, u"remoteClosed"), std::pair(ErrorKind::Network, u"network"),
    std::pair(ErrorKind::Protocol, u"protocol"), std::pair(ErrorKind::Other, u"other"),
};
constexpr std::array InitiatorNames = {
    std::pair(CloseInitiator::Client, u"client"), std::pair(CloseInitiator::Server, u"server"),
    std::pair(CloseInitiator::Nobody, u"nobody"),
};

template <typename Names, typename Enum>
QString nameOf(const Names &names, Enum value)
{
    for (const auto &[v, name] : names) {
        if (v == value)
            return QString::fromUtf16(name);
    }
    return {};
}

template <typename Enum, typename Names>
std::optional<Enum> valueOf(const Names &names, const QString &name)
{
    for (const auto &[v, n] : names) {
        if (name == QStringView(n))
            return v;
    }
    return std::nullopt;
}

// Payloads the log keeps as bytes; every other kind keeps text.
bool keepsBytes(EventKind kind)
{
    return kind == EventKind::Binary || kind == EventKind::BinaryFrame || kind == EventKind::Ping
        || kind == EventKind::Pong;
}

} // namespace

QString kindName(EventKind kind) { return nameOf(KindNames, kind); }
QString directionName(Direction direction) { return nameOf(DirectionNames, direction); }
QString errorName(ErrorKind error) { return nameOf(ErrorNames, error); }
QString initiatorName(CloseInitiator initiator) { return nameOf(InitiatorNames, initiator); }

QJsonObject toJson(const FrameEvent &event, qint64 sequence, const Mask &mask, const QString &url)
{
    const auto masked = [&mask](const QString &text) { return mask ? mask(text) : text; };
    QJsonObject object;
    object.insert(u"seq"_s, sequence);
    object.insert(u"time"_s, QDateTime::fromMSecsSinceEpoch(event.wallMs, Qt::UTC).toString(Qt::ISODateWithMs));
    object.insert(u"wallMs"_s, event.wallMs);
    object.insert(u"monotonicNs"_s, event.monotonicNs);
    object.insert(u"direction"_s, directionName(event.direction));
    object.insert(u"kind"_s, kindName(event.kind));
    object.insert(u"size"_s, event.size);
    if (event.kind == EventKind::TextFrame || event.kind == EventKind::BinaryFrame)
        object.insert(u"final"_s, event.finalFrame);
    if (event.kind == EventKind::Close) {
        object.insert(u"closeCode"_s, int(event.closeCode));
        object.insert(u"closeReason"_s, masked(event.text));
        object.insert(u"closeInitiator"_s, initiatorName(event.closeInitiator));
        object.insert(u"clean"_s, event.cleanClose);
    } else if (keepsBytes(event.kind)) {
        object.insert(u"encoding"_s, u"base64"_s);
        object.insert(u"payload"_s, QString::fromLatin1(event.data.toBase64()));
    } else {
        object.insert(u"encoding"_s, u"text"_s);
        object.insert(u"payload"_s, masked(event.text));
    }
    if (event.kind == EventKind::Error)
        object.insert(u"error"_s, errorName(event.error));
    if (event.httpStatus != 0)
        object.insert(u"httpStatus"_s, int(event.httpStatus));
    if (event.rttNs >= 0)
        object.insert(u"rttNs"_s, event.rttNs);
    if (event.kind == EventKind::Handshake && event.direction == Direction::Outgoing && !url.isEmpty())
        object.insert(u"url"_s, masked(url));
    return object;
}

std::optional<FrameEvent> fromJson(const QJsonObject &object, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    FrameEvent event;
    const std::optional<EventKind> kind = valueOf<EventKind>(KindNames, object.value(u"kind"_s).toString());
    if (!kind)
        return fail(u"\"kind\" must be one of text, binary, textFrame, binaryFrame, ping, pong, close, handshake, error, info"_s);
    event.kind = *kind;
    const std::optional<Direction> direction = valueOf<Direction>(DirectionNames, object.value(u"direction"_s).toString());
    if (!direction)
        return fail(u"\"direction\" must be out, in or local"_s);
    event.direction = *direction;
    for (const QString &key : {u"wallMs"_s, u"monotonicNs"_s, u"size"_s, u"closeCode"_s, u"httpStatus"_s, u"rttNs"_s}) {
        if (object.contains(key) && !object.value(key).isDouble())
            return fail(u"\"%1\" must be a number"_s.arg(key));
    }
    event.wallMs = object.value(u"wallMs"_s).toInteger();
    // Without its monotonic time, an event is spaced by its wall-clock time (in range, or not at all).
    event.monotonicNs = object.contains(u"monotonicNs"_s) ? object.value(u"monotonicNs"_s).toInteger()
        : event.wallMs >= 0 && event.wallMs < std::numeric_limits<qint64>::max() / 1'000'000 ? event.wallMs * 1'000'000
                                                                                              : 0;
    event.size = object.value(u"size"_s).toInteger();
    event.rttNs = object.value(u"rttNs"_s).toInteger(-1);
    event.httpStatus = quint16(object.value(u"httpStatus"_s).toInt());
    event.finalFrame = object.value(u"final"_s).toBool(true);
    if (event.kind == EventKind::Close) {
        event.closeCode = quint16(object.value(u"closeCode"_s).toInt());
        event.text = object.value(u"closeReason"_s).toString();
        const auto initiator = valueOf<CloseInitiator>(InitiatorNames, object.value(u"closeInitiator"_s).toString());
        event.closeInitiator = initiator.value_or(CloseInitiator::Nobody);
        event.cleanClose = object.value(u"clean"_s).toBool();
    } else {
        const QJsonValue payload = object.value(u"payload"_s);
        if (!payload.isUndefined() && !payload.isString())
            return fail(u"\"payload\" must be a string"_s);
        const QString encoding = object.value(u"encoding"_s).toString(keepsBytes(event.kind) ? u"base64"_s : u"text"_s);
        if (encoding == "base64"_L1) {
            auto decoded = QByteArray::fromBase64Encoding(payload.toString().toLatin1(),
                                                          QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return fail(u"\"payload\" is not valid base64"_s);
            if (keepsBytes(event.kind))
                event.data = *decoded;
            else
                event.text = QString::fromUtf8(*decoded);
        } else if (encoding == "text"_L1) {
            if (keepsBytes(event.kind))
                event.data = payload.toString().toUtf8();
            else
                event.text = payload.toString();
        } else {
            return fail(u"\"encoding\" must be text or base64"_s);
        }
    }
    if (event.kind == EventKind::Error)
        event.error = valueOf<ErrorKind>(ErrorNames, object.value(u"error"_s).toString()).value_or(ErrorKind::Other);
    return event;
}

} // namespace wsprobe::EventJson
