#include "frameevent.h"
#include "jsontext.h"
#include "messagecountcheck.h"
#include "messageview.h"
#include "monotonicfieldcheck.h"
#include "replywithincheck.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

using State = CheckVerdict::State;

namespace {

constexpr qint64 Ms = 1'000'000;  // FrameEvent::monotonicNs per millisecond

FrameEvent message(Direction direction, const QString &text, qint64 atMs)
{
    FrameEvent event;
    event.kind = EventKind::Text;
    event.direction = direction;
    event.text = text;
    event.size = utf8Length(text);
    event.monotonicNs = atMs * Ms;
    return event;
}

FrameEvent received(const QString &text, qint64 atMs = 0)
{
    return message(Direction::Incoming, text, atMs);
}

FrameEvent sent(const QString &text, qint64 atMs = 0)
{
    return message(Direction::Outgoing, text, atMs);
}

FrameEvent ping(qint64 atMs)
{
    FrameEvent event;
    event.kind = EventKind::Ping;
    event.direction = Direction::Outgoing;
    event.monotonicNs = atMs * Ms;
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

JsonPointer pointer(const QString &text)
{
    QString error;
    const std::optional<JsonPointer> parsed = JsonPointer::parse(text, &error);
    if (!parsed)
        qFatal("bad test pointer: %s", qPrintable(error));
    return *parsed;
}

QString seqMessage(int seq)
{
    return uR"({"type":"tick","seq":%1})"_s.arg(seq);
}

CheckVerdict verdict(State state, const QString &expected, const QString &actual,
                     const QString &explanation = QString(), qint64 failedAt = -1)
{
    return {state, expected, actual, explanation, failedAt};
}

} // namespace

namespace QTest {
template<>
char *toString(const CheckVerdict &verdict)
{
    static const char *const states[] = {"Pending", "Passed", "Failed"};
    return qstrdup(qPrintable(u"%1 | expected: %2 | actual: %3 | explanation: %4 | failedAt: %5"_s
                                  .arg(QString::fromLatin1(states[int(verdict.state)]),
                                       verdict.expected, verdict.actual, verdict.explanation)
                                  .arg(verdict.failedAt)));
}
} // namespace QTest

class TestSequenceChecks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // MonotonicFieldCheck
    void monotonicPassesOverNMessages();
    void monotonicFailsWhenNotIncreasing();
    void monotonicStepMustBeExact();
    void monotonicKeepsIntegersPast2To53();
    void monotonicCountsDownWithANegativeStep();
    void monotonicNeedsANumber_data();
    void monotonicNeedsANumber();
    void monotonicLooksOnlyAtWhatWhereMatches();
    void monotonicIgnoresSentMessagesAndOtherEvents();
    void monotonicFinish();
    void aDecidedVerdictStays();

    // ReplyWithinCheck
    void replyInTimePasses();
    void replyExactlyAtTheLimitPasses();
    void lateReplyFails();
    void missingReplyFailsWhenTimePasses();
    void anyLaterEventRevealsAMissedDeadline();
    void repliesAnswerSentMessagesInOrder();
    void replyAndToFilter();
    void replyWithinFinish();

    // MessageCountCheck
    void countAtLeastPassesEarly();
    void countAtLeastFailsWhenTheWindowCloses();
    void countAtMostFailsAtTheFirstExtra();
    void countExactlyIsDecidedAtTheEndOfTheWindow();
    void countWindowFromStartAt();
    void countIgnoresSentMessages();
    void countWithoutWindowWaitsForFinish();

    // JSON
    void roundTrips_data();
    void roundTrips();
    void describes_data();
    void describes();
    void rejectsBadSpecs_data();
    void rejectsBadSpecs();
    void checksAndMatchersShareOneView();
    void resetStartsOver();
};

