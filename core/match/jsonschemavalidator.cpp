#include "jsonschemavalidator.h"

#include "jsonpointer.h"
#include "jsontext.h"
#include "schemarefresolver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <mutex>
#include <regex>

// Without this valijson reports a malformed schema with abort().
#define VALIJSON_USE_EXCEPTIONS 1
// valijson 1.0's Qt adapter reads a number as an integer with QJsonValue::toInt(), which gives 0
// past 2^31-1: 2147483648 or a Date.now() timestamp failed "type": "integer", and a schema's
// "maxLength": 4294967296 read as 0. toInteger() is exact up to 2^63-1 (past that a number is a
// double, and not an integer here). The adapter calls toInt() in getInteger() and isInteger()
// only; Qt's own headers are included above, so the rename reaches nothing else.
#define toInt toInteger
#include <valijson/adapters/qtjson_adapter.hpp>
#undef toInt
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

using namespace Qt::StringLiterals;

namespace wsprobe {

struct JsonSchemaValidator::Compiled
{
    QJsonValue document;
    Draft draft = Draft::Draft7;
    int sameValueDepth = 0;  // SchemaRefResolver::sameValueDepth()
    valijson::Schema schema;
    std::mutex validatorMutex;
    valijson::Validator validator;  // Guarded by validatorMutex: it caches compiled patterns.
};

namespace {

using valijson::adapters::QtJsonAdapter;

// valijson 1.0 divides by "multipleOf" (draft 3: "divisibleBy") without looking at it: 0 is an
// integer division by zero (SIGFPE, the process dies) and -1 overflows for -2^63. The drafts
// require a number greater than 0, so anything else is refused when the schema is compiled.
// Returns the JSON Pointer of the first bad one.
std::optional<QString> badDivisor(const QJsonValue &value, const QString &pointer)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto bad = badDivisor(array.at(i), pointer + u'/' + QString::number(i)))
                return bad;
        }
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            QString key = it.key();
            const QString child = pointer + u'/' + key.replace(u"~"_s, u"~0"_s).replace(u"/"_s, u"~1"_s);
            // A number under that name is the keyword; an object there is a property's schema.
            if ((it.key() == u"multipleOf" || it.key() == u"divisibleBy") && !it.value().isObject()
                && !(it.value().isDouble() && it.value().toDouble() > 0)) {
                return child;
            }
            if (auto bad = badDivisor(it.value(), child))
                return bad;
        }
    }
    return std::nullopt;
}

std::optional<JsonSchemaValidator::Draft> draftFromUri(const QString &uri, bool *known)
{
    using Draft = JsonSchemaValidator::Draft;
    *known = true;
    if (uri.contains(u"json-schema.org/draft-03/"))
        return Draft::Draft3;
    if (uri.contains(u"json-schema.org/draft-04/"))
        return Draft::Draft4;
    if (uri.contains(u"json-schema.org/draft-06/") || uri.contains(u"json-schema.org/draft-07/"))
        return Draft::Draft7;
    *known = false;
    return std::nullopt;
}

valijson::SchemaParser::Version parserVersion(JsonSchemaValidator::Draft draft)
{
    switch (draft) {
    case JsonSchemaValidator::Draft::Draft3: return valijson::SchemaParser::kDraft3;
    case JsonSchemaValidator::Draft::Draft4: return valijson::SchemaParser::kDraft4;
    case JsonSchemaValidator::Draft::Draft7: break;
    }
    return valijson::SchemaParser::kDraft7;
}

// valijson's context is {"<root>", "[name]", "[0]", ...}: one bracketed step per level.
QString pointerFromContext(const std::vector<std::string> &context)
{
    QList<QString> tokens;
    for (std::size_t i = 1; i < context.size(); ++i) {
        const std::string &step = context[i];
        if (step.size() >= 2 && step.front() == '[' && step.back() == ']')
            tokens.append(QString::fromStdString(step.substr(1, step.size() - 2)));
        else
            tokens.append(QString::fromStdString(step));
    }
    return JsonPointer::fromTokens(std::move(tokens)).toString();
}

