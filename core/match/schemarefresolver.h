#pragma once

#include <QHash>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace wsprobe {

// Resolves the "$ref"s of a JSON Schema against their base URI as RFC 3986 says, before valijson
// reads the schema. valijson 1.0 joins a relative reference to its scope by concatenating the
// strings ("http://h/tree" + "node" = "http://h/treenode") and never reads draft 7's "$id"; given
// absolute references it fetches the right documents. The same walk gathers the regular
// expressions of "pattern" and "patternProperties", which valijson compiles only when it first
// validates, so that a bad one is found when the schema is built. Used by JsonSchemaValidator.
class SchemaRefResolver
{
public:
    using Fetcher = std::function<std::optional<QJsonValue>(const QString &uri)>;

    // idKeyword is "id" (drafts 3 and 4) or "$id" (draft 6 and later). fetch may be empty.
    SchemaRefResolver(QString idKeyword, Fetcher fetch);

    // The schema with every "$ref" that is not just a fragment made absolute against the base
    // URI in force where it stands (baseUri, changed by each "id"/"$id" on the way down).
    // Subschemas that declare an absolute id are remembered, so a reference to them is served
    // from this document instead of being fetched.
    QJsonValue prepare(const QJsonValue &schema, const QString &baseUri);

    // The document at uri (no fragment), prepared: a subschema seen by prepare(), else what the
    // fetcher returns. Nullopt, with failure() set, when neither has it.
    std::optional<QJsonValue> fetch(const QString &uri);
    const QString &failure() const { return m_failure; }

    // Every "pattern" and "patternProperties" name met in the schemas prepared so far.
    const QStringList &patterns() const { return m_patterns; }

private:
    QJsonValue prepareSchema(const QJsonValue &schema, const QString &base);
    QJsonValue prepareSchemaMap(const QJsonValue &map, const QString &base);
    QJsonValue prepareSchemaList(const QJsonValue &list, const QString &base);

    QString m_idKeyword;
    Fetcher m_fetch;
    QHash<QString, QJsonValue> m_byId;  // absolute id without fragment -> prepared subschema
    QString m_failure;
    QStringList m_patterns;
};

} // namespace wsprobe
