#include "jsoncompare.h"
#include "jsontext.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

QJsonValue json(const QByteArray &text)
{
    QString error;
    const std::optional<QJsonValue> value = JsonText::parse(text, &error);
    if (!value)
        qFatal("bad test JSON %s: %s", text.constData(), qPrintable(error));
    return *value;
}

} // namespace

class TestJsonCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesAnyTopLevelValue_data();
    void parsesAnyTopLevelValue();
    void reportsParseErrors_data();
    void reportsParseErrors();
    void writesCompactJson_data();
    void writesCompactJson();
    void previewWritesWhatCompactWrites_data();
    void previewWritesWhatCompactWrites();
    void previewStopsAtItsBudget();
    void quotesLikeCompact();
    void equality_data();
    void equality();
    void subset_data();
    void subset();
};

void TestJsonCompare::parsesAnyTopLevelValue_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("number") << "42"_ba << QJsonValue(42);
    QTest::newRow("number with spaces") << "  7 \n"_ba << QJsonValue(7);
    QTest::newRow("string") << "\"pong\""_ba << QJsonValue(u"pong"_s);
    QTest::newRow("null") << "null"_ba << QJsonValue(QJsonValue::Null);
    QTest::newRow("true") << "true"_ba << QJsonValue(true);
    QTest::newRow("object") << R"({"a": 1})"_ba << QJsonValue(QJsonObject{{u"a"_s, 1}});
    QTest::newRow("array") << "[1, 2]"_ba << QJsonValue(QJsonArray{1, 2});
}

void TestJsonCompare::parsesAnyTopLevelValue()
{
    QFETCH(QByteArray, text);
    QFETCH(QJsonValue, value);
    QString error;
    const std::optional<QJsonValue> parsed = JsonText::parse(text, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(*parsed, value);
}

void TestJsonCompare::reportsParseErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << ""_ba << u"empty document"_s;
    QTest::newRow("blank") << "  \n"_ba << u"empty document"_s;
    QTest::newRow("a word") << "hello"_ba << u"illegal value at offset 0"_s;
    QTest::newRow("a word after spaces") << "  hello"_ba << u"illegal value at offset 2"_s;
    QTest::newRow("unterminated object") << R"({"a": 1)"_ba
                                         << u"invalid termination by number at offset 7"_s;
    QTest::newRow("unterminated string") << R"({"a": "x)"_ba << u"unterminated string at offset 9"_s;
    QTest::newRow("bad literal") << "tru"_ba << u"illegal value at offset 0"_s;
    QTest::newRow("a word like a literal") << "tick 7"_ba << u"illegal value at offset 0"_s;
    // Past the scalar, errors are Qt's, placed after the token Qt could not take.
    QTest::newRow("garbage after a literal") << "true 1"_ba
                                             << u"missing value separator at offset 6"_s;
    QTest::newRow("garbage after an object") << "{} x"_ba
                                             << u"garbage at the end of the document at offset 3"_s;
    QTest::newRow("two scalars") << "1, 2"_ba << u"garbage at the end of the document"_s;
}

void TestJsonCompare::reportsParseErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!JsonText::parse(text, &actual));
    QCOMPARE(actual, error);
}

void TestJsonCompare::writesCompactJson_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("object, keys sorted") << json(R"({"b": [1, 2.5], "a": "x"})")
                                         << uR"({"a":"x","b":[1,2.5]})"_s;
    QTest::newRow("string with escapes") << QJsonValue(u"say \"hi\"\n"_s) << u"\"say \\\"hi\\\"\\n\""_s;
    QTest::newRow("1.0 is written 1") << QJsonValue(1.0) << u"1"_s;
    QTest::newRow("big integer exact") << json("9007199254740993") << u"9007199254740993"_s;
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << u"null"_s;
    QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << u"undefined"_s;
}

void TestJsonCompare::writesCompactJson()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, text);
    QCOMPARE(JsonText::compact(value), text);
}

void TestJsonCompare::previewWritesWhatCompactWrites_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("numbers") << json("[1, 1.0, 2.5, 1e20, 1e-7, 0.1, -0.0, -3, 123456789012, 1.5e300, "
                                     "9007199254740993, 3.14159265358979, 9007199254740992.0]");
    QTest::newRow("nested") << json(R"({"b": {"y": [true, false, null], "x": {}}, "a": [], "": ""})");
    QTest::newRow("strings") << QJsonValue(QJsonArray{
        u"a\"b\\c\b\f\n\r\t"_s, QString(QChar(0x01)) + QChar(0x1f) + QChar(0x7f),
        u"é ☃ / 😀"_s, QString(QChar(0x2028)), QString(QChar(0xD800)) + u'x',
        QString(QChar(0xDC00))});
    QTest::newRow("escaped keys") << QJsonValue(QJsonObject{{u"a\"b"_s, 1}, {u"\n"_s, 2}});
    QTest::newRow("scalar string") << QJsonValue(u"just text"_s);
}

void TestJsonCompare::previewWritesWhatCompactWrites()
{
    QFETCH(QJsonValue, value);
    QCOMPARE(JsonText::compactPreview(value, 100000), JsonText::compact(value));
}

