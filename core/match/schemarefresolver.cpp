#include "schemarefresolver.h"

#include "jsonpointer.h"
#include "jsontext.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Where the referenced documents go in the bundle, beside the root schema's own keywords.
constexpr QStringView DocumentsKey = u"$wsprobeDocuments";

// Keywords whose value is a schema applied to the same value as the schema holding them: a loop
// through them alone never ends.
bool isSameValueKeyword(QStringView key)
{
    return key == u"not" || key == u"if" || key == u"then" || key == u"else";
}

bool isSameValueListKeyword(QStringView key)
{
    return key == u"allOf" || key == u"anyOf" || key == u"oneOf";
}

// Keywords whose value is a schema applied to a part of the value (a member, an element), or
// none (valijson ignores draft 3's "extends" and "disallow").
bool isDeeperKeyword(QStringView key)
{
    return key == u"additionalItems" || key == u"additionalProperties" || key == u"contains"
        || key == u"propertyNames";
}

bool isSchemaMapKeyword(QStringView key)
{
    return key == u"properties" || key == u"patternProperties" || key == u"definitions";
}

// "items" (a schema or a list) and draft 3's "extends" and "disallow", ignored by valijson.
bool isDeeperOrListKeyword(QStringView key)
{
    return key == u"items" || key == u"extends" || key == u"disallow";
}

QString withoutFragment(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveFragment).toString(QUrl::FullyEncoded);
}

// A JSON pointer as valijson reads it from a "$ref": it decodes "%xx" as well as "~0" and "~1".
QString referencePointer(const QStringList &tokens)
{
    QString pointer;
    for (const QString &token : tokens) {
        QString escaped = JsonPointer::escapeToken(token);
        escaped.replace(u'%', u"%25"_s);
        pointer += u'/' + escaped;
    }
    return pointer;
}

std::optional<QJsonValue> valueAt(const QJsonValue &document, const QStringList &tokens,
                                  QString *why)
{
    return JsonPointer::fromTokens(tokens).resolve(document, why);
}

} // namespace

SchemaRefResolver::SchemaRefResolver(QString idKeyword, Fetcher fetch)
    : m_idKeyword(std::move(idKeyword)), m_fetch(std::move(fetch))
{
}

QString SchemaRefResolver::keyOf(const Location &where)
{
    return QString::number(where.document) + u'#'
        + JsonPointer::fromTokens(where.tokens).toString();
}

QString SchemaRefResolver::describe(const Location &where) const
{
    const QString pointer = u'#' + JsonPointer::fromTokens(where.tokens).toString();
    if (where.document == 0)
        return pointer;
    const QUrl url(m_documentUris.value(where.document));
    return (url.isLocalFile() ? url.fileName() : withoutFragment(url)) + pointer;
}

bool SchemaRefResolver::fail(const Location &where, const QString &message)
{
    if (m_error.isEmpty()) {
        m_error = message;
        if (where.document == 0)
            m_errorPointer = JsonPointer::fromTokens(where.tokens).toString();
    }
    return false;
}

std::optional<QJsonValue> SchemaRefResolver::resolve(const QJsonValue &schema,
                                                     const QString &baseUri)
{
    addDocument(baseUri, schema);
    walk(Location{0, {}}, schema, baseUri);
    // Resolving a reference may fetch a document or reach an unwalked subschema, which adds
    // references: the list grows while it is read.
    for (int i = 0; i < m_refs.size(); ++i) {
        if (!resolveRef(i))
            return std::nullopt;
    }
    if (!followChains() || !findSameValueLoops() || !checkDepth())
        return std::nullopt;

    for (int i = 0; i < m_refs.size(); ++i) {
        const Ref &ref = m_refs[i];
        m_newRefs.insert(keyOf(ref.holder), u'#' + bundlePointer(ref.final));
    }
    // Every value on the way to a change is rebuilt; the rest is shared as it is.
    const auto markPath = [this](const Location &where) {
        for (qsizetype n = 0; n <= where.tokens.size(); ++n)
            m_rebuilt.insert(keyOf(Location{where.document, where.tokens.first(n)}));
    };
    for (const Ref &ref : std::as_const(m_refs))
        markPath(ref.holder);
    for (const QString &key : std::as_const(m_withId))
        markPath(m_nodes[key].where);

    QJsonValue bundle = rebuild(m_documents[0], Location{0, {}});
    if (m_documents.size() > 1) {
        QJsonArray others;
        for (int i = 1; i < m_documents.size(); ++i)
            others.append(rebuild(m_documents[i], Location{i, {}}));
        QJsonObject root = bundle.toObject();
        root.insert(DocumentsKey, others);
        bundle = root;
    }
    return bundle;
}

