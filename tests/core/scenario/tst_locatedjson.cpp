#include "locatedjson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

// "3:5": positions compare and print as one string in tables and failures.
QString at(SourceLocation where)
{
    return u"%1:%2"_s.arg(where.line).arg(where.column);
}

JsonError errorOf(QStringView text)
{
    JsonError error;
    const std::optional<LocatedValue> value = LocatedJson::parse(text, u"test.json"_s, &error);
    if (value)
        return JsonError{u"test.json"_s, {}, u"<parsed>"_s};
    return error;
}

// The lines of text as the parser counts them (LF, CR LF, lone CR), for bounds checks.
QList<QStringView> linesOf(QStringView text)
{
    QList<QStringView> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == u'\n' || text[i] == u'\r') {
            lines.append(text.sliced(start, i - start));
            if (text[i] == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n')
                ++i;
            start = i + 1;
        }
    }
    lines.append(text.sliced(start));
    return lines;
}

const QString FuzzSeed = u"{\n"
    u"  \"name\": \"chat: join, talk, leave\",\n"
    u"  \"url\": \"wss://example.test:8443/chat?room=42\",\n"
    u"  \"variables\": {\"user\": \"Jürgen 😀\", \"token\": \"abc\\\"def\\\\ghi\\u00e9\\uD83D\\uDE00\"},\n"
    u"  \"steps\": [\n"
    u"    {\"send\": {\"type\": \"join\", \"user\": \"{{user}}\", \"n\": -12.5e-3}},\n"
    u"    {\"expect\": {\"type\": \"joined\"}, \"timeout\": 5000},\n"
    u"    {\"send\": [1, 2.0, 3e2, true, false, null, [], {}]},\n"
    u"    {\"close\": 1000, \"reason\": \"bye\\n\\t\\/\"}\n"
    u"  ]\n"
    u"}"_s;

} // namespace

class TestLocatedJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Happy flows
    void agreesWithQJsonDocument_data();
    void agreesWithQJsonDocument();
    void acceptsAnyTopLevelValue_data();
    void acceptsAnyTopLevelValue();
    void keepsMembersInFileOrder();
    void locatesEveryValueAndKey();
    void countsColumnsInCharacters_data();
    void countsColumnsInCharacters();
    void decodesEveryEscape();
    void readsNumbers_data();
    void readsNumbers();
    void keepsLargeIntegersExact();
    void describesValuesForMessages_data();
    void describesValuesForMessages();
    void readsFilesAndUtf8();

    // Rainy days
    void reportsSyntaxErrors_data();
    void reportsSyntaxErrors();
    void reportsDuplicateKeys();
    void duplicateKeysInDifferentObjectsAreFine();
    void limitsNesting();
    void survivesHostileNesting();
    void reportsInvalidUtf8_data();
    void reportsInvalidUtf8();
    void reportsUnreadableFiles();
    void formatsErrorsLikeGcc();
    void survivesRawLoneSurrogates();
    void survivesRandomMutations();
};

void TestLocatedJson::agreesWithQJsonDocument_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty object") << u"{}"_s;
    QTest::newRow("empty array") << u"[]"_s;
    QTest::newRow("scalars") << u"[0, -1, 1.5, 2e10, -3E-2, true, false, null, \"\"]"_s;
    QTest::newRow("nested") << u"{\"a\": {\"b\": [1, {\"c\": [[], {}]}]}}"_s;
    QTest::newRow("whitespace everywhere") << u" \t\r\n{ \"a\" :\r\n[ 1 , 2 ]\n}\n"_s;
    QTest::newRow("unicode") << u"{\"Jürgen\": \"😀 \\u00e9 \\uD83D\\uDE00\"}"_s;
    QTest::newRow("seed document") << FuzzSeed;
}

