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
        << u"invalid schema: the schema refers to http://example.com/s.json, and remote references "
           "are not enabled"_s;
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
    options.fetchRemote = [&asked](const QString &uri) -> std::optional<QJsonValue> {
        asked.append(uri);
        if (uri == u"http://example.com/defs.json")
            return json(R"({"positive": {"type": "integer", "minimum": 1}})");
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
    QCOMPARE(error, u"invalid schema: cannot fetch the referenced schema http://example.com/missing.json"_s);
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