void TestSequenceChecks::monotonicPassesOverNMessages()
{
    MonotonicFieldCheck check(pointer(u"/seq"_s), 3);
    check.feed(10, received(seqMessage(1)));
    check.feed(11, received(seqMessage(5)));
    QCOMPARE(check.verdict().state, State::Pending);
    check.feed(12, received(seqMessage(9)));
    QCOMPARE(check.verdict(), verdict(State::Passed, u"/seq strictly increasing over 3 messages"_s,
                                      u"3 messages, /seq from 1 to 9"_s));
}

void TestSequenceChecks::monotonicFailsWhenNotIncreasing()
{
    MonotonicFieldCheck check(pointer(u"/seq"_s), 10);
    check.feed(0, received(seqMessage(1)));
    check.feed(1, received(seqMessage(2)));
    check.feed(2, received(seqMessage(2)));
    QCOMPARE(check.verdict(), verdict(State::Failed, u"/seq > 2"_s, u"/seq = 2"_s,
                                      u"not increasing: 2 after 2"_s, 2));
}

// Compared as doubles, 2^53 + 1 equalled 2^53: "not increasing" on a sequence that did.
void TestSequenceChecks::monotonicKeepsIntegersPast2To53()
{
    MonotonicFieldCheck increasing(pointer(u"/seq"_s), 3);
    increasing.feed(0, received(u"{\"seq\": 9007199254740992}"_s));
    increasing.feed(1, received(u"{\"seq\": 9007199254740993}"_s));
    increasing.feed(2, received(u"{\"seq\": 9007199254740994}"_s));
    QCOMPARE(increasing.verdict().state, State::Passed);

    MonotonicFieldCheck stepped(pointer(u"/seq"_s), 3, 1.0);
    stepped.feed(0, received(u"{\"seq\": 9007199254740992}"_s));
    stepped.feed(1, received(u"{\"seq\": 9007199254740993}"_s));
    stepped.feed(2, received(u"{\"seq\": 9007199254740995}"_s));
    QCOMPARE(stepped.verdict(), verdict(State::Failed, u"/seq = 9007199254740994"_s,
                                        u"/seq = 9007199254740995"_s,
                                        u"expected +1 after 9007199254740993, got +2"_s, 2));

    MonotonicFieldCheck repeated(pointer(u"/seq"_s), 3);
    repeated.feed(0, received(u"{\"seq\": 1733280000000}"_s));
    repeated.feed(1, received(u"{\"seq\": 1733280000000}"_s));
    QCOMPARE(repeated.verdict(), verdict(State::Failed, u"/seq > 1733280000000"_s,
                                         u"/seq = 1733280000000"_s,
                                         u"not increasing: 1733280000000 after 1733280000000"_s, 1));
}

void TestSequenceChecks::monotonicStepMustBeExact()
{
    MonotonicFieldCheck check(pointer(u"/seq"_s), 4, 1.0);
    check.feed(0, received(seqMessage(7)));
    check.feed(1, received(seqMessage(8)));
    check.feed(2, received(seqMessage(10)));
    QCOMPARE(check.verdict(), verdict(State::Failed, u"/seq = 9"_s, u"/seq = 10"_s,
                                      u"expected +1 after 8, got +2"_s, 2));

    MonotonicFieldCheck good(pointer(u"/seq"_s), 3, 1.0);
    for (int i = 0; i < 3; ++i)
        good.feed(i, received(seqMessage(7 + i)));
    QCOMPARE(good.verdict(), verdict(State::Passed, u"/seq going up by 1 each time over 3 messages"_s,
                                     u"3 messages, /seq from 7 to 9"_s));
}

void TestSequenceChecks::monotonicCountsDownWithANegativeStep()
{
    MonotonicFieldCheck check(pointer(u"/left"_s), 3, -1.0);
    check.feed(0, received(uR"({"left":3})"_s));
    check.feed(1, received(uR"({"left":2})"_s));
    check.feed(2, received(uR"({"left":1})"_s));
    QCOMPARE(check.verdict(), verdict(State::Passed, u"/left going down by 1 each time over 3 messages"_s,
                                      u"3 messages, /left from 3 to 1"_s));
}

