#include "jsonschemavalidator.h"
#include "jsontext.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace wsprobe;

using Draft = JsonSchemaValidator::Draft;
using Violation = JsonSchemaValidator::Violation;

namespace {

QJsonValue json(const QByteArray &text)
{
    QString error;
    const std::optional<QJsonValue> value = JsonText::parse(text, &error);
    if (!value)
        qFatal("bad test JSON %s: %s", text.constData(), qPrintable(error));
    return *value;
}

JsonSchemaValidator compiled(const QByteArray &schema)
{
    QString error;
    std::optional<JsonSchemaValidator> validator = JsonSchemaValidator::compile(json(schema), &error);
    if (!validator)
        qFatal("bad test schema %s: %s", schema.constData(), qPrintable(error));
    return *validator;
}

} // namespace

namespace QTest {
template<>
char *toString(const Violation &violation)
{
    return qstrdup(qPrintable(u"{%1: %2}"_s.arg(violation.path, violation.message)));
}
} // namespace QTest

class TestJsonSchemaValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheDraftFromDollarSchema_data();
    void readsTheDraftFromDollarSchema();
    void anExplicitDraftWins();
    void rejectsBadSchemas_data();
    void rejectsBadSchemas();
    void reportsViolationsWithTheirPaths();
    void leavesOutTheEnclosingLevels();
    void resolvesRelativeReferencesAgainstTheirId();
    void fetchesRemoteDocumentsThroughTheCallback();
    void acceptsLoopsThatLookIntoTheValue();
    void resolvesDocumentsThatReferToEachOther();
    void boundsTheStackItNeeds();
    void copiesShareOneCompiledSchema();
    void keepsIntegersPast32Bits_data();
    void keepsIntegersPast32Bits();
    void validatesFromSeveralThreads();
};

void TestJsonSchemaValidator::readsTheDraftFromDollarSchema_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<int>("draft");
    QTest::newRow("none: draft 7") << "{}"_ba << int(Draft::Draft7);
    QTest::newRow("draft 3") << R"({"$schema": "http://json-schema.org/draft-03/schema#"})"_ba
                             << int(Draft::Draft3);
    QTest::newRow("draft 4") << R"({"$schema": "http://json-schema.org/draft-04/schema#"})"_ba
                             << int(Draft::Draft4);
    QTest::newRow("draft 6 reads as 7") << R"({"$schema": "http://json-schema.org/draft-06/schema#"})"_ba
                                        << int(Draft::Draft7);
    QTest::newRow("draft 7, https, no #")
        << R"({"$schema": "https://json-schema.org/draft-07/schema"})"_ba << int(Draft::Draft7);
    QTest::newRow("true") << "true"_ba << int(Draft::Draft7);
}

void TestJsonSchemaValidator::readsTheDraftFromDollarSchema()
{
    QFETCH(QByteArray, schema);
    QFETCH(int, draft);
    QCOMPARE(int(compiled(schema).draft()), draft);
}

void TestJsonSchemaValidator::anExplicitDraftWins()
{
    // Draft 4's exclusiveMaximum is a boolean; draft 7's a number. The same schema means two
    // things, so the draft must be the one asked for.
    const QJsonValue schema = json(R"({"maximum": 5, "exclusiveMaximum": true})");
    QString error;
    JsonSchemaValidator::Options options;
    options.draft = Draft::Draft4;
    const std::optional<JsonSchemaValidator> draft4 = JsonSchemaValidator::compile(schema, &error, options);
    QVERIFY2(draft4, qPrintable(error));
    QCOMPARE(draft4->draft(), Draft::Draft4);
    QVERIFY(!draft4->isValid(QJsonValue(5)));
    QVERIFY(draft4->isValid(QJsonValue(4)));
}

