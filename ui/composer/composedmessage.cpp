#include "composedmessage.h"

#include "locatedjson.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace wsprobe {

QString displayName(SendMode mode)
{
    switch (mode) {
    case SendMode::Text: return QCoreApplication::translate("wsprobe", "Text");
    case SendMode::BinaryHex: return QCoreApplication::translate("wsprobe", "Binary (hex)");
    case SendMode::BinaryBase64: return QCoreApplication::translate("wsprobe", "Binary (base64)");
    case SendMode::Ping: return QCoreApplication::translate("wsprobe", "Ping");
    }
    return {};
}

namespace MessageComposer {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wsprobe::MessageComposer", text);
}

bool isHexDigit(char16_t c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

bool isJsonSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r';
}

QString where(const QString &text, qsizetype offset)
{
    const SourceLocation location = LocatedJson::locate(text, offset);
    return tr("line %1, column %2").arg(location.line).arg(location.column);
}

QString quoted(QChar c)
{
    if (c.isPrint())
        return u"'"_s + c + u"'"_s;
    return u"U+%1"_s.arg(int(c.unicode()), 4, 16, QChar(u'0')).toUpper();
}

std::optional<QByteArray> parseHex(const QString &text, QString *error)
{
    QByteArray digits;
    digits.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace())
            continue;
        if (!isHexDigit(c.unicode())) {
            if (error) {
                *error = tr("%1 at %2 is not a hex digit (0-9, a-f)")
                             .arg(quoted(c), where(text, i));
            }
            return std::nullopt;
        }
        digits.append(char(c.unicode()));
    }
    if (digits.size() % 2 != 0) {
        if (error) {
            *error = tr("%1 hex digits: every byte takes two, so the count must be even")
                         .arg(digits.size());
        }
        return std::nullopt;
    }
    return QByteArray::fromHex(digits);
}

std::optional<QByteArray> parseBase64(const QString &text, QString *error)
{
    QByteArray data;
    data.reserve(text.size());
    bool url = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace())
            continue;
        const char16_t u = c.unicode();
        const bool valid = (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z')
            || (u >= u'0' && u <= u'9') || u == u'+' || u == u'/' || u == u'=' || u == u'-'
            || u == u'_';
        if (!valid) {
            if (error) {
                *error = tr("%1 at %2 is not a base64 character")
                             .arg(quoted(c), where(text, i));
            }
            return std::nullopt;
        }
        url = url || u == u'-' || u == u'_';
        data.append(char(u));
    }
    const auto result = QByteArray::fromBase64Encoding(
        data, (url ? QByteArray::Base64UrlEncoding : QByteArray::Base64Encoding)
                  | QByteArray::AbortOnBase64DecodingErrors);
    if (!result) {
        if (error)
            *error = tr("the base64 text is cut short or its '=' padding is misplaced");
        return std::nullopt;
    }
    return result.decoded;
}

} // namespace

std::optional<ComposedMessage> compose(SendMode mode, const QString &body, QString *error)
{
    ComposedMessage message;
    switch (mode) {
    case SendMode::Text:
        message.kind = ComposedMessage::Text;
        message.text = body;
        return message;
    case SendMode::BinaryHex: {
        QString reason;
        const auto bytes = parseHex(body, &reason);
        if (!bytes) {
            if (error)
                *error = tr("Not valid hex: %1").arg(reason);
            return std::nullopt;
        }
        message.kind = ComposedMessage::Binary;
        message.bytes = *bytes;
        return message;
    }
    case SendMode::BinaryBase64: {
        QString reason;
        const auto bytes = parseBase64(body, &reason);
        if (!bytes) {
            if (error)
                *error = tr("Not valid base64: %1").arg(reason);
            return std::nullopt;
        }
        message.kind = ComposedMessage::Binary;
        message.bytes = *bytes;
        return message;
    }
    case SendMode::Ping:
        message.kind = ComposedMessage::Ping;
        message.bytes = body.toUtf8();
        if (message.bytes.size() > MaxPingPayload) {
            if (error) {
                *error = tr("A ping payload is at most %1 bytes; this one is %2 bytes")
                             .arg(MaxPingPayload)
                             .arg(message.bytes.size());
            }
            return std::nullopt;
        }
        return message;
    }
    return std::nullopt;
}

QString jsonWarning(const QString &text)
{
    qsizetype first = 0;
    while (first < text.size() && (isJsonSpace(text.at(first)) || text.at(first) == u'\uFEFF'))
        ++first;
    if (first == text.size() || (text.at(first) != u'{' && text.at(first) != u'['))
        return {};
    JsonError error;
    if (LocatedJson::parse(text, QString(), &error))
        return {};
    // The reader is written for files; here it reads the composer.
    QString message = error.message;
    message.replace("end of the file"_L1, "end of the text"_L1);
    return tr("Not valid JSON: %1 at line %2, column %3")
        .arg(message)
        .arg(error.where.line)
        .arg(error.where.column);
}

std::optional<QString> beautifyJson(const QString &text)
{
    if (!LocatedJson::parse(text, QString(), nullptr))
        return std::nullopt;
    static constexpr int Indent = 2;
    QString out;
    out.reserve(text.size() * 2);
    int depth = 0;
    auto newline = [&] {
        out += u'\n';
        out += QString(depth * Indent, u' ');
    };
    // The text is valid JSON: outside strings only structure, literals and whitespace remain.
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        switch (c.unicode()) {
        case u'"': {
            const qsizetype start = i++;
            while (i < text.size() && text.at(i) != u'"')
                i += text.at(i) == u'\\' ? 2 : 1;
            out += QStringView(text).mid(start, i - start + 1);
            break;
        }
        case u'{':
        case u'[': {
            const QChar close = c == u'{' ? u'}' : u']';
            qsizetype next = i + 1;
            while (next < text.size() && isJsonSpace(text.at(next)))
                ++next;
            out += c;
            if (next < text.size() && text.at(next) == close) {
                out += close;  // {} and [] stay on one line
                i = next;
            } else {
                ++depth;
                newline();
            }
            break;
        }
        case u'}':
        case u']':
            --depth;
            newline();
            out += c;
            break;
        case u',':
            out += c;
            newline();
            break;
        case u':':
            out += u": "_s;
            break;
        case u' ':
        case u'\t':
        case u'\n':
        case u'\r':
        case u'\uFEFF':
            break;
        default:
            out += c;
            break;
        }
    }
    return out;
}

std::optional<QString> beautifyHex(const QString &text)
{
    const auto bytes = parseHex(text, nullptr);
    if (!bytes)
        return std::nullopt;
    QStringList lines;
    for (qsizetype at = 0; at < bytes->size(); at += 16)
        lines.append(QString::fromLatin1(bytes->mid(at, 16).toHex(' ')));
    return lines.join(u'\n');
}

QString defaultName(const QString &body)
{
    const QString simplified = body.simplified();
    if (simplified.isEmpty())
        return tr("Empty message");
    return simplified.left(30);
}

} // namespace MessageComposer
} // namespace wsprobe
