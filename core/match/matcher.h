#pragma once

#include "matchkind.h"
#include "matchresult.h"

#include <QJsonValue>
#include <QString>

#include <memory>
#include <optional>

namespace wsprobe {

struct FrameEvent;
class MatchRule;
class MessageView;

// One check on one received event: a text, binary or close matcher, or a combination of them.
// A value type, cheap to copy (copies share the prepared rule), built from JSON and written
// back to it; the JSON forms are described in docs/matchers.md.
class Matcher
{
public:
    // Matches any message: {"anyMessage": true}.
    Matcher();
    // For the rules: wraps a prepared rule.
    explicit Matcher(std::shared_ptr<const MatchRule> rule);

    // Nullopt, with *error saying what and where (`/allOf/1/textMatches: ...`), when spec is not
    // a matcher. path, when given, is the spec's own location and prefixes every error.
    static std::optional<Matcher> fromJson(const QJsonValue &spec, QString *error);
    static std::optional<Matcher> fromJson(const QJsonValue &spec, QString *error,
                                           const QString &path);
    // schemaBaseUri: the URI relative "$ref"s of a "schema" resolve against, the scenario
    // file's (QUrl::fromLocalFile); "" where there is no file (they are an error then).
    static std::optional<Matcher> fromJson(const QJsonValue &spec, QString *error,
                                           const QString &path, const QString &schemaBaseUri);
    // Canonical: fromJson(toJson()) gives an equal matcher.
    QJsonValue toJson() const;
    // One line for the UI: `json subset {"type":"ack"}`.
    QString describe() const;
    MatchKind kind() const;
    // Whether close events can match: a "close" matcher, alone or in allOf/anyOf/not.
    bool looksAtCloses() const;

    MatchResult match(const FrameEvent &event) const;
    // Several matchers looking at one event share one view: the payload is parsed once.
    MatchResult match(MessageView &message) const;

    friend bool operator==(const Matcher &a, const Matcher &b);

private:
    std::shared_ptr<const MatchRule> m_rule;  // Shared by copies; never null.
};

} // namespace wsprobe
