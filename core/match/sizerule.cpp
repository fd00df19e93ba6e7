#include "sizerule.h"

#include "messageview.h"
#include "preview.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

SizeRule::SizeRule(std::optional<qint64> min, std::optional<qint64> max)
    : m_min(min), m_max(max)
{
    if (m_min && m_max && *m_min == *m_max)
        m_expected = u"exactly "_s + Preview::bytes(*m_min);
    else if (m_min && m_max)
        m_expected = u"%1 to %2"_s.arg(*m_min).arg(Preview::bytes(*m_max));
    else if (m_min)
        m_expected = u"at least "_s + Preview::bytes(*m_min);
    else
        m_expected = u"at most "_s + Preview::bytes(*m_max);
}

std::shared_ptr<const MatchRule> SizeRule::fromSpec(SpecReader &reader)
{
    if (!reader.allowOnly(u"size", {u"size"}))
        return nullptr;
    const QJsonValue value = reader.value(u"size");
    if (value.isDouble()) {
        const std::optional<qint64> exactly = reader.integer(u"size", 0);
        if (!exactly)
            return nullptr;
        return std::shared_ptr<const MatchRule>(new SizeRule(exactly, exactly));
    }
    if (!value.isObject()) {
        reader.fail(u"size", u"must be a number of bytes or {\"min\": ..., \"max\": ...}"_s);
        return nullptr;
    }
    SpecReader bounds(value.toObject(), reader.pathOf(u"size"));
    std::optional<qint64> min;
    std::optional<qint64> max;
    if (bounds.spec().isEmpty()) {
        bounds.fail({}, u"give \"min\", \"max\" or both"_s);
    } else if (bounds.allowOnly({}, {u"min", u"max"})) {
        if (bounds.has(u"min"))
            min = bounds.integer(u"min", 0);
        if (bounds.has(u"max"))
            max = bounds.integer(u"max", 0);
        if (min && max && *min > *max)
            bounds.fail({}, u"\"min\" (%1) is greater than \"max\" (%2)"_s.arg(*min).arg(*max));
    }
    if (bounds.hasFailed()) {
        reader.adoptError(bounds.error());
        return nullptr;
    }
    return std::shared_ptr<const MatchRule>(new SizeRule(min, max));
}

MatchResult SizeRule::match(MessageView &message) const
{
    const FrameEvent &event = message.event();
    if (!event.isMessage())
        return MatchResult::fail(m_expected, Preview::event(event), u"not a message"_s);
    const QString actual = Preview::bytes(event.size);
    if (m_min && event.size < *m_min)
        return MatchResult::fail(m_expected, actual,
                                 u"smaller than the minimum of "_s + Preview::bytes(*m_min));
    if (m_max && event.size > *m_max)
        return MatchResult::fail(m_expected, actual,
                                 u"larger than the maximum of "_s + Preview::bytes(*m_max));
    return MatchResult::pass(m_expected, actual);
}

QJsonObject SizeRule::toJson() const
{
    if (m_min && m_max && *m_min == *m_max)
        return {{u"size"_s, *m_min}};
    QJsonObject bounds;
    if (m_min)
        bounds.insert(u"min", *m_min);
    if (m_max)
        bounds.insert(u"max", *m_max);
    return {{u"size"_s, bounds}};
}

QString SizeRule::describe() const
{
    return u"size "_s + m_expected;
}

bool SizeRule::equals(const MatchRule &other) const
{
    const auto &rule = static_cast<const SizeRule &>(other);
    return m_min == rule.m_min && m_max == rule.m_max;
}

} // namespace wsprobe