// valijson validates recursively: about the value's depth times the schema's longest chain of
// subschemas applied to one value, at some 270 bytes of stack a level (an 8 MiB stack
// overflowed near 30,000). A message from the peer may be nested 1,024 levels (Qt's JSON
// limit): past this budget it is not validated, and fails, rather than crash.
constexpr qint64 MaxValidationLevels = 10000;

// How deeply value nests (a scalar: 1), without recursion.
qint64 depthOf(const QJsonValue &value)
{
    qint64 deepest = 0;
    QList<std::pair<QJsonValue, qint64>> pending = {{value, 1}};
    while (!pending.isEmpty()) {
        const auto [current, depth] = pending.takeLast();
        deepest = qMax(deepest, depth);
        if (current.isArray()) {
            for (const QJsonValue &element : current.toArray())
                if (element.isArray() || element.isObject())
                    pending.append({element, depth + 1});
        } else if (current.isObject()) {
            const QJsonObject object = current.toObject();
            for (auto it = object.constBegin(); it != object.constEnd(); ++it)
                if (it.value().isArray() || it.value().isObject())
                    pending.append({it.value(), depth + 1});
        }
    }
    return deepest;
}

bool isPrefix(const std::vector<std::string> &prefix, const std::vector<std::string> &of)
{
    return prefix.size() < of.size() && std::equal(prefix.begin(), prefix.end(), of.begin());
}

} // namespace

JsonSchemaValidator::JsonSchemaValidator(std::shared_ptr<Compiled> compiled)
    : m_compiled(std::move(compiled))
{
}

std::optional<JsonSchemaValidator> JsonSchemaValidator::compile(const QJsonValue &schema,
                                                                QString *error)
{
    return compile(schema, error, Options{});
}

std::optional<JsonSchemaValidator> JsonSchemaValidator::compile(const QJsonValue &schema,
                                                                QString *error,
                                                                const Options &options,
                                                                QString *errorPointer)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };

    Draft draft = options.draft.value_or(Draft::Draft7);
    if (!options.draft && schema.isObject()) {
        const QJsonValue declared = schema.toObject().value(u"$schema");
        if (declared.isString()) {
            bool known = false;
            const std::optional<Draft> found = draftFromUri(declared.toString(), &known);
            if (!known)
                return fail(u"unsupported \"$schema\" \"%1\": supported are draft 3, 4, 6 and 7"_s
                                .arg(declared.toString()));
            draft = *found;
        }
    }
    if (schema.isBool() && draft != Draft::Draft7)
        return fail(u"a schema that is just true or false needs draft 6 or later"_s);
    if (!schema.isObject() && !schema.isBool())
        return fail(u"a schema must be an object (or true or false), not %1"_s.arg(
            schema.isArray() ? u"an array"_s : schema.isString() ? u"a string"_s
                                                                 : u"a number or null"_s));

    auto compiled = std::make_shared<Compiled>();
    compiled->document = schema;
    compiled->draft = draft;

    // Every reference goes through the resolver: valijson gets one self-contained document
    // whose references are plain pointers, and no loop it could not get out of.
    SchemaRefResolver resolver(draft == Draft::Draft7 ? u"$id"_s : u"id"_s, options.fetchRemote);
    const std::optional<QJsonValue> prepared = resolver.resolve(schema, options.baseUri);
    if (!prepared) {
        if (errorPointer)
            *errorPointer = resolver.errorPointer();
        return fail(u"invalid schema: "_s + resolver.error());
    }

    // valijson compiles patterns (as ECMAScript std::regex) on first use; try them now.
    for (const QString &pattern : resolver.patterns()) {
        try {
            const std::regex regex(pattern.toStdString());
        } catch (const std::regex_error &e) {
            return fail(u"invalid schema: the pattern %1 is not a valid regular expression: %2"_s
                            .arg(JsonText::quoted(pattern), QString::fromStdString(e.what())));
        }
    }

    // The schema as written first, for a pointer into it; then with the files it refers to.
    std::optional<QString> bad = badDivisor(schema, QString());
    if (bad && errorPointer)
        *errorPointer = *bad;
    if (!bad)
        bad = badDivisor(*prepared, QString());
    if (bad) {
        return fail(u"invalid schema: %1 must be a number greater than 0"_s.arg(
            bad->section(u'/', -1)));
    }

    compiled->sameValueDepth = resolver.sameValueDepth();
    valijson::SchemaParser parser(parserVersion(draft));
    try {
        parser.populateSchema(QtJsonAdapter(*prepared), compiled->schema);
    } catch (const std::exception &e) {
        return fail(u"invalid schema: "_s + QString::fromStdString(e.what()));
    }
    return JsonSchemaValidator(std::move(compiled));
}

