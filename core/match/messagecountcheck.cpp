#include "messagecountcheck.h"

#include "frameevent.h"
#include "messageview.h"
#include "preview.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

MessageCountCheck::MessageCountCheck(Matcher matcher, std::optional<qint64> atLeast,
                                     std::optional<qint64> atMost, qint64 withinMs)
    : m_matcher(std::move(matcher)), m_atLeast(atLeast), m_atMost(atMost), m_withinMs(withinMs)
{
    Q_ASSERT(m_atLeast || m_atMost);
}

std::unique_ptr<SequenceCheck> MessageCountCheck::fromSpec(SpecReader &reader)
{
    if (!reader.allowOnly(u"count", {u"count", u"exactly", u"atLeast", u"atMost", u"withinMs"})
        || !reader.atMostOneOf({u"exactly", u"atLeast"}) || !reader.atMostOneOf({u"exactly", u"atMost"}))
        return nullptr;
    QString error;
    std::optional<Matcher> matcher =
        Matcher::fromJson(reader.value(u"count"), &error, reader.pathOf(u"count"));
    if (!matcher) {
        reader.adoptError(error);
        return nullptr;
    }
    std::optional<qint64> atLeast;
    std::optional<qint64> atMost;
    if (reader.has(u"exactly")) {
        atLeast = atMost = reader.integer(u"exactly", 0);
        if (!atLeast)
            return nullptr;
    }
    if (reader.has(u"atLeast") && !(atLeast = reader.integer(u"atLeast", 0)))
        return nullptr;
    if (reader.has(u"atMost") && !(atMost = reader.integer(u"atMost", 0)))
        return nullptr;
    if (!atLeast && !atMost) {
        reader.fail({}, u"\"count\" needs \"exactly\", \"atLeast\" or \"atMost\""_s);
        return nullptr;
    }
    if (atLeast && atMost && *atLeast > *atMost) {
        reader.fail({}, u"\"atLeast\" (%1) is greater than \"atMost\" (%2)"_s.arg(*atLeast).arg(*atMost));
        return nullptr;
    }
    qint64 withinMs = 0;
    if (reader.has(u"withinMs")) {
        const std::optional<qint64> window = reader.integer(u"withinMs", 1);
        if (!window)
            return nullptr;
        withinMs = *window;
    }
    return std::make_unique<MessageCountCheck>(std::move(*matcher), atLeast, atMost, withinMs);
}

void MessageCountCheck::startAt(qint64 monotonicNs)
{
    m_startNs = monotonicNs;
}

QJsonObject MessageCountCheck::toJson() const
{
    QJsonObject spec{{u"count"_s, m_matcher.toJson()}};
    if (m_atLeast && m_atMost && *m_atLeast == *m_atMost) {
        spec.insert(u"exactly", *m_atLeast);
    } else {
        if (m_atLeast)
            spec.insert(u"atLeast", *m_atLeast);
        if (m_atMost)
            spec.insert(u"atMost", *m_atMost);
    }
    if (m_withinMs > 0)
        spec.insert(u"withinMs", m_withinMs);
    return spec;
}

QString MessageCountCheck::expected() const
{
    QString bound;
    if (m_atLeast && m_atMost && *m_atLeast == *m_atMost)
        bound = u"exactly %1"_s.arg(*m_atLeast);
    else if (m_atLeast && m_atMost)
        bound = u"%1 to %2"_s.arg(*m_atLeast).arg(*m_atMost);
    else if (m_atLeast)
        bound = u"at least %1"_s.arg(*m_atLeast);
    else
        bound = u"at most %1"_s.arg(*m_atMost);
    QString text = bound + u" matching "_s + m_matcher.describe();
    if (m_withinMs > 0)
        text += u" within %1 ms"_s.arg(m_withinMs);
    return text;
}

QString MessageCountCheck::describe() const
{
    return u"count "_s + expected();
}

void MessageCountCheck::reset()
{
    resetVerdict();
    m_startNs.reset();
    m_count = 0;
}

void MessageCountCheck::onEvent(qint64 sequence, MessageView &message)
{
    const FrameEvent &event = message.event();
    if (!m_startNs)
        m_startNs = event.monotonicNs;
    onTime(event.monotonicNs);
    if (verdict().isDecided())
        return;
    if (event.direction != Direction::Incoming || !m_matcher.match(message).matched)
        return;

    ++m_count;
    if (m_atMost && m_count > *m_atMost) {
        fail(expected(), Preview::messages(m_count),
             u"%1 is match number %2, over the limit of %3"_s
                 .arg(Preview::eventName(event, message.messageNumber(), sequence))
                 .arg(m_count)
                 .arg(*m_atMost),
             sequence);
        return;
    }
    if (m_atLeast && !m_atMost && m_count >= *m_atLeast)
        pass(expected(), Preview::messages(m_count));
}

void MessageCountCheck::onTime(qint64 monotonicNs)
{
    if (m_withinMs > 0 && m_startNs && monotonicNs - *m_startNs > m_withinMs * 1'000'000)
        decide();
}

void MessageCountCheck::onFinish(qint64 monotonicNs)
{
    Q_UNUSED(monotonicNs);
    decide();
}

void MessageCountCheck::decide()
{
    if (m_atLeast && m_count < *m_atLeast) {
        fail(expected(), Preview::messages(m_count),
             u"%1 fewer than expected"_s.arg(*m_atLeast - m_count));
        return;
    }
    // Too many was decided as it happened.
    pass(expected(), Preview::messages(m_count));
}

} // namespace wsprobe