void TestSequenceChecks::monotonicNeedsANumber_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("actual");
    QTest::addColumn<QString>("explanation");
    QTest::newRow("missing") << uR"({"type":"tick"})"_s << u"/seq absent"_s
                             << u"the document has no member \"seq\""_s;
    QTest::newRow("a string") << uR"({"seq":"7"})"_s << u"/seq = \"7\""_s
                              << u"/seq is a string, not a number"_s;
    QTest::newRow("not JSON") << u"tick 7"_s << u"\"tick 7\""_s
                              << u"not JSON: illegal value at offset 0"_s;
}

void TestSequenceChecks::monotonicNeedsANumber()
{
    QFETCH(QString, text);
    QFETCH(QString, actual);
    QFETCH(QString, explanation);
    MonotonicFieldCheck check(pointer(u"/seq"_s), 3);
    check.feed(4, received(seqMessage(1)));
    check.feed(5, received(text));
    QCOMPARE(check.verdict(), verdict(State::Failed, u"a number at /seq"_s, actual, explanation, 5));
}

void TestSequenceChecks::monotonicLooksOnlyAtWhatWhereMatches()
{
    MonotonicFieldCheck check(pointer(u"/seq"_s), 2, std::nullopt,
                              matcher(R"({"jsonSubset": {"type": "tick"}})"_ba));
    check.feed(0, received(seqMessage(1)));
    check.feed(1, received(uR"({"type":"heartbeat"})"_s));
    check.feed(2, received(u"welcome!"_s));
    QCOMPARE(check.verdict().state, State::Pending);
    check.feed(3, received(seqMessage(2)));
    QCOMPARE(check.verdict().state, State::Passed);
}

void TestSequenceChecks::monotonicIgnoresSentMessagesAndOtherEvents()
{
    MonotonicFieldCheck check(pointer(u"/seq"_s), 2);
    check.feed(0, received(seqMessage(5)));
    check.feed(1, sent(seqMessage(1)));
    check.feed(2, ping(0));
    check.feed(3, received(seqMessage(6)));
    QCOMPARE(check.verdict().state, State::Passed);
}

void TestSequenceChecks::monotonicFinish()
{
    MonotonicFieldCheck counted(pointer(u"/seq"_s), 5);
    counted.feed(0, received(seqMessage(1)));
    counted.feed(1, received(seqMessage(2)));
    counted.finish(0);
    QCOMPARE(counted.verdict(), verdict(State::Failed, u"/seq strictly increasing over 5 messages"_s,
                                        u"2 messages, /seq from 1 to 2"_s,
                                        u"only 2 of 5 messages arrived"_s));

    MonotonicFieldCheck open(pointer(u"/seq"_s));
    open.feed(0, received(seqMessage(1)));
    open.feed(1, received(seqMessage(3)));
    QCOMPARE(open.verdict().state, State::Pending);
    open.finish(0);
    QCOMPARE(open.verdict(), verdict(State::Passed, u"/seq strictly increasing"_s,
                                     u"2 messages, /seq from 1 to 3"_s));

    MonotonicFieldCheck empty(pointer(u"/seq"_s));
    empty.finish(0);
    QCOMPARE(empty.verdict(), verdict(State::Failed, u"/seq strictly increasing"_s, u"no message"_s,
                                      u"no message to check arrived"_s));
}

void TestSequenceChecks::aDecidedVerdictStays()
{
    MonotonicFieldCheck check(pointer(u"/seq"_s), 2);
    check.feed(0, received(seqMessage(2)));
    check.feed(1, received(seqMessage(1)));
    const CheckVerdict failed = check.verdict();
    QCOMPARE(failed.state, State::Failed);
    check.feed(2, received(seqMessage(3)));
    check.feed(3, received(u"x"_s));
    check.finish(0);
    QCOMPARE(check.verdict(), failed);
}

