#pragma once

#include "matchkind.h"
#include "matchresult.h"

#include <QJsonObject>
#include <QString>

namespace wsprobe {

class MessageView;

// One kind of check behind a Matcher. Immutable once built: whatever can be prepared (regexes,
// schemas, decoded bytes, display strings) is prepared when the rule is built, so matching does
// the least work. Rules are shared between copies of a Matcher.
class MatchRule
{
public:
    virtual ~MatchRule() = default;

    virtual MatchKind kind() const = 0;
    virtual MatchResult match(MessageView &message) const = 0;
    // The spec this rule was built from, in its canonical form.
    virtual QJsonObject toJson() const = 0;
    virtual QString describe() const = 0;
    // other is of the same kind().
    virtual bool equals(const MatchRule &other) const = 0;
    // Whether the rule is about close events (a close rule, alone or combined), so a scenario
    // step shows it the connection's close as well as its messages.
    virtual bool looksAtCloses() const { return false; }
};

} // namespace wsprobe
