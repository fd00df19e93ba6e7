#pragma once

#include "matcher.h"
#include "matchrule.h"

#include <QList>

#include <memory>

namespace wsprobe {

class SpecReader;

// allOf, anyOf and not over other matchers. All of them look at one MessageView, so the
// message is parsed once for the whole tree.
class CombinatorRule : public MatchRule
{
public:
    // {"allOf": [<matcher>, ...]}, {"anyOf": [<matcher>, ...]} (non-empty), {"not": <matcher>}.
    static std::shared_ptr<const MatchRule> fromSpec(MatchKind kind, SpecReader &reader);

    MatchKind kind() const override { return m_kind; }
    bool looksAtCloses() const override;
    MatchResult match(MessageView &message) const override;
    QJsonObject toJson() const override;
    QString describe() const override;
    bool equals(const MatchRule &other) const override;

private:
    CombinatorRule(MatchKind kind, QList<Matcher> operands);

    MatchKind m_kind;
    QList<Matcher> m_operands;  // Not: exactly one
};

} // namespace wsprobe