void TestLocatedJson::agreesWithQJsonDocument()
{
    QFETCH(QString, text);
    JsonError error;
    const std::optional<LocatedValue> value = LocatedJson::parse(text, u"test.json"_s, &error);
    QVERIFY2(value, qPrintable(error.toString()));

    QJsonParseError qtError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &qtError);
    QCOMPARE(qtError.error, QJsonParseError::NoError);
    const QJsonValue expected = document.isObject() ? QJsonValue(document.object())
                                                    : QJsonValue(document.array());
    QCOMPARE(value->toJsonValue(), expected);
}

void TestLocatedJson::acceptsAnyTopLevelValue_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("string") << u"\"hi\""_s << QJsonValue(u"hi"_s);
    QTest::newRow("number") << u" 42 "_s << QJsonValue(42);
    QTest::newRow("true") << u"true"_s << QJsonValue(true);
    QTest::newRow("null") << u"\nnull\n"_s << QJsonValue(QJsonValue::Null);
}

void TestLocatedJson::acceptsAnyTopLevelValue()
{
    QFETCH(QString, text);
    QFETCH(QJsonValue, expected);
    const std::optional<LocatedValue> value = LocatedJson::parse(text, u"t.json"_s, nullptr);
    QVERIFY(value);
    QCOMPARE(value->toJsonValue(), expected);
}

void TestLocatedJson::keepsMembersInFileOrder()
{
    const auto value = LocatedJson::parse(u"{\"z\": 1, \"a\": 2, \"m\": 3}", u"t.json"_s, nullptr);
    QVERIFY(value);
    QStringList keys;
    for (const LocatedMember &member : value->members())
        keys.append(member.key);
    QCOMPARE(keys, (QStringList{u"z"_s, u"a"_s, u"m"_s}));
    QVERIFY(value->member(u"a"));
    QCOMPARE(value->member(u"a")->value.toDouble(), 2.0);
    QVERIFY(!value->member(u"b"));
}

void TestLocatedJson::locatesEveryValueAndKey()
{
    const QString text = u"{\n"
                         u"  \"name\": \"echo\",\n"
                         u"  \"steps\": [\n"
                         u"    {\"send\": \"hi\"},\n"
                         u"    42,\n"
                         u"    true\n"
                         u"  ],\n"
                         u"  \"nested\": {\"a\": null}\n"
                         u"}\n"_s;
    const std::optional<LocatedValue> root = LocatedJson::parse(text, u"t.json"_s, nullptr);
    QVERIFY(root);
    QCOMPARE(at(root->location()), u"1:1"_s);

    const LocatedMember &name = root->members().at(0);
    QCOMPARE(at(name.keyLocation), u"2:3"_s);
    QCOMPARE(at(name.value.location()), u"2:11"_s);

    const LocatedMember &steps = root->members().at(1);
    QCOMPARE(at(steps.keyLocation), u"3:3"_s);
    QCOMPARE(at(steps.value.location()), u"3:12"_s);
    const LocatedValue &send = steps.value.elements().at(0);
    QCOMPARE(at(send.location()), u"4:5"_s);
    QCOMPARE(at(send.members().at(0).keyLocation), u"4:6"_s);
    QCOMPARE(at(send.members().at(0).value.location()), u"4:14"_s);
    QCOMPARE(at(steps.value.elements().at(1).location()), u"5:5"_s);
    QCOMPARE(at(steps.value.elements().at(2).location()), u"6:5"_s);

    const LocatedMember &nested = root->members().at(2);
    QCOMPARE(at(nested.keyLocation), u"8:3"_s);
    QCOMPARE(at(nested.value.location()), u"8:13"_s);
    QCOMPARE(at(nested.value.members().at(0).keyLocation), u"8:14"_s);
    QCOMPARE(at(nested.value.members().at(0).value.location()), u"8:19"_s);
}

