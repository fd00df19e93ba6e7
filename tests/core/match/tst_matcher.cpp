#include "frameevent.h"
#include "jsontext.h"
#include "matcher.h"
#include "messageview.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

Q_DECLARE_METATYPE(wsprobe::FrameEvent)

namespace {

FrameEvent textEvent(const QString &text)
{
    FrameEvent event;
    event.kind = EventKind::Text;
    event.direction = Direction::Incoming;
    event.text = text;
    event.size = utf8Length(text);
    return event;
}

FrameEvent binaryEvent(const QByteArray &data)
{
    FrameEvent event;
    event.kind = EventKind::Binary;
    event.direction = Direction::Incoming;
    event.data = data;
    event.size = data.size();
    return event;
}

FrameEvent closeEvent(quint16 code, const QString &reason, bool clean)
{
    FrameEvent event;
    event.kind = EventKind::Close;
    event.direction = Direction::Incoming;
    event.closeCode = code;
    event.text = reason;
    event.cleanClose = clean;
    event.closeInitiator = CloseInitiator::Server;
    return event;
}

FrameEvent otherEvent(EventKind kind)
{
    FrameEvent event;
    event.kind = kind;
    event.direction = Direction::Incoming;
    return event;
}

QJsonValue json(const QByteArray &text)
{
    QString error;
    const std::optional<QJsonValue> value = JsonText::parse(text, &error);
    if (!value)
        qFatal("bad test JSON %s: %s", text.constData(), qPrintable(error));
    return *value;
}

Matcher matcher(const QByteArray &spec)
{
    QString error;
    const std::optional<Matcher> built = Matcher::fromJson(json(spec), &error);
    if (!built)
        qFatal("bad test matcher %s: %s", spec.constData(), qPrintable(error));
    return *built;
}

// A message of the kind the live panel sees all day: ~250 bytes of JSON.
const QString Tick = uR"({"type":"tick","seq":1234,"ts":"2024-05-01T12:00:00.123Z","market":"BTC-USD",)"
                     uR"("bid":{"price":64123.5,"size":0.25},"ask":{"price":64124.0,"size":1.5},)"
                     uR"("flags":["live","snapshot"],"source":{"venue":"demo","region":"eu-west-1"}})"_s;

} // namespace

class TestMatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matches_data();
    void matches();
    void matchesThroughOneSharedView();
    void rejectsBadSpecs_data();
    void rejectsBadSpecs();
    void prefixesErrorsWithTheGivenPath();
    void roundTrips_data();
    void roundTrips();
    void differentSpecsAreDifferentMatchers();
    void describes_data();
    void describes();
    void reportsKinds();
    void defaultMatcherMatchesAnyMessage();

    void benchmark_data();
    void benchmark();
    void benchmarkParseOncePerEvent();
};

