#include "combinatorrule.h"

#include "messageview.h"
#include "specreader.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QString keyword(MatchKind kind)
{
    switch (kind) {
    case MatchKind::AnyOf: return u"anyOf"_s;
    case MatchKind::Not: return u"not"_s;
    default: break;
    }
    return u"allOf"_s;
}

} // namespace

CombinatorRule::CombinatorRule(MatchKind kind, QList<Matcher> operands)
    : m_kind(kind), m_operands(std::move(operands))
{
}

bool CombinatorRule::looksAtCloses() const
{
    return std::any_of(m_operands.begin(), m_operands.end(),
                       [](const Matcher &operand) { return operand.looksAtCloses(); });
}

std::shared_ptr<const MatchRule> CombinatorRule::fromSpec(MatchKind kind, SpecReader &reader)
{
    const QString key = keyword(kind);
    if (!reader.allowOnly(key, {key}))
        return nullptr;
    const QJsonValue value = reader.value(key);
    QString error;
    QList<Matcher> operands;
    if (kind == MatchKind::Not) {
        std::optional<Matcher> operand =
            Matcher::fromJson(value, &error, reader.pathOf(key), reader.schemaBaseUri());
        if (!operand) {
            reader.adoptError(error);
            return nullptr;
        }
        operands.append(std::move(*operand));
    } else {
        if (!value.isArray() || value.toArray().isEmpty()) {
            reader.fail(key, u"must be a non-empty array of matchers"_s);
            return nullptr;
        }
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            std::optional<Matcher> operand =
                Matcher::fromJson(array.at(i), &error, reader.pathOf(key) + u'/' + QString::number(i),
                                  reader.schemaBaseUri());
            if (!operand) {
                reader.adoptError(error);
                return nullptr;
            }
            operands.append(std::move(*operand));
        }
    }
    return std::shared_ptr<const MatchRule>(new CombinatorRule(kind, std::move(operands)));
}

MatchResult CombinatorRule::match(MessageView &message) const
{
    switch (m_kind) {
    case MatchKind::AllOf: {
        QString firstActual;
        for (qsizetype i = 0; i < m_operands.size(); ++i) {
            MatchResult result = m_operands[i].match(message);
            if (!result.matched) {
                result.explanation = u"allOf[%1]: "_s.arg(i) + result.explanation;
                return result;
            }
            if (i == 0)
                firstActual = std::move(result.actual);
        }
        return MatchResult::pass(describe(), firstActual);
    }
    case MatchKind::AnyOf: {
        QStringList reasons;
        QString firstActual;
        for (qsizetype i = 0; i < m_operands.size(); ++i) {
            MatchResult result = m_operands[i].match(message);
            if (result.matched)
                return result;
            reasons.append(u"[%1] "_s.arg(i) + result.explanation);
            if (i == 0)
                firstActual = std::move(result.actual);
        }
        return MatchResult::fail(describe(), firstActual,
                                 u"none matched: "_s + reasons.join(u"; "_s));
    }
    default:
        break;
    }
    const MatchResult inner = m_operands.front().match(message);
    if (inner.matched)
        return MatchResult::fail(describe(), inner.actual,
                                 u"matches "_s + m_operands.front().describe());
    return MatchResult::pass(describe(), inner.actual);
}

QJsonObject CombinatorRule::toJson() const
{
    if (m_kind == MatchKind::Not)
        return {{u"not"_s, m_operands.front().toJson()}};
    QJsonArray operands;
    for (const Matcher &operand : m_operands)
        operands.append(operand.toJson());
    return {{keyword(m_kind), operands}};
}

QString CombinatorRule::describe() const
{
    QStringList parts;
    for (const Matcher &operand : m_operands)
        parts.append(operand.describe());
    return keyword(m_kind) + u'(' + parts.join(u", "_s) + u')';
}

bool CombinatorRule::equals(const MatchRule &other) const
{
    return m_operands == static_cast<const CombinatorRule &>(other).m_operands;
}

} // namespace wsprobe
