#include "jsonvaluerule.h"

#include "jsoncompare.h"
#include "jsontext.h"
#include "messageview.h"
#include "preview.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

JsonValueRule::JsonValueRule(MatchKind kind, QJsonValue value)
    : m_kind(kind), m_value(std::move(value)), m_expected(JsonText::compactPreview(m_value, 200))
{
}

std::shared_ptr<const MatchRule> JsonValueRule::fromSpec(MatchKind kind, SpecReader &reader)
{
    const QString key = kind == MatchKind::JsonSubset ? u"jsonSubset"_s : u"json"_s;
    if (!reader.allowOnly(key, {key}))
        return nullptr;
    return std::shared_ptr<const MatchRule>(new JsonValueRule(kind, reader.value(key)));
}

MatchResult JsonValueRule::match(MessageView &message) const
{
    if (!message.event().isMessage())
        return MatchResult::fail(m_expected, Preview::event(message.event()), u"not a message"_s);
    const QJsonValue *json = message.json();
    if (!json)
        return MatchResult::fail(m_expected, message.jsonPreview(),
                                 u"not JSON: "_s + message.jsonError());
    const std::optional<JsonCompare::Difference> difference =
        m_kind == MatchKind::JsonSubset ? JsonCompare::firstSubsetMismatch(m_value, *json)
                                        : JsonCompare::firstDifference(m_value, *json);
    if (difference)
        return MatchResult::fail(m_expected, message.jsonPreview(), difference->toString());
    return MatchResult::pass(m_expected, message.jsonPreview());
}

QJsonObject JsonValueRule::toJson() const
{
    return {{m_kind == MatchKind::JsonSubset ? u"jsonSubset"_s : u"json"_s, m_value}};
}

QString JsonValueRule::describe() const
{
    return (m_kind == MatchKind::JsonSubset ? u"json subset "_s : u"json equals "_s)
        + JsonText::compactPreview(m_value, 80);
}

bool JsonValueRule::equals(const MatchRule &other) const
{
    return JsonCompare::equal(m_value, static_cast<const JsonValueRule &>(other).m_value);
}

} // namespace wsprobe
