#include "matcher.h"

#include "anymessagerule.h"
#include "binaryrule.h"
#include "closerule.h"
#include "combinatorrule.h"
#include "jsonpointerrule.h"
#include "jsonschemarule.h"
#include "jsontext.h"
#include "jsonvaluerule.h"
#include "messageview.h"
#include "sizerule.h"
#include "specreader.h"
#include "textrule.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

using Factory = std::shared_ptr<const MatchRule> (*)(SpecReader &reader);

struct KindKey
{
    QStringView key;
    Factory build;
};

// The member that names a matcher's kind; exactly one per matcher object.
const KindKey KindKeys[] = {
    {u"text", [](SpecReader &r) { return TextRule::fromSpec(MatchKind::TextEquals, r); }},
    {u"textContains", [](SpecReader &r) { return TextRule::fromSpec(MatchKind::TextContains, r); }},
    {u"textMatches", [](SpecReader &r) { return TextRule::fromSpec(MatchKind::TextMatches, r); }},
    {u"json", [](SpecReader &r) { return JsonValueRule::fromSpec(MatchKind::JsonEquals, r); }},
    {u"jsonSubset", [](SpecReader &r) { return JsonValueRule::fromSpec(MatchKind::JsonSubset, r); }},
    {u"pointer", &JsonPointerRule::fromSpec},
    {u"schema", &JsonSchemaRule::fromSpec},
    {u"binary", [](SpecReader &r) { return BinaryRule::fromSpec(MatchKind::BinaryEquals, r); }},
    {u"binaryBase64", [](SpecReader &r) { return BinaryRule::fromSpec(MatchKind::BinaryBase64, r); }},
    {u"size", &SizeRule::fromSpec},
    {u"close", &CloseRule::fromSpec},
    {u"anyMessage", &AnyMessageRule::fromSpec},
    {u"allOf", [](SpecReader &r) { return CombinatorRule::fromSpec(MatchKind::AllOf, r); }},
    {u"anyOf", [](SpecReader &r) { return CombinatorRule::fromSpec(MatchKind::AnyOf, r); }},
    {u"not", [](SpecReader &r) { return CombinatorRule::fromSpec(MatchKind::Not, r); }},
};

QString quotedKey(QStringView key)
{
    return JsonText::quoted(key);
}

QString kindKeyList()
{
    QStringList keys;
    for (const KindKey &kind : KindKeys)
        keys.append(quotedKey(kind.key));
    return keys.join(u", "_s);
}

} // namespace

Matcher::Matcher() : m_rule(std::make_shared<AnyMessageRule>()) {}

Matcher::Matcher(std::shared_ptr<const MatchRule> rule) : m_rule(std::move(rule))
{
    Q_ASSERT(m_rule);
}

std::optional<Matcher> Matcher::fromJson(const QJsonValue &spec, QString *error)
{
    return fromJson(spec, error, QString());
}

std::optional<Matcher> Matcher::fromJson(const QJsonValue &spec, QString *error,
                                         const QString &path)
{
    return fromJson(spec, error, path, QString());
}

std::optional<Matcher> Matcher::fromJson(const QJsonValue &spec, QString *error,
                                         const QString &path, const QString &schemaBaseUri)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = SpecReader::withPath(path, message);
        return std::nullopt;
    };
    if (!spec.isObject())
        return fail(u"a matcher must be an object such as {\"text\": \"pong\"}, not %1"_s
                        .arg(JsonText::typeName(spec)));

    SpecReader reader(spec.toObject(), path, schemaBaseUri);
    const KindKey *found = nullptr;
    for (const KindKey &kind : KindKeys) {
        if (!reader.has(kind.key))
            continue;
        if (found)
            return fail(u"%1 and %2 in one matcher: combine matchers with \"allOf\""_s.arg(
                quotedKey(found->key), quotedKey(kind.key)));
        found = &kind;
    }
    if (!found) {
        const QStringList keys = reader.spec().keys();
        return fail(u"no matcher kind%1: use one of %2"_s.arg(
            keys.isEmpty() ? u" (empty object)"_s : u" among "_s + keys.join(u", "_s),
            kindKeyList()));
    }

    std::shared_ptr<const MatchRule> rule = found->build(reader);
    if (!rule) {
        if (error)
            *error = reader.error();
        return std::nullopt;
    }
    return Matcher(std::move(rule));
}

QJsonValue Matcher::toJson() const
{
    return m_rule->toJson();
}

QString Matcher::describe() const
{
    return m_rule->describe();
}

MatchKind Matcher::kind() const
{
    return m_rule->kind();
}

bool Matcher::looksAtCloses() const
{
    return m_rule->looksAtCloses();
}

MatchResult Matcher::match(const FrameEvent &event) const
{
    MessageView view(event);
    return m_rule->match(view);
}

MatchResult Matcher::match(MessageView &message) const
{
    return m_rule->match(message);
}

bool operator==(const Matcher &a, const Matcher &b)
{
    return a.m_rule == b.m_rule
        || (a.m_rule->kind() == b.m_rule->kind() && a.m_rule->equals(*b.m_rule));
}

} // namespace wsprobe