void TestSequenceChecks::replyInTimePasses()
{
    ReplyWithinCheck check(500, Matcher(), std::nullopt, 1);
    check.feed(0, sent(u"ping"_s, 1000));
    QCOMPARE(check.verdict().state, State::Pending);
    check.feed(1, received(u"pong"_s, 1120));
    QCOMPARE(check.verdict(),
             verdict(State::Passed, u"a reply (any message) within 500 ms to the next sent message"_s,
                     u"1 reply, the slowest after 120 ms"_s));
}

void TestSequenceChecks::replyExactlyAtTheLimitPasses()
{
    ReplyWithinCheck check(500, Matcher(), std::nullopt, 1);
    check.feed(0, sent(u"ping"_s, 0));
    check.feed(1, received(u"pong"_s, 500));
    QCOMPARE(check.verdict().state, State::Passed);
}

void TestSequenceChecks::lateReplyFails()
{
    ReplyWithinCheck check(500, matcher(R"({"text": "pong"})"_ba), std::nullopt, 1);
    // Named by the numbers the window shows (FrameLog::messageNumber), not by sequence numbers.
    check.feed(7, sent(u"ping"_s, 1000), 4);
    check.feed(8, received(u"pong"_s, 1730), 5);
    QCOMPARE(check.verdict(),
             verdict(State::Failed,
                     u"a reply (text equals \"pong\") within 500 ms to the next sent message"_s,
                     u"reply in message 5 after 730 ms"_s, u"message 4 got its reply 230 ms late"_s, 7));
}

void TestSequenceChecks::missingReplyFailsWhenTimePasses()
{
    ReplyWithinCheck check(500);
    check.feed(3, sent(u"ping"_s, 0), 2);
    check.advanceTo(500 * Ms);
    QCOMPARE(check.verdict().state, State::Pending);
    check.advanceTo(500 * Ms + 1);
    QCOMPARE(check.verdict(),
             verdict(State::Failed, u"a reply (any message) within 500 ms to each sent message"_s,
                     u"no reply within 500 ms"_s, u"message 2 got no reply within 500 ms"_s, 3));
}

void TestSequenceChecks::anyLaterEventRevealsAMissedDeadline()
{
    ReplyWithinCheck check(100, matcher(R"({"text": "pong"})"_ba));
    check.feed(0, sent(u"ping"_s, 0));
    check.feed(1, received(u"unrelated"_s, 50));
    QCOMPARE(check.verdict().state, State::Pending);
    check.feed(2, ping(101));
    QCOMPARE(check.verdict().state, State::Failed);
    QCOMPARE(check.verdict().failedAt, 0);
}

void TestSequenceChecks::repliesAnswerSentMessagesInOrder()
{
    ReplyWithinCheck check(100, Matcher(), std::nullopt, 2);
    check.feed(0, sent(u"a"_s, 0));
    check.feed(1, sent(u"b"_s, 60));
    check.feed(2, received(u"A"_s, 90));   // answers #0 after 90 ms
    check.feed(3, received(u"B"_s, 150));  // answers #1 after 90 ms
    QCOMPARE(check.verdict().state, State::Passed);
    QCOMPARE(check.verdict().actual, u"2 replies, the slowest after 90 ms"_s);

    ReplyWithinCheck slow(100, Matcher(), std::nullopt, 2);
    slow.feed(0, sent(u"a"_s, 0), 1);
    slow.feed(1, sent(u"b"_s, 10), 2);
    slow.feed(2, received(u"A"_s, 90), 3);
    slow.feed(3, received(u"B"_s, 111), 4);  // message 2 waited 101 ms
    QCOMPARE(slow.verdict(), verdict(State::Failed,
                                     u"a reply (any message) within 100 ms to each of the next 2 sent messages"_s,
                                     u"reply in message 4 after 101 ms"_s,
                                     u"message 2 got its reply 1 ms late"_s, 1));
}