void TestJsonCompare::previewStopsAtItsBudget()
{
    QJsonArray big;
    for (int i = 0; i < 100000; ++i)
        big.append(QJsonObject{{u"i"_s, i}});
    const QString preview = JsonText::compactPreview(big, 20);
    QCOMPARE(preview, uR"([{"i":0},{"i":1},{"i…)"_s);
    QCOMPARE(JsonText::compactPreview(json(R"({"a":1})"), 7), uR"({"a":1})"_s);
    QCOMPARE(JsonText::compactPreview(json(R"({"a":1})"), 6), uR"({"a":1…)"_s);
}

void TestJsonCompare::quotesLikeCompact()
{
    for (const QString &text : {u""_s, u"plain"_s, u"a\"b\\c\n\t"_s,
                                QString(QChar(0x00)) + QChar(0x1b), QString(QChar(0xD83D))}) {
        QCOMPARE(JsonText::quoted(text), JsonText::compact(QJsonValue(text)));
    }
}

void TestJsonCompare::equality_data()
{
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("actual");
    QTest::addColumn<QString>("difference");  // empty: equal
    QTest::newRow("1 == 1.0") << "1"_ba << "1.0"_ba << QString();
    QTest::newRow("1e2 == 100") << "1e2"_ba << "100"_ba << QString();
    QTest::newRow("nested numbers") << R"({"a": [1, {"b": 2}]})"_ba << R"({"a": [1.0, {"b": 2.0}]})"_ba
                                    << QString();
    QTest::newRow("big integers differ by one")
        << "9007199254740993"_ba << "9007199254740992"_ba
        << u"expected 9007199254740993, got 9007199254740992"_s;
    QTest::newRow("scalar at the root") << "1"_ba << "2"_ba << u"expected 1, got 2"_s;
    QTest::newRow("types differ") << R"({"a": 1})"_ba << R"({"a": "1"})"_ba
                                  << u"at /a: expected a number, got a string"_s;
    QTest::newRow("missing member") << R"({"a": 1, "b": 2})"_ba << R"({"a": 1})"_ba
                                    << u"at /b: missing"_s;
    QTest::newRow("extra member") << R"({"a": 1})"_ba << R"({"a": 1, "z": 0})"_ba
                                  << u"at /z: unexpected member"_s;
    QTest::newRow("array length") << "[1, 2]"_ba << "[1]"_ba
                                  << u"expected 2 elements, got 1 element"_s;
    QTest::newRow("array element") << R"({"a": [1, 2]})"_ba << R"({"a": [1, 3]})"_ba
                                   << u"at /a/1: expected 2, got 3"_s;
    QTest::newRow("escaped member name") << R"({"a/b": {"m~n": 1}})"_ba << R"({"a/b": {"m~n": 2}})"_ba
                                         << u"at /a~1b/m~0n: expected 1, got 2"_s;
    QTest::newRow("null against false") << "null"_ba << "false"_ba
                                        << u"expected null, got a boolean"_s;
}

void TestJsonCompare::equality()
{
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, actual);
    QFETCH(QString, difference);
    const std::optional<JsonCompare::Difference> found =
        JsonCompare::firstDifference(json(expected), json(actual));
    QCOMPARE(found ? found->toString() : QString(), difference);
    QCOMPARE(JsonCompare::equal(json(expected), json(actual)), difference.isEmpty());
    QCOMPARE(JsonCompare::equal(json(actual), json(expected)), difference.isEmpty());
}

void TestJsonCompare::subset_data()
{
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("actual");
    QTest::addColumn<QString>("mismatch");  // empty: actual contains expected
    QTest::newRow("extra members allowed") << R"({"type": "ack"})"_ba
                                           << R"({"type": "ack", "id": 7})"_ba << QString();
    QTest::newRow("nested extra members allowed")
        << R"({"data": {"ok": true}})"_ba << R"({"data": {"ok": true, "n": 1}, "x": 0})"_ba << QString();
    QTest::newRow("empty object matches any object") << "{}"_ba << R"({"a": 1})"_ba << QString();
    QTest::newRow("numbers by value") << R"({"n": 1})"_ba << R"({"n": 1.0})"_ba << QString();
    QTest::newRow("arrays element-wise subset")
        << R"({"items": [{"id": 1}, {"id": 2}]})"_ba
        << R"({"items": [{"id": 1, "x": 0}, {"id": 2, "y": 0}]})"_ba << QString();
    QTest::newRow("arrays must have the same length")
        << R"({"items": [{"id": 1}]})"_ba << R"({"items": [{"id": 1}, {"id": 2}]})"_ba
        << u"at /items: expected 1 element, got 2 elements"_s;
    QTest::newRow("missing member") << R"({"type": "ack"})"_ba << R"({"kind": "ack"})"_ba
                                    << u"at /type: missing"_s;
    QTest::newRow("wrong value deep") << R"({"data": {"ok": true}})"_ba << R"({"data": {"ok": false}})"_ba
                                      << u"at /data/ok: expected true, got false"_s;
    QTest::newRow("null must be present") << R"({"error": null})"_ba << "{}"_ba
                                          << u"at /error: missing"_s;
    QTest::newRow("object against array") << R"({"a": {}})"_ba << R"({"a": []})"_ba
                                          << u"at /a: expected an object, got an array"_s;
}

void TestJsonCompare::subset()
{
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, actual);
    QFETCH(QString, mismatch);
    const std::optional<JsonCompare::Difference> found =
        JsonCompare::firstSubsetMismatch(json(expected), json(actual));
    QCOMPARE(found ? found->toString() : QString(), mismatch);
}

QTEST_GUILESS_MAIN(TestJsonCompare)
#include "tst_jsoncompare.moc"
