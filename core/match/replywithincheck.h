#pragma once

#include "matcher.h"
#include "sequencecheck.h"

#include <deque>
#include <optional>

namespace wsprobe {

class SpecReader;

// Each sent message gets a reply within a time limit. Sent messages (outgoing text or binary,
// those `to` matches when given) wait in order; the next incoming event `reply` matches answers
// the oldest waiting one. Fails at the first message whose reply is late or never comes;
// passes once `messages` sent messages have their replies (or at finish() when none waits).
class ReplyWithinCheck : public SequenceCheck
{
public:
    // messages: how many sent messages to watch; 0 = every one until finish().
    explicit ReplyWithinCheck(qint64 limitMs, Matcher reply = Matcher(),
                              std::optional<Matcher> to = std::nullopt, qint64 messages = 0);
    // {"replyWithinMs": 500, "reply": <matcher>, "to": <matcher>, "messages": 1}.
    static std::unique_ptr<SequenceCheck> fromSpec(SpecReader &reader);

    QJsonObject toJson() const override;
    QString describe() const override;
    void reset() override;

protected:
    void onEvent(qint64 sequence, MessageView &message) override;
    void onTime(qint64 monotonicNs) override;
    void onFinish(qint64 monotonicNs) override;

private:
    struct Waiting
    {
        qint64 sequence;
        qint64 messageNumber;
        qint64 sentNs;
    };

    QString expected() const;
    QString seen() const;  // "3 replies, the slowest after 120 ms"

    qint64 m_limitMs;
    Matcher m_reply;
    std::optional<Matcher> m_to;
    qint64 m_messages;

    std::deque<Waiting> m_waiting;
    qint64 m_watched = 0;
    qint64 m_answered = 0;
    qint64 m_slowestNs = 0;
};

} // namespace wsprobe
