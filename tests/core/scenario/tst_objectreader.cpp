#include "locatedjson.h"
#include "objectreader.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

LocatedValue parsed(QStringView text)
{
    JsonError error;
    std::optional<LocatedValue> value = LocatedJson::parse(text, u"s.json"_s, &error);
    if (!value)
        qFatal("test document does not parse: %s", qPrintable(error.toString()));
    return *value;
}

QStringList strings(const QList<JsonError> &errors)
{
    QStringList result;
    for (const JsonError &error : errors)
        result.append(error.toString());
    return result;
}

} // namespace

class TestObjectReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Happy flows
    void readsEveryKindOfValue();
    void optionalKeysMayBeMissing();
    void acceptsWholeNumbersWrittenAnyWay();
    void nestedReadersShareTheErrorList();

    // Rainy days
    void reportsWrongTypes_data();
    void reportsWrongTypes();
    void reportsMissingRequiredKeys();
    void reportsANonObject();
    void reportsEveryUnknownKeyWithASuggestion();
    void keysAskedAboutAreNotUnknown();
    void listsTheAllowedKeysWhenNothingIsClose();
    void finishReportsOnlyOnce();
};

void TestObjectReader::readsEveryKindOfValue()
{
    const LocatedValue object = parsed(
        u"{\"url\": \"ws://h/\", \"code\": 4001, \"jitter\": 0.25, \"binary\": true, "
        u"\"kind\": \"text\", \"headers\": {\"a\": \"b\"}, \"rows\": [1], \"data\": null}"_s);
    QList<JsonError> errors;
    ObjectReader reader(object, u"s.json"_s, &errors);
    QCOMPARE(reader.string(u"url", ObjectReader::Required), u"ws://h/"_s);
    QCOMPARE(reader.integer(u"code", 1000, 4999, ObjectReader::Required), 4001);
    QCOMPARE(reader.number(u"jitter", 0, 1, ObjectReader::Required), 0.25);
    QCOMPARE(reader.boolean(u"binary", ObjectReader::Required), true);
    QCOMPARE(reader.choice(u"kind", {u"text"_s, u"binary"_s}, ObjectReader::Required), u"text"_s);
    const LocatedValue *headers = reader.object(u"headers", ObjectReader::Required);
    QVERIFY(headers);
    QCOMPARE(headers->members().at(0).key, u"a"_s);
    const LocatedValue *rows = reader.array(u"rows", ObjectReader::Required);
    QVERIFY(rows);
    QCOMPARE(rows->elements().size(), size_t(1));
    const LocatedValue *data = reader.value(u"data", ObjectReader::Required);
    QVERIFY(data && data->isNull());
    QVERIFY(reader.finish());
    QVERIFY2(errors.isEmpty(), qPrintable(strings(errors).join(u'\n')));
}

void TestObjectReader::optionalKeysMayBeMissing()
{
    const LocatedValue object = parsed(u"{}");
    QList<JsonError> errors;
    ObjectReader reader(object, u"s.json"_s, &errors);
    QVERIFY(!reader.string(u"origin", ObjectReader::Optional));
    QVERIFY(!reader.integer(u"timeout", 0, 10, ObjectReader::Optional));
    QVERIFY(!reader.object(u"tls", ObjectReader::Optional));
    QVERIFY(!reader.has(u"title"));
    QVERIFY(reader.finish());
    QVERIFY(errors.isEmpty());
}

void TestObjectReader::acceptsWholeNumbersWrittenAnyWay()
{
    const LocatedValue object = parsed(u"{\"a\": 1e3, \"b\": 1000.0, \"c\": -0}");
    QList<JsonError> errors;
    ObjectReader reader(object, u"s.json"_s, &errors);
    QCOMPARE(reader.integer(u"a", 0, 5000, ObjectReader::Required), 1000);
    QCOMPARE(reader.integer(u"b", 0, 5000, ObjectReader::Required), 1000);
    QCOMPARE(reader.integer(u"c", 0, 5000, ObjectReader::Required), 0);
    QVERIFY(reader.finish());
}

void TestObjectReader::nestedReadersShareTheErrorList()
{
    const LocatedValue object = parsed(u"{\n  \"tls\": {\"verify\": \"yes\", \"verfy\": false}\n}");
    QList<JsonError> errors;
    ObjectReader reader(object, u"s.json"_s, &errors);
    const LocatedValue *tls = reader.object(u"tls", ObjectReader::Required);
    QVERIFY(tls);
    ObjectReader options = reader.nested(*tls);
    QVERIFY(!options.boolean(u"verify", ObjectReader::Optional));
    QVERIFY(!options.finish());
    QVERIFY(!reader.finish()); // the nested errors count for the outer object too
    QCOMPARE(strings(errors),
             (QStringList{u"s.json:2:21: expected true or false, found \"yes\""_s,
                          u"s.json:2:28: unknown key \"verfy\" (did you mean \"verify\"?)"_s}));
}