int SchemaRefResolver::addDocument(const QString &uri, const QJsonValue &value)
{
    const int index = int(m_documents.size());
    m_documentUris.append(uri);
    m_documents.append(value);
    m_byUri.insert(uri, Location{index, {}});
    return index;
}

QString SchemaRefResolver::walk(const Location &where, const QJsonValue &value, const QString &base)
{
    const QString key = keyOf(where);
    if (m_nodes.contains(key))
        return key;
    Node node{where, {}, {}, -1};
    m_nodes.insert(key, node);
    m_order.append(key);
    if (!value.isObject())
        return key;  // true, false, or not a schema (valijson says so)
    const QJsonObject object = value.toObject();

    QString scope = base;
    // Beside "$ref" every other keyword is ignored, "id" and "$id" included (drafts 3 to 7).
    const bool isRef = object.contains(u"$ref");
    const QJsonValue id = isRef ? QJsonValue() : object.value(m_idKeyword);
    if (id.isString()) {
        const QUrl resolved = QUrl(base).resolved(QUrl(id.toString()));
        if (resolved.hasFragment()) {
            // "#foo" names this subschema; it does not move the base.
            m_byUri.insert(resolved.toString(QUrl::FullyEncoded), where);
        } else {
            scope = withoutFragment(resolved);
            m_byUri.insert(scope, where);
        }
    }
    // valijson reads "id" to change its scope; every reference is a plain pointer now.
    if (object.contains(u"id") || object.contains(m_idKeyword))
        m_withId.insert(key);

    const auto child = [&](const QStringList &path, const QJsonValue &schema, bool sameValue) {
        Location at = where;
        at.tokens += path;
        const QString childKey = walk(at, schema, scope);
        node.children.append(childKey);
        if (sameValue && !isRef)
            node.sameValue.append(childKey);
    };
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString name = it.key();
        const QJsonValue member = it.value();
        if (name == u"$ref") {
            if (!member.isString())
                continue;  // valijson refuses it with its own words
            node.ref = int(m_refs.size());
            m_refs.append(Ref{where, member.toString(),
                              QUrl(scope).resolved(QUrl(member.toString())).toString(QUrl::FullyEncoded),
                              {}, {}});
        } else if (isSameValueKeyword(name)) {
            child({name}, member, true);
        } else if (isSameValueListKeyword(name)) {
            const QJsonArray list = member.toArray();
            for (qsizetype i = 0; i < list.size(); ++i)
                child({name, QString::number(i)}, list[i], true);
        } else if (name == u"dependencies" && member.isObject()) {
            // A schema here applies to the whole value; a list of names is not a schema.
            const QJsonObject map = member.toObject();
            for (auto dependency = map.constBegin(); dependency != map.constEnd(); ++dependency) {
                if (!dependency.value().isArray())
                    child({name, dependency.key()}, dependency.value(), true);
            }
        } else if (name == u"type" && member.isArray()) {
            // Draft 3: a type may be a schema, applied to the same value.
            const QJsonArray list = member.toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                if (list[i].isObject())
                    child({name, QString::number(i)}, list[i], true);
            }
        } else if (isDeeperKeyword(name)) {
            child({name}, member, false);
        } else if (isSchemaMapKeyword(name) && member.isObject()) {
            const QJsonObject map = member.toObject();
            if (name == u"patternProperties")
                m_patterns.append(map.keys());
            for (auto entry = map.constBegin(); entry != map.constEnd(); ++entry)
                child({name, entry.key()}, entry.value(), false);
        } else if (isDeeperOrListKeyword(name)) {
            if (member.isArray()) {
                const QJsonArray list = member.toArray();
                for (qsizetype i = 0; i < list.size(); ++i)
                    child({name, QString::number(i)}, list[i], false);
            } else {
                child({name}, member, false);
            }
        } else if (name == u"pattern" && member.isString()) {
            m_patterns.append(member.toString());
        }
    }
    m_nodes.insert(key, node);
    return key;
}

