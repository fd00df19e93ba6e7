#include "objectreader.h"

#include "didyoumean.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Beyond this many allowed keys, a list of them would bury the message.
constexpr qsizetype ListedKeysLimit = 8;

QString quotedList(const QStringList &words)
{
    QStringList quoted;
    for (const QString &word : words)
        quoted.append(u'"' + word + u'"');
    return quoted.join(u", "_s);
}

QString formatNumber(double value)
{
    return QString::number(value, 'g', 15);
}

} // namespace

ObjectReader::ObjectReader(const LocatedValue &value, const QString &fileName,
                           QList<JsonError> *errors)
    : m_object(value), m_fileName(fileName), m_errors(errors), m_errorCountAtStart(errors->size())
{
    if (!m_object.isObject())
        expected(m_object, u"an object"_s);
}

ObjectReader ObjectReader::nested(const LocatedValue &value) const
{
    return ObjectReader(value, m_fileName, m_errors);
}

void ObjectReader::addError(SourceLocation where, const QString &message)
{
    m_errors->append(JsonError{m_fileName, where, message});
}

void ObjectReader::expected(const LocatedValue &found, const QString &what)
{
    addError(found.location(), u"expected %1, found %2"_s.arg(what, found.describe()));
}

void ObjectReader::allow(QAnyStringView key)
{
    const QString name = key.toString();
    if (!m_allowed.contains(name))
        m_allowed.append(name);
}

bool ObjectReader::has(QAnyStringView key)
{
    allow(key);
    return m_object.member(key.toString()) != nullptr;
}

const LocatedMember *ObjectReader::take(QAnyStringView key, Presence presence)
{
    const QString name = key.toString();
    allow(name);
    if (!m_object.isObject())
        return nullptr;
    const LocatedMember *member = m_object.member(name);
    if (!member && presence == Required)
        addError(m_object.location(), u"missing required key \"%1\""_s.arg(name));
    return member;
}

const LocatedValue *ObjectReader::value(QAnyStringView key, Presence presence)
{
    const LocatedMember *member = take(key, presence);
    return member ? &member->value : nullptr;
}

std::optional<QString> ObjectReader::string(QAnyStringView key, Presence presence)
{
    const LocatedValue *found = value(key, presence);
    if (!found)
        return std::nullopt;
    if (!found->isString()) {
        expected(*found, u"a string"_s);
        return std::nullopt;
    }
    return found->toString();
}

std::optional<QString> ObjectReader::choice(QAnyStringView key, const QStringList &choices,
                                            Presence presence)
{
    const LocatedValue *found = value(key, presence);
    if (!found)
        return std::nullopt;
    if (found->isString() && choices.contains(found->toString()))
        return found->toString();
    QString message = u"expected one of %1, found %2"_s.arg(quotedList(choices), found->describe());
    if (found->isString()) {
        if (const std::optional<QString> meant = DidYouMean::closest(found->toString(), choices))
            message += u" (did you mean \"%1\"?)"_s.arg(*meant);
    }
    addError(found->location(), message);
    return std::nullopt;
}

std::optional<int> ObjectReader::integer(QAnyStringView key, int min, int max, Presence presence)
{
    const LocatedValue *found = value(key, presence);
    if (!found)
        return std::nullopt;
    const double number = found->toDouble();
    if (found->isNumber() && number >= min && number <= max) {
        if (std::floor(number) == number)
            return int(number);
        expected(*found, u"a whole number from %1 to %2"_s.arg(min).arg(max));
        return std::nullopt;
    }
    expected(*found, u"a number from %1 to %2"_s.arg(min).arg(max));
    return std::nullopt;
}

std::optional<double> ObjectReader::number(QAnyStringView key, double min, double max,
                                           Presence presence)
{
    const LocatedValue *found = value(key, presence);
    if (!found)
        return std::nullopt;
    if (found->isNumber() && found->toDouble() >= min && found->toDouble() <= max)
        return found->toDouble();
    expected(*found, u"a number from %1 to %2"_s.arg(formatNumber(min), formatNumber(max)));
    return std::nullopt;
}

std::optional<bool> ObjectReader::boolean(QAnyStringView key, Presence presence)
{
    const LocatedValue *found = value(key, presence);
    if (!found)
        return std::nullopt;
    if (!found->isBool()) {
        expected(*found, u"true or false"_s);
        return std::nullopt;
    }
    return found->toBool();
}

const LocatedValue *ObjectReader::object(QAnyStringView key, Presence presence)
{
    const LocatedValue *found = value(key, presence);
    if (found && !found->isObject()) {
        expected(*found, u"an object"_s);
        return nullptr;
    }
    return found;
}

const LocatedValue *ObjectReader::array(QAnyStringView key, Presence presence)
{
    const LocatedValue *found = value(key, presence);
    if (found && !found->isArray()) {
        expected(*found, u"an array"_s);
        return nullptr;
    }
    return found;
}

bool ObjectReader::finish()
{
    if (!m_finished) {
        m_finished = true;
        for (const LocatedMember &member : m_object.members()) {
            if (m_allowed.contains(member.key))
                continue;
            QString message = u"unknown key \"%1\""_s.arg(member.key);
            if (const std::optional<QString> meant = DidYouMean::closest(member.key, m_allowed))
                message += u" (did you mean \"%1\"?)"_s.arg(*meant);
            else if (m_allowed.isEmpty())
                message += u" (this object takes no keys)"_s;
            else if (m_allowed.size() <= ListedKeysLimit)
                message += u" (allowed keys: %1)"_s.arg(quotedList(m_allowed));
            addError(member.keyLocation, message);
        }
    }
    return m_errors->size() == m_errorCountAtStart;
}

} // namespace wsprobe
