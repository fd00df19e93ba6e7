#include "specreader.h"

#include "jsonpointer.h"
#include "jsontext.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QString quotedKey(QStringView key)
{
    return JsonText::quoted(key);
}

} // namespace

SpecReader::SpecReader(QJsonObject spec, QString path, QString schemaBaseUri)
    : m_spec(std::move(spec)), m_path(std::move(path)), m_schemaBaseUri(std::move(schemaBaseUri))
{
}

QString SpecReader::pathOf(QStringView key) const
{
    return m_path + u'/' + JsonPointer::escapeToken(key);
}

QString SpecReader::withPath(const QString &path, const QString &message)
{
    return path.isEmpty() ? message : path + u": "_s + message;
}

bool SpecReader::fail(QStringView key, const QString &message)
{
    if (m_error.isEmpty())
        m_error = withPath(key.isEmpty() ? m_path : pathOf(key), message);
    return false;
}

bool SpecReader::failAtPath(const QString &path, const QString &message)
{
    if (m_error.isEmpty())
        m_error = withPath(path, message);
    return false;
}

bool SpecReader::adoptError(const QString &error)
{
    if (m_error.isEmpty())
        m_error = error;
    return false;
}

bool SpecReader::allowOnly(QStringView kindKey, std::initializer_list<QStringView> allowed)
{
    for (auto it = m_spec.constBegin(); it != m_spec.constEnd(); ++it) {
        if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end())
            continue;
        QString message = kindKey.isEmpty()
            ? u"unknown member %1"_s.arg(quotedKey(it.key()))
            : u"unknown member %1 beside %2"_s.arg(quotedKey(it.key()), quotedKey(kindKey));
        if (allowed.size() > 1 || kindKey.isEmpty()) {
            QStringList others;
            for (QStringView key : allowed) {
                if (key != kindKey)
                    others.append(quotedKey(key));
            }
            message += u" (it takes %1)"_s.arg(others.join(u", "_s));
        }
        return fail({}, message);
    }
    return true;
}

bool SpecReader::atMostOneOf(std::initializer_list<QStringView> keys)
{
    QStringView first;
    for (QStringView key : keys) {
        if (!has(key))
            continue;
        if (!first.isNull())
            return fail({}, u"%1 and %2 exclude each other"_s.arg(quotedKey(first), quotedKey(key)));
        first = key;
    }
    return true;
}

std::optional<QString> SpecReader::string(QStringView key)
{
    const QJsonValue value = m_spec.value(key);
    if (!value.isString()) {
        fail(key, value.isUndefined() ? u"missing"_s
                                      : u"must be a string, not %1"_s.arg(JsonText::typeName(value)));
        return std::nullopt;
    }
    return value.toString();
}

std::optional<bool> SpecReader::boolean(QStringView key)
{
    const QJsonValue value = m_spec.value(key);
    if (!value.isBool()) {
        fail(key, value.isUndefined() ? u"missing"_s
                                      : u"must be true or false, not %1"_s.arg(JsonText::typeName(value)));
        return std::nullopt;
    }
    return value.toBool();
}

std::optional<qint64> SpecReader::integer(QStringView key, qint64 minimum)
{
    const QJsonValue value = m_spec.value(key);
    const double number = value.toDouble();
    if (!value.isDouble() || std::floor(number) != number || number < double(minimum)) {
        fail(key, value.isUndefined()
                      ? u"missing"_s
                      : u"must be a whole number of at least %1, not %2"_s.arg(minimum).arg(
                            JsonText::compactPreview(value, 40)));
        return std::nullopt;
    }
    // Past 2^63 a whole number has no qint64 form (converting the double would be undefined).
    // Numbers up to there that a double cannot hold exactly are kept exact by the JSON reader.
    if (value.toInteger(0) != value.toInteger(1)) {
        fail(key, u"must be at most %1, not %2"_s.arg(std::numeric_limits<qint64>::max())
                      .arg(JsonText::compactPreview(value, 40)));
        return std::nullopt;
    }
    return value.toInteger();
}

std::optional<double> SpecReader::number(QStringView key)
{
    const QJsonValue value = m_spec.value(key);
    if (!value.isDouble()) {
        fail(key, value.isUndefined() ? u"missing"_s
                                      : u"must be a number, not %1"_s.arg(JsonText::typeName(value)));
        return std::nullopt;
    }
    return value.toDouble();
}

} // namespace wsprobe
