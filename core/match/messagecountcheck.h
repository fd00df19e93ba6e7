#pragma once

#include "matcher.h"
#include "sequencecheck.h"

#include <optional>

namespace wsprobe {

class SpecReader;

// Exactly, at least or at most N incoming events that a matcher matches, within a time window
// (or until finish()). The window opens at startAt(), or else at the first event fed. Decided
// early when it can be: too many fails at once, enough passes at once (with no upper bound).
class MessageCountCheck : public SequenceCheck
{
public:
    // At least one bound. withinMs: 0 = no window, count until finish().
    MessageCountCheck(Matcher matcher, std::optional<qint64> atLeast,
                      std::optional<qint64> atMost, qint64 withinMs = 0);
    // {"count": <matcher>, "exactly": 3 | "atLeast": 1, "atMost": 5, "withinMs": 1000}.
    static std::unique_ptr<SequenceCheck> fromSpec(SpecReader &reader);

    // Opens the window now, instead of at the first event.
    void startAt(qint64 monotonicNs);

    QJsonObject toJson() const override;
    QString describe() const override;
    void reset() override;

protected:
    void onEvent(qint64 sequence, MessageView &message) override;
    void onTime(qint64 monotonicNs) override;
    void onFinish(qint64 monotonicNs) override;

private:
    QString expected() const;
    void decide();

    Matcher m_matcher;
    std::optional<qint64> m_atLeast;
    std::optional<qint64> m_atMost;
    qint64 m_withinMs;

    std::optional<qint64> m_startNs;
    qint64 m_count = 0;
};

} // namespace wsprobe
