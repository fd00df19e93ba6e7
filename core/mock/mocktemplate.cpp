#include "mocktemplate.h"

#include "jsonpointer.h"
#include "variables.h"
#include "variablesyntax.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cctype>

using namespace Qt::StringLiterals;

namespace wsprobe::MockTemplate {
namespace {

// The text between "{{" and "}}" of a Malformed segment, or "" when it is not closed.
QString innerOf(const QString &source)
{
    if (!source.startsWith(u"{{"_s) || !source.endsWith(u"}}"_s) || source.size() < 4)
        return {};
    return source.mid(2, source.size() - 4).trimmed();
}

std::optional<QJsonValue> resolveCapture(QStringView reference, const MockCaptures &captures)
{
    const QStringView rest = reference.mid(1);
    if (rest.isEmpty())
        return captures.json ? *captures.json : QJsonValue(captures.text);
    if (rest.front().isDigit()) {
        bool ok = false;
        const int index = rest.toInt(&ok);
        if (!ok || index >= captures.groups.size())
            return std::nullopt;
        return QJsonValue(captures.groups.at(index));
    }
    if (!captures.json)
        return std::nullopt;
    std::optional<JsonPointer> pointer;
    if (rest.front() == u'/') {
        pointer = JsonPointer::parse(rest, nullptr);
    } else if (rest.front() == u'.') {
        QList<QString> tokens;
        for (const QStringView token : rest.mid(1).split(u'.'))
            tokens.append(token.toString());
        pointer = JsonPointer::fromTokens(tokens);
    }
    if (!pointer)
        return std::nullopt;
    return pointer->resolve(*captures.json);
}

QString asText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    // Numbers, booleans, null: as JSON writes them.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

} // namespace

bool isCapture(QStringView reference)
{
    return reference.startsWith(u'$');
}

QString expandText(QStringView text, const MockCaptures &captures, const Variables &variables)
{
    QString result;
    for (const VariableSyntax::Segment &segment : VariableSyntax::split(text)) {
        switch (segment.kind) {
        case VariableSyntax::Segment::Literal:
            result += segment.text;
            break;
        case VariableSyntax::Segment::Reference:
            result += variables.value(segment.text).value_or(segment.source);
            break;
        case VariableSyntax::Segment::Malformed: {
            const QString inner = innerOf(segment.source);
            const std::optional<QJsonValue> value =
                    isCapture(inner) ? resolveCapture(inner, captures) : std::nullopt;
            result += value ? asText(*value) : segment.source;
            break;
        }
        }
    }
    return result;
}

QJsonValue expandJson(const QJsonValue &value, const MockCaptures &captures,
                      const Variables &variables)
{
    if (value.isString()) {
        const QString text = value.toString();
        const QList<VariableSyntax::Segment> segments = VariableSyntax::split(text);
        if (segments.size() == 1 && segments.front().kind == VariableSyntax::Segment::Malformed) {
            const QString inner = innerOf(segments.front().source);
            if (isCapture(inner) && segments.front().source == text) {
                if (const std::optional<QJsonValue> resolved = resolveCapture(inner, captures))
                    return *resolved;
            }
        }
        return expandText(text, captures, variables);
    }
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &element : value.toArray())
            array.append(expandJson(element, captures, variables));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object;
        const QJsonObject source = value.toObject();
        for (auto it = source.begin(); it != source.end(); ++it)
            object.insert(expandText(it.key(), captures, variables),
                          expandJson(it.value(), captures, variables));
        return object;
    }
    return value;
}

std::optional<QByteArray> decodeBytes(QStringView text, bool hex, QString *error)
{
    QByteArray compact;
    compact.reserve(text.size());
    for (const QChar c : text) {
        if (c.isSpace())
            continue;
        if (c.unicode() > 0x7F) {
            *error = u"%1 holds the character \"%2\""_s.arg(hex ? u"hex"_s : u"base64"_s, c);
            return std::nullopt;
        }
        compact.append(char(c.unicode()));
    }
    if (hex) {
        for (const char c : std::as_const(compact)) {
            if (!std::isxdigit(static_cast<unsigned char>(c))) {
                *error = u"hex holds \"%1\", which is not a hex digit"_s.arg(QLatin1Char(c));
                return std::nullopt;
            }
        }
        if (compact.size() % 2 != 0) {
            *error = u"hex needs two digits a byte; %1 digits given"_s.arg(compact.size());
            return std::nullopt;
        }
        return QByteArray::fromHex(compact);
    }
    const auto decoded = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        *error = u"not valid base64"_s;
        return std::nullopt;
    }
    return decoded.decoded;
}

std::optional<QByteArray> expandBytes(QStringView text, bool hex, const MockCaptures &captures,
                                      const Variables &variables, QString *error)
{
    MockCaptures encoded = captures;
    if (captures.bytes) {
        encoded.text = QString::fromLatin1(hex ? captures.bytes->toHex(' ') : captures.bytes->toBase64());
        encoded.json.reset();
    }
    return decodeBytes(expandText(text, encoded, variables), hex, error);
}

} // namespace wsprobe::MockTemplate