void TestLocatedJson::countsColumnsInCharacters_data()
{
    // The position of the last element of a top-level array.
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("where");
    QTest::newRow("ascii") << u"[\"ab\", 1]"_s << u"1:8"_s;
    QTest::newRow("latin letters") << u"[\"éé\", 1]"_s << u"1:8"_s;
    QTest::newRow("emoji is one column") << u"[\"😀😀\", 1]"_s << u"1:8"_s;
    QTest::newRow("combining accent is its own column") << u"[\"e\u0301\", 1]"_s << u"1:8"_s;
    QTest::newRow("tab is one column") << u"[\t1]"_s << u"1:3"_s;
    QTest::newRow("LF") << u"[\n1,\n  2]"_s << u"3:3"_s;
    QTest::newRow("CR LF") << u"[\r\n1,\r\n  2]"_s << u"3:3"_s;
    QTest::newRow("lone CR") << u"[\r1,\r  2]"_s << u"3:3"_s;
    QTest::newRow("blank lines") << u"[\n\n\r\n\r\r1]"_s << u"6:1"_s;
    QTest::newRow("byte-order mark takes no column") << u"\uFEFF[1]"_s << u"1:2"_s;
    QTest::newRow("non-ASCII on an earlier line") << u"[\"😀😀😀\",\n 1]"_s << u"2:2"_s;
}

void TestLocatedJson::countsColumnsInCharacters()
{
    QFETCH(QString, text);
    QFETCH(QString, where);
    const std::optional<LocatedValue> value = LocatedJson::parse(text, u"t.json"_s, nullptr);
    QVERIFY(value);
    QCOMPARE(at(value->elements().back().location()), where);
}

void TestLocatedJson::decodesEveryEscape()
{
    const auto value = LocatedJson::parse(u"[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\uD83D\\uDE00\\u0000x\"]",
                                          u"t.json"_s, nullptr);
    QVERIFY(value);
    const QString expected = u"\"\\/\b\f\n\r\tAé😀"_s + QChar(0) + u"x"_s;
    QCOMPARE(value->elements().at(0).toString(), expected);
}

void TestLocatedJson::readsNumbers_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("value");
    QTest::newRow("zero") << u"0"_s << 0.0;
    QTest::newRow("negative") << u"-17"_s << -17.0;
    QTest::newRow("fraction") << u"0.25"_s << 0.25;
    QTest::newRow("exponent") << u"1E+2"_s << 100.0;
    QTest::newRow("negative exponent") << u"25e-2"_s << 0.25;
    QTest::newRow("underflow is zero") << u"1e-400"_s << 0.0;
    QTest::newRow("many digits") << u"123456789012345678901234567890"_s << 1.2345678901234568e29;
}

void TestLocatedJson::readsNumbers()
{
    QFETCH(QString, text);
    QFETCH(double, value);
    const std::optional<LocatedValue> number = LocatedJson::parse(text, u"t.json"_s, nullptr);
    QVERIFY(number);
    QVERIFY(number->isNumber());
    QCOMPARE(number->toDouble(), value);
    QCOMPARE(number->numberText(), text);
}

void TestLocatedJson::keepsLargeIntegersExact()
{
    // A double would make this 9007199254740992.
    const auto value = LocatedJson::parse(u"[9007199254740993, -9007199254740993, 1.5]",
                                          u"t.json"_s, nullptr);
    QVERIFY(value);
    QCOMPARE(value->elements().at(0).toJsonValue().toInteger(), 9007199254740993LL);
    QCOMPARE(value->elements().at(1).toJsonValue().toInteger(), -9007199254740993LL);
    QCOMPARE(value->elements().at(2).toJsonValue().toDouble(), 1.5);
}

void TestLocatedJson::describesValuesForMessages_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("description");
    QTest::newRow("string") << u"\"abc\""_s << u"\"abc\""_s;
    QTest::newRow("escapes shown") << u"\"a\\\"b\\n\""_s << u"\"a\\\"b\\n\""_s;
    QTest::newRow("long string shortened")
        << u"\"0123456789012345678901234567890123456789xyz\""_s
        << u"\"012345678901234567890123456789012345678…\""_s;
    QTest::newRow("number as written") << u"1.50e3"_s << u"1.50e3"_s;
    QTest::newRow("true") << u"true"_s << u"true"_s;
    QTest::newRow("null") << u"null"_s << u"null"_s;
    QTest::newRow("array") << u"[1]"_s << u"an array"_s;
    QTest::newRow("object") << u"{}"_s << u"an object"_s;
}

