#pragma once

#include "jsonpointer.h"
#include "matchrule.h"

#include <QJsonValue>

#include <memory>

namespace wsprobe {

class SpecReader;

// The value a JSON pointer designates in the message equals a value, exists, or is absent.
class JsonPointerRule : public MatchRule
{
public:
    // {"pointer": "/a/0", "equals": <any JSON>}, {"pointer": "/a/0", "exists": true|false}.
    static std::shared_ptr<const MatchRule> fromSpec(SpecReader &reader);

    MatchKind kind() const override { return m_kind; }
    MatchResult match(MessageView &message) const override;
    QJsonObject toJson() const override;
    QString describe() const override;
    bool equals(const MatchRule &other) const override;

private:
    JsonPointerRule(MatchKind kind, JsonPointer pointer, QJsonValue value);

    QString shownAt(const QJsonValue &value) const;  // "/user/id = 41"

    MatchKind m_kind;
    JsonPointer m_pointer;
    QJsonValue m_value;  // PointerEquals
    QString m_shownPointer;
    QString m_expected;
};

} // namespace wsprobe
