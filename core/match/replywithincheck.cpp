#include "replywithincheck.h"

#include "frameevent.h"
#include "messageview.h"
#include "preview.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

ReplyWithinCheck::ReplyWithinCheck(qint64 limitMs, Matcher reply, std::optional<Matcher> to,
                                   qint64 messages)
    : m_limitMs(limitMs), m_reply(std::move(reply)), m_to(std::move(to)), m_messages(messages)
{
}

std::unique_ptr<SequenceCheck> ReplyWithinCheck::fromSpec(SpecReader &reader)
{
    if (!reader.allowOnly(u"replyWithinMs", {u"replyWithinMs", u"reply", u"to", u"messages"}))
        return nullptr;
    const std::optional<qint64> limit = reader.integer(u"replyWithinMs", 0);
    if (!limit)
        return nullptr;
    QString error;
    Matcher reply;
    if (reader.has(u"reply")) {
        std::optional<Matcher> matcher =
            Matcher::fromJson(reader.value(u"reply"), &error, reader.pathOf(u"reply"));
        if (!matcher) {
            reader.adoptError(error);
            return nullptr;
        }
        reply = std::move(*matcher);
    }
    std::optional<Matcher> to;
    if (reader.has(u"to")) {
        to = Matcher::fromJson(reader.value(u"to"), &error, reader.pathOf(u"to"));
        if (!to) {
            reader.adoptError(error);
            return nullptr;
        }
    }
    qint64 messages = 0;
    if (reader.has(u"messages")) {
        const std::optional<qint64> count = reader.integer(u"messages", 1);
        if (!count)
            return nullptr;
        messages = *count;
    }
    return std::make_unique<ReplyWithinCheck>(*limit, std::move(reply), std::move(to), messages);
}

QJsonObject ReplyWithinCheck::toJson() const
{
    QJsonObject spec{{u"replyWithinMs"_s, m_limitMs}, {u"reply"_s, m_reply.toJson()}};
    if (m_to)
        spec.insert(u"to", m_to->toJson());
    if (m_messages > 0)
        spec.insert(u"messages", m_messages);
    return spec;
}

QString ReplyWithinCheck::expected() const
{
    QString text = u"a reply (%1) within %2 ms to "_s.arg(m_reply.describe()).arg(m_limitMs);
    if (m_messages == 1)
        text += u"the next sent message"_s;
    else if (m_messages > 1)
        text += u"each of the next %1 sent messages"_s.arg(m_messages);
    else
        text += u"each sent message"_s;
    if (m_to)
        text += u" matching "_s + m_to->describe();
    return text;
}

QString ReplyWithinCheck::describe() const
{
    QString text = u"reply within %1 ms: %2"_s.arg(m_limitMs).arg(m_reply.describe());
    if (m_to)
        text += u" to "_s + m_to->describe();
    if (m_messages > 0)
        text += u", for "_s + Preview::messages(m_messages);
    return text;
}

QString ReplyWithinCheck::seen() const
{
    if (m_answered == 0)
        return u"no reply"_s;
    return u"%1 %2, the slowest after %3"_s.arg(m_answered)
        .arg(m_answered == 1 ? u"reply"_s : u"replies"_s, Preview::duration(m_slowestNs));
}

void ReplyWithinCheck::reset()
{
    resetVerdict();
    m_waiting.clear();
    m_watched = m_answered = m_slowestNs = 0;
}

void ReplyWithinCheck::onEvent(qint64 sequence, MessageView &message)
{
    const FrameEvent &event = message.event();
    const qint64 limitNs = m_limitMs * 1'000'000;
    if (event.direction == Direction::Incoming && !m_waiting.empty()
        && m_reply.match(message).matched) {
        const Waiting oldest = m_waiting.front();
        const qint64 latencyNs = event.monotonicNs - oldest.sentNs;
        if (latencyNs > limitNs) {
            fail(expected(),
                 u"reply in %1 after %2"_s.arg(Preview::messageName(message.messageNumber(), sequence),
                                               Preview::duration(latencyNs)),
                 u"%1 got its reply %2 late"_s.arg(Preview::messageName(oldest.messageNumber, oldest.sequence),
                                                   Preview::duration(latencyNs - limitNs)),
                 oldest.sequence);
            return;
        }
        m_waiting.pop_front();
        ++m_answered;
        m_slowestNs = qMax(m_slowestNs, latencyNs);
        if (m_messages > 0 && m_answered == m_messages)
            pass(expected(), seen());
        return;
    }

    onTime(event.monotonicNs);
    if (verdict().isDecided())
        return;
    if (event.direction != Direction::Outgoing || !event.isMessage())
        return;
    if (m_messages > 0 && m_watched == m_messages)
        return;
    if (m_to && !m_to->match(message).matched)
        return;
    m_waiting.push_back({sequence, message.messageNumber(), event.monotonicNs});
    ++m_watched;
}

void ReplyWithinCheck::onTime(qint64 monotonicNs)
{
    if (m_waiting.empty())
        return;
    const Waiting oldest = m_waiting.front();
    if (monotonicNs - oldest.sentNs > m_limitMs * 1'000'000) {
        fail(expected(), u"no reply within %1 ms"_s.arg(m_limitMs),
             u"%1 got no reply within %2 ms"_s.arg(Preview::messageName(oldest.messageNumber, oldest.sequence))
                 .arg(m_limitMs),
             oldest.sequence);
    }
}

void ReplyWithinCheck::onFinish(qint64 monotonicNs)
{
    onTime(monotonicNs);
    if (verdict().isDecided())
        return;
    if (!m_waiting.empty()) {
        fail(expected(), seen(),
             u"%1 was still waiting for its reply at the end"_s.arg(
                 Preview::messageName(m_waiting.front().messageNumber, m_waiting.front().sequence)),
             m_waiting.front().sequence);
        return;
    }
    if (m_watched == 0) {
        fail(expected(), seen(), u"no message was sent"_s);
        return;
    }
    if (m_messages > 0 && m_watched < m_messages) {
        fail(expected(), seen(),
             u"only %1 of %2 were sent"_s.arg(m_watched).arg(Preview::messages(m_messages)));
        return;
    }
    pass(expected(), seen());
}

} // namespace wsprobe
