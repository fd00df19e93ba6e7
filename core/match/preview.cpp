#include "preview.h"

#include "closecodes.h"
#include "jsontext.h"

using namespace Qt::StringLiterals;

namespace wsprobe::Preview {

QString quoted(QStringView text, qsizetype maxChars)
{
    if (text.size() <= maxChars)
        return JsonText::quoted(text);
    return JsonText::quoted(text.first(maxChars)) + u'…';
}

QString hex(QByteArrayView data, qsizetype maxBytes)
{
    const QByteArrayView shown = data.size() > maxBytes ? data.first(maxBytes) : data;
    QString text = QString::fromLatin1(shown.toByteArray().toHex(' '));
    if (shown.size() < data.size())
        text.append(u'…');
    return text;
}

QString base64(QByteArrayView data, qsizetype maxChars)
{
    QString text = QString::fromLatin1(data.toByteArray().toBase64());
    if (text.size() > maxChars) {
        text.truncate(maxChars);
        text.append(u'…');
    }
    return text;
}

QString event(const FrameEvent &event)
{
    switch (event.kind) {
    case EventKind::Text:
        return u"text message "_s + quoted(event.text, 60);
    case EventKind::Binary:
        return event.data.isEmpty() ? u"empty binary message"_s
                                    : u"binary message "_s + hex(event.data, 16);
    case EventKind::Close:
        return u"close "_s + CloseCodes::label(event.closeCode);
    default:
        break;
    }
    return displayName(event.kind);
}

QString bytes(qint64 count)
{
    return count == 1 ? u"1 byte"_s : QString::number(count) + u" bytes"_s;
}

QString messages(qint64 count)
{
    return count == 1 ? u"1 message"_s : QString::number(count) + u" messages"_s;
}

QString messageName(qint64 messageNumber, qint64 sequence)
{
    return messageNumber > 0 ? u"message %1"_s.arg(messageNumber) : u"event #%1"_s.arg(sequence);
}

QString eventName(const FrameEvent &event, qint64 messageNumber, qint64 sequence)
{
    if (!event.isMessage())
        return u"the "_s + displayName(event.kind);
    return messageName(messageNumber, sequence);
}

QString duration(qint64 nanoseconds)
{
    if (nanoseconds % 1'000'000 == 0)
        return QString::number(nanoseconds / 1'000'000) + u" ms"_s;
    QString text = QString::number(double(nanoseconds) / 1e6, 'f', 3);
    while (text.endsWith(u'0'))
        text.chop(1);
    return text + u" ms"_s;
}

} // namespace wsprobe::Preview
