#include "jsonpointer.h"
#include "jsontext.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

QJsonValue json(const char *text)
{
    QString error;
    const std::optional<QJsonValue> value = JsonText::parse(QByteArray(text), &error);
    if (!value)
        qFatal("bad test JSON %s: %s", text, qPrintable(error));
    return *value;
}

// The document of RFC 6901 section 5. Not a raw string: moc misreads the escapes in one.
const char *const RfcDocument =
    "{\"foo\": [\"bar\", \"baz\"], \"\": 0, \"a/b\": 1, \"c%d\": 2, \"e^f\": 3, \"g|h\": 4, "
    "\"i\\\\j\": 5, \"k\\\"l\": 6, \" \": 7, \"m~n\": 8}";

} // namespace

class TestJsonPointer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesTokens_data();
    void parsesTokens();
    void rejectsMalformedPointers_data();
    void rejectsMalformedPointers();
    void resolvesTheRfcExamples_data();
    void resolvesTheRfcExamples();
    void explainsWhyNothingIsThere_data();
    void explainsWhyNothingIsThere();
    void fromTokensEscapes();
};

void TestJsonPointer::parsesTokens_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("tokens");
    QTest::newRow("empty: the whole document") << u""_s << QStringList();
    QTest::newRow("one empty token") << u"/"_s << QStringList{u""_s};
    QTest::newRow("two levels") << u"/a/b"_s << QStringList{u"a"_s, u"b"_s};
    QTest::newRow("~1 is a slash") << u"/a~1b"_s << QStringList{u"a/b"_s};
    QTest::newRow("~0 is a tilde") << u"/m~0n"_s << QStringList{u"m~n"_s};
    // RFC 6901 section 4: ~01 is "~1" (first ~0 -> ~, then the 1 stays), never "/".
    QTest::newRow("~01 is a tilde then 1") << u"/~01"_s << QStringList{u"~1"_s};
    QTest::newRow("array index") << u"/items/0/name"_s << QStringList{u"items"_s, u"0"_s, u"name"_s};
    QTest::newRow("trailing slash: empty last token") << u"/a/"_s << QStringList{u"a"_s, u""_s};
}

void TestJsonPointer::parsesTokens()
{
    QFETCH(QString, text);
    QFETCH(QStringList, tokens);
    QString error;
    const std::optional<JsonPointer> pointer = JsonPointer::parse(text, &error);
    QVERIFY2(pointer, qPrintable(error));
    QCOMPARE(pointer->tokens(), tokens);
    QCOMPARE(pointer->isRoot(), tokens.isEmpty());
    QCOMPARE(pointer->toString(), text);
}

void TestJsonPointer::rejectsMalformedPointers_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("no leading slash") << u"a/b"_s
                                      << u"a JSON pointer must be empty or start with \"/\": \"a/b\""_s;
    QTest::newRow("URI fragment form")
        << u"#/a"_s
        << u"the URI fragment form \"#/a\" is not supported: write the pointer without \"#\" and "
           "without %-escapes"_s;
    QTest::newRow("~2") << u"/a~2"_s
                        << u"invalid escape at offset 2 in \"/a~2\": \"~\" must be followed by \"0\" "
                           "(for \"~\") or \"1\" (for \"/\")"_s;
    QTest::newRow("trailing ~") << u"/a/~"_s
                                << u"invalid escape at offset 3 in \"/a/~\": \"~\" must be followed by "
                                   "\"0\" (for \"~\") or \"1\" (for \"/\")"_s;
}

void TestJsonPointer::rejectsMalformedPointers()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!JsonPointer::parse(text, &actual));
    QCOMPARE(actual, error);
}

void TestJsonPointer::resolvesTheRfcExamples_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("\"\"") << u""_s << json(RfcDocument);
    QTest::newRow("/foo") << u"/foo"_s << json(R"(["bar", "baz"])");
    QTest::newRow("/foo/0") << u"/foo/0"_s << QJsonValue(u"bar"_s);
    QTest::newRow("/") << u"/"_s << QJsonValue(0);
    QTest::newRow("/a~1b") << u"/a~1b"_s << QJsonValue(1);
    QTest::newRow("/c%d") << u"/c%d"_s << QJsonValue(2);
    QTest::newRow("/e^f") << u"/e^f"_s << QJsonValue(3);
    QTest::newRow("/g|h") << u"/g|h"_s << QJsonValue(4);
    QTest::newRow("/i\\j") << u"/i\\j"_s << QJsonValue(5);
    QTest::newRow("/k\"l") << u"/k\"l"_s << QJsonValue(6);
    QTest::newRow("/ ") << u"/ "_s << QJsonValue(7);
    QTest::newRow("/m~0n") << u"/m~0n"_s << QJsonValue(8);
}

void TestJsonPointer::resolvesTheRfcExamples()
{
    QFETCH(QString, pointer);
    QFETCH(QJsonValue, value);
    QString error;
    const std::optional<JsonPointer> parsed = JsonPointer::parse(pointer, &error);
    QVERIFY2(parsed, qPrintable(error));
    QString why;
    const std::optional<QJsonValue> found = parsed->resolve(json(RfcDocument), &why);
    QVERIFY2(found, qPrintable(why));
    QCOMPARE(*found, value);
}

void TestJsonPointer::explainsWhyNothingIsThere_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("why");
    QTest::newRow("missing member at the root") << u"/nope"_s
                                                << u"the document has no member \"nope\""_s;
    QTest::newRow("missing member deeper") << u"/user/id"_s << u"/user has no member \"id\""_s;
    QTest::newRow("index past the end") << u"/items/2"_s << u"/items has 2 elements: no index 2"_s;
    QTest::newRow("\"-\" never matches")
        << u"/items/-"_s
        << u"\"-\" in /items designates the element after the last one, which never exists"_s;
    QTest::newRow("leading zero is no index")
        << u"/items/01"_s << u"/items is an array and \"01\" is not an array index"_s;
    QTest::newRow("name on an array")
        << u"/items/first"_s << u"/items is an array and \"first\" is not an array index"_s;
    QTest::newRow("into a scalar") << u"/count/x"_s
                                   << u"/count is a number, not an object or array"_s;
    QTest::newRow("into null") << u"/none/x"_s << u"/none is null, not an object or array"_s;
}

void TestJsonPointer::explainsWhyNothingIsThere()
{
    QFETCH(QString, pointer);
    QFETCH(QString, why);
    const QJsonValue document = json(R"({"user": {}, "items": [1, 2], "count": 3, "none": null})");
    QString error;
    const std::optional<JsonPointer> parsed = JsonPointer::parse(pointer, &error);
    QVERIFY2(parsed, qPrintable(error));
    QString actual;
    QVERIFY(!parsed->resolve(document, &actual));
    QCOMPARE(actual, why);
}

void TestJsonPointer::fromTokensEscapes()
{
    const JsonPointer pointer = JsonPointer::fromTokens({u"a/b"_s, u"m~n"_s, u"0"_s});
    QCOMPARE(pointer.toString(), u"/a~1b/m~0n/0"_s);
    QString error;
    QCOMPARE(JsonPointer::parse(pointer.toString(), &error), pointer);
    QCOMPARE(JsonPointer::escapeToken(u"~/"), u"~0~1"_s);
}

QTEST_GUILESS_MAIN(TestJsonPointer)
#include "tst_jsonpointer.moc"
