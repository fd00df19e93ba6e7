#include "eventtext.h"

#include "closecodes.h"

#include <QDateTime>

#include <limits>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QString hexPreview(const QByteArray &data, int maxBytes)
{
    QString hex = QString::fromLatin1(data.left(maxBytes).toHex(' '));
    if (data.size() > maxBytes)
        hex += u" …"_s;
    return hex;
}

} // namespace

QString oneLine(QStringView text, int maxChars)
{
    QString line = text.left(maxChars).toString();
    for (QChar &c : line) {
        if (c == u'\n' || c == u'\r' || c == u'\t')
            c = u' ';
    }
    if (text.size() > maxChars)
        line += u'…';
    return line;
}

QString directionText(Direction direction)
{
    switch (direction) {
    case Direction::Outgoing: return u"↑ out"_s;
    case Direction::Incoming: return u"↓ in"_s;
    case Direction::Local: return u"• local"_s;
    }
    return {};
}

QString sizeText(qint64 bytes)
{
    if (bytes < 1024)
        return QString::number(bytes) + u" B"_s;
    if (bytes < 1024 * 1024)
        return QString::number(bytes / 1024.0, 'f', 1) + u" KiB"_s;
    return QString::number(bytes / (1024.0 * 1024.0), 'f', 1) + u" MiB"_s;
}

QString timeText(const FrameEvent &event)
{
    return QDateTime::fromMSecsSinceEpoch(event.wallMs).toString(u"HH:mm:ss.zzz"_s);
}

QString typeText(const FrameEvent &event)
{
    if (event.kind == EventKind::Error)
        return u"error: "_s + displayName(event.error);
    return displayName(event.kind);
}

QString payloadText(const FrameEvent &event)
{
    switch (event.kind) {
    case EventKind::Text:
    case EventKind::TextFrame:
    case EventKind::Handshake:
    case EventKind::Error:
    case EventKind::Info:
        return event.text;
    case EventKind::Binary:
    case EventKind::BinaryFrame:
        return QString::fromLatin1(event.data.toHex(' '));
    case EventKind::Ping:
    case EventKind::Pong:
    case EventKind::Close:
        return previewText(event, std::numeric_limits<int>::max());
    }
    return {};
}

QString previewText(const FrameEvent &event, int maxChars)
{
    switch (event.kind) {
    case EventKind::Text:
    case EventKind::TextFrame:
        return oneLine(event.text, maxChars);
    case EventKind::Binary:
    case EventKind::BinaryFrame:
        return hexPreview(event.data, maxChars / 3);
    case EventKind::Ping:
        return u"ping "_s + oneLine(QString::fromUtf8(event.data), maxChars);
    case EventKind::Pong:
        return event.rttNs >= 0
            ? u"pong %1 · round trip %2 ms"_s.arg(QString::fromUtf8(event.data))
                  .arg(event.rttNs / 1e6, 0, 'f', 3)
            : u"pong %1 (unsolicited)"_s.arg(QString::fromUtf8(event.data));
    case EventKind::Close: {
        QString text = CloseCodes::label(event.closeCode);
        if (!event.text.isEmpty())
            text += u" · \""_s + oneLine(event.text, maxChars) + u'"';
        if (event.direction != Direction::Outgoing) {
            text += u" · closed by "_s + displayName(event.closeInitiator);
            text += event.cleanClose ? u" · clean"_s : u" · not clean"_s;
        }
        return text;
    }
    case EventKind::Handshake:
    case EventKind::Error:
    case EventKind::Info:
        return oneLine(event.text, maxChars);
    }
    return {};
}

} // namespace wsprobe