void TestMatcher::matches_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<FrameEvent>("event");
    QTest::addColumn<bool>("matched");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("actual");
    QTest::addColumn<QString>("explanation");

    // text
    QTest::newRow("text: equal") << R"({"text": "pong"})"_ba << textEvent(u"pong"_s) << true
                                 << u"\"pong\""_s << u"\"pong\""_s << QString();
    QTest::newRow("text: differs") << R"({"text": "pong"})"_ba << textEvent(u"ping"_s) << false
                                   << u"\"pong\""_s << u"\"ping\""_s
                                   << u"first difference at offset 1"_s;
    QTest::newRow("text: longer") << R"({"text": "pong"})"_ba << textEvent(u"pong\n"_s) << false
                                  << u"\"pong\""_s << u"\"pong\\n\""_s
                                  << u"first difference at offset 4; expected 4 characters, got 5"_s;
    QTest::newRow("text: binary message") << R"({"text": "pong"})"_ba << binaryEvent("pong"_ba)
                                          << false << u"\"pong\""_s
                                          << u"binary message 70 6f 6e 67"_s
                                          << u"not a text message"_s;
    QTest::newRow("textContains: found") << R"({"textContains": "error"})"_ba
                                         << textEvent(u"an error occurred"_s) << true
                                         << u"text containing \"error\""_s
                                         << u"\"an error occurred\""_s << QString();
    QTest::newRow("textContains: not found") << R"({"textContains": "error"})"_ba
                                             << textEvent(u"all good"_s) << false
                                             << u"text containing \"error\""_s << u"\"all good\""_s
                                             << u"does not contain \"error\""_s;
    QTest::newRow("textMatches: with flags") << R"({"textMatches": "^PO", "flags": "i"})"_ba
                                             << textEvent(u"pong"_s) << true
                                             << u"text matching /^PO/i"_s << u"\"pong\""_s
                                             << QString();
    QTest::newRow("textMatches: unanchored search") << R"({"textMatches": "\\d+"})"_ba
                                                    << textEvent(u"id=42;"_s) << true
                                                    << u"text matching /\\d+/"_s
                                                    << u"\"id=42;\""_s << QString();
    QTest::newRow("textMatches: no match") << R"({"textMatches": "^\\d+$"})"_ba
                                           << textEvent(u"12a"_s) << false
                                           << u"text matching /^\\d+$/"_s << u"\"12a\""_s
                                           << u"no match for /^\\d+$/"_s;

    // json
    QTest::newRow("json: equal, numbers by value")
        << R"({"json": {"a": 1, "b": [1, 2]}})"_ba << textEvent(uR"({"b": [1.0, 2], "a": 1.0})"_s)
        << true << uR"({"a":1,"b":[1,2]})"_s << uR"({"a":1,"b":[1,2]})"_s << QString();
    QTest::newRow("json: element differs")
        << R"({"json": {"a": 1, "b": [1, 2]}})"_ba << textEvent(uR"({"a": 1, "b": [1, 3]})"_s)
        << false << uR"({"a":1,"b":[1,2]})"_s << uR"({"a":1,"b":[1,3]})"_s
        << u"at /b/1: expected 2, got 3"_s;
    QTest::newRow("json: extra member")
        << R"({"json": {"a": 1}})"_ba << textEvent(uR"({"a": 1, "c": 0})"_s) << false
        << uR"({"a":1})"_s << uR"({"a":1,"c":0})"_s << u"at /c: unexpected member"_s;
    QTest::newRow("json: scalar message") << R"({"json": 42})"_ba << textEvent(u"42"_s) << true
                                          << u"42"_s << u"42"_s << QString();
    QTest::newRow("json: not JSON") << R"({"json": {"a": 1}})"_ba << textEvent(u"hello"_s) << false
                                    << uR"({"a":1})"_s << u"\"hello\""_s
                                    << u"not JSON: illegal value at offset 0"_s;
    QTest::newRow("json: binary message is read as UTF-8")
        << R"({"json": {"a": 1}})"_ba << binaryEvent(R"({"a":1})"_ba) << true << uR"({"a":1})"_s
        << uR"({"a":1})"_s << QString();
    QTest::newRow("json: close event") << R"({"json": {"a": 1}})"_ba
                                       << closeEvent(1000, QString(), true) << false
                                       << uR"({"a":1})"_s << u"close 1000 Normal Closure"_s
                                       << u"not a message"_s;
    QTest::newRow("jsonSubset: extra members allowed")
        << R"({"jsonSubset": {"type": "ack", "data": {"ok": true}}})"_ba
        << textEvent(uR"({"type": "ack", "id": 7, "data": {"ok": true, "n": 1}})"_s) << true
        << uR"({"data":{"ok":true},"type":"ack"})"_s
        << uR"({"data":{"n":1,"ok":true},"id":7,"type":"ack"})"_s << QString();
    QTest::newRow("jsonSubset: missing member")
        << R"({"jsonSubset": {"type": "ack"}})"_ba << textEvent(uR"({"kind": "ack"})"_s) << false
        << uR"({"type":"ack"})"_s << uR"({"kind":"ack"})"_s << u"at /type: missing"_s;
    QTest::newRow("jsonSubset: arrays keep their length")
        << R"({"jsonSubset": {"items": [{"id": 1}]}})"_ba
        << textEvent(uR"({"items": [{"id": 1, "x": 2}, {"id": 2}]})"_s) << false
        << uR"({"items":[{"id":1}]})"_s << uR"({"items":[{"id":1,"x":2},{"id":2}]})"_s
        << u"at /items: expected 1 element, got 2 elements"_s;
    QTest::newRow("jsonSubset: not JSON")
        << R"({"jsonSubset": {"type": "ack"}})"_ba << textEvent(uR"({"type": "ack")"_s) << false
        << uR"({"type":"ack"})"_s << u"\"{\\\"type\\\": \\\"ack\\\"\""_s
        << u"not JSON: unterminated string at offset 14"_s;

    // pointer
    QTest::newRow("pointer equals: equal")
        << R"({"pointer": "/user/id", "equals": 42})"_ba << textEvent(uR"({"user": {"id": 42.0}})"_s)
        << true << u"/user/id = 42"_s << u"/user/id = 42"_s << QString();
    QTest::newRow("pointer equals: differs")
        << R"({"pointer": "/user/id", "equals": 42})"_ba << textEvent(uR"({"user": {"id": 41}})"_s)
        << false << u"/user/id = 42"_s << u"/user/id = 41"_s << u"at /user/id: expected 42, got 41"_s;
    QTest::newRow("pointer equals: differs deeper")
        << R"({"pointer": "/user", "equals": {"id": 1}})"_ba << textEvent(uR"({"user": {"id": 2}})"_s)
        << false << uR"(/user = {"id":1})"_s << uR"(/user = {"id":2})"_s
        << u"at /user/id: expected 1, got 2"_s;
    QTest::newRow("pointer equals: absent")
        << R"({"pointer": "/user/id", "equals": 42})"_ba << textEvent(uR"({"user": {}})"_s) << false
        << u"/user/id = 42"_s << u"/user/id absent"_s << u"/user has no member \"id\""_s;
    QTest::newRow("pointer equals: array index")
        << R"({"pointer": "/items/1/name", "equals": "b"})"_ba
        << textEvent(uR"({"items": [{"name": "a"}, {"name": "b"}]})"_s) << true
        << u"/items/1/name = \"b\""_s << u"/items/1/name = \"b\""_s << QString();
    QTest::newRow("pointer equals: \"-\" never matches")
        << R"({"pointer": "/items/-", "equals": 1})"_ba << textEvent(uR"({"items": [1]})"_s) << false
        << u"/items/- = 1"_s << u"/items/- absent"_s
        << u"\"-\" in /items designates the element after the last one, which never exists"_s;
    QTest::newRow("pointer exists: present")
        << R"({"pointer": "/id", "exists": true})"_ba << textEvent(uR"({"id": null})"_s) << true
        << u"/id exists"_s << u"/id = null"_s << QString();
    QTest::newRow("pointer exists: absent")
        << R"({"pointer": "/id", "exists": true})"_ba << textEvent(uR"({"ID": 1})"_s) << false
        << u"/id exists"_s << u"/id absent"_s << u"the document has no member \"id\""_s;
    QTest::newRow("pointer absent: absent")
        << R"({"pointer": "/error", "exists": false})"_ba << textEvent(uR"({"ok": true})"_s) << true
        << u"/error absent"_s << u"/error absent"_s << QString();
    QTest::newRow("pointer absent: present")
        << R"({"pointer": "/error", "exists": false})"_ba << textEvent(uR"({"error": "boom"})"_s)
        << false << u"/error absent"_s << u"/error = \"boom\""_s << u"/error exists"_s;
    // Integers past 2^31 and 2^53 (timestamps, ids) keep every digit, in the verdict and the text.
    QTest::newRow("pointer equals: past 2^53, equal")
        << R"({"pointer": "/id", "equals": 9007199254740993})"_ba
        << textEvent(uR"({"id": 9007199254740993})"_s) << true << u"/id = 9007199254740993"_s
        << u"/id = 9007199254740993"_s << QString();
    QTest::newRow("pointer equals: past 2^53, one apart")
        << R"({"pointer": "/id", "equals": 9007199254740993})"_ba
        << textEvent(uR"({"id": 9007199254740992})"_s) << false << u"/id = 9007199254740993"_s
        << u"/id = 9007199254740992"_s << u"at /id: expected 9007199254740993, got 9007199254740992"_s;
    QTest::newRow("pointer: not JSON")
        << R"({"pointer": "/id", "exists": true})"_ba << textEvent(u"id=1"_s) << false
        << u"/id exists"_s << u"\"id=1\""_s << u"not JSON: illegal value at offset 0"_s;

    // schema
    const QByteArray schema =
        R"({"schema": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}})"_ba;
    const QString schemaExpected =
        uR"(valid against {"properties":{"id":{"type":"integer"}},"required":["id"],"type":"object"})"_s;
    QTest::newRow("schema: valid") << schema << textEvent(uR"({"id": 3, "x": 1})"_s) << true
                                   << schemaExpected << uR"({"id":3,"x":1})"_s << QString();
    QTest::newRow("schema: wrong type") << schema << textEvent(uR"({"id": "x"})"_s) << false
                                        << schemaExpected << uR"({"id":"x"})"_s
                                        << u"/id: Value type not permitted by 'type' constraint."_s;
    QTest::newRow("schema: missing member") << schema << textEvent(u"{}"_s) << false
                                            << schemaExpected << u"{}"_s
                                            << u"(the message): Missing required property 'id'."_s;
    QTest::newRow("schema: a Date.now() timestamp is an integer")
        << R"({"schema": {"properties": {"t": {"type": "integer"}}}})"_ba
        << textEvent(uR"({"t": 1733280000000})"_s) << true
        << uR"(valid against {"properties":{"t":{"type":"integer"}}})"_s
        << uR"({"t":1733280000000})"_s << QString();
    QTest::newRow("schema: not JSON") << schema << textEvent(u"{"_s) << false << schemaExpected
                                      << u"\"{\""_s
                                      << u"not JSON: unterminated object at offset 1"_s;

    // binary
    QTest::newRow("binary: equal, whitespace and case ignored")
        << R"({"binary": "DE AD be\nef"})"_ba << binaryEvent("\xde\xad\xbe\xef"_ba) << true
        << u"de ad be ef"_s << u"de ad be ef"_s << QString();
    QTest::newRow("binary: shorter") << R"({"binary": "deadbeef"})"_ba << binaryEvent("\xde\xad"_ba)
                                     << false << u"de ad be ef"_s << u"de ad"_s
                                     << u"first difference at offset 2; expected 4 bytes, got 2 bytes"_s;
    QTest::newRow("binary: differs") << R"({"binary": "00 01 02"})"_ba
                                     << binaryEvent(QByteArray("\x00\x01\x03", 3)) << false
                                     << u"00 01 02"_s << u"00 01 03"_s
                                     << u"first difference at offset 2"_s;
    QTest::newRow("binary: text message") << R"({"binary": "70"})"_ba << textEvent(u"p"_s) << false
                                          << u"70"_s << u"text message \"p\""_s
                                          << u"not a binary message"_s;
    QTest::newRow("binaryBase64: equal") << R"({"binaryBase64": "3q2+7w=="})"_ba
                                         << binaryEvent("\xde\xad\xbe\xef"_ba) << true
                                         << u"3q2+7w=="_s << u"3q2+7w=="_s << QString();
    QTest::newRow("binaryBase64: differs") << R"({"binaryBase64": "3q2+7w=="})"_ba
                                           << binaryEvent("\xde\xad\xbe\xee"_ba) << false
                                           << u"3q2+7w=="_s << u"3q2+7g=="_s
                                           << u"first difference at offset 3"_s;

    // size
    QTest::newRow("size: within") << R"({"size": {"min": 2, "max": 4}})"_ba << textEvent(u"abc"_s)
                                  << true << u"2 to 4 bytes"_s << u"3 bytes"_s << QString();
    QTest::newRow("size: too large") << R"({"size": {"min": 2, "max": 4}})"_ba
                                     << textEvent(u"abcdé"_s) << false << u"2 to 4 bytes"_s
                                     << u"6 bytes"_s << u"larger than the maximum of 4 bytes"_s;
    QTest::newRow("size: too small") << R"({"size": {"min": 1}})"_ba << binaryEvent(QByteArray())
                                     << false << u"at least 1 byte"_s << u"0 bytes"_s
                                     << u"smaller than the minimum of 1 byte"_s;
    QTest::newRow("size: exactly") << R"({"size": 0})"_ba << binaryEvent(QByteArray()) << true
                                   << u"exactly 0 bytes"_s << u"0 bytes"_s << QString();
    QTest::newRow("size: at most, on a ping") << R"({"size": {"max": 10}})"_ba
                                              << otherEvent(EventKind::Ping) << false
                                              << u"at most 10 bytes"_s << u"ping"_s
                                              << u"not a message"_s;

    // close
    QTest::newRow("close: everything matches")
        << R"({"close": "NORMAL_CLOSURE", "reason": "bye", "clean": true})"_ba
        << closeEvent(1000, u"bye"_s, true) << true
        << u"1000 Normal Closure, reason \"bye\", clean"_s
        << u"1000 Normal Closure, reason \"bye\", clean"_s << QString();
    QTest::newRow("close: code as a string of digits")
        << R"({"close": "4001"})"_ba << closeEvent(1006, QString(), false) << false
        << u"4001 application code"_s << u"1006 Abnormal Closure, reason \"\", not clean"_s
        << u"code 1006 instead of 4001"_s;
    QTest::newRow("close: several problems")
        << R"({"close": 1000, "reason": "bye", "clean": true})"_ba
        << closeEvent(1001, u"restart"_s, false) << false
        << u"1000 Normal Closure, reason \"bye\", clean"_s
        << u"1001 Going Away, reason \"restart\", not clean"_s
        << u"code 1001 instead of 1000; reason differs; the close was not clean"_s;
    QTest::newRow("close: any code, reason pattern")
        << R"({"close": "any", "reasonMatches": "^shut"})"_ba << closeEvent(1001, u"restart"_s, true)
        << false << u"any code, reason matching /^shut/"_s
        << u"1001 Going Away, reason \"restart\", clean"_s << u"reason does not match /^shut/"_s;
    QTest::newRow("close: by display name, unclean wanted")
        << R"({"close": "Abnormal Closure", "clean": false})"_ba << closeEvent(1006, QString(), false)
        << true << u"1006 Abnormal Closure, not clean"_s
        << u"1006 Abnormal Closure, reason \"\", not clean"_s << QString();
    QTest::newRow("close: on a message") << R"({"close": 1000})"_ba << textEvent(u"bye"_s) << false
                                         << u"1000 Normal Closure"_s << u"text message \"bye\""_s
                                         << u"not a close event"_s;

    // anyMessage
    QTest::newRow("anyMessage: text") << R"({"anyMessage": true})"_ba << textEvent(u"hi"_s) << true
                                      << u"any message"_s << u"text message \"hi\""_s << QString();
    QTest::newRow("anyMessage: ping") << R"({"anyMessage": true})"_ba << otherEvent(EventKind::Ping)
                                      << false << u"any message"_s << u"ping"_s
                                      << u"not a message"_s;
    QTest::newRow("anyMessage: a fragment is no message")
        << R"({"anyMessage": true})"_ba << otherEvent(EventKind::TextFrame) << false
        << u"any message"_s << u"text frame"_s << u"not a message"_s;
    QTest::newRow("anyMessage binary: binary") << R"({"anyMessage": "binary"})"_ba
                                               << binaryEvent("\x01"_ba) << true
                                               << u"any binary message"_s
                                               << u"binary message 01"_s << QString();
    QTest::newRow("anyMessage binary: text") << R"({"anyMessage": "binary"})"_ba
                                             << textEvent(u"hi"_s) << false
                                             << u"any binary message"_s << u"text message \"hi\""_s
                                             << u"not a binary message"_s;

    // combinators
    const QByteArray allOf = R"({"allOf": [{"jsonSubset": {"type": "ack"}}, {"pointer": "/id", "exists": true}]})"_ba;
    QTest::newRow("allOf: all match")
        << allOf << textEvent(uR"({"type": "ack", "id": 1})"_s) << true
        << u"allOf(json subset {\"type\":\"ack\"}, json pointer /id exists)"_s
        << uR"({"id":1,"type":"ack"})"_s << QString();
    QTest::newRow("allOf: the second fails")
        << allOf << textEvent(uR"({"type": "ack"})"_s) << false << u"/id exists"_s
        << u"/id absent"_s << u"allOf[1]: the document has no member \"id\""_s;
    const QByteArray anyOf = R"({"anyOf": [{"text": "pong"}, {"jsonSubset": {"type": "pong"}}]})"_ba;
    QTest::newRow("anyOf: the second matches")
        << anyOf << textEvent(uR"({"type": "pong"})"_s) << true << uR"({"type":"pong"})"_s
        << uR"({"type":"pong"})"_s << QString();
    QTest::newRow("anyOf: none matches")
        << anyOf << textEvent(u"ping"_s) << false
        << u"anyOf(text equals \"pong\", json subset {\"type\":\"pong\"})"_s << u"\"ping\""_s
        << u"none matched: [0] first difference at offset 1; [1] not JSON: illegal value at offset 0"_s;
    QTest::newRow("not: inner fails") << R"({"not": {"textContains": "error"}})"_ba
                                      << textEvent(u"ok"_s) << true
                                      << u"not(text contains \"error\")"_s << u"\"ok\""_s << QString();
    QTest::newRow("not: inner matches") << R"({"not": {"textContains": "error"}})"_ba
                                        << textEvent(u"an error"_s) << false
                                        << u"not(text contains \"error\")"_s << u"\"an error\""_s
                                        << u"matches text contains \"error\""_s;
}

