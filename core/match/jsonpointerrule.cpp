#include "jsonpointerrule.h"

#include "jsoncompare.h"
#include "jsontext.h"
#include "messageview.h"
#include "preview.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

JsonPointerRule::JsonPointerRule(MatchKind kind, JsonPointer pointer, QJsonValue value)
    : m_kind(kind), m_pointer(std::move(pointer)), m_value(std::move(value))
{
    // The empty pointer is the whole message; "" would be easy to miss in a report.
    m_shownPointer = m_pointer.isRoot() ? u"(the message)"_s : m_pointer.toString();
    switch (m_kind) {
    case MatchKind::PointerExists:
        m_expected = m_shownPointer + u" exists"_s;
        break;
    case MatchKind::PointerAbsent:
        m_expected = m_shownPointer + u" absent"_s;
        break;
    default:
        m_expected = shownAt(m_value);
        break;
    }
}

QString JsonPointerRule::shownAt(const QJsonValue &value) const
{
    return m_shownPointer + u" = "_s + JsonText::compactPreview(value, 200);
}

std::shared_ptr<const MatchRule> JsonPointerRule::fromSpec(SpecReader &reader)
{
    if (!reader.allowOnly(u"pointer", {u"pointer", u"equals", u"exists"})
        || !reader.atMostOneOf({u"equals", u"exists"}))
        return nullptr;
    const std::optional<QString> text = reader.string(u"pointer");
    if (!text)
        return nullptr;
    QString error;
    std::optional<JsonPointer> pointer = JsonPointer::parse(*text, &error);
    if (!pointer) {
        reader.fail(u"pointer", error);
        return nullptr;
    }
    if (reader.has(u"equals")) {
        return std::shared_ptr<const MatchRule>(
            new JsonPointerRule(MatchKind::PointerEquals, std::move(*pointer), reader.value(u"equals")));
    }
    if (!reader.has(u"exists")) {
        reader.fail({}, u"\"pointer\" needs \"equals\": <value>, \"exists\": true or \"exists\": "
                        "false"_s);
        return nullptr;
    }
    const std::optional<bool> exists = reader.boolean(u"exists");
    if (!exists)
        return nullptr;
    return std::shared_ptr<const MatchRule>(
        new JsonPointerRule(*exists ? MatchKind::PointerExists : MatchKind::PointerAbsent,
                            std::move(*pointer), QJsonValue()));
}

MatchResult JsonPointerRule::match(MessageView &message) const
{
    if (!message.event().isMessage())
        return MatchResult::fail(m_expected, Preview::event(message.event()), u"not a message"_s);
    const QJsonValue *json = message.json();
    if (!json)
        return MatchResult::fail(m_expected, message.jsonPreview(),
                                 u"not JSON: "_s + message.jsonError());

    QString why;
    const std::optional<QJsonValue> found = m_pointer.resolve(*json, &why);
    if (!found) {
        const QString actual = m_shownPointer + u" absent"_s;
        if (m_kind == MatchKind::PointerAbsent)
            return MatchResult::pass(m_expected, actual);
        return MatchResult::fail(m_expected, actual, why);
    }
    const QString actual = shownAt(*found);
    switch (m_kind) {
    case MatchKind::PointerExists:
        return MatchResult::pass(m_expected, actual);
    case MatchKind::PointerAbsent:
        return MatchResult::fail(m_expected, actual, m_shownPointer + u" exists"_s);
    default:
        break;
    }
    if (std::optional<JsonCompare::Difference> difference =
            JsonCompare::firstDifference(m_value, *found)) {
        // Report the difference from the message's root, not from the pointed value.
        difference->path.prepend(m_pointer.toString());
        return MatchResult::fail(m_expected, actual, difference->toString());
    }
    return MatchResult::pass(m_expected, actual);
}

QJsonObject JsonPointerRule::toJson() const
{
    QJsonObject spec{{u"pointer"_s, m_pointer.toString()}};
    switch (m_kind) {
    case MatchKind::PointerExists: spec.insert(u"exists", true); break;
    case MatchKind::PointerAbsent: spec.insert(u"exists", false); break;
    default: spec.insert(u"equals", m_value); break;
    }
    return spec;
}

QString JsonPointerRule::describe() const
{
    switch (m_kind) {
    case MatchKind::PointerExists: return u"json pointer %1 exists"_s.arg(m_shownPointer);
    case MatchKind::PointerAbsent: return u"json pointer %1 absent"_s.arg(m_shownPointer);
    default: break;
    }
    return u"json pointer %1 equals %2"_s.arg(m_shownPointer, JsonText::compactPreview(m_value, 80));
}

bool JsonPointerRule::equals(const MatchRule &other) const
{
    const auto &rule = static_cast<const JsonPointerRule &>(other);
    return m_pointer == rule.m_pointer && JsonCompare::equal(m_value, rule.m_value);
}

} // namespace wsprobe
