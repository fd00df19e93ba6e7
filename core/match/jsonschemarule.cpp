#include "jsonschemarule.h"

#include "jsoncompare.h"
#include "jsontext.h"
#include "locatedjson.h"
#include "messageview.h"
#include "preview.h"
#include "specreader.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// The explanation lists this many violations, then counts the rest.
constexpr qsizetype ShownViolations = 3;

// A schema's "$ref" to a file beside the scenario ("user.schema.json"), read with the same cap
// as every input file. Nothing is fetched over the network: a run must not depend on it.
std::optional<QJsonValue> readSchemaFile(const QString &uri, QString *error)
{
    const QUrl url(uri);
    if (!url.isLocalFile()) {
        *error = u"only files are read, not %1: save the schema beside the scenario and refer to "
                 u"it by its file name"_s.arg(uri);
        return std::nullopt;
    }
    JsonError problem;
    const std::optional<LocatedValue> document = LocatedJson::parseFile(url.toLocalFile(), &problem);
    if (!document) {
        *error = problem.toString();
        return std::nullopt;
    }
    return document->toJsonValue();
}

} // namespace

JsonSchemaRule::JsonSchemaRule(JsonSchemaValidator validator)
    : m_validator(std::move(validator)),
      m_expected(u"valid against "_s + JsonText::compactPreview(m_validator.schema(), 200))
{
}

std::shared_ptr<const MatchRule> JsonSchemaRule::fromSpec(SpecReader &reader)
{
    if (!reader.allowOnly(u"schema", {u"schema"}))
        return nullptr;
    JsonSchemaValidator::Options options;
    options.baseUri = reader.schemaBaseUri();
    options.fetchRemote = &readSchemaFile;
    QString error;
    QString errorPointer;
    std::optional<JsonSchemaValidator> validator =
        JsonSchemaValidator::compile(reader.value(u"schema"), &error, options, &errorPointer);
    if (!validator) {
        reader.failAtPath(reader.pathOf(u"schema") + errorPointer, error);
        return nullptr;
    }
    return std::shared_ptr<const MatchRule>(new JsonSchemaRule(std::move(*validator)));
}

MatchResult JsonSchemaRule::match(MessageView &message) const
{
    if (!message.event().isMessage())
        return MatchResult::fail(m_expected, Preview::event(message.event()), u"not a message"_s);
    const QJsonValue *json = message.json();
    if (!json)
        return MatchResult::fail(m_expected, message.jsonPreview(),
                                 u"not JSON: "_s + message.jsonError());
    if (m_validator.isValid(*json))
        return MatchResult::pass(m_expected, message.jsonPreview());

    // The slow path, only for a failure: collect what is wrong.
    const QList<JsonSchemaValidator::Violation> violations = m_validator.validate(*json);
    QStringList parts;
    for (qsizetype i = 0; i < violations.size() && i < ShownViolations; ++i) {
        const auto &violation = violations[i];
        parts.append((violation.path.isEmpty() ? u"(the message)"_s : violation.path) + u": "_s
                     + violation.message);
    }
    QString explanation = parts.join(u"; "_s);
    if (violations.size() > ShownViolations)
        explanation += u" (and %1 more)"_s.arg(violations.size() - ShownViolations);
    return MatchResult::fail(m_expected, message.jsonPreview(), explanation);
}

QJsonObject JsonSchemaRule::toJson() const
{
    return {{u"schema"_s, m_validator.schema()}};
}

QString JsonSchemaRule::describe() const
{
    return u"json schema "_s + JsonText::compactPreview(m_validator.schema(), 80);
}

bool JsonSchemaRule::equals(const MatchRule &other) const
{
    return JsonCompare::equal(m_validator.schema(),
                              static_cast<const JsonSchemaRule &>(other).m_validator.schema());
}

} // namespace wsprobe