void TestSequenceChecks::replyAndToFilter()
{
    ReplyWithinCheck check(100, matcher(R"({"jsonSubset": {"type": "ack"}})"_ba),
                           matcher(R"({"jsonSubset": {"type": "order"}})"_ba), 1);
    check.feed(0, sent(uR"({"type":"hello"})"_s, 0));   // not watched
    check.feed(1, sent(uR"({"type":"order"})"_s, 500));
    check.feed(2, received(uR"({"type":"tick"})"_s, 520));  // not a reply
    QCOMPARE(check.verdict().state, State::Pending);
    check.feed(3, received(uR"({"type":"ack"})"_s, 550));
    QCOMPARE(check.verdict(),
             verdict(State::Passed,
                     u"a reply (json subset {\"type\":\"ack\"}) within 100 ms to the next sent "
                     "message matching json subset {\"type\":\"order\"}"_s,
                     u"1 reply, the slowest after 50 ms"_s));
}

void TestSequenceChecks::replyWithinFinish()
{
    ReplyWithinCheck waiting(500);
    waiting.feed(2, sent(u"ping"_s, 0), 1);
    waiting.finish(100 * Ms);
    QCOMPARE(waiting.verdict(),
             verdict(State::Failed, u"a reply (any message) within 500 ms to each sent message"_s,
                     u"no reply"_s, u"message 1 was still waiting for its reply at the end"_s, 2));

    ReplyWithinCheck nothingSent(500);
    nothingSent.finish(0);
    QCOMPARE(nothingSent.verdict().state, State::Failed);
    QCOMPARE(nothingSent.verdict().explanation, u"no message was sent"_s);

    ReplyWithinCheck fewer(500, Matcher(), std::nullopt, 3);
    fewer.feed(0, sent(u"a"_s, 0));
    fewer.feed(1, received(u"A"_s, 10));
    fewer.finish(20 * Ms);
    QCOMPARE(fewer.verdict().state, State::Failed);
    QCOMPARE(fewer.verdict().explanation, u"only 1 of 3 messages were sent"_s);

    ReplyWithinCheck allAnswered(500);
    allAnswered.feed(0, sent(u"a"_s, 0));
    allAnswered.feed(1, received(u"A"_s, 10));
    QCOMPARE(allAnswered.verdict().state, State::Pending);  // more may be sent
    allAnswered.finish(20 * Ms);
    QCOMPARE(allAnswered.verdict().state, State::Passed);
}

void TestSequenceChecks::countAtLeastPassesEarly()
{
    MessageCountCheck check(matcher(R"({"jsonSubset": {"type": "tick"}})"_ba), 2, std::nullopt, 1000);
    check.feed(0, received(seqMessage(1), 0));
    check.feed(1, received(u"other"_s, 10));
    QCOMPARE(check.verdict().state, State::Pending);
    check.feed(2, received(seqMessage(2), 20));
    QCOMPARE(check.verdict(),
             verdict(State::Passed,
                     u"at least 2 matching json subset {\"type\":\"tick\"} within 1000 ms"_s,
                     u"2 messages"_s));
}

void TestSequenceChecks::countAtLeastFailsWhenTheWindowCloses()
{
    MessageCountCheck check(matcher(R"({"textContains": "tick"})"_ba), 3, std::nullopt, 1000);
    check.feed(0, received(u"tick"_s, 0));
    check.feed(1, received(u"tick"_s, 400));
    check.feed(2, received(u"tick"_s, 1001));  // outside the window: not counted
    QCOMPARE(check.verdict(),
             verdict(State::Failed, u"at least 3 matching text contains \"tick\" within 1000 ms"_s,
                     u"2 messages"_s, u"1 fewer than expected"_s));
}

void TestSequenceChecks::countAtMostFailsAtTheFirstExtra()
{
    MessageCountCheck check(matcher(R"({"textContains": "error"})"_ba), std::nullopt, 1);
    check.feed(4, received(u"error 1"_s), 6);
    QCOMPARE(check.verdict().state, State::Pending);
    check.feed(5, received(u"error 2"_s), 7);
    QCOMPARE(check.verdict(),
             verdict(State::Failed, u"at most 1 matching text contains \"error\""_s, u"2 messages"_s,
                     u"message 7 is match number 2, over the limit of 1"_s, 5));
}

