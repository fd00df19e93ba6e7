#include "jsonpointer.h"

#include "jsontext.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// RFC 6901 section 4: array-index = %x30 / ( %x31-39 *(%x30-39) ).
std::optional<qsizetype> arrayIndex(QStringView token)
{
    if (token.isEmpty() || token.size() > 18)
        return std::nullopt;
    if (token.size() > 1 && token.front() == u'0')
        return std::nullopt;
    qsizetype index = 0;
    for (QChar c : token) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        index = index * 10 + (c.unicode() - u'0');
    }
    return index;
}

QString quoted(QStringView text)
{
    return JsonText::quoted(text);
}

} // namespace

std::optional<JsonPointer> JsonPointer::parse(QStringView text, QString *error)
{
    JsonPointer pointer;
    if (text.isEmpty())
        return pointer;
    if (text.front() != u'/') {
        if (error) {
            if (text.front() == u'#')
                *error = u"the URI fragment form %1 is not supported: write the pointer without "
                         "\"#\" and without %-escapes"_s.arg(quoted(text));
            else
                *error = u"a JSON pointer must be empty or start with \"/\": %1"_s.arg(quoted(text));
        }
        return std::nullopt;
    }

    QString token;
    for (qsizetype i = 1; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == u'/') {
            pointer.m_tokens.append(token);
            token.clear();
            continue;
        }
        if (text[i] != u'~') {
            token.append(text[i]);
            continue;
        }
        const QChar next = i + 1 < text.size() ? text[i + 1] : QChar();
        if (next != u'0' && next != u'1') {
            if (error)
                *error = u"invalid escape at offset %1 in %2: \"~\" must be followed by \"0\" "
                         "(for \"~\") or \"1\" (for \"/\")"_s.arg(i).arg(quoted(text));
            return std::nullopt;
        }
        token.append(next == u'0' ? u'~' : u'/');
        ++i;
    }
    return pointer;
}

JsonPointer JsonPointer::fromTokens(QList<QString> tokens)
{
    JsonPointer pointer;
    pointer.m_tokens = std::move(tokens);
    return pointer;
}

QString JsonPointer::escapeToken(QStringView token)
{
    QString escaped;
    escaped.reserve(token.size());
    for (QChar c : token) {
        if (c == u'~')
            escaped.append(u"~0"_s);
        else if (c == u'/')
            escaped.append(u"~1"_s);
        else
            escaped.append(c);
    }
    return escaped;
}

QString JsonPointer::toString() const
{
    QString text;
    for (const QString &token : m_tokens) {
        text.append(u'/');
        text.append(escapeToken(token));
    }
    return text;
}

std::optional<QJsonValue> JsonPointer::resolve(const QJsonValue &document, QString *why) const
{
    QJsonValue current = document;
    // Built only when a step fails: resolving must not allocate on the happy path.
    const auto where = [this](qsizetype depth) {
        return depth == 0 ? u"the document"_s : fromTokens(m_tokens.first(depth)).toString();
    };
    for (qsizetype depth = 0; depth < m_tokens.size(); ++depth) {
        const QString &token = m_tokens[depth];
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            const auto it = object.constFind(token);
            if (it == object.constEnd()) {
                if (why)
                    *why = u"%1 has no member %2"_s.arg(where(depth), quoted(token));
                return std::nullopt;
            }
            current = it.value();
        } else if (current.isArray()) {
            const QJsonArray array = current.toArray();
            if (token == u"-") {
                if (why)
                    *why = u"\"-\" in %1 designates the element after the last one, which never "
                           "exists"_s.arg(where(depth));
                return std::nullopt;
            }
            const std::optional<qsizetype> index = arrayIndex(token);
            if (!index) {
                if (why)
                    *why = u"%1 is an array and %2 is not an array index"_s.arg(where(depth),
                                                                               quoted(token));
                return std::nullopt;
            }
            if (*index >= array.size()) {
                if (why)
                    *why = u"%1 has %2 elements: no index %3"_s.arg(where(depth))
                               .arg(array.size())
                               .arg(*index);
                return std::nullopt;
            }
            current = array.at(*index);
        } else {
            if (why)
                *why = u"%1 is %2, not an object or array"_s.arg(where(depth),
                                                                 JsonText::typeName(current));
            return std::nullopt;
        }
    }
    return current;
}

} // namespace wsprobe
