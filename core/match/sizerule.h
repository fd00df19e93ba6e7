#pragma once

#include "matchrule.h"

#include <memory>
#include <optional>

namespace wsprobe {

class SpecReader;

// A message's size on the wire (UTF-8 bytes for text) lies within bounds.
class SizeRule : public MatchRule
{
public:
    // {"size": 12} (exactly), {"size": {"min": 1, "max": 1024}} (either bound may be left out).
    static std::shared_ptr<const MatchRule> fromSpec(SpecReader &reader);

    MatchKind kind() const override { return MatchKind::Size; }
    MatchResult match(MessageView &message) const override;
    QJsonObject toJson() const override;
    QString describe() const override;
    bool equals(const MatchRule &other) const override;

private:
    SizeRule(std::optional<qint64> min, std::optional<qint64> max);

    std::optional<qint64> m_min;
    std::optional<qint64> m_max;
    QString m_expected;
};

} // namespace wsprobe