void TestLocatedJson::describesValuesForMessages()
{
    QFETCH(QString, text);
    QFETCH(QString, description);
    const std::optional<LocatedValue> value = LocatedJson::parse(text, u"t.json"_s, nullptr);
    QVERIFY(value);
    QCOMPARE(value->describe(), description);
}

void TestLocatedJson::readsFilesAndUtf8()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"env.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\xef\xbb\xbf{\"user\": \"J\xc3\xbcrgen\"}\n");
    file.close();

    JsonError error;
    const std::optional<LocatedValue> value = LocatedJson::parseFile(path, &error);
    QVERIFY2(value, qPrintable(error.toString()));
    QCOMPARE(value->member(u"user")->value.toString(), u"Jürgen"_s);
    QCOMPARE(at(value->location()), u"1:1"_s);
}

void TestLocatedJson::reportsSyntaxErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("message");

    const QString keyOrClose = u"expected an object key (a string in double quotes) or '}', found "_s;
    const QString keyAfterComma =
        u"expected an object key (a string in double quotes) after ',', found "_s;
    const QString afterMember = u"expected ',' or '}' after an object member, found "_s;
    const QString afterElement = u"expected ',' or ']' after an array element, found "_s;
    const QString afterTop = u"expected the end of the file after the top-level value, found "_s;

    QTest::newRow("empty file") << u""_s << u"1:1"_s << u"the file is empty: expected a JSON value"_s;
    QTest::newRow("only whitespace") << u"  \n \r\n "_s << u"1:1"_s
                                     << u"the file is empty: expected a JSON value"_s;
    QTest::newRow("missing comma between members") << u"{\"a\": 1 \"b\": 2}"_s << u"1:9"_s
                                                   << afterMember + u"a string"_s;
    QTest::newRow("bracket closes an object") << u"{\"a\": 1]"_s << u"1:8"_s << afterMember + u"']'"_s;
    QTest::newRow("brace closes an array") << u"[1, 2}"_s << u"1:6"_s << afterElement + u"'}'"_s;
    QTest::newRow("missing comma between elements") << u"[1 2]"_s << u"1:4"_s
                                                    << afterElement + u"a number"_s;
    QTest::newRow("unclosed array") << u"[1, 2"_s << u"1:6"_s << afterElement + u"the end of the file"_s;
    QTest::newRow("unclosed object") << u"{\"a\": {"_s << u"1:8"_s << keyOrClose + u"the end of the file"_s;
    QTest::newRow("missing value") << u"{\"a\": }"_s << u"1:7"_s << u"expected a value, found '}'"_s;
    QTest::newRow("trailing comma in an object")
        << u"{\n  \"a\": 1,\n}"_s << u"2:9"_s << u"trailing comma is not allowed"_s;
    QTest::newRow("trailing comma in an array") << u"[1, 2,]"_s << u"1:6"_s
                                                << u"trailing comma is not allowed"_s;
    QTest::newRow("trailing comma before a line break")
        << u"[\r\n  1,\r\n  2,\r\n]"_s << u"3:4"_s << u"trailing comma is not allowed"_s;
    QTest::newRow("comma after comma") << u"[1,,2]"_s << u"1:4"_s << u"expected a value, found ','"_s;
    QTest::newRow("unquoted key") << u"{a: 1}"_s << u"1:2"_s << keyOrClose + u"'a'"_s;
    QTest::newRow("unquoted key after comma") << u"{\"a\":1, b:2}"_s << u"1:9"_s
                                              << keyAfterComma + u"'b'"_s;
    QTest::newRow("single quotes") << u"{'a': 1}"_s << u"1:2"_s
                                   << keyOrClose + u"a single quote (JSON strings use double quotes)"_s;
    QTest::newRow("missing colon") << u"{\"a\" 1}"_s << u"1:6"_s
                                   << u"expected ':' after the object key, found a number"_s;
    QTest::newRow("comment") << u"{\n  // note\n  \"a\": 1\n}"_s << u"2:3"_s
                             << keyOrClose + u"'/' (comments are not allowed in JSON)"_s;
    QTest::newRow("capitalised literal") << u"[True]"_s << u"1:2"_s
                                         << u"expected a value, found 'True' (JSON writes true, "
                                            u"false and null in lower case)"_s;
    QTest::newRow("NaN") << u"[NaN]"_s << u"1:2"_s
                         << u"expected a value, found 'NaN' (NaN and Infinity are not JSON numbers)"_s;
    QTest::newRow("truncated literal") << u"[nul]"_s << u"1:2"_s << u"expected a value, found 'nul'"_s;
    QTest::newRow("literal runs on") << u"[truex]"_s << u"1:2"_s << u"expected a value, found 'truex'"_s;
    QTest::newRow("unterminated string at the end")
        << u"{\"a\": \"abc"_s << u"1:7"_s << u"unterminated string"_s;
    QTest::newRow("unterminated string at a line break")
        << u"{\"a\": \"abc\n}"_s << u"1:7"_s
        << u"unterminated string (a string ends on the line it starts; write \\n for a line break)"_s;
    QTest::newRow("unterminated key") << u"{\"a"_s << u"1:2"_s << u"unterminated string"_s;
    QTest::newRow("backslash at the end") << u"[\"a\\"_s << u"1:2"_s << u"unterminated string"_s;
    QTest::newRow("invalid escape")
        << u"[\"a\\qb\"]"_s << u"1:4"_s
        << u"invalid escape \\q (valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)"_s;
    QTest::newRow("escaped line break")
        << u"[\"a\\\nb\"]"_s << u"1:4"_s
        << u"invalid escape \\ followed by U+000A (valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)"_s;
    QTest::newRow("short \\u") << u"[\"\\u12\"]"_s << u"1:3"_s
                               << u"invalid escape: \\u must be followed by four hex digits"_s;
    QTest::newRow("\\u with a non-hex digit") << u"[\"\\u12G4\"]"_s << u"1:3"_s
                                              << u"invalid escape: \\u must be followed by four hex digits"_s;
    QTest::newRow("lone high surrogate")
        << u"[\"\\uD83D\"]"_s << u"1:3"_s
        << u"unpaired surrogate \\uD83D: a high surrogate must be followed by a low surrogate (\\uDC00 to \\uDFFF)"_s;
    QTest::newRow("high surrogate then a letter")
        << u"[\"\\ud83d\\u0041\"]"_s << u"1:3"_s
        << u"unpaired surrogate \\uD83D: a high surrogate must be followed by a low surrogate (\\uDC00 to \\uDFFF)"_s;
    QTest::newRow("lone low surrogate")
        << u"[\"x\\uDE00\"]"_s << u"1:4"_s
        << u"unpaired surrogate \\uDE00: a low surrogate must follow a high surrogate (\\uD800 to \\uDBFF)"_s;
    QTest::newRow("control character in a string")
        << u"[\"a\u0001\"]"_s << u"1:4"_s
        << u"control character U+0001 must be written as \\u0001 inside a string"_s;
    QTest::newRow("tab in a string") << u"[\"a\tb\"]"_s << u"1:4"_s
                                     << u"tab characters must be written as \\t inside a string"_s;
    QTest::newRow("leading zero") << u"[01]"_s << u"1:2"_s << u"numbers may not have leading zeros"_s;
    QTest::newRow("negative leading zero") << u"[-012]"_s << u"1:2"_s
                                           << u"numbers may not have leading zeros"_s;
    QTest::newRow("plus sign") << u"[+1]"_s << u"1:2"_s << u"numbers may not start with '+'"_s;
    QTest::newRow("no digit before the point")
        << u"[.5]"_s << u"1:2"_s << u"numbers need a digit before the decimal point (0.5, not .5)"_s;
    QTest::newRow("no digit after the point")
        << u"[1.]"_s << u"1:4"_s << u"expected a digit after the decimal point, found ']'"_s;
    QTest::newRow("empty exponent") << u"[1e]"_s << u"1:4"_s
                                    << u"expected a digit in the exponent, found ']'"_s;
    QTest::newRow("signed empty exponent") << u"[1e-]"_s << u"1:5"_s
                                           << u"expected a digit in the exponent, found ']'"_s;
    QTest::newRow("lone minus") << u"[-]"_s << u"1:3"_s << u"expected a digit after '-', found ']'"_s;
    QTest::newRow("minus before a word") << u"[-Infinity]"_s << u"1:3"_s
                                         << u"expected a digit after '-', found 'Infinity' "
                                            u"(NaN and Infinity are not JSON numbers)"_s;
    QTest::newRow("hex number") << u"[0x1F]"_s << u"1:3"_s << afterElement + u"'x1F'"_s;
    QTest::newRow("number too large") << u"{\"n\": 1e400}"_s << u"1:7"_s
                                      << u"number is too large: 1e400"_s;
    QTest::newRow("garbage after the value") << u"{} x"_s << u"1:4"_s << afterTop + u"'x'"_s;
    QTest::newRow("second document") << u"{}\n{}"_s << u"2:1"_s << afterTop + u"'{'"_s;
    QTest::newRow("one brace too many") << u"{\"a\":1}}"_s << u"1:8"_s << afterTop + u"'}'"_s;
    QTest::newRow("non-ASCII text before the error")
        << u"{\"name\": \"Jürgen 😀\", x}"_s << u"1:22"_s << keyAfterComma + u"'x'"_s;
    QTest::newRow("non-ASCII on an earlier line")
        << u"{\"name\": \"Jürgen 😀😀\",\n \"n\": 1 \"m\": 2}"_s << u"2:9"_s
        << afterMember + u"a string"_s;
    QTest::newRow("CR LF document")
        << u"{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n  \"c\": 3\r\n}"_s << u"4:3"_s
        << afterMember + u"a string"_s;
    QTest::newRow("lone CR document") << u"[\r1,\r2\r x]"_s << u"4:2"_s << afterElement + u"'x'"_s;
    QTest::newRow("tab before the error") << u"{\n\t\"a\": tru}"_s << u"2:7"_s
                                          << u"expected a value, found 'tru'"_s;
    QTest::newRow("byte-order mark") << u"\uFEFF{]"_s << u"1:2"_s << keyOrClose + u"']'"_s;
    QTest::newRow("non-ASCII character") << u"[é]"_s << u"1:2"_s
                                         << u"expected a value, found 'é' (U+00E9)"_s;
    QTest::newRow("emoji") << u"[1, 😀]"_s << u"1:5"_s << u"expected a value, found '😀' (U+1F600)"_s;
    QTest::newRow("no-break space") << u"[1,\u00A02]"_s << u"1:4"_s
                                    << u"expected a value, found '\u00A0' (U+00A0)"_s;
    QTest::newRow("control character") << u"[\u0001]"_s << u"1:2"_s
                                       << u"expected a value, found the control character U+0001"_s;
}

