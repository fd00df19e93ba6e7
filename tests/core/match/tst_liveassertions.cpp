#include "framelog.h"
#include "jsontext.h"
#include "liveassertion.h"
#include "liveassertions.h"
#include "messageview.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

using Kind = LiveAssertion::Kind;
using Status = LiveAssertion::Status;

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

FrameEvent ping(qint64 atMs = 0)
{
    FrameEvent event;
    event.kind = EventKind::Ping;
    event.direction = Direction::Outgoing;
    event.monotonicNs = atMs * Ms;
    return event;
}

QString tick(qint64 seq)
{
    return uR"({"type":"tick","seq":%1})"_s.arg(seq);
}

QJsonValue json(const QByteArray &text)
{
    QString error;
    const std::optional<QJsonValue> value = JsonText::parse(text, &error);
    if (!value)
        qFatal("bad test JSON %s: %s", text.constData(), qPrintable(error));
    return *value;
}

std::unique_ptr<LiveAssertion> assertion(Kind kind, const QByteArray &spec)
{
    QString error;
    std::unique_ptr<LiveAssertion> built = LiveAssertion::create(kind, json(spec), &error);
    if (!built)
        qFatal("bad test assertion %s: %s", spec.constData(), qPrintable(error));
    return built;
}

// Feeds events straight to one assertion, numbering them from `first`, and the messages among
// them from 1 as FrameLog::messageNumber does.
class Feeder
{
public:
    explicit Feeder(LiveAssertion &assertion, qint64 first = 0)
        : m_assertion(assertion), m_next(first) {}

    qint64 operator()(const FrameEvent &event)
    {
        MessageView view(event, event.isMessage() ? ++m_messages : 0);
        m_assertion.feed(m_next, view);
        return m_next++;
    }

private:
    LiveAssertion &m_assertion;
    qint64 m_next;
    qint64 m_messages = 0;
};

QString failureText(const std::optional<LiveFailure> &failure)
{
    if (!failure)
        return u"(none)"_s;
    return u"#%1 | expected: %2 | actual: %3 | explanation: %4"_s.arg(failure->sequence)
        .arg(failure->expected, failure->actual, failure->explanation);
}

} // namespace

class TestLiveAssertions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The kinds, fed by hand.
    void everyMessageMatchesSchema();
    void noMessageMatches();
    void monotonicCountsEachStep();
    void monotonicByStepRecoversAfterAGap();
    void monotonicWhereAndMissingField();
    void replyWithinCountsEachSentMessage();
    void replyWithinOverdueMessageKeepsItsLateReply();
    void replyWithinBoundsTheOverdueQueue();
    void countBounds_data();
    void countBounds();
    void roundTripJudgesEachPairOverTheLastN();
    void roundTripPairsByCorrelationId();
    void resetForgetsEverything();
    void newConnectionStartsCountsOver_data();
    void newConnectionStartsCountsOver();

    // Specs.
    void rejectsBadSpecs_data();
    void rejectsBadSpecs();
    void roundTripsThroughJson_data();
    void roundTripsThroughJson();

    // LiveAssertions over a FrameLog.
    void countsEventsAppendedToTheLog();
    void changedIsBatched();
    void timerDecidesAMissingReply();
    void clearedLogResetsCounts();
    void discardedEventsAreReported();
    void removeAndResetCounts();
    void detachesFromADeletedLog();

    // Speed.
    void millionEventsThroughThreeAssertions();
};

void TestLiveAssertions::everyMessageMatchesSchema()
{
    auto every = assertion(Kind::EveryMessage, R"({"schema": {"type": "object",
        "required": ["type", "seq"], "properties": {"seq": {"type": "integer"}}}})");
    QCOMPARE(every->status(), Status::NotChecked);
    Feeder feed(*every, 100);
    feed(received(tick(1)));
    feed(received(tick(2)));
    feed(sent(uR"({"nothing": "to see"})"_s));  // sent: not checked
    feed(ping());                               // not a message
    feed(received(tick(3)));
    QCOMPARE(every->status(), Status::Passing);
    const qint64 bad = feed(received(uR"({"type":"tick","seq":"four"})"_s));
    feed(received(tick(5)));

    QCOMPARE(every->checked(), 5);
    QCOMPARE(every->passed(), 4);
    QCOMPARE(every->failed(), 1);
    QCOMPARE(every->status(), Status::Failing);
    QVERIFY(every->firstFailure());
    QCOMPARE(every->firstFailure()->sequence, bad);
    QVERIFY2(every->firstFailure()->explanation.contains(u"/seq"), qPrintable(failureText(every->firstFailure())));
    QVERIFY2(every->firstFailure()->expected.startsWith(u"valid against"), qPrintable(failureText(every->firstFailure())));
    QCOMPARE(every->firstFailure()->actual, uR"({"seq":"four","type":"tick"})"_s);  // members sorted
    QCOMPARE(every->lastFailure(), every->firstFailure());

    const qint64 notJson = feed(received(u"oops"_s));
    QCOMPARE(every->failed(), 2);
    QCOMPARE(every->firstFailure()->sequence, bad);
    QCOMPARE(every->lastFailure()->sequence, notJson);
    QVERIFY(every->lastFailure()->explanation.startsWith(u"not JSON"));
    QVERIFY(every->describe().startsWith(u"every message matches json schema"));
}