void TestMatcher::matches()
{
    QFETCH(QByteArray, spec);
    QFETCH(FrameEvent, event);
    QFETCH(bool, matched);
    QFETCH(QString, expected);
    QFETCH(QString, actual);
    QFETCH(QString, explanation);

    const MatchResult result = matcher(spec).match(event);
    QCOMPARE(result.expected, expected);
    QCOMPARE(result.actual, actual);
    QCOMPARE(result.explanation, explanation);
    QCOMPARE(result.matched, matched);
}

void TestMatcher::matchesThroughOneSharedView()
{
    const FrameEvent event = textEvent(uR"({"type": "ack", "id": 1})"_s);
    MessageView view(event);
    QVERIFY(matcher(R"({"jsonSubset": {"type": "ack"}})"_ba).match(view).matched);
    const QJsonValue *parsed = view.json();
    QVERIFY(parsed);
    QVERIFY(matcher(R"({"pointer": "/id", "equals": 1})"_ba).match(view).matched);
    QVERIFY(!matcher(R"({"pointer": "/id", "equals": 2})"_ba).match(view).matched);
    // Every matcher read the one parse.
    QCOMPARE(view.json(), parsed);
}

void TestMatcher::rejectsBadSpecs_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<QString>("error");

    QTest::newRow("not an object")
        << R"("pong")"_ba
        << u"a matcher must be an object such as {\"text\": \"pong\"}, not a string"_s;
    QTest::newRow("empty object")
        << "{}"_ba
        << u"no matcher kind (empty object): use one of \"text\", \"textContains\", \"textMatches\", "
           "\"json\", \"jsonSubset\", \"pointer\", \"schema\", \"binary\", \"binaryBase64\", \"size\", "
           "\"close\", \"anyMessage\", \"allOf\", \"anyOf\", \"not\""_s;
    QTest::newRow("unknown kind")
        << R"({"textEqual": "pong"})"_ba
        << u"no matcher kind among textEqual: use one of \"text\", \"textContains\", \"textMatches\", "
           "\"json\", \"jsonSubset\", \"pointer\", \"schema\", \"binary\", \"binaryBase64\", \"size\", "
           "\"close\", \"anyMessage\", \"allOf\", \"anyOf\", \"not\""_s;
    QTest::newRow("two kinds")
        << R"({"text": "a", "json": 1})"_ba
        << u"\"text\" and \"json\" in one matcher: combine matchers with \"allOf\""_s;
    QTest::newRow("text: not a string") << R"({"text": 1})"_ba
                                        << u"/text: must be a string, not a number"_s;
    QTest::newRow("text: flags do not apply")
        << R"({"text": "a", "flags": "i"})"_ba << u"unknown member \"flags\" beside \"text\""_s;
    QTest::newRow("textMatches: invalid regex")
        << R"({"textMatches": "(abc"})"_ba
        << u"/textMatches: invalid regular expression at offset 4: missing closing parenthesis"_s;
    QTest::newRow("textMatches: unknown flag")
        << R"({"textMatches": "a", "flags": "iq"})"_ba
        << u"/flags: unknown flag \"q\": the flags are i (ignore case), m (multi-line), s (dot "
           "matches newline) and x (extended)"_s;
    QTest::newRow("textMatches: misspelt member")
        << R"({"textMatches": "a", "flag": "i"})"_ba
        << u"unknown member \"flag\" beside \"textMatches\" (it takes \"flags\")"_s;
    QTest::newRow("jsonSubset: extra member")
        << R"({"jsonSubset": {"a": 1}, "extra": true})"_ba
        << u"unknown member \"extra\" beside \"jsonSubset\""_s;
    QTest::newRow("pointer: no leading slash")
        << R"({"pointer": "a/b", "exists": true})"_ba
        << u"/pointer: a JSON pointer must be empty or start with \"/\": \"a/b\""_s;
    QTest::newRow("pointer: bad escape")
        << R"({"pointer": "/a~2", "exists": true})"_ba
        << u"/pointer: invalid escape at offset 2 in \"/a~2\": \"~\" must be followed by \"0\" "
           "(for \"~\") or \"1\" (for \"/\")"_s;
    QTest::newRow("pointer: neither equals nor exists")
        << R"({"pointer": "/a"})"_ba
        << u"\"pointer\" needs \"equals\": <value>, \"exists\": true or \"exists\": false"_s;
    QTest::newRow("pointer: both equals and exists")
        << R"({"pointer": "/a", "equals": 1, "exists": true})"_ba
        << u"\"equals\" and \"exists\" exclude each other"_s;
    QTest::newRow("pointer: exists not a boolean")
        << R"({"pointer": "/a", "exists": "yes"})"_ba
        << u"/exists: must be true or false, not a string"_s;
    QTest::newRow("schema: unknown type")
        << R"({"schema": {"type": "nonsense"}})"_ba
        << u"/schema: invalid schema: Unrecognised JSON type name 'nonsense'"_s;
    QTest::newRow("schema: remote reference")
        << R"({"schema": {"$ref": "http://example.com/s.json"}})"_ba
        << u"/schema/$ref: invalid schema: the \"$ref\" \"http://example.com/s.json\" at # cannot be "
           "read: only files are read, not http://example.com/s.json: save the schema beside the "
           "scenario and refer to it by its file name"_s;
    // Error paths go down to the "$ref" at fault, so a scenario file can show its line.
    QTest::newRow("schema: relative file without a scenario file")
        << R"({"allOf": [{"schema": {"properties": {"a": {"$ref": "a.schema.json"}}}}]})"_ba
        << u"/allOf/0/schema/properties/a/$ref: invalid schema: the \"$ref\" \"a.schema.json\" at "
           "#/properties/a names a file relative to the schema's own, and this schema is in no "
           "file: give the schema in a scenario file, or a URI with a scheme"_s;
    QTest::newRow("schema: unknown draft")
        << R"({"schema": {"$schema": "https://json-schema.org/draft/2020-12/schema"}})"_ba
        << u"/schema: unsupported \"$schema\" \"https://json-schema.org/draft/2020-12/schema\": "
           "supported are draft 3, 4, 6 and 7"_s;
    QTest::newRow("schema: not a schema") << R"({"schema": [1]})"_ba
                                          << u"/schema: a schema must be an object (or true or "
                                             "false), not an array"_s;
    QTest::newRow("binary: odd digits")
        << R"({"binary": "de ad b"})"_ba
        << u"/binary: odd number of hex digits: the last byte is incomplete"_s;
    QTest::newRow("binary: not hex") << R"({"binary": "0x01"})"_ba
                                     << u"/binary: invalid hex digit \"x\" at offset 1"_s;
    QTest::newRow("binaryBase64: invalid") << R"({"binaryBase64": "3q2+7w=*"})"_ba
                                           << u"/binaryBase64: not valid base64"_s;
    QTest::newRow("size: negative") << R"({"size": -1})"_ba
                                    << u"/size: must be a whole number of at least 0, not -1"_s;
    QTest::newRow("size: fraction") << R"({"size": 1.5})"_ba
                                    << u"/size: must be a whole number of at least 0, not 1.5"_s;
    // Converting a whole double past 2^63 to qint64 was undefined (found by fuzz/fuzz_matcher).
    QTest::newRow("size: past 64 bits")
        << R"({"size": {"min": 1, "max": 1e46}})"_ba
        << u"/size/max: must be at most 9223372036854775807, not 1e+46"_s;
    QTest::newRow("size: min above max")
        << R"({"size": {"min": 5, "max": 2}})"_ba << u"/size: \"min\" (5) is greater than \"max\" (2)"_s;
    QTest::newRow("size: unknown bound")
        << R"({"size": {"maximum": 3}})"_ba
        << u"/size: unknown member \"maximum\" (it takes \"min\", \"max\")"_s;
    QTest::newRow("size: no bound") << R"({"size": {}})"_ba
                                    << u"/size: give \"min\", \"max\" or both"_s;
    QTest::newRow("size: min not a number")
        << R"({"size": {"min": "1"}})"_ba
        << u"/size/min: must be a whole number of at least 0, not \"1\""_s;
    QTest::newRow("size: a string") << R"({"size": "1kB"})"_ba
                                    << u"/size: must be a number of bytes or {\"min\": ..., \"max\": ...}"_s;
    QTest::newRow("close: unknown name")
        << R"({"close": "BYE"})"_ba
        << u"/close: \"BYE\" is not a close code: give a number from 1000 to 4999, a name such as "
           "\"NORMAL_CLOSURE\", or \"any\""_s;
    QTest::newRow("close: out of range")
        << R"({"close": 99})"_ba
        << u"/close: 99 is not a close code: give a number from 1000 to 4999, a name such as "
           "\"NORMAL_CLOSURE\", or \"any\""_s;
    QTest::newRow("close: reason and pattern")
        << R"({"close": 1000, "reason": "a", "reasonMatches": "b"})"_ba
        << u"\"reason\" and \"reasonMatches\" exclude each other"_s;
    QTest::newRow("close: invalid reason pattern")
        << R"({"close": 1000, "reasonMatches": "("})"_ba
        << u"/reasonMatches: invalid regular expression at offset 1: missing closing parenthesis"_s;
    QTest::newRow("close: clean not a boolean")
        << R"({"close": 1000, "clean": 1})"_ba << u"/clean: must be true or false, not a number"_s;
    QTest::newRow("anyMessage: false") << R"({"anyMessage": false})"_ba
                                       << u"/anyMessage: must be true, \"text\" or \"binary\""_s;
    QTest::newRow("allOf: empty") << R"({"allOf": []})"_ba
                                  << u"/allOf: must be a non-empty array of matchers"_s;
    QTest::newRow("anyOf: not an array") << R"({"anyOf": {"text": "a"}})"_ba
                                         << u"/anyOf: must be a non-empty array of matchers"_s;
    QTest::newRow("allOf: error in an operand")
        << R"({"allOf": [{"text": "a"}, {"textMatches": "["}]})"_ba
        << u"/allOf/1/textMatches: invalid regular expression at offset 1: missing terminating ] "
           "for character class"_s;
    QTest::newRow("not: error deep inside")
        << R"({"not": {"anyOf": [{"size": {"min": "x"}}]}})"_ba
        << u"/not/anyOf/0/size/min: must be a whole number of at least 0, not \"x\""_s;
    QTest::newRow("not: not an object") << R"({"not": "pong"})"_ba
                                        << u"/not: a matcher must be an object such as {\"text\": "
                                           "\"pong\"}, not a string"_s;
}

void TestMatcher::rejectsBadSpecs()
{
    QFETCH(QByteArray, spec);
    QFETCH(QString, error);
    QString actual;
    const std::optional<Matcher> built = Matcher::fromJson(json(spec), &actual);
    QVERIFY2(!built, qPrintable(u"built: "_s + (built ? built->describe() : QString())));
    QCOMPARE(actual, error);
}

void TestMatcher::prefixesErrorsWithTheGivenPath()
{
    QString error;
    QVERIFY(!Matcher::fromJson(json(R"({"allOf": [{"size": -1}]})"_ba), &error, u"/steps/2/expect"_s));
    QCOMPARE(error, u"/steps/2/expect/allOf/0/size: must be a whole number of at least 0, not -1"_s);
    QVERIFY(!Matcher::fromJson(json("{}"_ba), &error, u"/steps/2/expect"_s));
    QVERIFY2(error.startsWith(u"/steps/2/expect: no matcher kind"_s), qPrintable(error));
}

void TestMatcher::roundTrips_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<QByteArray>("canonical");  // empty: the spec is canonical already

    QTest::newRow("text") << R"({"text": "pong"})"_ba << QByteArray();
    QTest::newRow("textContains") << R"({"textContains": "err"})"_ba << QByteArray();
    QTest::newRow("textMatches, flags sorted") << R"({"textMatches": "^a.b", "flags": "si"})"_ba
                                               << R"({"textMatches": "^a.b", "flags": "is"})"_ba;
    QTest::newRow("json") << R"({"json": {"a": [1, {"b": null}]}})"_ba << QByteArray();
    QTest::newRow("json null") << R"({"json": null})"_ba << QByteArray();
    QTest::newRow("jsonSubset") << R"({"jsonSubset": {"type": "ack"}})"_ba << QByteArray();
    QTest::newRow("pointer equals") << R"({"pointer": "/a~1b/0", "equals": {"x": 1}})"_ba
                                    << QByteArray();
    QTest::newRow("pointer exists") << R"({"pointer": "/id", "exists": true})"_ba << QByteArray();
    QTest::newRow("pointer absent") << R"({"pointer": "/error", "exists": false})"_ba << QByteArray();
    QTest::newRow("schema") << R"({"schema": {"type": "object", "required": ["id"]}})"_ba
                            << QByteArray();
    QTest::newRow("binary, normalized") << R"({"binary": "DEAD BEEF"})"_ba
                                        << R"({"binary": "de ad be ef"})"_ba;
    QTest::newRow("binaryBase64") << R"({"binaryBase64": "3q2+7w=="})"_ba << QByteArray();
    QTest::newRow("size range") << R"({"size": {"min": 1, "max": 1024}})"_ba << QByteArray();
    QTest::newRow("size min only") << R"({"size": {"min": 1}})"_ba << QByteArray();
    QTest::newRow("size max, the largest qint64")
        << R"({"size": {"max": 9223372036854775807}})"_ba << QByteArray();
    QTest::newRow("size exact, shortened") << R"({"size": {"min": 3, "max": 3}})"_ba
                                           << R"({"size": 3})"_ba;
    QTest::newRow("close by number, written by name")
        << R"({"close": 1000, "reason": "bye", "clean": true})"_ba
        << R"({"close": "NORMAL_CLOSURE", "reason": "bye", "clean": true})"_ba;
    QTest::newRow("close application code as a string")
        << R"({"close": "4001", "reasonMatches": "^auth"})"_ba
        << R"({"close": 4001, "reasonMatches": "^auth"})"_ba;
    QTest::newRow("close any") << R"({"close": "any", "clean": false})"_ba << QByteArray();
    QTest::newRow("anyMessage") << R"({"anyMessage": true})"_ba << QByteArray();
    QTest::newRow("anyMessage text") << R"({"anyMessage": "text"})"_ba << QByteArray();
    QTest::newRow("nested combinators")
        << R"({"allOf": [{"anyOf": [{"text": "a"}, {"binary": "01"}]}, {"not": {"size": 0}}]})"_ba
        << QByteArray();
}

void TestMatcher::roundTrips()
{
    QFETCH(QByteArray, spec);
    QFETCH(QByteArray, canonical);
    const Matcher original = matcher(spec);
    const QJsonValue written = original.toJson();
    QCOMPARE(written, json(canonical.isEmpty() ? spec : canonical));

    QString error;
    const std::optional<Matcher> again = Matcher::fromJson(written, &error);
    QVERIFY2(again, qPrintable(error));
    QVERIFY(*again == original);
    QCOMPARE(again->toJson(), written);
    QCOMPARE(again->describe(), original.describe());
}

void TestMatcher::differentSpecsAreDifferentMatchers()
{
    const QList<QByteArray> specs = {
        R"({"text": "a"})"_ba,
        R"({"text": "b"})"_ba,
        R"({"textContains": "a"})"_ba,
        R"({"textMatches": "a"})"_ba,
        R"({"textMatches": "a", "flags": "i"})"_ba,
        R"({"json": {"a": 1}})"_ba,
        R"({"jsonSubset": {"a": 1}})"_ba,
        R"({"pointer": "/a", "equals": 1})"_ba,
        R"({"pointer": "/a", "exists": true})"_ba,
        R"({"pointer": "/a", "exists": false})"_ba,
        R"({"binary": "de ad be ef"})"_ba,
        R"({"binaryBase64": "3q2+7w=="})"_ba,
        R"({"size": 1})"_ba,
        R"({"size": {"min": 1}})"_ba,
        R"({"close": 1000})"_ba,
        R"({"close": 1000, "clean": true})"_ba,
        R"({"anyMessage": true})"_ba,
        R"({"anyMessage": "text"})"_ba,
        R"({"allOf": [{"text": "a"}]})"_ba,
        R"({"anyOf": [{"text": "a"}]})"_ba,
        R"({"not": {"text": "a"}})"_ba,
    };
    for (qsizetype i = 0; i < specs.size(); ++i) {
        for (qsizetype j = 0; j < specs.size(); ++j) {
            const bool same = matcher(specs[i]) == matcher(specs[j]);
            QVERIFY2(same == (i == j), qPrintable(QString::fromUtf8(specs[i] + " vs " + specs[j])));
        }
    }
    // 1 and 1.0 are one number.
    QVERIFY(matcher(R"({"json": {"a": 1}})"_ba) == matcher(R"({"json": {"a": 1.0}})"_ba));
}

void TestMatcher::describes_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<QString>("description");
    QTest::newRow("text") << R"({"text": "pong"})"_ba << u"text equals \"pong\""_s;
    QTest::newRow("textContains") << R"({"textContains": "err"})"_ba << u"text contains \"err\""_s;
    QTest::newRow("textMatches") << R"({"textMatches": "^p.ng$", "flags": "i"})"_ba
                                 << u"text matches /^p.ng$/i"_s;
    QTest::newRow("json") << R"({"json": {"type": "pong"}})"_ba << uR"(json equals {"type":"pong"})"_s;
    QTest::newRow("jsonSubset") << R"({"jsonSubset": {"type": "ack"}})"_ba
                                << uR"(json subset {"type":"ack"})"_s;
    QTest::newRow("pointer equals") << R"({"pointer": "/user/id", "equals": 42})"_ba
                                    << u"json pointer /user/id equals 42"_s;
    QTest::newRow("pointer exists") << R"({"pointer": "/user/id", "exists": true})"_ba
                                    << u"json pointer /user/id exists"_s;
    QTest::newRow("pointer absent") << R"({"pointer": "/error", "exists": false})"_ba
                                    << u"json pointer /error absent"_s;
    QTest::newRow("pointer to the whole message") << R"({"pointer": "", "equals": 1})"_ba
                                                  << u"json pointer (the message) equals 1"_s;
    QTest::newRow("schema") << R"({"schema": {"type": "object"}})"_ba
                            << uR"(json schema {"type":"object"})"_s;
    QTest::newRow("long schema is cut")
        << R"({"schema": {"type": "object", "properties": {"aaaaaaaaaa": {"type": "string"}, "bbbbbbbbbb": {"type": "integer"}}}})"_ba
        << uR"(json schema {"properties":{"aaaaaaaaaa":{"type":"string"},"bbbbbbbbbb":{"type":"integer"}},"…)"_s;
    QTest::newRow("binary") << R"({"binary": "deadbeef"})"_ba << u"binary equals de ad be ef"_s;
    QTest::newRow("binaryBase64") << R"({"binaryBase64": "3q2+7w=="})"_ba
                                  << u"binary base64 3q2+7w=="_s;
    QTest::newRow("size range") << R"({"size": {"min": 1, "max": 1024}})"_ba
                                << u"size 1 to 1024 bytes"_s;
    QTest::newRow("size at most") << R"({"size": {"max": 1}})"_ba << u"size at most 1 byte"_s;
    QTest::newRow("close") << R"({"close": "NORMAL_CLOSURE", "reason": "bye", "clean": true})"_ba
                           << u"close 1000 Normal Closure, reason \"bye\", clean"_s;
    QTest::newRow("close any") << R"({"close": "any"})"_ba << u"close any code"_s;
    QTest::newRow("anyMessage") << R"({"anyMessage": true})"_ba << u"any message"_s;
    QTest::newRow("allOf") << R"({"allOf": [{"textContains": "a"}, {"size": {"max": 10}}]})"_ba
                           << u"allOf(text contains \"a\", size at most 10 bytes)"_s;
    QTest::newRow("not") << R"({"not": {"text": "x"}})"_ba << u"not(text equals \"x\")"_s;
}

