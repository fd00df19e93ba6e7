#include "jsoncompare.h"

#include "jsonpointer.h"
#include "jsontext.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe::JsonCompare {
namespace {

bool isIntegral(const QJsonValue &number)
{
    return number.toInteger(0) == number.toInteger(1);
}

bool equalNumbers(const QJsonValue &a, const QJsonValue &b)
{
    // Doubles lose integers past 2^53: compare those as integers.
    if (isIntegral(a) && isIntegral(b))
        return a.toInteger() == b.toInteger();
    return a.toDouble() == b.toDouble();
}

// A whole step that an integer can take exactly.
std::optional<qint64> integralStep(double step)
{
    constexpr double Limit = 9007199254740992.0;  // 2^53: doubles are whole and exact below
    if (std::trunc(step) != step || step >= Limit || step <= -Limit)
        return std::nullopt;
    return qint64(step);
}

bool equalScalars(const QJsonValue &a, const QJsonValue &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QJsonValue::Double: return equalNumbers(a, b);
    case QJsonValue::String: return a.toString() == b.toString();
    case QJsonValue::Bool: return a.toBool() == b.toBool();
    default: return true;  // null, undefined
    }
}

QString elements(qsizetype count)
{
    return count == 1 ? u"1 element"_s : QString::number(count) + u" elements"_s;
}

enum class Mode { Equal, Subset };

// Walks expected and actual together; `path` holds the tokens down to them, so the pointer
// string is only built for the difference that is reported.
class Walker
{
public:
    explicit Walker(Mode mode) : m_mode(mode) {}

    std::optional<Difference> compare(const QJsonValue &expected, const QJsonValue &actual)
    {
        if (expected.type() != actual.type())
            return differ(u"expected %1, got %2"_s.arg(JsonText::typeName(expected),
                                                       JsonText::typeName(actual)));
        if (expected.isObject())
            return compareObjects(expected.toObject(), actual.toObject());
        if (expected.isArray())
            return compareArrays(expected.toArray(), actual.toArray());
        if (!equalScalars(expected, actual))
            return differ(u"expected %1, got %2"_s.arg(JsonText::compactPreview(expected, 60),
                                                       JsonText::compactPreview(actual, 60)));
        return std::nullopt;
    }

private:
    std::optional<Difference> compareObjects(const QJsonObject &expected, const QJsonObject &actual)
    {
        for (auto it = expected.constBegin(); it != expected.constEnd(); ++it) {
            m_path.append(it.key());
            const auto found = actual.constFind(it.key());
            if (found == actual.constEnd())
                return differ(u"missing"_s);
            if (auto difference = compare(it.value(), found.value()))
                return difference;
            m_path.removeLast();
        }
        if (m_mode == Mode::Equal && actual.size() != expected.size()) {
            for (auto it = actual.constBegin(); it != actual.constEnd(); ++it) {
                if (!expected.contains(it.key())) {
                    m_path.append(it.key());
                    return differ(u"unexpected member"_s);
                }
            }
        }
        return std::nullopt;
    }

    std::optional<Difference> compareArrays(const QJsonArray &expected, const QJsonArray &actual)
    {
        if (expected.size() != actual.size())
            return differ(u"expected %1, got %2"_s.arg(elements(expected.size()),
                                                       elements(actual.size())));
        for (qsizetype i = 0; i < expected.size(); ++i) {
            m_path.append(QString::number(i));
            if (auto difference = compare(expected.at(i), actual.at(i)))
                return difference;
            m_path.removeLast();
        }
        return std::nullopt;
    }

    std::optional<Difference> differ(QString reason) const
    {
        return Difference{JsonPointer::fromTokens(m_path).toString(), std::move(reason)};
    }

    Mode m_mode;
    QList<QString> m_path;
};

} // namespace

QString Difference::toString() const
{
    if (path.isEmpty())
        return reason;
    return u"at "_s + path + u": "_s + reason;
}

int compareNumbers(const QJsonValue &a, const QJsonValue &b)
{
    if (isIntegral(a) && isIntegral(b)) {
        const qint64 left = a.toInteger();
        const qint64 right = b.toInteger();
        return left < right ? -1 : left > right ? 1 : 0;
    }
    const double left = a.toDouble();
    const double right = b.toDouble();
    return left < right ? -1 : left > right ? 1 : 0;
}

QJsonValue plus(const QJsonValue &a, double step)
{
    const std::optional<qint64> whole = integralStep(step);
    qint64 sum = 0;
    if (isIntegral(a) && whole && !qAddOverflow(a.toInteger(), *whole, &sum))
        return QJsonValue(sum);
    return QJsonValue(a.toDouble() + step);
}

bool isStepAfter(const QJsonValue &a, const QJsonValue &b, double step)
{
    return compareNumbers(plus(a, step), b) == 0;
}

bool equal(const QJsonValue &a, const QJsonValue &b)
{
    if (a.type() != b.type())
        return false;
    if (a.isObject()) {
        const QJsonObject x = a.toObject();
        const QJsonObject y = b.toObject();
        if (x.size() != y.size())
            return false;
        for (auto it = x.constBegin(); it != x.constEnd(); ++it) {
            const auto found = y.constFind(it.key());
            if (found == y.constEnd() || !equal(it.value(), found.value()))
                return false;
        }
        return true;
    }
    if (a.isArray()) {
        const QJsonArray x = a.toArray();
        const QJsonArray y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!equal(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    return equalScalars(a, b);
}

std::optional<Difference> firstDifference(const QJsonValue &expected, const QJsonValue &actual)
{
    return Walker(Mode::Equal).compare(expected, actual);
}

std::optional<Difference> firstSubsetMismatch(const QJsonValue &expected, const QJsonValue &actual)
{
    return Walker(Mode::Subset).compare(expected, actual);
}

} // namespace wsprobe::JsonCompare