void TestLiveAssertions::noMessageMatches()
{
    auto none = assertion(Kind::NoMessage, R"({"textContains": "error"})");
    Feeder feed(*none);
    feed(received(u"all good"_s));
    feed(sent(u"error in what we sent: not looked at"_s));
    const qint64 bad = feed(received(u"an error happened"_s));
    feed(received(u"fine again"_s));

    QCOMPARE(none->passed(), 2);
    QCOMPARE(none->failed(), 1);
    QCOMPARE(none->firstFailure(),
             (LiveFailure{bad, uR"(no message matching text contains "error")"_s,
                          uR"("an error happened")"_s, uR"(matches text contains "error")"_s}));
    QCOMPARE(none->describe(), uR"(no message matches text contains "error")"_s);
}

void TestLiveAssertions::monotonicCountsEachStep()
{
    auto increasing = assertion(Kind::Monotonic, R"({"monotonic": "/seq"})");
    Feeder feed(*increasing);
    feed(received(tick(1)));
    feed(received(tick(2)));
    feed(sent(tick(0)));  // sent: not checked
    const qint64 repeat = feed(received(tick(2)));
    feed(received(tick(3)));  // goes on from the failing value: one failure, not a cascade
    feed(received(tick(7)));

    QCOMPARE(increasing->checked(), 5);
    QCOMPARE(increasing->passed(), 4);
    QCOMPARE(increasing->failed(), 1);
    QCOMPARE(increasing->firstFailure(),
             (LiveFailure{repeat, u"/seq > 2"_s, u"/seq = 2"_s, u"not increasing: 2 after 2"_s}));

    const qint64 down = feed(received(tick(6)));
    QCOMPARE(increasing->failed(), 2);
    QCOMPARE(increasing->firstFailure()->sequence, repeat);
    QCOMPARE(increasing->lastFailure(),
             (LiveFailure{down, u"/seq > 7"_s, u"/seq = 6"_s, u"not increasing: 6 after 7"_s}));
}

void TestLiveAssertions::monotonicByStepRecoversAfterAGap()
{
    auto byOne = assertion(Kind::Monotonic, R"({"monotonic": "/seq", "step": 1})");
    Feeder feed(*byOne);
    feed(received(tick(7)));
    feed(received(tick(8)));
    const qint64 gap = feed(received(tick(10)));
    feed(received(tick(11)));
    feed(received(tick(12)));
    QCOMPARE(byOne->passed(), 4);
    QCOMPARE(byOne->failed(), 1);
    QCOMPARE(byOne->firstFailure(),
             (LiveFailure{gap, u"/seq = 9"_s, u"/seq = 10"_s, u"expected +1 after 8, got +2"_s}));
    QCOMPARE(byOne->describe(), u"monotonic /seq going up by 1 each time"_s);
}

void TestLiveAssertions::monotonicWhereAndMissingField()
{
    auto ticks = assertion(Kind::Monotonic,
                           R"({"monotonic": "/seq", "where": {"jsonSubset": {"type": "tick"}}})");
    Feeder feed(*ticks);
    feed(received(tick(1)));
    feed(received(uR"({"type":"other","seq":0})"_s));  // where does not match: not counted
    feed(received(u"not JSON either"_s));              // nor this
    feed(received(tick(2)));
    const qint64 missing = feed(received(uR"({"type":"tick"})"_s));
    feed(received(tick(3)));  // no base after a missing number: starts over
    feed(received(tick(4)));

    QCOMPARE(ticks->checked(), 5);
    QCOMPARE(ticks->passed(), 4);
    QCOMPARE(ticks->failed(), 1);
    QCOMPARE(ticks->firstFailure(), (LiveFailure{missing, u"a number at /seq"_s, u"/seq absent"_s,
                                                 u"the document has no member \"seq\""_s}));
}