void TestObjectReader::reportsWrongTypes_data()
{
    // Each row reads "k" from {"k": <value>}: the value is at 1:7.
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("getter");
    QTest::addColumn<QString>("message");
    QTest::newRow("string, found a number") << u"42"_s << u"string"_s << u"expected a string, found 42"_s;
    QTest::newRow("string, found null") << u"null"_s << u"string"_s << u"expected a string, found null"_s;
    QTest::newRow("string, found an array") << u"[\"a\"]"_s << u"string"_s
                                            << u"expected a string, found an array"_s;
    QTest::newRow("integer, found a string") << u"\"abc\""_s << u"integer"_s
                                             << u"expected a number from 1000 to 4999, found \"abc\""_s;
    QTest::newRow("integer below the range") << u"999"_s << u"integer"_s
                                             << u"expected a number from 1000 to 4999, found 999"_s;
    QTest::newRow("integer above the range") << u"5e3"_s << u"integer"_s
                                             << u"expected a number from 1000 to 4999, found 5e3"_s;
    QTest::newRow("integer with a fraction") << u"1000.5"_s << u"integer"_s
                                             << u"expected a whole number from 1000 to 4999, found 1000.5"_s;
    QTest::newRow("integer, found true") << u"true"_s << u"integer"_s
                                         << u"expected a number from 1000 to 4999, found true"_s;
    QTest::newRow("number out of range") << u"1.5"_s << u"number"_s
                                         << u"expected a number from 0 to 1, found 1.5"_s;
    QTest::newRow("boolean, found a word") << u"\"yes\""_s << u"boolean"_s
                                           << u"expected true or false, found \"yes\""_s;
    QTest::newRow("boolean, found a number") << u"1"_s << u"boolean"_s
                                             << u"expected true or false, found 1"_s;
    QTest::newRow("object, found an array") << u"[]"_s << u"object"_s
                                            << u"expected an object, found an array"_s;
    QTest::newRow("array, found an object") << u"{}"_s << u"array"_s
                                            << u"expected an array, found an object"_s;
    QTest::newRow("choice, near miss") << u"\"txt\""_s << u"choice"_s
                                       << u"expected one of \"text\", \"binary\", found \"txt\" "
                                          u"(did you mean \"text\"?)"_s;
    QTest::newRow("choice, wrong case") << u"\"Binary\""_s << u"choice"_s
                                        << u"expected one of \"text\", \"binary\", found \"Binary\" "
                                           u"(did you mean \"binary\"?)"_s;
    QTest::newRow("choice, nothing close") << u"\"json\""_s << u"choice"_s
                                           << u"expected one of \"text\", \"binary\", found \"json\""_s;
    QTest::newRow("choice, not a string") << u"5"_s << u"choice"_s
                                          << u"expected one of \"text\", \"binary\", found 5"_s;
    QTest::newRow("long string is shortened")
        << u"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""_s << u"integer"_s
        << u"expected a number from 1000 to 4999, found \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\""_s;
}

void TestObjectReader::reportsWrongTypes()
{
    QFETCH(QString, value);
    QFETCH(QString, getter);
    QFETCH(QString, message);
    const LocatedValue object = parsed(u"{\"k\": "_s + value + u"}"_s);
    QList<JsonError> errors;
    ObjectReader reader(object, u"s.json"_s, &errors);
    bool gotValue = true;
    if (getter == u"string")
        gotValue = reader.string(u"k", ObjectReader::Required).has_value();
    else if (getter == u"integer")
        gotValue = reader.integer(u"k", 1000, 4999, ObjectReader::Required).has_value();
    else if (getter == u"number")
        gotValue = reader.number(u"k", 0, 1, ObjectReader::Required).has_value();
    else if (getter == u"boolean")
        gotValue = reader.boolean(u"k", ObjectReader::Required).has_value();
    else if (getter == u"object")
        gotValue = reader.object(u"k", ObjectReader::Required) != nullptr;
    else if (getter == u"array")
        gotValue = reader.array(u"k", ObjectReader::Required) != nullptr;
    else if (getter == u"choice")
        gotValue = reader.choice(u"k", {u"text"_s, u"binary"_s}, ObjectReader::Required).has_value();
    QVERIFY(!gotValue);
    QVERIFY(!reader.finish());
    QCOMPARE(strings(errors), QStringList{u"s.json:1:7: "_s + message});
}