void TestSequenceChecks::countExactlyIsDecidedAtTheEndOfTheWindow()
{
    MessageCountCheck check(Matcher(), 2, 2, 1000);
    check.feed(0, received(u"a"_s, 0));
    check.feed(1, received(u"b"_s, 10));
    QCOMPARE(check.verdict().state, State::Pending);  // a third may still come
    check.advanceTo(1000 * Ms);
    QCOMPARE(check.verdict().state, State::Pending);
    check.advanceTo(1000 * Ms + 1);
    QCOMPARE(check.verdict(), verdict(State::Passed, u"exactly 2 matching any message within 1000 ms"_s,
                                      u"2 messages"_s));

    MessageCountCheck tooMany(Matcher(), 2, 2, 1000);
    tooMany.feed(0, received(u"a"_s, 0));
    tooMany.feed(1, received(u"b"_s, 10));
    tooMany.feed(2, received(u"c"_s, 20));
    QCOMPARE(tooMany.verdict().state, State::Failed);
    QCOMPARE(tooMany.verdict().failedAt, 2);
}

void TestSequenceChecks::countWindowFromStartAt()
{
    MessageCountCheck check(Matcher(), 1, std::nullopt, 100);
    check.startAt(1000 * Ms);
    check.feed(0, received(u"late"_s, 1150));
    QCOMPARE(check.verdict().state, State::Failed);
    QCOMPARE(check.verdict().actual, u"0 messages"_s);
}

void TestSequenceChecks::countIgnoresSentMessages()
{
    MessageCountCheck check(Matcher(), std::nullopt, 0);
    check.feed(0, sent(u"a"_s));
    check.finish(0);
    QCOMPARE(check.verdict(), verdict(State::Passed, u"at most 0 matching any message"_s,
                                      u"0 messages"_s));
}

void TestSequenceChecks::countWithoutWindowWaitsForFinish()
{
    MessageCountCheck check(Matcher(), 1, 3);
    check.feed(0, received(u"a"_s, 0));
    check.feed(1, received(u"b"_s, 1'000'000));
    QCOMPARE(check.verdict().state, State::Pending);
    check.finish(2'000'000 * Ms);
    QCOMPARE(check.verdict(), verdict(State::Passed, u"1 to 3 matching any message"_s, u"2 messages"_s));
}

void TestSequenceChecks::roundTrips_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<QByteArray>("canonical");
    QTest::newRow("monotonic, everything")
        << R"({"monotonic": "/seq", "step": 1, "messages": 10, "where": {"jsonSubset": {"type": "tick"}}})"_ba
        << QByteArray();
    QTest::newRow("monotonic, bare") << R"({"monotonic": "/seq"})"_ba << QByteArray();
    QTest::newRow("replyWithinMs, everything")
        << R"({"replyWithinMs": 500, "reply": {"jsonSubset": {"type": "ack"}}, "to": {"textContains": "order"}, "messages": 3})"_ba
        << QByteArray();
    QTest::newRow("replyWithinMs, bare") << R"({"replyWithinMs": 250})"_ba
                                         << R"({"replyWithinMs": 250, "reply": {"anyMessage": true}})"_ba;
    QTest::newRow("count exactly") << R"({"count": {"anyMessage": true}, "exactly": 3, "withinMs": 1000})"_ba
                                   << QByteArray();
    QTest::newRow("count range") << R"({"count": {"close": "any"}, "atLeast": 1, "atMost": 5})"_ba
                                 << QByteArray();
    QTest::newRow("count equal bounds") << R"({"count": {"anyMessage": true}, "atLeast": 2, "atMost": 2})"_ba
                                        << R"({"count": {"anyMessage": true}, "exactly": 2})"_ba;
}