// The base URI in force at a subschema reached by a pointer rather than by the walk: the
// document's, changed by every id on the way down.
QString SchemaRefResolver::baseAt(const Location &where) const
{
    QString base = m_documentUris[where.document];
    QJsonValue value = m_documents[where.document];
    for (qsizetype n = 0; n <= where.tokens.size(); ++n) {
        const QJsonObject object = value.toObject();
        const QJsonValue id = object.contains(u"$ref") ? QJsonValue() : object.value(m_idKeyword);
        if (id.isString() && !id.toString().startsWith(u'#'))
            base = withoutFragment(QUrl(base).resolved(QUrl(id.toString())));
        if (n < where.tokens.size()) {
            const QString &token = where.tokens[n];
            value = value.isArray() ? value.toArray().at(token.toLongLong()) : object.value(token);
        }
    }
    return base;
}

bool SchemaRefResolver::resolveRef(int index)
{
    const Ref ref = m_refs[index];
    const Location refAt = ref.holder + u"$ref"_s;
    const QString at = u"the \"$ref\" %1 at %2"_s.arg(JsonText::quoted(ref.written),
                                                       describe(ref.holder));
    const QUrl url(ref.resolved);
    const QString documentUri = withoutFragment(url);
    const QString fragment = url.fragment(QUrl::FullyDecoded);
    const bool byName = !fragment.isEmpty() && !fragment.startsWith(u'/');

    const auto lookUp = [&]() -> std::optional<Location> {
        const auto found = m_byUri.constFind(byName ? ref.resolved : documentUri);
        if (found == m_byUri.constEnd())
            return std::nullopt;
        return found.value();
    };
    std::optional<Location> base = lookUp();
    if (!base && !m_byUri.contains(documentUri)) {
        if (url.isRelative())
            return fail(refAt,
                        u"%1 names a file relative to the schema's own, and this schema is in no "
                        u"file: give the schema in a scenario file, or a URI with a scheme"_s.arg(at));
        if (!m_fetch)
            return fail(refAt, u"%1 refers to another document, and this schema cannot "
                                    u"fetch one"_s.arg(at));
        if (m_documents.size() >= MaxDocuments)
            return fail(refAt, u"%1 would be document %2: a schema may refer to %3 in all"_s
                                        .arg(at).arg(m_documents.size() + 1).arg(MaxDocuments - 1));
        QString why;
        const std::optional<QJsonValue> document = m_fetch(documentUri, &why);
        if (!document)
            return fail(refAt, u"%1 cannot be read: %2"_s.arg(at, why));
        const int added = addDocument(documentUri, *document);
        walk(Location{added, {}}, *document, documentUri);
        base = lookUp();
    }
    if (!base)
        return fail(refAt, u"%1: no subschema has the id \"#%2\""_s.arg(at, fragment));

    Location target = *base;
    if (!byName && !fragment.isEmpty()) {
        QString error;
        const std::optional<JsonPointer> pointer = JsonPointer::parse(fragment, &error);
        if (!pointer)
            return fail(refAt, u"%1 has a fragment that is not a JSON pointer: %2"_s.arg(at, error));
        target.tokens += pointer->tokens();
    }
    QString why;
    const std::optional<QJsonValue> value = valueAt(m_documents[target.document], target.tokens, &why);
    if (!value)
        return fail(refAt, u"%1 designates nothing: %2"_s.arg(at, why));
    m_refs[index].target = walk(target, *value, baseAt(target));
    return true;
}

bool SchemaRefResolver::followChains()
{
    for (Ref &ref : m_refs) {
        const Location refAt = ref.holder + u"$ref"_s;
        QStringList chain = {keyOf(ref.holder)};
        QSet<QString> onChain = {chain.first()};
        QString current = ref.target;
        while (true) {
            const Node &node = m_nodes[current];
            if (node.ref < 0)
                break;
            // A chain already followed is not followed again: long chains stay linear.
            if (!m_refs[node.ref].final.isEmpty()) {
                current = m_refs[node.ref].final;
                break;
            }
            if (onChain.contains(current)) {
                QStringList shown;
                for (const QString &key : chain.mid(chain.indexOf(current)))
                    shown.append(describe(m_nodes[key].where));
                shown.append(describe(node.where));
                return fail(refAt,
                            u"\"$ref\" loop: %1 refers to nothing but itself, and validating with "
                            u"it would never end"_s.arg(shown.join(u" → "_s)));
            }
            chain.append(current);
            onChain.insert(current);
            current = m_refs[node.ref].target;
        }
        ref.final = current;
    }
    return true;
}

