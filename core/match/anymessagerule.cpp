#include "anymessagerule.h"

#include "messageview.h"
#include "preview.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

AnyMessageRule::AnyMessageRule() : AnyMessageRule(std::nullopt) {}

AnyMessageRule::AnyMessageRule(std::optional<EventKind> only) : m_only(only)
{
    if (!m_only)
        m_expected = u"any message"_s;
    else
        m_expected = *m_only == EventKind::Text ? u"any text message"_s : u"any binary message"_s;
}

std::shared_ptr<const MatchRule> AnyMessageRule::fromSpec(SpecReader &reader)
{
    if (!reader.allowOnly(u"anyMessage", {u"anyMessage"}))
        return nullptr;
    const QJsonValue value = reader.value(u"anyMessage");
    if (value == QJsonValue(true))
        return std::make_shared<AnyMessageRule>();
    if (value == QJsonValue(u"text"_s))
        return std::shared_ptr<const MatchRule>(new AnyMessageRule(EventKind::Text));
    if (value == QJsonValue(u"binary"_s))
        return std::shared_ptr<const MatchRule>(new AnyMessageRule(EventKind::Binary));
    reader.fail(u"anyMessage", u"must be true, \"text\" or \"binary\""_s);
    return nullptr;
}

MatchResult AnyMessageRule::match(MessageView &message) const
{
    const FrameEvent &event = message.event();
    const QString actual = Preview::event(event);
    if (!event.isMessage())
        return MatchResult::fail(m_expected, actual, u"not a message"_s);
    if (m_only && event.kind != *m_only)
        return MatchResult::fail(m_expected, actual,
                                 *m_only == EventKind::Text ? u"not a text message"_s
                                                            : u"not a binary message"_s);
    return MatchResult::pass(m_expected, actual);
}

QJsonObject AnyMessageRule::toJson() const
{
    if (!m_only)
        return {{u"anyMessage"_s, true}};
    return {{u"anyMessage"_s, *m_only == EventKind::Text ? u"text"_s : u"binary"_s}};
}

QString AnyMessageRule::describe() const
{
    return m_expected;
}

bool AnyMessageRule::equals(const MatchRule &other) const
{
    return m_only == static_cast<const AnyMessageRule &>(other).m_only;
}

} // namespace wsprobe
