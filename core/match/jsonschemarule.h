#pragma once

#include "jsonschemavalidator.h"
#include "matchrule.h"

#include <memory>

namespace wsprobe {

class SpecReader;

// The message, parsed as JSON, is valid against a JSON Schema compiled when the rule is built.
class JsonSchemaRule : public MatchRule
{
public:
    // {"schema": {...}}: drafts 3, 4, 6 and 7 (by "$schema"; draft 7 when absent). A "$ref" to
    // another document reads a local file (relative to the reader's schemaBaseUri), never the
    // network; loops that could not end are errors (JsonSchemaValidator).
    static std::shared_ptr<const MatchRule> fromSpec(SpecReader &reader);

    MatchKind kind() const override { return MatchKind::JsonSchema; }
    MatchResult match(MessageView &message) const override;
    QJsonObject toJson() const override;
    QString describe() const override;
    bool equals(const MatchRule &other) const override;

private:
    explicit JsonSchemaRule(JsonSchemaValidator validator);

    JsonSchemaValidator m_validator;
    QString m_expected;
};

} // namespace wsprobe