void TestLiveAssertions::replyWithinCountsEachSentMessage()
{
    auto reply = assertion(Kind::ReplyWithin, R"({"replyWithinMs": 200})");
    QCOMPARE(reply->describe(), u"reply within 200 ms: any message"_s);
    Feeder feed(*reply, 10);

    feed(sent(u"a"_s, 0));
    QCOMPARE(reply->status(), Status::Waiting);
    QCOMPARE(reply->progress(), u"1 awaiting a reply"_s);
    QCOMPARE(reply->nextDeadlineNs(), std::optional<qint64>(200 * Ms + 1));
    feed(received(u"A"_s, 50));
    QCOMPARE(reply->passed(), 1);
    QCOMPARE(reply->status(), Status::Passing);
    QCOMPARE(reply->nextDeadlineNs(), std::nullopt);

    const qint64 slow = feed(sent(u"b"_s, 100));
    feed(ping(150));  // not a message: no reply
    feed(received(u"B"_s, 400));
    QCOMPARE(reply->failed(), 1);
    QCOMPARE(reply->firstFailure(),
             (LiveFailure{slow, u"a reply (any message) within 200 ms"_s,
                          u"reply in message 4 after 300 ms"_s,  // a, A, b, (ping), B
                          u"message 3 got its reply 100 ms late"_s}));

    // Sent one after the other, answered in order.
    feed(sent(u"c"_s, 1000));
    feed(sent(u"d"_s, 1010));
    QCOMPARE(reply->progress(), u"2 awaiting replies"_s);
    feed(received(u"C"_s, 1100));
    feed(received(u"D"_s, 1150));
    QCOMPARE(reply->checked(), 4);
    QCOMPARE(reply->passed(), 3);
    QCOMPARE(reply->failed(), 1);
    QCOMPARE(reply->progress(), QString());
}

void TestLiveAssertions::replyWithinOverdueMessageKeepsItsLateReply()
{
    auto reply = assertion(Kind::ReplyWithin,
                           R"({"replyWithinMs": 200, "reply": {"textContains": "ack"}})");
    Feeder feed(*reply);
    const qint64 first = feed(sent(u"one"_s, 0));
    const qint64 second = feed(sent(u"two"_s, 100));
    feed(received(u"unrelated"_s, 150));  // not a reply
    QCOMPARE(reply->failed(), 0);

    reply->advanceTo(250 * Ms);  // "one" is overdue, "two" not yet
    QCOMPARE(reply->failed(), 1);
    QCOMPARE(reply->firstFailure(),
             (LiveFailure{first, u"a reply (text contains \"ack\") within 200 ms"_s,
                          u"no reply within 200 ms"_s,
                          u"message 1 got no reply within 200 ms"_s}));
    QCOMPARE(reply->progress(), u"1 awaiting a reply"_s);

    // "one"'s late reply answers "one" (already counted), not "two".
    feed(received(u"ack one"_s, 260));
    QCOMPARE(reply->checked(), 1);
    QCOMPARE(reply->failed(), 1);
    feed(received(u"ack two"_s, 280));
    QCOMPARE(reply->checked(), 2);
    QCOMPARE(reply->passed(), 1);
    QCOMPARE(reply->failed(), 1);
    QCOMPARE(reply->lastFailure()->sequence, first);
    Q_UNUSED(second);

    // An event after a deadline decides it too, without advanceTo().
    const qint64 third = feed(sent(u"three"_s, 1000));
    feed(received(u"unrelated"_s, 1300));
    QCOMPARE(reply->failed(), 2);
    QCOMPARE(reply->lastFailure()->sequence, third);
}

void TestLiveAssertions::replyWithinBoundsTheOverdueQueue()
{
    // A server that never answers: the overdue messages kept for late replies stay bounded.
    auto reply = assertion(Kind::ReplyWithin, R"({"replyWithinMs": 10})");
    Feeder feed(*reply);
    for (int i = 0; i < 5000; ++i)
        feed(sent(u"hello"_s, i * 100));
    reply->advanceTo(1'000'000 * Ms);
    QCOMPARE(reply->failed(), 5000);
    QCOMPARE(reply->nextDeadlineNs(), std::nullopt);
    // The 1024 newest are kept for their replies: a reply now answers one of them, uncounted.
    feed(received(u"late"_s, 1'000'001));
    QCOMPARE(reply->checked(), 5000);
    QCOMPARE(reply->passed(), 0);
}

void TestLiveAssertions::countBounds_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<int>("ticks");
    QTest::addColumn<Status>("status");
    QTest::addColumn<int>("failed");
    QTest::addColumn<QString>("progress");

    QTest::newRow("at least, too few") << QByteArray(R"({"count": {"textContains": "tick"}, "atLeast": 3})")
                                       << 2 << Status::Waiting << 0 << u"2 of at least 3"_s;
    QTest::newRow("at least, enough") << QByteArray(R"({"count": {"textContains": "tick"}, "atLeast": 3})")
                                      << 4 << Status::Passing << 0 << u"4 of at least 3"_s;
    QTest::newRow("exactly, reached") << QByteArray(R"({"count": {"textContains": "tick"}, "exactly": 3})")
                                      << 3 << Status::Passing << 0 << u"3 of exactly 3"_s;
    QTest::newRow("exactly, one over") << QByteArray(R"({"count": {"textContains": "tick"}, "exactly": 3})")
                                       << 4 << Status::Failing << 1 << u"4 of exactly 3"_s;
    QTest::newRow("at most, two over") << QByteArray(R"({"count": {"textContains": "tick"}, "atMost": 1})")
                                       << 3 << Status::Failing << 2 << u"3 of at most 1"_s;
    QTest::newRow("range") << QByteArray(R"({"count": {"textContains": "tick"}, "atLeast": 1, "atMost": 5})")
                           << 2 << Status::Passing << 0 << u"2 of 1 to 5"_s;
}

