#include "jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wsprobe::JsonText {
namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

QString describeError(const QJsonParseError &error, qsizetype offsetShift)
{
    return error.errorString() + u" at offset "_s
        + QString::number(qMax<qsizetype>(0, error.offset - offsetShift));
}

} // namespace

std::optional<QJsonValue> parse(QByteArrayView utf8, QString *error)
{
    qsizetype first = 0;
    while (first < utf8.size() && isJsonSpace(utf8[first]))
        ++first;
    if (first == utf8.size()) {
        if (error)
            *error = u"empty document"_s;
        return std::nullopt;
    }

    QJsonParseError parseError;
    if (utf8[first] == '{' || utf8[first] == '[') {
        const QJsonDocument document = QJsonDocument::fromJson(utf8.toByteArray(), &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            if (error)
                *error = describeError(parseError, 0);
            return std::nullopt;
        }
        return document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    }

    // Qt would call "hello" an "illegal number", and places errors in words erratically: a
    // scalar that is neither a string, a number nor a literal is wrong at its first character.
    const QByteArrayView rest = utf8.sliced(first);
    const char c = rest.front();
    const bool canStartValue = c == '"' || c == '-' || (c >= '0' && c <= '9')
        || rest.startsWith("true") || rest.startsWith("false") || rest.startsWith("null");
    if (!canStartValue) {
        if (error)
            *error = u"illegal value at offset "_s + QString::number(first);
        return std::nullopt;
    }

    // Qt 6.4 only reads objects and arrays at the top level, so a scalar is read as the single
    // element of an array; offsets are shifted back by the '[' we added.
    QByteArray wrapped;
    wrapped.reserve(utf8.size() + 2);
    wrapped.append('[');
    wrapped.append(utf8);
    wrapped.append(']');
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = describeError(parseError, 1);
        return std::nullopt;
    }
    const QJsonArray array = document.array();
    if (array.size() != 1) {
        if (error)
            *error = u"garbage at the end of the document"_s;
        return std::nullopt;
    }
    return array.at(0);
}

QString compact(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        return u"undefined"_s;
    default:
        break;
    }
    // Scalars: let Qt escape and format them inside an array, then drop the brackets.
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

QString compactPreview(const QJsonValue &value, qsizetype maxChars)
{
    QString text = compact(value);
    if (text.size() > maxChars) {
        text.truncate(maxChars);
        text.append(u'…');
    }
    return text;
}

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return u"a boolean"_s;
    case QJsonValue::Double: return u"a number"_s;
    case QJsonValue::String: return u"a string"_s;
    case QJsonValue::Array: return u"an array"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"nothing"_s;
}

} // namespace wsprobe::JsonText