bool SchemaRefResolver::findSameValueLoops()
{
    // Depth-first, without recursion: a long chain of subschemas must not use up the stack here
    // either. 1 = on the current path, 2 = done.
    QHash<QString, int> state;
    QHash<QString, int> longest;  // the longest chain from a node, once it is done
    for (const QString &start : std::as_const(m_order)) {
        if (state.value(start) != 0)
            continue;
        struct Frame
        {
            QString key;
            QStringList next;
            qsizetype index = 0;
        };
        const auto edges = [this](const QString &key) {
            const Node &node = m_nodes[key];
            return node.ref >= 0 ? QStringList{m_refs[node.ref].final} : node.sameValue;
        };
        QList<Frame> path = {Frame{start, edges(start)}};
        state.insert(start, 1);
        while (!path.isEmpty()) {
            Frame &top = path.last();
            if (top.index == top.next.size()) {
                int length = 0;
                for (const QString &next : std::as_const(top.next))
                    length = qMax(length, longest.value(next) + 1);
                longest.insert(top.key, length);
                m_sameValueDepth = qMax(m_sameValueDepth, length);
                state.insert(top.key, 2);
                path.removeLast();
                continue;
            }
            const QString next = top.next[top.index++];
            const int seen = state.value(next);
            if (seen == 1) {
                QStringList shown;
                qsizetype from = 0;
                while (path[from].key != next)
                    ++from;
                for (qsizetype i = from; i < path.size(); ++i)
                    shown.append(describe(m_nodes[path[i].key].where));
                shown.append(describe(m_nodes[next].where));
                return fail(m_nodes[next].where,
                            u"the schema loops through %1 without looking into the value (no "
                            u"properties or items on the way), and validating with it would "
                            u"never end"_s.arg(shown.join(u" → "_s)));
            }
            if (seen == 0) {
                state.insert(next, 1);
                path.append(Frame{next, edges(next)});
            }
        }
    }
    return true;
}

// How deep valijson goes when it reads the schema: subschemas and references followed from the
// root, each read once (it keeps what it has read), as a depth-first walk without recursion.
bool SchemaRefResolver::checkDepth()
{
    const auto edges = [this](const QString &key) {
        const Node &node = m_nodes[key];
        QStringList next = node.children;
        if (node.ref >= 0)
            next.append(m_refs[node.ref].final);
        return next;
    };
    struct Frame
    {
        QString key;
        QStringList next;
        qsizetype index = 0;
    };
    const QString root = keyOf(Location{0, {}});
    QSet<QString> seen = {root};
    QList<Frame> path = {Frame{root, edges(root)}};
    while (!path.isEmpty()) {
        Frame &top = path.last();
        if (top.index == top.next.size()) {
            path.removeLast();
            continue;
        }
        const QString next = top.next[top.index++];
        if (seen.contains(next))
            continue;
        seen.insert(next);
        if (path.size() >= MaxDepth) {
            return fail(m_nodes[next].where,
                        u"the schema goes more than %1 levels deep through its subschemas and "
                        u"references, more than wsprobe reads"_s.arg(MaxDepth));
        }
        path.append(Frame{next, edges(next)});
    }
    return true;
}

QString SchemaRefResolver::bundlePointer(const QString &nodeKey) const
{
    const Location &where = m_nodes[nodeKey].where;
    QStringList tokens = where.tokens;
    if (where.document > 0)
        tokens = QStringList{DocumentsKey.toString(), QString::number(where.document - 1)} + tokens;
    return referencePointer(tokens);
}

QJsonValue SchemaRefResolver::rebuild(const QJsonValue &value, const Location &where) const
{
    const QString key = keyOf(where);
    if (!m_rebuilt.contains(key))
        return value;
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            Location at = where;
            at.tokens.append(QString::number(i));
            array[i] = rebuild(array[i], at);
        }
        return array;
    }
    if (!value.isObject())
        return value;
    QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        Location at = where;
        at.tokens.append(it.key());
        it.value() = rebuild(it.value(), at);
    }
    const auto newRef = m_newRefs.constFind(key);
    if (newRef != m_newRefs.constEnd())
        object.insert(u"$ref", newRef.value());
    if (m_withId.contains(key)) {
        object.remove(u"id");
        object.remove(m_idKeyword);
    }
    return object;
}

} // namespace wsprobe