void TestJsonSchemaValidator::rejectsBadSchemas_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown type") << R"({"type": "text"})"_ba
                                  << u"invalid schema: Unrecognised JSON type name 'text'"_s;
    // valijson reads a numeric string ("1") as a number, but not this.
    QTest::newRow("minimum not a number") << R"({"minimum": "one"})"_ba
                                          << u"invalid schema: Expected numeric value for minimum constraint."_s;
    QTest::newRow("bad pattern")
        << R"({"properties": {"id": {"pattern": "(["}}})"_ba
        << u"invalid schema: the pattern \"([\" is not a valid regular expression: Unexpected "
           "character within '[...]' in regular expression"_s;
    QTest::newRow("bad patternProperties name")
        << R"({"patternProperties": {"a{2": {}}})"_ba
        << u"invalid schema: the pattern \"a{2\" is not a valid regular expression: Mismatched "
           "'{' and '}' in regular expression"_s;
    QTest::newRow("a pattern in data is no pattern")
        << R"({"enum": [{"pattern": "(["}], "type": "nonsense"})"_ba
        << u"invalid schema: Unrecognised JSON type name 'nonsense'"_s;
    QTest::newRow("remote reference without fetcher")
        << R"({"$ref": "http://example.com/s.json#/a"})"_ba
        << u"invalid schema: the \"$ref\" \"http://example.com/s.json#/a\" at # refers to another "
           "document, and this schema cannot fetch one"_s;
    // These crashed (a stack overflow in valijson, which follows references without end).
    QTest::newRow("a $ref to itself")
        << R"({"$ref": "#"})"_ba
        << u"invalid schema: \"$ref\" loop: # → # refers to nothing but itself, and validating "
           "with it would never end"_s;
    QTest::newRow("a $ref loop through definitions")
        << R"({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}},
               "properties": {"x": {"$ref": "#/definitions/a"}}})"_ba
        << u"invalid schema: \"$ref\" loop: #/definitions/a → #/definitions/b → #/definitions/a "
           "refers to nothing but itself, and validating with it would never end"_s;
    QTest::newRow("a loop through allOf")
        << R"({"definitions": {"a": {"allOf": [{"$ref": "#/definitions/b"}]},
                               "b": {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/a"}]}},
               "$ref": "#/definitions/a"})"_ba
        << u"invalid schema: the schema loops through #/definitions/a → #/definitions/a/allOf/0 → "
           "#/definitions/b → #/definitions/b/anyOf/1 → #/definitions/a without looking into the "
           "value (no properties or items on the way), and validating with it would never end"_s;
    QTest::newRow("not of itself") << R"({"not": {"$ref": "#"}})"_ba
        << u"invalid schema: the schema loops through # → #/not → # without looking into the value "
           "(no properties or items on the way), and validating with it would never end"_s;
    QTest::newRow("a relative file without a file")
        << R"({"$ref": "other.schema.json"})"_ba
        << u"invalid schema: the \"$ref\" \"other.schema.json\" at # names a file relative to the "
           "schema's own, and this schema is in no file: give the schema in a scenario file, or a "
           "URI with a scheme"_s;
    QTest::newRow("a pointer to nothing")
        << R"({"properties": {"a": {"$ref": "#/definitions/none"}}})"_ba
        << u"invalid schema: the \"$ref\" \"#/definitions/none\" at #/properties/a designates "
           "nothing: the document has no member \"definitions\""_s;
    // valijson divided by it: 0 killed the process with SIGFPE (found by fuzz/fuzz_jsonschema).
    QTest::newRow("multipleOf 0") << R"({"properties": {"n": {"multipleOf": 0}}})"_ba
        << u"invalid schema: multipleOf must be a number greater than 0"_s;
    QTest::newRow("multipleOf -1") << R"({"multipleOf": -1})"_ba
        << u"invalid schema: multipleOf must be a number greater than 0"_s;
    QTest::newRow("multipleOf a string") << R"({"items": {"multipleOf": "2"}})"_ba
        << u"invalid schema: multipleOf must be a number greater than 0"_s;
    QTest::newRow("a property named multipleOf is no keyword")
        << R"({"properties": {"multipleOf": {"type": "nonsense"}}})"_ba
        << u"invalid schema: Unrecognised JSON type name 'nonsense'"_s;
    QTest::newRow("unsupported draft")
        << R"({"$schema": "https://json-schema.org/draft/2019-09/schema"})"_ba
        << u"unsupported \"$schema\" \"https://json-schema.org/draft/2019-09/schema\": supported are "
           "draft 3, 4, 6 and 7"_s;
    QTest::newRow("boolean schema in draft 4")
        << "false"_ba << u"a schema that is just true or false needs draft 6 or later"_s;
    QTest::newRow("a string") << R"("object")"_ba
                              << u"a schema must be an object (or true or false), not a string"_s;
}

void TestJsonSchemaValidator::rejectsBadSchemas()
{
    QFETCH(QByteArray, schema);
    QFETCH(QString, error);
    QString actual;
    JsonSchemaValidator::Options options;
    if (QByteArrayView(QTest::currentDataTag()).contains("draft 4"))
        options.draft = Draft::Draft4;
    QVERIFY(!JsonSchemaValidator::compile(json(schema), &actual, options));
    QCOMPARE(actual, error);
}

void TestJsonSchemaValidator::reportsViolationsWithTheirPaths()
{
    const JsonSchemaValidator validator = compiled(R"({
        "type": "object", "required": ["id"],
        "properties": {
            "id": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "a/b": {"maxLength": 2}}})");
    QVERIFY(validator.isValid(json(R"({"id": 1, "tags": ["x"], "a/b": "xy"})")));
    QCOMPARE(validator.validate(json(R"({"id": 1})")), QList<Violation>());

    const QJsonValue bad = json(R"({"id": "x", "tags": ["a", 2], "a/b": "xyz"})");
    QVERIFY(!validator.isValid(bad));
    const QList<Violation> expected = {
        {u"/a~1b"_s, u"String should be no more than 2 characters in length."_s},
        {u"/id"_s, u"Value type not permitted by 'type' constraint."_s},
        {u"/tags/1"_s, u"Value type not permitted by 'type' constraint."_s},
    };
    QCOMPARE(validator.validate(bad), expected);
    QCOMPARE(validator.validate(json("[]")),
             (QList<Violation>{{QString(), u"Value type not permitted by 'type' constraint."_s}}));
}

