#include "schemarefresolver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Keywords whose value is a schema, an object of schemas, or a list of schemas (drafts 3 to 7).
// Everything else ("enum", "const", "default", "examples", ...) is data and left untouched.
bool isSchemaKeyword(QStringView key)
{
    return key == u"additionalItems" || key == u"additionalProperties" || key == u"not"
        || key == u"contains" || key == u"propertyNames" || key == u"if" || key == u"then"
        || key == u"else";
}

bool isSchemaMapKeyword(QStringView key)
{
    return key == u"properties" || key == u"patternProperties" || key == u"definitions"
        || key == u"dependencies";
}

// "items" and draft 3's "extends", "type" and "disallow" take a schema or a list of them.
bool isSchemaOrListKeyword(QStringView key)
{
    return key == u"items" || key == u"extends" || key == u"type" || key == u"disallow";
}

bool isSchemaListKeyword(QStringView key)
{
    return key == u"allOf" || key == u"anyOf" || key == u"oneOf";
}

QString withoutFragment(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveFragment).toString(QUrl::FullyEncoded);
}

} // namespace

SchemaRefResolver::SchemaRefResolver(QString idKeyword, Fetcher fetch)
    : m_idKeyword(std::move(idKeyword)), m_fetch(std::move(fetch))
{
}

QJsonValue SchemaRefResolver::prepare(const QJsonValue &schema, const QString &baseUri)
{
    return prepareSchema(schema, baseUri);
}

std::optional<QJsonValue> SchemaRefResolver::fetch(const QString &uri)
{
    const auto known = m_byId.constFind(uri);
    if (known != m_byId.constEnd())
        return known.value();
    if (!m_fetch) {
        m_failure = u"the schema refers to %1, and remote references are not enabled"_s.arg(uri);
        return std::nullopt;
    }
    const std::optional<QJsonValue> document = m_fetch(uri);
    if (!document) {
        m_failure = u"cannot fetch the referenced schema %1"_s.arg(uri);
        return std::nullopt;
    }
    return prepareSchema(*document, uri);
}

QJsonValue SchemaRefResolver::prepareSchema(const QJsonValue &schema, const QString &base)
{
    if (!schema.isObject())
        return schema;
    QJsonObject object = schema.toObject();

    QString scope = base;
    // Beside "$ref" every other keyword is ignored, "id" and "$id" included (drafts 3 to 7).
    const QJsonValue id = object.contains(u"$ref") ? QJsonValue() : object.value(m_idKeyword);
    if (id.isString()) {
        const QUrl resolved = QUrl(base).resolved(QUrl(id.toString()));
        // An id that is only a fragment ("#foo") names the subschema; it does not move the base.
        if (!id.toString().startsWith(u'#'))
            scope = withoutFragment(resolved);
    }

    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (key == u"$ref") {
            const QString ref = it.value().toString();
            if (!scope.isEmpty() && !ref.isEmpty() && !ref.startsWith(u'#'))
                it.value() = QUrl(scope).resolved(QUrl(ref)).toString(QUrl::FullyEncoded);
        } else if (isSchemaKeyword(key)) {
            it.value() = prepareSchema(it.value(), scope);
        } else if (key == u"pattern") {
            if (it.value().isString())
                m_patterns.append(it.value().toString());
        } else if (isSchemaMapKeyword(key)) {
            if (key == u"patternProperties")
                m_patterns.append(it.value().toObject().keys());
            it.value() = prepareSchemaMap(it.value(), scope);
        } else if (isSchemaListKeyword(key)) {
            it.value() = prepareSchemaList(it.value(), scope);
        } else if (isSchemaOrListKeyword(key)) {
            it.value() = it.value().isArray() ? prepareSchemaList(it.value(), scope)
                                              : prepareSchema(it.value(), scope);
        }
    }

    // valijson reads "id" (never "$id") to key its cache of fetched subschemas, by the scope of
    // the referring schema rather than the fetched one: with recursion across documents it
    // hands back the wrong subschema. The references are absolute now, so it needs no id.
    object.remove(u"id");
    if (id.isString() && !id.toString().startsWith(u'#') && !QUrl(scope).isRelative())
        m_byId.insert(scope, object);
    return object;
}

QJsonValue SchemaRefResolver::prepareSchemaMap(const QJsonValue &map, const QString &base)
{
    if (!map.isObject())
        return map;
    QJsonObject object = map.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        // "dependencies" also holds lists of property names: only objects are schemas.
        if (it.value().isObject())
            it.value() = prepareSchema(it.value(), base);
    }
    return object;
}

QJsonValue SchemaRefResolver::prepareSchemaList(const QJsonValue &list, const QString &base)
{
    if (!list.isArray())
        return list;
    QJsonArray array = list.toArray();
    for (auto it = array.begin(); it != array.end(); ++it)
        *it = prepareSchema(*it, base);
    return array;
}

} // namespace wsprobe