void TestLocatedJson::reportsSyntaxErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, where);
    QFETCH(QString, message);
    const JsonError error = errorOf(text);
    QCOMPARE(error.message, message);
    QCOMPARE(at(error.where), where);
    QCOMPARE(error.file, u"test.json"_s);
}

void TestLocatedJson::reportsDuplicateKeys()
{
    const JsonError error = errorOf(u"{\n  \"id\": 1,\n  \"name\": \"x\",\n  \"id\": 2\n}"_s);
    QCOMPARE(error.message, u"duplicate key \"id\" (first defined at line 2, column 3)"_s);
    QCOMPARE(at(error.where), u"4:3"_s);

    // Keys are compared after decoding: "\u0069d" is "id".
    const JsonError escaped = errorOf(u"{\"id\": 1, \"\\u0069d\": 2}"_s);
    QCOMPARE(escaped.message, u"duplicate key \"id\" (first defined at line 1, column 2)"_s);
    QCOMPARE(at(escaped.where), u"1:11"_s);
}

void TestLocatedJson::duplicateKeysInDifferentObjectsAreFine()
{
    JsonError error;
    QVERIFY(LocatedJson::parse(u"[{\"id\": 1}, {\"id\": 2, \"x\": {\"id\": 3}}]", u"t"_s, &error));
}

