#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace wsprobe {

// A JSON Schema compiled once (by valijson), then used to validate many values.
//
// Copies share the compiled schema. Validation may be called from several threads: valijson
// caches the regular expressions of "pattern" in its validator, which is guarded by a mutex.
class JsonSchemaValidator
{
public:
    // The drafts valijson implements. Draft 6 schemas are read with the draft 7 rules.
    enum class Draft { Draft3, Draft4, Draft7 };

    struct Violation
    {
        QString path;     // JSON pointer to the offending value ("" = the whole document)
        QString message;  // valijson's description, e.g. "Value type not permitted by 'type' constraint."

        friend bool operator==(const Violation &, const Violation &) = default;
    };

    // Returns the schema document for an absolute URI without fragment
    // ("http://example.com/s.json", "file:///home/me/s.json"), or nullopt with *error saying why.
    // Without one, a schema whose "$ref" names another document does not compile.
    using RemoteFetcher = std::function<std::optional<QJsonValue>(const QString &uri, QString *error)>;

    struct Options
    {
        // Unset: taken from "$schema" when it names draft 3, 4, 6 or 7, else draft 7.
        std::optional<Draft> draft;
        RemoteFetcher fetchRemote;
        // The schema's own URI, against which relative "$ref"s resolve (a file: URL for a schema
        // in a file); empty: a relative reference to another document is an error.
        QString baseUri;
    };

    // schema is an object, or (draft 7) true or false. Nullopt with *error when the schema is
    // malformed, names an unknown draft, refers to a document that cannot be fetched, or loops
    // without looking into the value (a "$ref" to itself, allOf through "$ref" back to the same
    // subschema: see SchemaRefResolver); *errorPointer (if given) is then where in schema the
    // problem is, when it is in schema itself.
    static std::optional<JsonSchemaValidator> compile(const QJsonValue &schema, QString *error,
                                                      const Options &options,
                                                      QString *errorPointer = nullptr);
    static std::optional<JsonSchemaValidator> compile(const QJsonValue &schema, QString *error);

    // Stops at the first violation: the fast path. A value nested so deep that validating it
    // could overflow the stack (its depth times the schema's longest chain of subschemas on one
    // value, past 10,000) is not valid; validate() says why.
    bool isValid(const QJsonValue &value) const;
    // Every violation, innermost first; empty when value is valid. "Failed to validate the
    // member x" entries are left out when a deeper violation explains them.
    QList<Violation> validate(const QJsonValue &value) const;

    const QJsonValue &schema() const;
    Draft draft() const;

    static QString draftName(Draft draft);  // "draft 7"

private:
    struct Compiled;
    explicit JsonSchemaValidator(std::shared_ptr<Compiled> compiled);
    // Why value is too deeply nested to validate without risking the stack, if it is.
    std::optional<QString> tooDeep(const QJsonValue &value) const;

    std::shared_ptr<Compiled> m_compiled;  // Shared by copies.
};

} // namespace wsprobe
