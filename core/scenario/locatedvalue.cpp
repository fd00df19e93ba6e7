#include "locatedvalue.h"

#include <QJsonArray>
#include <QJsonObject>

#include <charconv>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Longer strings are cut in messages: the location already says where the whole value is.
constexpr qsizetype DescribedStringLength = 40;

QString quoted(QStringView text)
{
    QString result = u"\""_s;
    const bool shortened = text.size() > DescribedStringLength;
    if (shortened) {
        qsizetype cut = DescribedStringLength - 1;
        if (text[cut - 1].isHighSurrogate()) // never cut a character in half
            --cut;
        text = text.first(cut);
    }
    for (QChar c : text) {
        switch (c.unicode()) {
        case u'"': result += u"\\\""_s; break;
        case u'\\': result += u"\\\\"_s; break;
        case u'\n': result += u"\\n"_s; break;
        case u'\r': result += u"\\r"_s; break;
        case u'\t': result += u"\\t"_s; break;
        default:
            if (c.unicode() < 0x20)
                result += u"\\u%1"_s.arg(uint(c.unicode()), 4, 16, QChar(u'0'));
            else
                result += c;
        }
    }
    if (shortened)
        result += u"…"_s;
    result += u'"';
    return result;
}

} // namespace

LocatedValue::LocatedValue() = default;
LocatedValue::~LocatedValue() = default;
LocatedValue::LocatedValue(const LocatedValue &other) = default;
LocatedValue::LocatedValue(LocatedValue &&other) noexcept = default;
LocatedValue &LocatedValue::operator=(const LocatedValue &other) = default;
LocatedValue &LocatedValue::operator=(LocatedValue &&other) noexcept = default;

LocatedValue LocatedValue::null(SourceLocation where)
{
    LocatedValue value;
    value.m_location = where;
    return value;
}

LocatedValue LocatedValue::boolean(bool b, SourceLocation where)
{
    LocatedValue value;
    value.m_type = Type::Bool;
    value.m_bool = b;
    value.m_location = where;
    return value;
}

LocatedValue LocatedValue::number(double d, const QString &sourceText, SourceLocation where)
{
    LocatedValue value;
    value.m_type = Type::Number;
    value.m_number = d;
    value.m_text = sourceText;
    value.m_location = where;
    return value;
}

LocatedValue LocatedValue::string(const QString &s, SourceLocation where)
{
    LocatedValue value;
    value.m_type = Type::String;
    value.m_text = s;
    value.m_location = where;
    return value;
}

LocatedValue LocatedValue::array(std::vector<LocatedValue> elements, SourceLocation where)
{
    LocatedValue value;
    value.m_type = Type::Array;
    value.m_elements = std::move(elements);
    value.m_location = where;
    return value;
}

LocatedValue LocatedValue::object(std::vector<LocatedMember> members, SourceLocation where)
{
    LocatedValue value;
    value.m_type = Type::Object;
    value.m_members = std::move(members);
    value.m_location = where;
    return value;
}

QString LocatedValue::toString() const
{
    return m_type == Type::String ? m_text : QString();
}

QString LocatedValue::numberText() const
{
    return m_type == Type::Number ? m_text : QString();
}

const LocatedMember *LocatedValue::member(QStringView key) const
{
    for (const LocatedMember &member : m_members) {
        if (member.key == key)
            return &member;
    }
    return nullptr;
}

QJsonValue LocatedValue::toJsonValue() const
{
    switch (m_type) {
    case Type::Null:
        return QJsonValue(QJsonValue::Null);
    case Type::Bool:
        return QJsonValue(m_bool);
    case Type::Number: {
        // A double holds integers exactly only up to 2^53; ids and timestamps can be larger.
        const QByteArray latin1 = m_text.toLatin1();
        qint64 integer = 0;
        const auto [end, ec] = std::from_chars(latin1.cbegin(), latin1.cend(), integer);
        if (ec == std::errc() && end == latin1.cend())
            return QJsonValue(integer);
        return QJsonValue(m_number);
    }
    case Type::String:
        return QJsonValue(m_text);
    case Type::Array: {
        QJsonArray array;
        for (const LocatedValue &element : m_elements)
            array.append(element.toJsonValue());
        return array;
    }
    case Type::Object: {
        QJsonObject object;
        for (const LocatedMember &member : m_members)
            object.insert(member.key, member.value.toJsonValue());
        return object;
    }
    }
    return QJsonValue();
}

QString LocatedValue::describe() const
{
    switch (m_type) {
    case Type::Null:
        return u"null"_s;
    case Type::Bool:
        return m_bool ? u"true"_s : u"false"_s;
    case Type::Number:
        return m_text.isEmpty() ? QString::number(m_number) : m_text;
    case Type::String:
        return quoted(m_text);
    case Type::Array:
        return u"an array"_s;
    case Type::Object:
        return u"an object"_s;
    }
    return QString();
}

} // namespace wsprobe