void TestObjectReader::reportsMissingRequiredKeys()
{
    const LocatedValue object = parsed(u"[\n  {\"name\": \"a\"}\n]");
    QList<JsonError> errors;
    ObjectReader reader(object.elements().at(0), u"s.json"_s, &errors);
    QVERIFY(!reader.string(u"url", ObjectReader::Required));
    QVERIFY(!reader.integer(u"code", 1000, 4999, ObjectReader::Required));
    QCOMPARE(reader.string(u"name", ObjectReader::Optional), u"a"_s);
    QVERIFY(!reader.finish());
    QCOMPARE(strings(errors), (QStringList{u"s.json:2:3: missing required key \"url\""_s,
                                           u"s.json:2:3: missing required key \"code\""_s}));
}

void TestObjectReader::reportsANonObject()
{
    const LocatedValue array = parsed(u"\n  [1, 2]");
    QList<JsonError> errors;
    ObjectReader reader(array, u"s.json"_s, &errors);
    QVERIFY(!reader.isObject());
    // Once is enough: the getters stay quiet about a value that is not an object at all.
    QVERIFY(!reader.string(u"url", ObjectReader::Required));
    QVERIFY(!reader.finish());
    QCOMPARE(strings(errors), QStringList{u"s.json:2:3: expected an object, found an array"_s});
}

void TestObjectReader::reportsEveryUnknownKeyWithASuggestion()
{
    const LocatedValue object = parsed(u"{\n"
                                       u"  \"urll\": \"ws://h/\",\n"
                                       u"  \"Timeout\": 5,\n"
                                       u"  \"titel\": \"x\",\n"
                                       u"  \"q\": 1\n"
                                       u"}"_s);
    QList<JsonError> errors;
    ObjectReader reader(object, u"s.json"_s, &errors);
    reader.string(u"url", ObjectReader::Optional);
    reader.integer(u"timeout", 0, 60000, ObjectReader::Optional);
    reader.string(u"title", ObjectReader::Optional);
    reader.string(u"id", ObjectReader::Optional);
    QVERIFY(!reader.finish());
    QCOMPARE(strings(errors),
             (QStringList{u"s.json:2:3: unknown key \"urll\" (did you mean \"url\"?)"_s,
                          u"s.json:3:3: unknown key \"Timeout\" (did you mean \"timeout\"?)"_s,
                          u"s.json:4:3: unknown key \"titel\" (did you mean \"title\"?)"_s,
                          u"s.json:5:3: unknown key \"q\" (allowed keys: \"url\", \"timeout\", "
                          u"\"title\", \"id\")"_s}));
}

void TestObjectReader::keysAskedAboutAreNotUnknown()
{
    const LocatedValue object = parsed(u"{\"send\": \"hi\", \"as\": \"text\", \"note\": 1}");
    QList<JsonError> errors;
    ObjectReader reader(object, u"s.json"_s, &errors);
    QVERIFY(reader.has(u"send"));
    reader.allow(u"as");
    reader.allow(u"note");
    QVERIFY(reader.finish());
    QVERIFY(errors.isEmpty());
}

void TestObjectReader::listsTheAllowedKeysWhenNothingIsClose()
{
    const LocatedValue object = parsed(u"{\"payload\": 1}");
    QList<JsonError> errors;
    ObjectReader empty(object, u"s.json"_s, &errors);
    QVERIFY(!empty.finish());
    QCOMPARE(strings(errors),
             QStringList{u"s.json:1:2: unknown key \"payload\" (this object takes no keys)"_s});

    errors.clear();
    ObjectReader many(object, u"s.json"_s, &errors);
    for (int i = 0; i < 9; ++i)
        many.allow(u"key%1"_s.arg(i));
    QVERIFY(!many.finish());
    QCOMPARE(strings(errors), QStringList{u"s.json:1:2: unknown key \"payload\""_s});
}

void TestObjectReader::finishReportsOnlyOnce()
{
    const LocatedValue object = parsed(u"{\"x\": 1}");
    QList<JsonError> errors;
    ObjectReader reader(object, u"s.json"_s, &errors);
    QVERIFY(!reader.finish());
    QVERIFY(!reader.finish());
    QCOMPARE(errors.size(), 1);
}

QTEST_GUILESS_MAIN(TestObjectReader)
#include "tst_objectreader.moc"
