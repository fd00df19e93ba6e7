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

    // Returns the schema document for a URI without fragment ("http://example.com/s.json"), or
    // nullopt when it cannot be had. Without one, a schema with a remote "$ref" does not compile.
    using RemoteFetcher = std::function<std::optional<QJsonValue>(const QString &uri)>;

    struct Options
    {
        // Unset: taken from "$schema" when it names draft 3, 4, 6 or 7, else draft 7.
        std::optional<Draft> draft;
        RemoteFetcher fetchRemote;
    };

    // schema is an object, or (draft 7) true or false. Nullopt with *error when the schema is
    // malformed, names an unknown draft, or refers to a document that cannot be fetched.
    static std::optional<JsonSchemaValidator> compile(const QJsonValue &schema, QString *error,
                                                      const Options &options);
    static std::optional<JsonSchemaValidator> compile(const QJsonValue &schema, QString *error);

    // Stops at the first violation: the fast path.
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

    std::shared_ptr<Compiled> m_compiled;  // Shared by copies.
};

} // namespace wsprobe