void TestLocatedJson::limitsNesting()
{
    const int max = LocatedJson::MaxDepth;
    const QString deepest = QString(max, u'[') + QString(max, u']');
    QVERIFY(LocatedJson::parse(deepest, u"t.json"_s, nullptr));

    const QString tooDeep = QString(max + 1, u'[') + QString(max + 1, u']');
    JsonError error = errorOf(tooDeep);
    QCOMPARE(error.message, u"nesting is deeper than 256 levels"_s);
    QCOMPARE(at(error.where), u"1:257"_s);

    QString objects;
    for (int i = 0; i <= max; ++i)
        objects += u"{\"a\":"_s;
    error = errorOf(objects);
    QCOMPARE(error.message, u"nesting is deeper than 256 levels"_s);
    QCOMPARE(at(error.where), u"1:%1"_s.arg(max * 5 + 1));
}

void TestLocatedJson::survivesHostileNesting()
{
    // A million open brackets must fail at the limit, not overflow the stack.
    const JsonError error = errorOf(QString(1000000, u'['));
    QCOMPARE(error.message, u"nesting is deeper than 256 levels"_s);

    // A long flat file on one line stays fast: columns are counted on, not recounted.
    QString flat = u"["_s;
    for (int i = 0; i < 200000; ++i)
        flat += u"1,"_s;
    flat += u"x]"_s;
    const JsonError late = errorOf(flat);
    QCOMPARE(at(late.where), u"1:400002"_s);
}

