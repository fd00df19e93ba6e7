#pragma once

#include "matchrule.h"

#include <QRegularExpression>

#include <memory>
#include <optional>

namespace wsprobe {

class SpecReader;

// A close event has a code, and optionally a reason (equal or matching) and a cleanliness.
class CloseRule : public MatchRule
{
public:
    // {"close": 1000 | "NORMAL_CLOSURE" | "4001" | "any", "reason": "bye" | "reasonMatches":
    // "^bye", "clean": true}. Codes are read by CloseCodes::fromString.
    static std::shared_ptr<const MatchRule> fromSpec(SpecReader &reader);

    MatchKind kind() const override { return MatchKind::Close; }
    bool looksAtCloses() const override { return true; }
    MatchResult match(MessageView &message) const override;
    QJsonObject toJson() const override;
    QString describe() const override;
    bool equals(const MatchRule &other) const override;

private:
    CloseRule() = default;
    void prepare();

    std::optional<int> m_code;      // unset: any code
    std::optional<QString> m_reason;
    std::optional<QString> m_reasonPattern;
    QRegularExpression m_reasonRegex;
    std::optional<bool> m_clean;
    QString m_expected;
};

} // namespace wsprobe