void TestJsonSchemaValidator::leavesOutTheEnclosingLevels()
{
    // An anyOf failure is reported where it happened; its alternatives' own errors are not
    // "Failed to validate" cascades and stay.
    const JsonSchemaValidator validator = compiled(R"({"properties": {"v": {"anyOf": [{"type": "string"}, {"minimum": 10}]}}})");
    const QList<Violation> violations = validator.validate(json(R"({"v": 3})"));
    QVERIFY(!violations.isEmpty());
    for (const Violation &violation : violations) {
        QVERIFY2(!(violation.path.isEmpty() && violation.message.startsWith(u"Failed to validate")),
                 qPrintable(violation.message));
    }
    QCOMPARE(violations.front().path, u"/v"_s);
}

// valijson 1.0 joins relative references by concatenation and ignores "$id"; the resolver
// in front of it must make "node" mean http://example.com/schemas/node, not .../treenode.
void TestJsonSchemaValidator::resolvesRelativeReferencesAgainstTheirId()
{
    for (const char *idKeyword : {"$id", "id"}) {
        const QByteArray schema = QByteArray(R"({"ID": "http://example.com/schemas/tree",
            "properties": {"nodes": {"items": {"$ref": "node"}}},
            "definitions": {"node": {"ID": "http://example.com/schemas/node",
                "required": ["value"], "properties": {"subtree": {"$ref": "tree"}}}}})")
                                     .replace("\"ID\"", QByteArray("\"") + idKeyword + "\"");
        QString error;
        JsonSchemaValidator::Options options;
        options.draft = QByteArrayView(idKeyword) == "id" ? Draft::Draft4 : Draft::Draft7;
        const std::optional<JsonSchemaValidator> validator =
            JsonSchemaValidator::compile(json(schema), &error, options);
        QVERIFY2(validator, qPrintable(error));
        QVERIFY(validator->isValid(json(R"({"nodes": [{"value": 1, "subtree": {"nodes": [{"value": 2}]}}]})")));
        QVERIFY(!validator->isValid(json(R"({"nodes": [{"value": 1, "subtree": {"nodes": [{}]}}]})")));
    }
}

void TestJsonSchemaValidator::fetchesRemoteDocumentsThroughTheCallback()
{
    QStringList asked;
    JsonSchemaValidator::Options options;
    options.fetchRemote = [&asked](const QString &uri, QString *error) -> std::optional<QJsonValue> {
        asked.append(uri);
        if (uri == u"http://example.com/defs.json")
            return json(R"({"positive": {"type": "integer", "minimum": 1}})");
        *error = u"not here"_s;
        return std::nullopt;
    };
    QString error;
    const std::optional<JsonSchemaValidator> validator = JsonSchemaValidator::compile(
        json(R"({"$id": "http://example.com/root.json", "properties": {"n": {"$ref": "defs.json#/positive"}}})"),
        &error, options);
    QVERIFY2(validator, qPrintable(error));
    QCOMPARE(asked, QStringList{u"http://example.com/defs.json"_s});
    QVERIFY(validator->isValid(json(R"({"n": 3})")));
    QVERIFY(!validator->isValid(json(R"({"n": 0})")));

    const QJsonValue missing = json(R"({"$ref": "http://example.com/missing.json"})");
    QVERIFY(!JsonSchemaValidator::compile(missing, &error, options));
    QCOMPARE(error, u"invalid schema: the \"$ref\" \"http://example.com/missing.json\" at # cannot "
                    "be read: not here"_s);
}

// A tree refers to itself through properties: the value's depth ends it, so it is fine.
void TestJsonSchemaValidator::acceptsLoopsThatLookIntoTheValue()
{
    const JsonSchemaValidator tree = compiled(
        R"({"type": "object", "properties": {"value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#"}}}, "required": ["value"]})");
    QVERIFY(tree.isValid(json(R"({"value": 1, "children": [{"value": 2, "children": []}]})")));
    QVERIFY(!tree.isValid(json(R"({"value": 1, "children": [{"children": []}]})")));
    const JsonSchemaValidator chain = compiled(
        R"({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/c"},
                            "c": {"type": "string"}}, "properties": {"x": {"$ref": "#/definitions/a"}}})");
    QVERIFY(chain.isValid(json(R"({"x": "s"})")));
    QVERIFY(!chain.isValid(json(R"({"x": 1})")));
}