void TestSequenceChecks::roundTrips()
{
    QFETCH(QByteArray, spec);
    QFETCH(QByteArray, canonical);
    QString error;
    const std::unique_ptr<SequenceCheck> check = SequenceCheck::fromJson(json(spec), &error);
    QVERIFY2(check, qPrintable(error));
    const QJsonObject written = check->toJson();
    QCOMPARE(QJsonValue(written), json(canonical.isEmpty() ? spec : canonical));
    const std::unique_ptr<SequenceCheck> again = SequenceCheck::fromJson(written, &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->toJson(), written);
    QCOMPARE(again->describe(), check->describe());
}

void TestSequenceChecks::describes_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<QString>("description");
    QTest::newRow("monotonic")
        << R"({"monotonic": "/seq", "step": 1, "messages": 10, "where": {"jsonSubset": {"type": "tick"}}})"_ba
        << u"monotonic /seq going up by 1 each time over 10 messages where json subset {\"type\":\"tick\"}"_s;
    QTest::newRow("replyWithinMs")
        << R"({"replyWithinMs": 500, "reply": {"jsonSubset": {"type": "ack"}}, "to": {"textContains": "order"}, "messages": 3})"_ba
        << u"reply within 500 ms: json subset {\"type\":\"ack\"} to text contains \"order\", for 3 messages"_s;
    QTest::newRow("count") << R"({"count": {"anyMessage": true}, "atLeast": 5, "withinMs": 1000})"_ba
                           << u"count at least 5 matching any message within 1000 ms"_s;
}

void TestSequenceChecks::describes()
{
    QFETCH(QByteArray, spec);
    QFETCH(QString, description);
    QString error;
    const std::unique_ptr<SequenceCheck> check = SequenceCheck::fromJson(json(spec), &error);
    QVERIFY2(check, qPrintable(error));
    QCOMPARE(check->describe(), description);
}

void TestSequenceChecks::rejectsBadSpecs_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<QString>("error");
    QTest::newRow("not an object") << "[]"_ba << u"/checks/0: a sequence check must be an object, not an array"_s;
    QTest::newRow("no kind") << R"({"messages": 3})"_ba
                             << u"/checks/0: a sequence check has exactly one of \"monotonic\", "
                                "\"replyWithinMs\" and \"count\""_s;
    QTest::newRow("two kinds") << R"({"monotonic": "/a", "count": {"anyMessage": true}})"_ba
                               << u"/checks/0: a sequence check has exactly one of \"monotonic\", "
                                  "\"replyWithinMs\" and \"count\""_s;
    QTest::newRow("monotonic: bad pointer")
        << R"({"monotonic": "seq"})"_ba
        << u"/checks/0/monotonic: a JSON pointer must be empty or start with \"/\": \"seq\""_s;
    QTest::newRow("monotonic: step 0") << R"({"monotonic": "/seq", "step": 0})"_ba
                                       << u"/checks/0/step: must not be 0"_s;
    QTest::newRow("monotonic: messages 0")
        << R"({"monotonic": "/seq", "messages": 0})"_ba
        << u"/checks/0/messages: must be a whole number of at least 1, not 0"_s;
    QTest::newRow("monotonic: bad where")
        << R"({"monotonic": "/seq", "where": {"jsonSubset": 1, "x": 2}})"_ba
        << u"/checks/0/where: unknown member \"x\" beside \"jsonSubset\""_s;
    QTest::newRow("monotonic: unknown member")
        << R"({"monotonic": "/seq", "strict": true})"_ba
        << u"/checks/0: unknown member \"strict\" beside \"monotonic\" (it takes \"step\", "
           "\"messages\", \"where\")"_s;
    QTest::newRow("replyWithinMs: negative")
        << R"({"replyWithinMs": -5})"_ba
        << u"/checks/0/replyWithinMs: must be a whole number of at least 0, not -5"_s;
    QTest::newRow("replyWithinMs: bad reply")
        << R"({"replyWithinMs": 5, "reply": {"text": 1}})"_ba
        << u"/checks/0/reply/text: must be a string, not a number"_s;
    QTest::newRow("count: no bound")
        << R"({"count": {"anyMessage": true}})"_ba
        << u"/checks/0: \"count\" needs \"exactly\", \"atLeast\" or \"atMost\""_s;
    QTest::newRow("count: exactly with atLeast")
        << R"({"count": {"anyMessage": true}, "exactly": 1, "atLeast": 1})"_ba
        << u"/checks/0: \"exactly\" and \"atLeast\" exclude each other"_s;
    QTest::newRow("count: atLeast above atMost")
        << R"({"count": {"anyMessage": true}, "atLeast": 5, "atMost": 2})"_ba
        << u"/checks/0: \"atLeast\" (5) is greater than \"atMost\" (2)"_s;
    QTest::newRow("count: bad matcher") << R"({"count": {}, "atLeast": 1})"_ba
                                        << u"/checks/0/count: no matcher kind (empty object): use "
                                           "one of \"text\", \"textContains\", \"textMatches\", "
                                           "\"json\", \"jsonSubset\", \"pointer\", \"schema\", "
                                           "\"binary\", \"binaryBase64\", \"size\", \"close\", "
                                           "\"anyMessage\", \"allOf\", \"anyOf\", \"not\""_s;
}