void TestLiveAssertions::countBounds()
{
    QFETCH(QByteArray, spec);
    QFETCH(int, ticks);
    QFETCH(Status, status);
    QFETCH(int, failed);
    QFETCH(QString, progress);

    auto count = assertion(Kind::Count, spec);
    Feeder feed(*count);
    qint64 firstOver = -1;
    for (int i = 0; i < ticks; ++i) {
        feed(received(u"tock"_s));  // looked at, not counted
        feed(sent(u"tick"_s));      // sent: not looked at
        const qint64 seq = feed(received(u"tick %1"_s.arg(i)));
        if (count->failed() == 1 && firstOver < 0)
            firstOver = seq;
    }
    QCOMPARE(count->status(), status);
    QCOMPARE(count->failed(), failed);
    QCOMPARE(count->passed(), ticks - failed);
    QCOMPARE(count->checked(), 2 * ticks);
    QCOMPARE(count->progress(), progress);
    if (failed > 0) {
        QCOMPARE(count->firstFailure()->sequence, firstOver);
        QVERIFY2(count->firstFailure()->explanation.contains(u"over the limit"),
                 qPrintable(failureText(count->firstFailure())));
    }
}

// Round trips 10, 20, 30, 300, 40 ms with "p50 < 100 over the last 3": the 3rd pair judges
// 10/20/30 (p50 20: pass), the 4th 20/30/300 (p50 30: pass), limit p95 instead fails there.
void TestLiveAssertions::roundTripJudgesEachPairOverTheLastN()
{
    auto p50 = assertion(Kind::RoundTrip, R"({"p50": 100, "over": 3})");
    auto p95 = assertion(Kind::RoundTrip, R"({"p95": 100, "over": 3})");
    QCOMPARE(p95->describe(), u"p95 round trip < 100 ms over the last 3 pairs, paired with the next message"_s);
    Feeder feedP50(*p50);
    Feeder feedP95(*p95);
    qint64 t = 0;
    qint64 lastAnswer = -1;
    for (qint64 rtt : {10, 20, 30, 300, 40}) {
        feedP50(sent(u"q"_s, t));
        feedP95(sent(u"q"_s, t));
        feedP50(received(u"a"_s, t + rtt));
        lastAnswer = feedP95(received(u"a"_s, t + rtt));
        t += 1000;
        if (rtt == 10) {
            QCOMPARE(p95->status(), Status::Waiting);
            QCOMPARE(p95->progress(), u"1 of 3 pairs"_s);
        }
    }
    QCOMPARE(p50->checked(), 3);
    QCOMPARE(p50->passed(), 3);
    QCOMPARE(p50->status(), Status::Passing);
    QCOMPARE(p50->progress(), u"p50 40.000 ms over the last 3 pairs (sent message 5 to message 9)"_s);

    QCOMPARE(p95->checked(), 3);
    QCOMPARE(p95->passed(), 1);   // 10/20/30
    QCOMPARE(p95->failed(), 2);   // 20/30/300 and 30/300/40
    QCOMPARE(p95->status(), Status::Failing);
    const LiveFailure &failure = *p95->lastFailure();
    QCOMPARE(failure.sequence, lastAnswer);
    QCOMPARE(failure.expected, u"p95 round trip < 100 ms over the last 3 pairs"_s);
    QCOMPARE(failure.actual, u"p95 300.000 ms over the last 3 pairs (sent message 5 to message 9)"_s);
    QCOMPARE(failure.explanation, u"the p95 round trip over the last 3 pairs was 300.000 ms, not under 100 ms; "
                                  "the slowest: message 7 answered by message 8 after 300.000 ms"_s);

    p95->reset();
    QCOMPARE(p95->status(), Status::NotChecked);
    QCOMPARE(p95->progress(), u"0 of 3 pairs"_s);
}