void TestLocatedJson::reportsInvalidUtf8_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("message");
    QTest::newRow("stray byte on line 2") << QByteArray("{\n  \"a\": \"\xff\"\n}") << u"2:9"_s
                                          << u"the file is not valid UTF-8 (byte 0xFF)"_s;
    QTest::newRow("after multibyte characters") << QByteArray("[\"\xc3\xa9\xf0\x9f\x98\x80\x80\"]")
                                                << u"1:5"_s
                                                << u"the file is not valid UTF-8 (byte 0x80)"_s;
    QTest::newRow("overlong slash") << QByteArray("[\"\xc0\xaf\"]") << u"1:3"_s
                                    << u"the file is not valid UTF-8 (byte 0xC0)"_s;
    QTest::newRow("encoded surrogate") << QByteArray("[\"\xed\xa0\x80\"]") << u"1:3"_s
                                       << u"the file is not valid UTF-8 (byte 0xED)"_s;
    QTest::newRow("truncated sequence at the end") << QByteArray("[1]\xe2\x82") << u"1:4"_s
                                                   << u"the file is not valid UTF-8 (byte 0xE2)"_s;
    QTest::newRow("Latin-1 file") << QByteArray("{\"name\": \"J\xfcrgen\"}") << u"1:12"_s
                                  << u"the file is not valid UTF-8 (byte 0xFC)"_s;
    QTest::newRow("after a byte-order mark") << QByteArray("\xef\xbb\xbf{]") << u"1:2"_s
                                             << u"expected an object key (a string in double "
                                                u"quotes) or '}', found ']'"_s;
}

void TestLocatedJson::reportsInvalidUtf8()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, where);
    QFETCH(QString, message);
    JsonError error;
    QVERIFY(!LocatedJson::parseUtf8(data, u"bytes.json"_s, &error));
    QCOMPARE(error.message, message);
    QCOMPARE(at(error.where), where);
    QCOMPARE(error.file, u"bytes.json"_s);
}

void TestLocatedJson::reportsUnreadableFiles()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"missing.json"_s);
    JsonError error;
    QVERIFY(!LocatedJson::parseFile(path, &error));
    QVERIFY(!error.where.isValid());
    QVERIFY2(error.toString().startsWith(path + u": cannot open the file: "_s),
             qPrintable(error.toString()));
}

