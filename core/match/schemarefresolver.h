#pragma once

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace wsprobe {

// Turns a JSON Schema and every document its "$ref"s reach into one self-contained schema whose
// references are all plain JSON pointers ("#/..."), before valijson reads it, and refuses the
// references valijson cannot survive. valijson 1.0 joins a relative reference to its scope by
// concatenating strings, never reads draft 7's "$id", keys its cache of fetched subschemas by
// the referring schema's scope (so documents that refer to each other get the wrong subschema),
// follows a chain of "$ref"s with no end ({"$ref": "#"}: a stack overflow), and validates a loop
// of allOf/anyOf/not/"$ref" that never looks into the value for ever. Here:
// - references resolve against the base URI in force where they stand (RFC 3986, "id"/"$id"),
//   to a subschema of a document already known, or to a document the fetcher returns (at most
//   MaxDocuments in all), which is put beside the root under "$wsprobeDocuments";
// - a chain of references is followed to the schema at its end, and one that comes back on
//   itself is an error;
// - a loop of subschemas applied to the same value (allOf, anyOf, oneOf, not, if/then/else,
//   dependencies, draft 3's schema types, "$ref") is an error: it could only end in a stack
//   overflow. Loops through properties, items and the other keywords that go into the value
//   (a tree) are fine: the value's depth ends them.
// The same walk gathers the regular expressions of "pattern" and "patternProperties", which
// valijson compiles only when it first validates, so that a bad one is found when the schema is
// built. Used by JsonSchemaValidator.
class SchemaRefResolver
{
public:
    // The document at uri (absolute, no fragment), or nullopt with *error saying why.
    using Fetcher = std::function<std::optional<QJsonValue>(const QString &uri, QString *error)>;

    static constexpr int MaxDocuments = 32;  // the schema and the documents it refers to
    // valijson reads a schema recursively, through references too, with about 2 KiB of stack a
    // level: deeper schemas are refused rather than risk the stack (8 MiB overflows near 4,000).
    static constexpr int MaxDepth = 1000;

    // idKeyword is "id" (drafts 3 and 4) or "$id" (draft 6 and later). fetch may be empty.
    SchemaRefResolver(QString idKeyword, Fetcher fetch);

    // The self-contained schema, or nullopt with error() set. baseUri is the schema's own URI
    // (a file: URL when it comes from a file), against which relative references resolve; it
    // may be empty.
    std::optional<QJsonValue> resolve(const QJsonValue &schema, const QString &baseUri);
    const QString &error() const { return m_error; }
    // Where in the schema given to resolve() the error is (a JSON pointer), when it is there;
    // empty when it is in a referenced document or concerns the whole schema.
    const QString &errorPointer() const { return m_errorPointer; }

    // Every "pattern" and "patternProperties" name met in the schemas resolved.
    const QStringList &patterns() const { return m_patterns; }
    // The longest chain of subschemas applied to one value (allOf, "$ref", not...): validating
    // a value nested n levels deep goes about n times this deep into the stack.
    int sameValueDepth() const { return m_sameValueDepth; }

private:
    struct Location
    {
        int document = 0;
        QStringList tokens;

        Location operator+(const QString &token) const { return {document, tokens + QStringList{token}}; }
    };
    struct Node
    {
        Location where;
        QList<QString> sameValue;  // keys of the subschemas applied to the same value
        QList<QString> children;   // keys of every subschema in it, the same value's or deeper
        int ref = -1;              // index in m_refs when the node is {"$ref": ...}
    };
    struct Ref
    {
        Location holder;  // the object holding "$ref"
        QString written;  // as written
        QString resolved; // against the base URI in force
        QString target;   // node key of the subschema it designates, once known
        QString final;    // node key at the end of its chain of "$ref"s
    };

    static QString keyOf(const Location &where);
    QString describe(const Location &where) const;
    bool fail(const Location &where, const QString &message);

    int addDocument(const QString &uri, const QJsonValue &value);
    QString walk(const Location &where, const QJsonValue &value, const QString &base);
    void walkChild(Node *node, const Location &where, const QString &key, const QJsonValue &value,
                   const QString &scope, bool sameValue);
    QString baseAt(const Location &where) const;
    bool resolveRef(int index);
    bool followChains();
    bool findSameValueLoops();
    bool checkDepth();
    QJsonValue rebuild(const QJsonValue &value, const Location &where) const;
    QString bundlePointer(const QString &nodeKey) const;

    QString m_idKeyword;
    Fetcher m_fetch;
    QList<QString> m_documentUris;
    QList<QJsonValue> m_documents;
    QHash<QString, Location> m_byUri;  // document URIs and ids -> where they are
    QHash<QString, Node> m_nodes;      // node key -> every subschema walked
    QStringList m_order;               // node keys, as walked: errors do not depend on hashing
    QList<Ref> m_refs;
    QHash<QString, QString> m_newRefs;  // key of an object holding "$ref" -> its new value
    QSet<QString> m_withId;             // keys of schema objects whose id is removed
    QSet<QString> m_rebuilt;            // keys of every value on the way to a change
    QString m_error;
    QString m_errorPointer;
    QStringList m_patterns;
    int m_sameValueDepth = 0;
};

} // namespace wsprobe