void TestLiveAssertions::roundTripPairsByCorrelationId()
{
    auto check = assertion(Kind::RoundTrip, R"({"max": 50, "correlate": "/id"})");
    Feeder feed(*check);
    feed(sent(uR"({"id":1})"_s, 0));
    feed(sent(uR"({"id":2})"_s, 0));
    feed(received(uR"({"push":true})"_s, 1));  // no id: no answer
    QCOMPARE(check->checked(), 0);
    feed(received(uR"({"id":2})"_s, 20));
    QCOMPARE(check->passed(), 1);
    feed(received(uR"({"id":1})"_s, 60));      // 60 ms: over the max
    QCOMPARE(check->failed(), 1);
    QCOMPARE(check->lastFailure()->actual, u"max 60.000 ms over all 2 pairs (sent message 2 to message 1)"_s);
}

void TestLiveAssertions::resetForgetsEverything()
{
    auto reply = assertion(Kind::ReplyWithin, R"({"replyWithinMs": 200})");
    Feeder feed(*reply);
    feed(sent(u"a"_s, 0));
    feed(received(u"A"_s, 500));
    feed(sent(u"b"_s, 600));
    const quint64 revision = reply->revision();
    reply->reset();
    QVERIFY(reply->revision() != revision);
    QCOMPARE(reply->checked(), 0);
    QCOMPARE(reply->failed(), 0);
    QCOMPARE(reply->firstFailure(), std::nullopt);
    QCOMPARE(reply->status(), Status::NotChecked);
    QCOMPARE(reply->nextDeadlineNs(), std::nullopt);  // "b" is forgotten too
    feed(received(u"B"_s, 700));
    QCOMPARE(reply->checked(), 0);
}