void TestSequenceChecks::rejectsBadSpecs()
{
    QFETCH(QByteArray, spec);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!SequenceCheck::fromJson(json(spec), &actual, u"/checks/0"_s));
    QCOMPARE(actual, error);
}

// The live panel shares one parse of each event between its matchers and checks.
void TestSequenceChecks::checksAndMatchersShareOneView()
{
    MonotonicFieldCheck monotonic(pointer(u"/seq"_s), 2);
    MessageCountCheck count(matcher(R"({"jsonSubset": {"type": "tick"}})"_ba), 2, std::nullopt);
    const Matcher tick = matcher(R"({"pointer": "/seq", "exists": true})"_ba);
    for (int i = 0; i < 2; ++i) {
        const FrameEvent event = received(seqMessage(i + 1));
        MessageView view(event);
        QVERIFY(tick.match(view).matched);
        const QJsonValue *parsed = view.json();
        monotonic.feed(i, view);
        count.feed(i, view);
        QCOMPARE(view.json(), parsed);
    }
    QCOMPARE(monotonic.verdict().state, State::Passed);
    QCOMPARE(count.verdict().state, State::Passed);
}

void TestSequenceChecks::resetStartsOver()
{
    MessageCountCheck count(Matcher(), std::nullopt, 0);
    count.feed(0, received(u"a"_s));
    QCOMPARE(count.verdict().state, State::Failed);
    count.reset();
    QCOMPARE(count.verdict(), CheckVerdict());
    count.finish(0);
    QCOMPARE(count.verdict().state, State::Passed);

    ReplyWithinCheck reply(10);
    reply.feed(0, sent(u"a"_s, 0));
    reply.advanceTo(20 * Ms);
    QCOMPARE(reply.verdict().state, State::Failed);
    reply.reset();
    reply.feed(0, sent(u"a"_s, 100));
    reply.feed(1, received(u"A"_s, 105));
    reply.finish(110 * Ms);
    QCOMPARE(reply.verdict().state, State::Passed);

    MonotonicFieldCheck monotonic(pointer(u"/seq"_s), 2);
    monotonic.feed(0, received(seqMessage(5)));
    monotonic.feed(1, received(seqMessage(4)));
    QCOMPARE(monotonic.verdict().state, State::Failed);
    monotonic.reset();
    monotonic.feed(2, received(seqMessage(1)));
    monotonic.feed(3, received(seqMessage(2)));
    QCOMPARE(monotonic.verdict().state, State::Passed);
}

QTEST_GUILESS_MAIN(TestSequenceChecks)
#include "tst_sequencechecks.moc"
