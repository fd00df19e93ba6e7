#pragma once

#include "matchrule.h"

#include <QJsonValue>

#include <memory>

namespace wsprobe {

class SpecReader;

// The message, parsed as JSON, equals a value (deep; 1 == 1.0) or contains it as a subset
// (every member of an expected object present and matching; arrays element by element).
class JsonValueRule : public MatchRule
{
public:
    // {"json": <any JSON>}, {"jsonSubset": <any JSON>}.
    static std::shared_ptr<const MatchRule> fromSpec(MatchKind kind, SpecReader &reader);

    MatchKind kind() const override { return m_kind; }
    MatchResult match(MessageView &message) const override;
    QJsonObject toJson() const override;
    QString describe() const override;
    bool equals(const MatchRule &other) const override;

private:
    JsonValueRule(MatchKind kind, QJsonValue value);

    MatchKind m_kind;
    QJsonValue m_value;
    QString m_expected;  // compact JSON, prepared for every result
};

} // namespace wsprobe
