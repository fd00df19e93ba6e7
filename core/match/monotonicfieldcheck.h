#pragma once

#include "jsonpointer.h"
#include "matcher.h"
#include "sequencecheck.h"

#include <QJsonValue>

#include <optional>

namespace wsprobe {

class SpecReader;

// A number in the received messages goes up: strictly, or by exactly `step` each time, over
// the next N messages (or until finish()). Looks at incoming messages only, and of those only
// at the ones `where` matches, when given; each of them must have a number at the pointer.
class MonotonicFieldCheck : public SequenceCheck
{
public:
    // messages: how many messages make a pass (the first one included); 0 = until finish().
    explicit MonotonicFieldCheck(JsonPointer field, qint64 messages = 0,
                                 std::optional<double> step = std::nullopt,
                                 std::optional<Matcher> where = std::nullopt);
    // {"monotonic": "/seq", "step": 1, "messages": 10, "where": <matcher>}.
    static std::unique_ptr<SequenceCheck> fromSpec(SpecReader &reader);

    QJsonObject toJson() const override;
    QString describe() const override;
    void reset() override;

protected:
    void onEvent(qint64 sequence, MessageView &message) override;
    void onFinish(qint64 monotonicNs) override;

private:
    QString expected() const;
    QString seen() const;  // "3 messages, /seq from 1 to 3"

    JsonPointer m_field;
    qint64 m_messages;
    std::optional<double> m_step;
    std::optional<Matcher> m_where;
    QString m_shownField;

    qint64 m_count = 0;
    QJsonValue m_first;
    QJsonValue m_last;
};

} // namespace wsprobe
