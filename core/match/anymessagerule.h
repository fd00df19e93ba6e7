#pragma once

#include "frameevent.h"
#include "matchrule.h"

#include <memory>
#include <optional>

namespace wsprobe {

class SpecReader;

// Any whole message, or any of one type.
class AnyMessageRule : public MatchRule
{
public:
    // {"anyMessage": true | "text" | "binary"}.
    static std::shared_ptr<const MatchRule> fromSpec(SpecReader &reader);
    // Any message, text or binary.
    AnyMessageRule();

    MatchKind kind() const override { return MatchKind::AnyMessage; }
    MatchResult match(MessageView &message) const override;
    QJsonObject toJson() const override;
    QString describe() const override;
    bool equals(const MatchRule &other) const override;

private:
    explicit AnyMessageRule(std::optional<EventKind> only);

    std::optional<EventKind> m_only;  // Text or Binary; unset: both
    QString m_expected;
};

} // namespace wsprobe
