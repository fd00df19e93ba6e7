#include "jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QVariant>

#include <algorithm>

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

// JSON string escaping exactly as QJsonDocument writes it: the short escapes, \u00XX for the
// other controls and for lone surrogates, everything else as it is.
// Whether a UTF-16 unit may need escaping: controls, '"', '\\' and surrogates (which are
// fine in a valid pair). Most text has none, and skips the careful path.
inline bool mayNeedEscape(char16_t c)
{
    return c < 0x20 || c == u'"' || c == u'\\' || (c & 0xf800) == 0xd800;
}

void appendQuoted(QString &out, QStringView text)
{
    static constexpr char16_t Hex[] = u"0123456789abcdef";
    const char16_t *s = text.utf16();
    const qsizetype n = text.size();
    // Measure, then write into place: one allocation at most, however many escapes.
    qsizetype length = n + 2;
    bool plain = true;
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = s[i];
        if (!mayNeedEscape(c))
            continue;
        plain = false;
        if (c == u'"' || c == u'\\' || c == u'\b' || c == u'\f' || c == u'\n' || c == u'\r'
            || c == u'\t') {
            length += 1;
        } else if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(s[i + 1])) {
            ++i;  // a valid pair is written as it is
        } else {
            length += 5;  // \u00XX for other controls and for lone surrogates
        }
    }
    const qsizetype start = out.size();
    out.resize(start + length);
    char16_t *p = reinterpret_cast<char16_t *>(out.data()) + start;
    *p++ = u'"';
    if (plain) {
        std::copy_n(s, n, p);
        p[n] = u'"';
        return;
    }
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = s[i];
        if (!mayNeedEscape(c)) {
            *p++ = c;
            continue;
        }
        switch (c) {
        case u'"': *p++ = u'\\'; *p++ = u'"'; continue;
        case u'\\': *p++ = u'\\'; *p++ = u'\\'; continue;
        case u'\b': *p++ = u'\\'; *p++ = u'b'; continue;
        case u'\f': *p++ = u'\\'; *p++ = u'f'; continue;
        case u'\n': *p++ = u'\\'; *p++ = u'n'; continue;
        case u'\r': *p++ = u'\\'; *p++ = u'r'; continue;
        case u'\t': *p++ = u'\\'; *p++ = u't'; continue;
        default: break;
        }
        if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(s[i + 1])) {
            *p++ = c;
            *p++ = s[++i];
            continue;
        }
        *p++ = u'\\';
        *p++ = u'u';
        *p++ = Hex[c >> 12];
        *p++ = Hex[(c >> 8) & 0xf];
        *p++ = Hex[(c >> 4) & 0xf];
        *p++ = Hex[c & 0xf];
    }
    *p = u'"';
}

// Writes compact JSON like QJsonDocument, but stops once the text is longer than its budget:
// a preview of a 1 MB message costs what the preview shows, not the whole message.
class PreviewWriter
{
public:
    explicit PreviewWriter(qsizetype budget) : m_budget(budget) { m_out.reserve(qMin<qsizetype>(budget, 256) + 8); }

    void write(const QJsonValue &value)
    {
        if (full())
            return;
        switch (value.type()) {
        case QJsonValue::Null: m_out.append(u"null"); break;
        case QJsonValue::Bool: m_out.append(value.toBool() ? u"true" : u"false"); break;
        case QJsonValue::Double: writeNumber(value); break;
        case QJsonValue::String: appendQuoted(m_out, value.toString()); break;
        case QJsonValue::Array: {
            m_out.append(u'[');
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size() && !full(); ++i) {
                if (i > 0)
                    m_out.append(u',');
                write(array.at(i));
            }
            m_out.append(u']');
            break;
        }
        case QJsonValue::Object: {
            m_out.append(u'{');
            const QJsonObject object = value.toObject();
            bool first = true;
            for (auto it = object.constBegin(); it != object.constEnd() && !full(); ++it) {
                if (!first)
                    m_out.append(u',');
                first = false;
                appendQuoted(m_out, it.key());
                m_out.append(u':');
                write(it.value());
            }
            m_out.append(u'}');
            break;
        }
        case QJsonValue::Undefined: m_out.append(u"undefined"); break;
        }
    }

    QString take()
    {
        if (m_out.size() > m_budget) {
            m_out.truncate(m_budget);
            m_out.append(u'…');
        }
        return std::move(m_out);
    }

private:
    bool full() const { return m_out.size() > m_budget; }

    void writeNumber(const QJsonValue &value)
    {
        // Integers keep every digit; doubles are written shortest, as Qt does (1e+20, 0.1).
        const QVariant variant = value.toVariant();
        if (variant.typeId() == QMetaType::LongLong) {
            m_out.append(QString::number(variant.toLongLong()));
            return;
        }
        const double number = value.toDouble();
        if (!qIsFinite(number)) {
            m_out.append(u"null");
            return;
        }
        m_out.append(QString::number(number, 'g', QLocale::FloatingPointShortest));
    }

    QString m_out;
    qsizetype m_budget;
};

} // namespace

std::optional<QJsonValue> parse(const QByteArray &utf8, QString *error)
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
        const QJsonDocument document = QJsonDocument::fromJson(utf8, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            if (error)
                *error = describeError(parseError, 0);
            return std::nullopt;
        }
        return document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    }

    // Qt would call "hello" an "illegal number", and places errors in words erratically: a
    // scalar that is neither a string, a number nor a literal is wrong at its first character.
    const QByteArrayView rest = QByteArrayView(utf8).sliced(first);
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

QJsonValue mapStrings(const QJsonValue &value, const std::function<QString(const QString &)> &map)
{
    if (value.isString())
        return map(value.toString());
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : value.toArray())
            out.append(mapStrings(item, map));
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            out.insert(map(it.key()), mapStrings(it.value(), map));
        return out;
    }
    return value;
}

QString quoted(QStringView text)
{
    QString out;
    out.reserve(text.size() + 2);
    appendQuoted(out, text);
    return out;
}

QString compactPreview(const QJsonValue &value, qsizetype maxChars)
{
    PreviewWriter writer(maxChars);
    writer.write(value);
    return writer.take();
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