void TestLocatedJson::formatsErrorsLikeGcc()
{
    QCOMPARE((JsonError{u"scenarios/chat.json"_s, {12, 5}, u"trailing comma is not allowed"_s}).toString(),
             u"scenarios/chat.json:12:5: trailing comma is not allowed"_s);
    // Placeholders in a file name or message are not substituted.
    QCOMPARE((JsonError{u"a%1.json"_s, {1, 2}, u"found '%2'"_s}).toString(), u"a%1.json:1:2: found '%2'"_s);
    QCOMPARE((JsonError{u"a.json"_s, {}, u"cannot open"_s}).toString(), u"a.json: cannot open"_s);
}

void TestLocatedJson::survivesRawLoneSurrogates()
{
    // Text that is not valid UTF-16 must not confuse column counting or crash.
    QString text = u"[\"a\"]"_s;
    text.insert(2, QChar(0xd800));
    QVERIFY(LocatedJson::parse(text, u"t"_s, nullptr));
    QString broken = u"[\"x\", ?]"_s;
    broken[6] = QChar(0xdc00);
    const JsonError error = errorOf(broken);
    QCOMPARE(at(error.where), u"1:7"_s);
    QVERIFY(error.message.startsWith(u"expected a value, found "_s));
}

void TestLocatedJson::survivesRandomMutations()
{
    // Byte soup near a real document: every result must be a value that QJsonDocument reads the
    // same way, or an error placed inside the document.
    const QString alphabet = u"{}[]\":,\\ \n\r\t0123456789eE.+-tfnrulaxé😀\u0001/"_s;
    QRandomGenerator random(20240611);
    int parsed = 0;
    for (int iteration = 0; iteration < 20000; ++iteration) {
        QString text = FuzzSeed;
        const int mutations = 1 + int(random.bounded(4));
        for (int m = 0; m < mutations; ++m) {
            const qsizetype pos = random.bounded(int(text.size()) + 1);
            switch (random.bounded(5)) {
            case 0:
                text.remove(pos, 1 + random.bounded(3));
                break;
            case 1:
            case 2: {
                qsizetype pick = random.bounded(int(alphabet.size()));
                if (alphabet[pick].isLowSurrogate())
                    --pick;
                text.insert(pos, alphabet.mid(pick, alphabet[pick].isHighSurrogate() ? 2 : 1));
                break;
            }
            case 3:
                text.insert(pos, text.mid(random.bounded(int(text.size()) + 1), random.bounded(20)));
                break;
            default:
                text.truncate(pos);
                break;
            }
        }
        // The edits above may cut a surrogate pair; the reader then sees invalid UTF-16, which
        // QJsonDocument (reading UTF-8) cannot be compared with.
        const bool validUtf16 = QStringView(text).isValidUtf16();

        JsonError error;
        const std::optional<LocatedValue> value = LocatedJson::parse(text, u"fuzz.json"_s, &error);
        if (value) {
            ++parsed;
            if (!validUtf16 || !(value->isObject() || value->isArray()))
                continue;
            QJsonParseError qtError;
            const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &qtError);
            QVERIFY2(qtError.error == QJsonParseError::NoError, qPrintable(text));
            const QJsonValue expected = document.isObject() ? QJsonValue(document.object())
                                                            : QJsonValue(document.array());
            QVERIFY2(value->toJsonValue() == expected, qPrintable(text));
            continue;
        }
        QVERIFY2(!error.message.isEmpty(), qPrintable(text));
        QCOMPARE(error.file, u"fuzz.json"_s);
        const QList<QStringView> lines = linesOf(text);
        QVERIFY2(error.where.line >= 1 && error.where.line <= lines.size(), qPrintable(text));
        const QStringView line = lines.at(error.where.line - 1);
        QVERIFY2(error.where.column >= 1 && error.where.column <= line.size() + 1,
                 qPrintable(error.toString() + u"\n"_s + text));
    }
    qDebug("%d of 20000 mutants were still valid JSON", parsed);
}

QTEST_GUILESS_MAIN(TestLocatedJson)
#include "tst_locatedjson.moc"