std::optional<QString> JsonSchemaValidator::tooDeep(const QJsonValue &value) const
{
    // Cheap for the flat messages most schemas see: only nesting costs a closer look.
    if (!value.isArray() && !value.isObject())
        return std::nullopt;
    const qint64 perLevel = m_compiled->sameValueDepth + 2;
    if (1025 * perLevel <= MaxValidationLevels)
        return std::nullopt;
    const qint64 depth = depthOf(value);
    if (depth * perLevel <= MaxValidationLevels)
        return std::nullopt;
    return u"the message nests %1 levels deep; with this schema, which applies up to %2 "
           u"subschemas to one value, wsprobe validates at most %3 levels"_s
        .arg(depth).arg(m_compiled->sameValueDepth).arg(MaxValidationLevels / perLevel);
}

bool JsonSchemaValidator::isValid(const QJsonValue &value) const
{
    if (tooDeep(value))
        return false;
    std::lock_guard lock(m_compiled->validatorMutex);
    try {
        return m_compiled->validator.validate(m_compiled->schema, QtJsonAdapter(value), nullptr);
    } catch (const std::exception &) {
        // Not expected (patterns were tried when compiling), but valijson may throw while
        // validating; a value the schema cannot judge is not valid.
        return false;
    }
}

QList<JsonSchemaValidator::Violation> JsonSchemaValidator::validate(const QJsonValue &value) const
{
    if (const std::optional<QString> why = tooDeep(value))
        return {Violation{QString(), *why}};
    valijson::ValidationResults results;
    {
        std::lock_guard lock(m_compiled->validatorMutex);
        try {
            if (m_compiled->validator.validate(m_compiled->schema, QtJsonAdapter(value), &results))
                return {};
        } catch (const std::exception &e) {
            return {Violation{QString(), u"the schema cannot be applied: "_s
                                             + QString::fromStdString(e.what())}};
        }
    }

    const std::vector<valijson::ValidationResults::Error> errors(results.begin(), results.end());
    QList<Violation> violations;
    for (const auto &error : errors) {
        // valijson reports every enclosing level too ("Failed to validate against schema
        // associated with property name 'id'"); the innermost error says what is wrong.
        const bool explainedDeeper =
            error.description.rfind("Failed to validate", 0) == 0
            && std::any_of(errors.begin(), errors.end(), [&error](const auto &other) {
                   return isPrefix(error.context, other.context);
               });
        if (!explainedDeeper)
            violations.append({pointerFromContext(error.context),
                               QString::fromStdString(error.description)});
    }
    if (violations.isEmpty())  // never expected, but a failure must say something
        violations.append({QString(), u"the value does not match the schema"_s});
    return violations;
}

const QJsonValue &JsonSchemaValidator::schema() const
{
    return m_compiled->document;
}

JsonSchemaValidator::Draft JsonSchemaValidator::draft() const
{
    return m_compiled->draft;
}

QString JsonSchemaValidator::draftName(Draft draft)
{
    switch (draft) {
    case Draft::Draft3: return u"draft 3"_s;
    case Draft::Draft4: return u"draft 4"_s;
    case Draft::Draft7: break;
    }
    return u"draft 7"_s;
}

} // namespace wsprobe