// Two documents that refer to each other, by relative file names, through a fetcher of files.
void TestJsonSchemaValidator::resolvesDocumentsThatReferToEachOther()
{
    const QHash<QString, QByteArray> files = {
        {u"file:///schemas/message.json"_s,
         R"({"type": "object", "properties": {"user": {"$ref": "user.json"}},
             "definitions": {"id": {"type": "integer", "minimum": 1}}})"},
        {u"file:///schemas/user.json"_s,
         R"({"properties": {"id": {"$ref": "message.json#/definitions/id"},
                            "friend": {"$ref": "#"}}})"},
        {u"file:///schemas/loop-a.json"_s, R"({"$ref": "loop-b.json"})"},
        {u"file:///schemas/loop-b.json"_s, R"({"$ref": "loop-a.json#"})"},
    };
    QStringList asked;
    JsonSchemaValidator::Options options;
    options.fetchRemote = [&](const QString &uri, QString *error) -> std::optional<QJsonValue> {
        asked.append(uri);
        if (!files.contains(uri)) {
            *error = u"no such file"_s;
            return std::nullopt;
        }
        return json(files.value(uri));
    };
    options.baseUri = u"file:///schemas/scenario.json"_s;
    QString error;
    const std::optional<JsonSchemaValidator> validator =
        JsonSchemaValidator::compile(json(R"({"$ref": "message.json"})"), &error, options);
    QVERIFY2(validator, qPrintable(error));
    QCOMPARE(asked, (QStringList{u"file:///schemas/message.json"_s, u"file:///schemas/user.json"_s}));
    QVERIFY(validator->isValid(json(R"({"user": {"id": 3, "friend": {"id": 4}}})")));
    QVERIFY(!validator->isValid(json(R"({"user": {"id": 3, "friend": {"id": 0}}})")));

    QString errorPointer;
    QVERIFY(!JsonSchemaValidator::compile(json(R"({"properties": {"a": {"$ref": "loop-a.json"}}})"),
                                          &error, options, &errorPointer));
    QCOMPARE(error, u"invalid schema: \"$ref\" loop: loop-a.json# → loop-b.json# → loop-a.json# "
                    "refers to nothing but itself, and validating with it would never end"_s);
    QCOMPARE(errorPointer, u"/properties/a/$ref"_s);

    QVERIFY(!JsonSchemaValidator::compile(json(R"({"items": {"$ref": "none.json"}})"), &error,
                                          options, &errorPointer));
    QCOMPARE(error, u"invalid schema: the \"$ref\" \"none.json\" at #/items cannot be read: no "
                    "such file"_s);
    QCOMPARE(errorPointer, u"/items/$ref"_s);
}

