#pragma once

#include "matchrule.h"

#include <QRegularExpression>

#include <memory>

namespace wsprobe {

class SpecReader;

// A text message equals, contains or matches (QRegularExpression, unanchored) a text.
class TextRule : public MatchRule
{
public:
    // {"text": "..."}, {"textContains": "..."}, {"textMatches": "...", "flags": "i"}.
    // An invalid regular expression fails here, with its offset.
    static std::shared_ptr<const MatchRule> fromSpec(MatchKind kind, SpecReader &reader);

    MatchKind kind() const override { return m_kind; }
    MatchResult match(MessageView &message) const override;
    QJsonObject toJson() const override;
    QString describe() const override;
    bool equals(const MatchRule &other) const override;

private:
    TextRule(MatchKind kind, QString text, QString flags, QRegularExpression regex);

    MatchKind m_kind;
    QString m_text;   // the text, or the pattern
    QString m_flags;  // TextMatches: "imsx" in that order, each at most once
    QRegularExpression m_regex;
    QString m_expected;  // prepared for every result
};

} // namespace wsprobe