void TestLiveAssertions::rejectsBadSpecs_data()
{
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<QString>("error");

    QTest::newRow("round trip without a limit") << Kind::RoundTrip << QByteArray(R"({"over": 10})")
                                                << u"a round-trip limit names one of"_s;
    QTest::newRow("round trip, two limits") << Kind::RoundTrip << QByteArray(R"({"p50": 1, "p99": 2})")
                                            << u"/p99: one limit at a time"_s;
    QTest::newRow("round trip over 0") << Kind::RoundTrip << QByteArray(R"({"p50": 1, "over": 0})")
                                       << u"/over: expected a number of pairs from 1 to 10000"_s;
    QTest::newRow("round trip, bad correlate") << Kind::RoundTrip << QByteArray(R"({"p50": 1, "correlate": "id"})")
                                               << u"/correlate: not a JSON Pointer"_s;
    QTest::newRow("round trip, unknown member") << Kind::RoundTrip << QByteArray(R"({"p50": 1, "withinMs": 3})")
                                                << u"/withinMs: not part of a round-trip limit"_s;
    QTest::newRow("bad regex") << Kind::EveryMessage << QByteArray(R"({"textMatches": "(" })")
                               << u"/textMatches: invalid regular expression at offset 1: missing closing parenthesis"_s;
    QTest::newRow("not a matcher") << Kind::NoMessage << QByteArray("42")
                                   << u"a matcher must be an object"_s;
    QTest::newRow("a check as a matcher") << Kind::EveryMessage << QByteArray(R"({"monotonic": "/seq"})")
        << u"\"monotonic\" makes a \"Field increases\" assertion, not a matcher: choose that kind"_s;
    QTest::newRow("monotonic of another kind") << Kind::Monotonic << QByteArray(R"({"replyWithinMs": 5})")
        << u"this kind of assertion is written {\"monotonic\": \"/seq\"}, with \"step\" and \"where\" when needed"_s;
    QTest::newRow("monotonic bad pointer") << Kind::Monotonic << QByteArray(R"({"monotonic": "seq"})")
                                           << u"/monotonic: "_s;
    QTest::newRow("monotonic messages") << Kind::Monotonic << QByteArray(R"({"monotonic": "/seq", "messages": 3})")
        << u"/messages: not for a live assertion, which checks every message until its counts are reset; \"messages\" is for scenarios"_s;
    QTest::newRow("reply bad matcher") << Kind::ReplyWithin << QByteArray(R"({"replyWithinMs": 5, "reply": {"txt": "a"}})")
                                       << u"/reply"_s;
    QTest::newRow("count without bound") << Kind::Count << QByteArray(R"({"count": {"anyMessage": true}})")
                                         << u"\"count\" needs \"exactly\", \"atLeast\" or \"atMost\""_s;
    QTest::newRow("count window") << Kind::Count << QByteArray(R"({"count": {"anyMessage": true}, "atLeast": 1, "withinMs": 10})")
                                  << u"/withinMs: not for a live assertion"_s;
}

void TestLiveAssertions::rejectsBadSpecs()
{
    QFETCH(Kind, kind);
    QFETCH(QByteArray, spec);
    QFETCH(QString, error);

    QString actual;
    QVERIFY(!LiveAssertion::create(kind, json(spec), &actual));
    QVERIFY2(actual.startsWith(error), qPrintable(actual));
}

void TestLiveAssertions::roundTripsThroughJson_data()
{
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QByteArray>("spec");

    QTest::newRow("every") << Kind::EveryMessage << QByteArray(R"({"jsonSubset": {"type": "tick"}})");
    QTest::newRow("none") << Kind::NoMessage << QByteArray(R"({"textMatches": "err(or)?", "flags": "i"})");
    QTest::newRow("monotonic") << Kind::Monotonic
                               << QByteArray(R"({"monotonic": "/seq", "step": 2, "where": {"jsonSubset": {"type": "tick"}}})");
    QTest::newRow("reply") << Kind::ReplyWithin
                           << QByteArray(R"({"replyWithinMs": 200, "reply": {"textContains": "ack"}, "to": {"text": "order"}})");
    QTest::newRow("count") << Kind::Count << QByteArray(R"({"count": {"anyMessage": "text"}, "exactly": 3})");
    QTest::newRow("roundTrip") << Kind::RoundTrip << QByteArray(R"({"p95": 200, "over": 100, "correlate": "/id"})");
}

void TestLiveAssertions::roundTripsThroughJson()
{
    QFETCH(Kind, kind);
    QFETCH(QByteArray, spec);

    auto original = assertion(kind, spec);
    QCOMPARE(original->kind(), kind);
    QString error;
    auto copy = LiveAssertion::fromJson(original->toJson(), &error);
    QVERIFY2(copy, qPrintable(error));
    QCOMPARE(copy->kind(), kind);
    QCOMPARE(copy->spec(), original->spec());
    QCOMPARE(copy->describe(), original->describe());
    QCOMPARE(LiveAssertion::kindFromKey(LiveAssertion::kindKey(kind)), std::optional<Kind>(kind));

    QVERIFY(!LiveAssertion::fromJson(QJsonObject{{u"kind"_s, u"every"_s}}, &error));
    QVERIFY2(error.startsWith(u"/kind: "), qPrintable(error));
    QVERIFY(!LiveAssertion::fromJson(QJsonObject{{u"kind"_s, u"everyMessage"_s},
                                                 {u"spec"_s, QJsonObject{{u"size"_s, u"x"_s}}}},
                                     &error));
    QVERIFY2(error.startsWith(u"/spec/size"), qPrintable(error));
}

void TestLiveAssertions::countsEventsAppendedToTheLog()
{
    FrameLog log;
    log.append(received(tick(0)));  // before the assertions: not counted
    LiveAssertions live;
    live.setLog(&log);
    QString error;
    QCOMPARE(live.add(Kind::EveryMessage, json(R"({"jsonSubset": {"type": "tick"}})"), &error), 0);
    QCOMPARE(live.add(Kind::Monotonic, json(R"({"monotonic": "/seq"})"), &error), 1);
    QCOMPARE(live.add(Kind::Count, json(R"({"count": {"jsonSubset": {"type": "tick"}}, "atLeast": 3})"), &error), 2);
    QCOMPARE(live.add(Kind::Count, json(R"({"count": {"nope": 1}, "atLeast": 3})"), &error), -1);
    QVERIFY(error.startsWith(u"/count"));
    QCOMPARE(live.count(), 3);

    log.append(received(tick(1)));
    log.append(received(tick(2)));
    const qint64 bad = log.append(received(uR"({"type":"tock","seq":2})"_s));
    log.append(received(tick(4)));

    QCOMPARE(live.at(0).passed(), 3);
    QCOMPARE(live.at(0).failed(), 1);
    QCOMPARE(live.at(0).firstFailure()->sequence, bad);
    QCOMPARE(live.at(0).firstFailure()->explanation, u"at /type: expected \"tick\", got \"tock\""_s);
    QCOMPARE(live.at(1).failed(), 1);
    QCOMPARE(live.at(1).firstFailure()->sequence, bad);
    QCOMPARE(live.at(2).status(), Status::Passing);
    QCOMPARE(live.at(2).progress(), u"3 of at least 3"_s);
}

void TestLiveAssertions::changedIsBatched()
{
    FrameLog log;
    LiveAssertions live;
    live.setLog(&log);
    live.setUpdateInterval(50);
    QString error;
    live.add(Kind::EveryMessage, json(R"({"anyMessage": true})"), &error);
    live.add(Kind::NoMessage, json(R"({"text": "never"})"), &error);
    QSignalSpy changed(&live, &LiveAssertions::changed);

    for (int i = 0; i < 10'000; ++i)
        log.append(received(u"hello"_s));
    QCOMPARE(changed.count(), 0);  // nothing per event
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 5000);
    QCOMPARE(changed.at(0).at(0).toInt(), 0);
    QCOMPARE(changed.at(1).at(0).toInt(), 1);
    QCOMPARE(live.at(0).passed(), 10'000);

    // Nothing new: no more signals, and no timer left running.
    QTest::qWait(150);
    QCOMPARE(changed.count(), 2);

    // An event that one assertion does not look at changes only the other... here both look.
    log.append(sent(u"not looked at"_s));
    live.flush();
    QCOMPARE(changed.count(), 2);
}

void TestLiveAssertions::timerDecidesAMissingReply()
{
    FrameLog log;
    LiveAssertions live;
    qint64 now = 0;
    live.setClock([&now] { return now; });
    live.setUpdateInterval(20);
    live.setLog(&log);
    QString error;
    live.add(Kind::ReplyWithin, json(R"({"replyWithinMs": 200})"), &error);
    QSignalSpy changed(&live, &LiveAssertions::changed);

    const qint64 request = log.append(sent(u"anyone?"_s, 0));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 5000);  // one awaiting a reply
    QCOMPARE(live.at(0).status(), Status::Waiting);
    QCOMPARE(live.at(0).failed(), 0);

    // No event comes; the clock passes the deadline and the next tick decides.
    now = 201 * Ms;
    QTRY_COMPARE_WITH_TIMEOUT(live.at(0).failed(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 5000);
    QCOMPARE(live.at(0).firstFailure()->sequence, request);
    QCOMPARE(live.at(0).status(), Status::Failing);
}

void TestLiveAssertions::clearedLogResetsCounts()
{
    FrameLog log;
    LiveAssertions live;
    live.setLog(&log);
    QString error;
    live.add(Kind::EveryMessage, json(R"({"text": "ok"})"), &error);
    log.append(received(u"ok"_s));
    log.append(received(u"not ok"_s));
    QCOMPARE(live.at(0).failed(), 1);

    QSignalSpy changed(&live, &LiveAssertions::changed);
    log.clear();
    QCOMPARE(changed.count(), 1);  // at once: a user action
    QCOMPARE(live.at(0).checked(), 0);
    QCOMPARE(live.at(0).failed(), 0);
    QCOMPARE(live.at(0).firstFailure(), std::nullopt);
    QCOMPARE(live.at(0).status(), Status::NotChecked);

    // Sequence numbers go on after a clear; failures name the new ones.
    const qint64 next = log.append(received(u"bad"_s));
    QCOMPARE(next, 2);
    QCOMPARE(live.at(0).firstFailure()->sequence, next);
}

void TestLiveAssertions::newConnectionStartsCountsOver_data()
{
    QTest::addColumn<bool>("resetOnReconnect");
    QTest::addColumn<qint64>("checked");
    QTest::addColumn<qint64>("failed");
    // A server that numbers each connection's messages from 1: counted across connections,
    // the second connection's first message looks like a step back.
    QTest::newRow("reset (default)") << true << qint64(2) << qint64(0);
    QTest::newRow("carried over") << false << qint64(5) << qint64(1);
}

void TestLiveAssertions::newConnectionStartsCountsOver()
{
    QFETCH(bool, resetOnReconnect);
    QFETCH(qint64, checked);
    QFETCH(qint64, failed);
    FrameLog log;
    LiveAssertions live;
    QVERIFY(live.resetsOnReconnect());
    live.setResetOnReconnect(resetOnReconnect);
    live.setLog(&log);
    QString error;
    QCOMPARE(live.add(Kind::Monotonic, json(R"({"monotonic": "/seq", "step": 1})"), &error), 0);

    FrameEvent request;
    request.kind = EventKind::Handshake;
    request.direction = Direction::Outgoing;
    request.text = u"GET /seq HTTP/1.1"_s;
    log.append(FrameEvent(request));
    for (int seq = 1; seq <= 3; ++seq)
        log.append(received(tick(seq)));
    QCOMPARE(live.at(0).checked(), 3);
    QCOMPARE(live.at(0).failed(), 0);

    log.append(FrameEvent(request));  // the next connection
    for (int seq = 1; seq <= 2; ++seq)
        log.append(received(tick(seq)));
    QCOMPARE(live.at(0).checked(), checked);
    QCOMPARE(live.at(0).failed(), failed);
}

void TestLiveAssertions::discardedEventsAreReported()
{
    FrameLog log;
    log.setCapacity(FrameLog::ChunkSize);
    LiveAssertions live;
    live.setLog(&log);
    QString error;
    live.add(Kind::EveryMessage, json(R"({"text": "ok"})"), &error);
    log.append(received(u"bad"_s));
    live.flush();
    QSignalSpy changed(&live, &LiveAssertions::changed);
    for (int i = 0; i < 3 * FrameLog::ChunkSize; ++i)
        log.append(sent(u"filler"_s));  // not looked at: the counts do not change
    QVERIFY(!log.contains(0));
    live.flush();
    QCOMPARE(changed.count(), 1);  // the failure's frame is gone: readers must know
    QCOMPARE(live.at(0).firstFailure()->sequence, 0);
}

void TestLiveAssertions::removeAndResetCounts()
{
    FrameLog log;
    LiveAssertions live;
    live.setLog(&log);
    QString error;
    live.add(Kind::EveryMessage, json(R"({"text": "a"})"), &error);
    live.add(Kind::EveryMessage, json(R"({"text": "b"})"), &error);
    QSignalSpy aboutToRemove(&live, &LiveAssertions::aboutToRemove);
    QSignalSpy removed(&live, &LiveAssertions::removed);
    log.append(received(u"b"_s));
    live.remove(0);
    QCOMPARE(aboutToRemove.count(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(live.count(), 1);
    QCOMPARE(live.at(0).passed(), 1);
    live.remove(5);  // out of range: nothing
    QCOMPARE(removed.count(), 1);

    QSignalSpy changed(&live, &LiveAssertions::changed);
    live.resetCounts();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(live.at(0).passed(), 0);
}

void TestLiveAssertions::detachesFromADeletedLog()
{
    LiveAssertions live;
    {
        FrameLog log;
        live.setLog(&log);
        QString error;
        live.add(Kind::EveryMessage, json(R"({"text": "a"})"), &error);
        log.append(received(u"a"_s));
    }
    QCOMPARE(live.log(), nullptr);
    live.flush();
    QCOMPARE(live.at(0).passed(), 1);
}

void TestLiveAssertions::millionEventsThroughThreeAssertions()
{
    // A flood of small JSON ticks with a request now and then, through three assertions that
    // all read the JSON: what the panel pays per event. Guards against per-event work that
    // grows with the log, or a signal per event.
    constexpr int Events = 1'000'000;
    const auto run = [](bool withAssertions) {
        FrameLog log;
        log.setCapacity(64 * 1024);  // the log itself is not what is measured
        LiveAssertions live;
        live.setLog(&log);
        QString error;
        if (withAssertions) {
            live.add(Kind::EveryMessage, json(R"({"jsonSubset": {"type": "tick"}})"), &error);
            live.add(Kind::Monotonic, json(R"({"monotonic": "/seq", "step": 1})"), &error);
            live.add(Kind::ReplyWithin, json(R"({"replyWithinMs": 200})"), &error);
        }
        QSignalSpy changed(&live, &LiveAssertions::changed);
        const QString prefix = u"{\"type\":\"tick\",\"seq\":"_s;
        QElapsedTimer timer;
        timer.start();
        qint64 seq = 0;
        for (int i = 0; i < Events; ++i) {
            const bool request = i % 100 == 0;
            FrameEvent event;
            event.kind = EventKind::Text;
            event.monotonicNs = qint64(i) * 1000;  // 1 µs apart
            if (request) {
                event.direction = Direction::Outgoing;
                event.text = u"{\"type\":\"request\"}"_s;
            } else {
                event.direction = Direction::Incoming;
                event.text = prefix + QString::number(++seq) + u'}';
            }
            event.size = event.text.size();
            log.append(std::move(event));
        }
        const qint64 ns = timer.nsecsElapsed();
        if (withAssertions) {
            if (live.at(0).failed() != 0 || live.at(1).failed() != 0 || live.at(2).failed() != 0)
                qFatal("unexpected failures");
            if (live.at(0).passed() != Events - Events / 100 || live.at(2).passed() != Events / 100)
                qFatal("unexpected counts");
        }
        if (changed.count() != 0)
            qFatal("changed() was emitted during the flood");
        return ns;
    };

    // The machine is shared: a busy neighbour can halve one run. The best of up to three tells
    // the code's speed; work that grows with the log would fail all three by far.
    constexpr double MinimumRate = 300'000;
    const qint64 baselineNs = run(false);
    qint64 ns = run(true);
    for (int retry = 0; retry < 2 && Events / (double(ns) / 1e9) < MinimumRate; ++retry)
        ns = qMin(ns, run(true));
    const double rate = Events / (double(ns) / 1e9);
    const double assertionRate = Events / (double(ns - baselineNs) / 1e9);
    qInfo("%d events through 3 assertions: %.0f ms, %.0f events/s (building and logging the "
          "events alone: %.0f ms; the assertions alone: %.0f events/s, %.2f µs per event)",
          Events, ns / 1e6, rate, baselineNs / 1e6, assertionRate,
          double(ns - baselineNs) / 1e3 / Events);
    // Measured, not asserted: timings belong to benchmarks (a loaded CI machine is slow).
    if (rate < MinimumRate)
        qWarning("%.0f events/s, under the %.0f aimed for", rate, MinimumRate);
}

QTEST_GUILESS_MAIN(TestLiveAssertions)
#include "tst_liveassertions.moc"