// valijson recurses as deep as the schema (through references) when it reads it, and as deep as
// the value times the chains of allOf/"$ref" when it validates: 5,000 chained definitions, or
// a message nested 1,000 levels against a chain of 40, overflowed an 8 MiB stack.
void TestJsonSchemaValidator::boundsTheStackItNeeds()
{
    const auto chain = [](int length, const QString &last) {
        QString schema = u"{\"$ref\": \"#/definitions/d0\", \"definitions\": {"_s;
        for (int i = 0; i < length; ++i) {
            schema += u"\"d%1\": {\"allOf\": [{\"$ref\": \"#/definitions/d%2\"}]},"_s.arg(i).arg(i + 1);
        }
        return schema + u"\"d%1\": %2}}"_s.arg(length).arg(last);
    };
    QString error;
    QVERIFY(!JsonSchemaValidator::compile(json(chain(5000, u"{}"_s).toUtf8()), &error));
    QCOMPARE(error, u"invalid schema: the schema goes more than 1000 levels deep through its "
                    "subschemas and references, more than wsprobe reads"_s);

    const JsonSchemaValidator tree = compiled(
        chain(40, uR"({"properties": {"x": {"$ref": "#/definitions/d0"}}, "required": ["x"]})"_s)
            .toUtf8());
    QByteArray deep;
    for (int i = 0; i < 1000; ++i)
        deep += "{\"x\":";
    deep += "1" + QByteArray(1000, '}');
    QVERIFY(!tree.isValid(json(deep)));
    QCOMPARE(tree.validate(json(deep)),
             QList<Violation>{(Violation{QString(), u"the message nests 1000 levels deep; with this "
                                                    "schema, which applies up to 81 subschemas to one "
                                                    "value, wsprobe validates at most 120 levels"_s})});
    // Shallower messages are validated as usual.
    QVERIFY(tree.isValid(json(R"({"x": {"x": 1}})")));
    QVERIFY(!tree.isValid(json(R"({"x": {"y": 1}})")));
}

void TestJsonSchemaValidator::copiesShareOneCompiledSchema()
{
    const JsonSchemaValidator original = compiled(R"({"type": "string", "pattern": "^a"})");
    const JsonSchemaValidator copy = original;  // NOLINT: the copy is the point
    QCOMPARE(&copy.schema(), &original.schema());
    QVERIFY(copy.isValid(QJsonValue(u"abc"_s)));
    QVERIFY(!original.isValid(QJsonValue(u"bc"_s)));
}

// valijson's validator caches "pattern" regexes: the validator guards it, so that copies
// handed to other threads (a runner, the GUI) can validate at once.
void TestJsonSchemaValidator::validatesFromSeveralThreads()
{
    const JsonSchemaValidator validator = compiled(
        R"({"type": "object", "patternProperties": {"^x-": {"type": "string", "pattern": "^[a-z]+$"}}})");
    std::atomic<int> wrong = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([validator, &wrong, t] {
            for (int i = 0; i < 2000; ++i) {
                const bool good = (i + t) % 2 == 0;
                const QJsonValue value = json(good ? R"({"x-a": "abc"})" : R"({"x-a": "ABC"})");
                if (validator.isValid(value) != good)
                    ++wrong;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(wrong.load(), 0);
}

// valijson's Qt adapter read integers with QJsonValue::toInt(): 2147483648 and a Date.now()
// timestamp were not integers, and integer keywords in the schema lost their value.
void TestJsonSchemaValidator::keepsIntegersPast32Bits_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("valid");
    const QByteArray integer = R"({"type": "integer"})";
    QTest::newRow("2^31") << integer << QByteArray("2147483648") << true;
    QTest::newRow("-2^31-1") << integer << QByteArray("-2147483649") << true;
    QTest::newRow("Date.now()") << integer << QByteArray("1733280000000") << true;
    QTest::newRow("2^53+1") << integer << QByteArray("9007199254740993") << true;
    QTest::newRow("2^63-1") << integer << QByteArray("9223372036854775807") << true;
    QTest::newRow("a fraction still is not") << integer << QByteArray("1733280000000.5") << false;
    QTest::newRow("in an object") << QByteArray(R"({"properties": {"t": {"type": "integer"}}})")
                                  << QByteArray(R"({"t": 1733280000000})") << true;
    QTest::newRow("maximum, under") << QByteArray(R"({"maximum": 1733280000000})")
                                    << QByteArray("1733279999999") << true;
    QTest::newRow("maximum, over") << QByteArray(R"({"maximum": 1733280000000})")
                                   << QByteArray("1733280000001") << false;
    QTest::newRow("multipleOf 2^32, yes") << QByteArray(R"({"multipleOf": 4294967296})")
                                          << QByteArray("8589934592") << true;
    QTest::newRow("multipleOf 2^32, no") << QByteArray(R"({"multipleOf": 4294967296})")
                                         << QByteArray("8589934593") << false;
    QTest::newRow("const past 2^53") << QByteArray(R"({"const": 9007199254740993})")
                                     << QByteArray("9007199254740993") << true;
    QTest::newRow("maxLength past 2^31") << QByteArray(R"({"maxLength": 4294967296})")
                                         << QByteArray(R"("short")") << true;
}

void TestJsonSchemaValidator::keepsIntegersPast32Bits()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, data);
    QFETCH(bool, valid);
    const JsonSchemaValidator validator = compiled(schema);
    QCOMPARE(validator.isValid(json(data)), valid);
    QCOMPARE(validator.validate(json(data)).isEmpty(), valid);
}

QTEST_GUILESS_MAIN(TestJsonSchemaValidator)
#include "tst_jsonschemavalidator.moc"