void TestMatcher::describes()
{
    QFETCH(QByteArray, spec);
    QFETCH(QString, description);
    QCOMPARE(matcher(spec).describe(), description);
}

void TestMatcher::reportsKinds()
{
    QCOMPARE(matcher(R"({"text": "a"})"_ba).kind(), MatchKind::TextEquals);
    QCOMPARE(matcher(R"({"pointer": "/a", "exists": false})"_ba).kind(), MatchKind::PointerAbsent);
    QCOMPARE(matcher(R"({"binaryBase64": ""})"_ba).kind(), MatchKind::BinaryBase64);
    QCOMPARE(matcher(R"({"not": {"text": "a"}})"_ba).kind(), MatchKind::Not);
}

void TestMatcher::defaultMatcherMatchesAnyMessage()
{
    const Matcher any;
    QCOMPARE(any.kind(), MatchKind::AnyMessage);
    QVERIFY(any == matcher(R"({"anyMessage": true})"_ba));
    QVERIFY(any.match(textEvent(u"x"_s)).matched);
    QVERIFY(any.match(binaryEvent("x"_ba)).matched);
    QVERIFY(!any.match(closeEvent(1000, QString(), true)).matched);
}

// What the live panel pays per message and matcher. Each row matches a ~250-byte JSON tick.
void TestMatcher::benchmark_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<bool>("matched");
    QTest::newRow("textContains") << R"({"textContains": "BTC-USD"})"_ba << true;
    QTest::newRow("textMatches") << "{\"textMatches\": \"\\\"seq\\\":\\\\d+\"}"_ba << true;
    QTest::newRow("size") << R"({"size": {"max": 4096}})"_ba << true;
    QTest::newRow("json (differs)") << R"({"json": {"type": "tick"}})"_ba << false;
    QTest::newRow("jsonSubset") << R"({"jsonSubset": {"type": "tick", "bid": {"size": 0.25}}})"_ba << true;
    QTest::newRow("pointer equals") << R"({"pointer": "/source/venue", "equals": "demo"})"_ba << true;
    QTest::newRow("schema (valid)")
        << R"({"schema": {"type": "object", "required": ["type", "seq", "bid", "ask"],
              "properties": {"type": {"enum": ["tick", "trade"]}, "seq": {"type": "integer", "minimum": 0},
              "bid": {"$ref": "#/definitions/quote"}, "ask": {"$ref": "#/definitions/quote"},
              "market": {"type": "string", "pattern": "^[A-Z]+-[A-Z]+$"}},
              "definitions": {"quote": {"type": "object", "required": ["price", "size"],
              "properties": {"price": {"type": "number"}, "size": {"type": "number", "exclusiveMinimum": 0}}}}}})"_ba
        << true;
    QTest::newRow("schema (invalid, full report)")
        << R"({"schema": {"type": "object", "properties": {"seq": {"type": "string"}}}})"_ba << false;
    QTest::newRow("allOf of three JSON matchers")
        << R"({"allOf": [{"jsonSubset": {"type": "tick"}}, {"pointer": "/seq", "exists": true},
              {"pointer": "/error", "exists": false}]})"_ba
        << true;
}

void TestMatcher::benchmark()
{
    QFETCH(QByteArray, spec);
    QFETCH(bool, matched);
    const Matcher m = matcher(spec);
    const FrameEvent event = textEvent(Tick);
    QCOMPARE(m.match(event).matched, matched);
    QBENCHMARK {
        const MatchResult result = m.match(event);
        Q_UNUSED(result);
    }
}

// Three JSON matchers on one view parse the message once: compare with one matcher alone.
void TestMatcher::benchmarkParseOncePerEvent()
{
    const Matcher subset = matcher(R"({"jsonSubset": {"type": "tick"}})"_ba);
    const Matcher seq = matcher(R"({"pointer": "/seq", "exists": true})"_ba);
    const Matcher venue = matcher(R"({"pointer": "/source/venue", "equals": "demo"})"_ba);
    const FrameEvent event = textEvent(Tick);
    QBENCHMARK {
        MessageView view(event);
        const bool all = subset.match(view).matched && seq.match(view).matched
            && venue.match(view).matched;
        Q_UNUSED(all);
    }
}

QTEST_GUILESS_MAIN(TestMatcher)
#include "tst_matcher.moc"
