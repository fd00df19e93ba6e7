// Round trips, connect time, rates and ping round trips read from synthetic frame logs (times
// chosen so the expected figures can be worked out by hand), and from a real exchange with the
// demo server's /echo.

#include "demoserverthread.h"
#include "framelog.h"
#include "jsoncorrelationkey.h"
#include "latencyhistogram.h"
#include "roundtrippairer.h"
#include "session.h"
#include "sessionstats.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr qint64 Ms = 1'000'000;
constexpr qint64 Us = 1'000;

FrameEvent makeEvent(EventKind kind, Direction direction, qint64 ns, const QString &text = {})
{
    FrameEvent e;
    e.kind = kind;
    e.direction = direction;
    e.monotonicNs = ns;
    e.text = text;
    e.size = text.toUtf8().size();
    return e;
}

// The upgrade request at `ns`, the 101 `connectNs` later.
void connectAt(FrameLog &log, qint64 ns, qint64 connectNs)
{
    log.append(makeEvent(EventKind::Handshake, Direction::Outgoing, ns));
    FrameEvent accepted = makeEvent(EventKind::Handshake, Direction::Incoming, ns + connectNs);
    accepted.httpStatus = 101;
    log.append(std::move(accepted));
}

qint64 sent(FrameLog &log, qint64 ns, const QString &text = u"x"_s)
{
    return log.append(makeEvent(EventKind::Text, Direction::Outgoing, ns, text));
}

qint64 received(FrameLog &log, qint64 ns, const QString &text = u"x"_s)
{
    return log.append(makeEvent(EventKind::Text, Direction::Incoming, ns, text));
}

std::unique_ptr<const CorrelationKey> keyAt(const QString &pointer)
{
    QString error;
    auto key = JsonCorrelationKey::fromSetting(pointer, &error);
    if (!key)
        qFatal("%s", qPrintable(error));
    return key;
}

} // namespace

class TestSessionStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void histogramPercentilesAreExactBelowTheirBucketWidth();
    void histogramErrorIsBoundedAndBelow();
    void pairsTheNextMessageInOrder();
    void pairsByCorrelationId();
    void correlationSettingIsChecked();
    void aServerThatNeverAnswersIsBounded();
    void ratesOverTheConnectionAndTheWindow();
    void ratesOfAClosedConnectionStopAtItsEnd();
    void pingRoundTripsComeFromPongs();
    void newConnectionAndClearStartOver();
    void readsWhatTheLogHeldBefore();
    void recentPercentileIsExactOverTheLastPairs();
    void figuresExportAsCsvAndJson();
    void pairsAnEchoExchangeWithTheDemoServer();
};

// 400 µs to 8 ms in steps of 400 µs: every value is exact in the histogram (below 1024 µs one
// bucket per µs; up to 2048 µs per 2 µs; up to 4096 per 4; up to 8192 per 8), so the
// percentiles are the nearest ranks: p50 of 20 is the 10th, p90 the 18th, p95 the 19th,
// p99 the 20th.
void TestSessionStats::histogramPercentilesAreExactBelowTheirBucketWidth()
{
    LatencyHistogram histogram;
    for (int i = 20; i >= 1; --i)  // the order recorded does not matter
        histogram.record(i * 400 * Us);
    QCOMPARE(histogram.count(), 20);
    QCOMPARE(histogram.percentileNs(50), 4000 * Us);
    QCOMPARE(histogram.percentileNs(90), 7200 * Us);
    QCOMPARE(histogram.percentileNs(95), 7600 * Us);
    QCOMPARE(histogram.percentileNs(99), 8000 * Us);
    QCOMPARE(histogram.percentileNs(100), 8000 * Us);
    QCOMPARE(histogram.minNs(), 400 * Us);
    QCOMPARE(histogram.maxNs(), 8000 * Us);
    QCOMPARE(histogram.meanNs(), 4200 * Us);

    std::vector<qint64> values;
    for (int i = 1; i <= 20; ++i)
        values.push_back(i * 400 * Us);
    QCOMPARE(exactPercentile(values, 95), 7600 * Us);
    std::vector<qint64> none;
    QCOMPARE(exactPercentile(none, 95), -1);
    QCOMPARE(LatencyHistogram().percentileNs(50), -1);
}

// 9 ms + 1 ns is kept as 9000 µs, in the bucket [8992, 9008) µs (16 µs wide between 8192 and
// 16384): read back as 8992 µs, below the truth by 8.001 µs < 1 µs + 0.2 %.
void TestSessionStats::histogramErrorIsBoundedAndBelow()
{
    LatencyHistogram histogram;
    histogram.record(1 * Ms);
    histogram.record(9 * Ms + 1);
    QCOMPARE(histogram.percentileNs(99), 8992 * Us);
    QCOMPARE(histogram.maxNs(), 9 * Ms + 1);  // exact
    const qint64 error = histogram.maxNs() - histogram.percentileNs(99);
    QVERIFY(error > 0 && error < 1 * Us + histogram.maxNs() / 500);

    for (qint64 micros : {qint64(1023), qint64(1024), qint64(5000), qint64(123456), qint64(987654321)}) {
        const int index = LatencyHistogram::indexOf(micros);
        QVERIFY(LatencyHistogram::lowestMicros(index) <= micros);
        QVERIFY(LatencyHistogram::lowestMicros(index + 1) > micros);
        QVERIFY(micros - LatencyHistogram::lowestMicros(index) <= micros / 512);
    }
}

void TestSessionStats::pairsTheNextMessageInOrder()
{
    FrameLog log;
    SessionStats stats;
    stats.setLog(&log);
    connectAt(log, 0, 2 * Ms);
    const qint64 a = sent(log, 10 * Ms);
    const qint64 b = sent(log, 12 * Ms);
    const qint64 x = received(log, 15 * Ms);
    const qint64 y = received(log, 20 * Ms);
    received(log, 25 * Ms);  // nothing waits: a push, not an answer

    QCOMPARE(stats.pairCount(), 2);
    QCOMPARE(stats.recentPairs().size(), std::size_t(2));
    QCOMPARE(stats.recentPairs()[0], (RoundTripPair{a, x, 10 * Ms, 5 * Ms}));
    QCOMPARE(stats.recentPairs()[1], (RoundTripPair{b, y, 12 * Ms, 8 * Ms}));
    const StatsFigures figures = stats.figures(30 * Ms);
    QCOMPARE(figures.connectNs, 2 * Ms);
    QCOMPARE(figures.roundTripP50Ns, 5 * Ms);
    QCOMPARE(figures.roundTripMaxNs, 8 * Ms);
    QCOMPARE(figures.awaiting, 0);
    QCOMPARE(figures.messagesOut, 2);
    QCOMPARE(figures.messagesIn, 3);
}

void TestSessionStats::pairsByCorrelationId()
{
    FrameLog log;
    SessionStats stats;
    stats.setCorrelation(keyAt(u"/id"_s));
    stats.setLog(&log);
    connectAt(log, 0, 1 * Ms);
    const qint64 one = sent(log, 10 * Ms, u"{\"id\":1,\"op\":\"a\"}"_s);
    const qint64 two = sent(log, 11 * Ms, u"{\"id\":2}"_s);
    sent(log, 12 * Ms, u"no id, not waited for"_s);
    const qint64 answerTwo = received(log, 14 * Ms, u"{\"id\":2,\"ok\":true}"_s);
    received(log, 15 * Ms, u"{\"push\":true}"_s);
    received(log, 16 * Ms, u"{\"id\":\"1\"}"_s);  // a string: not the number 1
    QCOMPARE(stats.figures(20 * Ms).awaiting, 1);
    const qint64 answerOne = received(log, 18 * Ms, u"{\"ok\":true,\"id\":1}"_s);

    QCOMPARE(stats.pairCount(), 2);
    QCOMPARE(stats.recentPairs()[0], (RoundTripPair{two, answerTwo, 11 * Ms, 3 * Ms}));
    QCOMPARE(stats.recentPairs()[1], (RoundTripPair{one, answerOne, 10 * Ms, 8 * Ms}));
    QCOMPARE(stats.figures(20 * Ms).awaiting, 0);
    QCOMPARE(stats.correlation()->toString(), u"/id"_s);

    // The same log read again without an id: the next message answers, whoever it is.
    stats.setCorrelation(nullptr);
    QCOMPARE(stats.pairCount(), 3);
    QCOMPARE(stats.recentPairs()[0].roundTripNs, 4 * Ms);  // {"id":1} answered by {"id":2}
}

// Sent messages past the bound are not waited for: the queue stays at its bound, and the
// answers that do come pair with the oldest ones.
void TestSessionStats::aServerThatNeverAnswersIsBounded()
{
    for (bool keyed : {false, true}) {
        RoundTripPairer pairer(keyed);
        for (qint64 i = 0; i < RoundTripPairer::MaxWaiting + 10; ++i)
            pairer.sent(i, i * Us, QString::number(i % 7));
        QCOMPARE(pairer.waiting(), RoundTripPairer::MaxWaiting);
        QCOMPARE(pairer.untracked(), 10);
        const std::optional<RoundTripPair> pair = pairer.received(1'000'000, 1'000'000 * Us, u"0"_s);
        QVERIFY(pair);
        QCOMPARE(pair->sentSequence, 0);
        QCOMPARE(pairer.waiting(), RoundTripPairer::MaxWaiting - 1);
        pairer.clear();
        QCOMPARE(pairer.waiting(), 0);
    }
}

void TestSessionStats::correlationSettingIsChecked()
{
    QString error;
    QVERIFY(!JsonCorrelationKey::fromSetting(QString(), &error));
    QVERIFY(error.isEmpty());  // "" is the next message: no key, and no error
    QVERIFY(!JsonCorrelationKey::fromSetting(u"id"_s, &error));
    QVERIFY2(error.contains(u"JSON Pointer"_s), qPrintable(error));
    QVERIFY(!JsonCorrelationKey::check(u"/a~2"_s).isEmpty());
    QVERIFY(JsonCorrelationKey::check(u"/meta/requestId"_s).isEmpty());

    const auto key = keyAt(u"/meta/requestId"_s);
    QCOMPARE(key->keyOf(makeEvent(EventKind::Text, Direction::Incoming, 0, u"{\"meta\":{\"requestId\":\"r7\"}}"_s)),
             std::optional<QString>(u"[\"r7\"]"_s));
    QCOMPARE(key->keyOf(makeEvent(EventKind::Text, Direction::Incoming, 0, u"not json"_s)), std::nullopt);
}

// Twenty received messages of 100 bytes, one every 100 ms from 50 ms on, and four sent of 50
// bytes; at 2 s: 20 / 2 s = 10 msg/s in. The window (1 s in ten slots) at 2 s holds the slots
// from 1.1 s: nine messages (1.15 s to 1.95 s) over 0.9 s, 10 msg/s again.
void TestSessionStats::ratesOverTheConnectionAndTheWindow()
{
    FrameLog log;
    SessionStats stats;
    stats.setRateWindow(1000 * Ms, 10);
    stats.setLog(&log);
    connectAt(log, -1 * Ms, 1 * Ms);  // open at 0
    const QString hundred(100, u'a');
    const QString fifty(50, u'b');
    for (int i = 0; i < 20; ++i)
        received(log, 50 * Ms + i * 100 * Ms, hundred);
    for (int i = 0; i < 4; ++i)
        sent(log, 1500 * Ms + i * 100 * Ms, fifty);  // 1.5 s to 1.8 s: all in the window

    const StatsFigures figures = stats.figures(2000 * Ms);
    QCOMPARE(figures.elapsedNs, 2000 * Ms);
    QCOMPARE(figures.messagesIn, 20);
    QCOMPARE(figures.bytesIn, 2000);
    QCOMPARE(figures.messagesInPerSecond, 10.0);
    QCOMPARE(figures.bytesInPerSecond, 1000.0);
    QCOMPARE(figures.messagesOutPerSecond, 2.0);
    QCOMPARE(figures.bytesOutPerSecond, 100.0);
    QCOMPARE(figures.windowNs, 1000 * Ms);
    QCOMPARE(figures.windowMessagesInPerSecond, 10.0);
    QCOMPARE(figures.windowBytesInPerSecond, 1000.0);
    QCOMPARE(figures.windowMessagesOutPerSecond, 4 / 0.9);
    QCOMPARE(figures.windowBytesOutPerSecond, 200 / 0.9);

    // Later, with nothing more: the window empties, the connection's rate thins out.
    const StatsFigures later = stats.figures(4000 * Ms);
    QCOMPARE(later.windowMessagesInPerSecond, 0.0);
    QCOMPARE(later.messagesInPerSecond, 5.0);
}

void TestSessionStats::ratesOfAClosedConnectionStopAtItsEnd()
{
    FrameLog log;
    SessionStats stats;
    stats.setLog(&log);
    connectAt(log, 0, 0);
    for (int i = 0; i < 10; ++i)
        received(log, i * 100 * Ms);
    log.append(makeEvent(EventKind::Close, Direction::Incoming, 1000 * Ms));
    const StatsFigures figures = stats.figures(60'000 * Ms);
    QCOMPARE(figures.elapsedNs, 1000 * Ms);
    QCOMPARE(figures.messagesInPerSecond, 10.0);
}

void TestSessionStats::pingRoundTripsComeFromPongs()
{
    FrameLog log;
    SessionStats stats;
    stats.setLog(&log);
    connectAt(log, 0, 1 * Ms);
    for (qint64 rtt : {3 * Ms, 5 * Ms, qint64(-1)}) {  // -1: a pong nobody pinged for
        FrameEvent pong = makeEvent(EventKind::Pong, Direction::Incoming, 10 * Ms);
        pong.rttNs = rtt;
        log.append(std::move(pong));
    }
    const StatsFigures figures = stats.figures(20 * Ms);
    QCOMPARE(figures.pings, 2);
    QCOMPARE(figures.pingLastNs, 5 * Ms);
    QCOMPARE(figures.pingP50Ns, 3 * Ms);
    QCOMPARE(figures.pingMaxNs, 5 * Ms);
    QCOMPARE(figures.pairs, 0);  // pongs are not messages
    QCOMPARE(figures.roundTripP50Ns, -1);
}

void TestSessionStats::newConnectionAndClearStartOver()
{
    FrameLog log;
    SessionStats stats;
    stats.setLog(&log);
    QSignalSpy restarted(&stats, &SessionStats::restarted);
    connectAt(log, 0, 2 * Ms);
    sent(log, 10 * Ms);
    received(log, 11 * Ms);
    QCOMPARE(stats.pairCount(), 1);

    connectAt(log, 100 * Ms, 3 * Ms);
    QCOMPARE(stats.pairCount(), 0);
    QCOMPARE(stats.figures(200 * Ms).connectNs, 3 * Ms);
    QCOMPARE(stats.figures(200 * Ms).messagesIn, 0);
    QVERIFY(restarted.size() >= 1);

    sent(log, 110 * Ms);
    log.clear();
    QCOMPARE(stats.figures(200 * Ms).messagesOut, 0);
    QCOMPARE(stats.figures(200 * Ms).connectNs, -1);
}

void TestSessionStats::readsWhatTheLogHeldBefore()
{
    FrameLog log;
    connectAt(log, 0, 2 * Ms);
    sent(log, 10 * Ms);
    received(log, 30 * Ms);
    connectAt(log, 100 * Ms, 4 * Ms);  // only this connection counts
    sent(log, 110 * Ms);
    received(log, 116 * Ms);

    SessionStats stats;
    stats.setLog(&log);
    QCOMPARE(stats.pairCount(), 1);
    QCOMPARE(stats.figures(200 * Ms).roundTripMaxNs, 6 * Ms);
    QCOMPARE(stats.figures(200 * Ms).connectNs, 4 * Ms);
}

// Round trips 1..10 ms, then 100 ms five times: over the last 5 pairs p95 is 100 ms; over the
// last 10 (6..10 ms, then five of 100 ms) p50 is the 5th, 10 ms; over all 15, p50 is the 8th, 8 ms.
void TestSessionStats::recentPercentileIsExactOverTheLastPairs()
{
    FrameLog log;
    SessionStats stats;
    stats.setLog(&log);
    connectAt(log, 0, 1 * Ms);
    qint64 t = 10 * Ms;
    for (int i = 1; i <= 10; ++i) {
        sent(log, t);
        received(log, t + i * Ms);
        t += 200 * Ms;
    }
    for (int i = 0; i < 5; ++i) {
        sent(log, t);
        received(log, t + 100 * Ms);
        t += 200 * Ms;
    }
    QCOMPARE(stats.recentPercentileNs(95, 5), 100 * Ms);
    QCOMPARE(stats.recentPercentileNs(50, 10), 10 * Ms);
    QCOMPARE(stats.recentPercentileNs(50, 0), 8 * Ms);
    QCOMPARE(stats.recentPercentileNs(50, 1000), 8 * Ms);
}

void TestSessionStats::figuresExportAsCsvAndJson()
{
    StatsFigures figures;
    figures.roundTripP95Ns = 12'500 * Us;
    figures.messagesIn = 3;
    const QJsonObject json = figures.toJson();
    QCOMPARE(json.value(u"roundTripP95Ms").toDouble(), 12.5);
    QVERIFY(json.value(u"roundTripP50Ms").isNull());  // not known
    QCOMPARE(json.value(u"messagesIn").toDouble(), 3.0);
    const QByteArray csv = figures.toCsv();
    QVERIFY(csv.startsWith("figure,value,unit\n"));
    QVERIFY(csv.contains("\nroundTripP95Ms,12.5,ms\n"));
    QVERIFY(csv.contains("\nroundTripP50Ms,,ms\n"));
    QCOMPARE(csv.count('\n'), figures.rows().size() + 1);
}

// The demo server's /echo answers each message with itself: every pair is a message and its
// own echo, and the round trips are those of a loopback socket (more than 0, well under 5 s).
void TestSessionStats::pairsAnEchoExchangeWithTheDemoServer()
{
    DemoServerThread server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QUrl url = server.url();
    url.setPath(u"/echo"_s);
    SessionSettings settings;
    settings.url = url;
    settings.correlation = u"/id"_s;
    Session session(settings);
    SessionStats stats;
    stats.setCorrelation(keyAt(session.settings().correlation));
    stats.setLog(session.log());
    QSignalSpy opened(&session, &Session::opened);
    QSignalSpy finished(&session, &Session::finished);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 10000);

    constexpr int Count = 50;
    for (int i = 0; i < Count; ++i)
        QVERIFY(session.sendText(u"{\"id\":%1,\"body\":\"m%1\"}"_s.arg(i)));
    QTRY_COMPARE_WITH_TIMEOUT(stats.pairCount(), qint64(Count), 10000);
    session.close(1000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);

    const FrameLog &log = *session.log();
    QCOMPARE(qsizetype(stats.recentPairs().size()), Count);
    for (const RoundTripPair &pair : stats.recentPairs()) {
        const FrameEvent &out = log.at(pair.sentSequence);
        const FrameEvent &in = log.at(pair.receivedSequence);
        QCOMPARE(out.direction, Direction::Outgoing);
        QCOMPARE(in.direction, Direction::Incoming);
        QCOMPARE(in.text, out.text);
        QCOMPARE(pair.roundTripNs, in.monotonicNs - out.monotonicNs);
        QVERIFY2(pair.roundTripNs > 0 && pair.roundTripNs < 5000 * Ms,
                 qPrintable(QString::number(pair.roundTripNs)));
    }
    const StatsFigures figures = stats.figures();
    QVERIFY(figures.connectNs > 0 && figures.connectNs < 5000 * Ms);
    QVERIFY(figures.roundTripP50Ns > 0);
    QVERIFY(figures.roundTripP50Ns <= figures.roundTripP99Ns);
    QVERIFY(figures.roundTripP99Ns <= figures.roundTripMaxNs);
    QCOMPARE(figures.messagesOut, Count);
    QCOMPARE(figures.messagesIn, Count);
    QCOMPARE(figures.awaiting, 0);
    QVERIFY(figures.messagesInPerSecond > 0);
    qInfo("echo round trips over loopback: p50 %.3f ms, p99 %.3f ms, max %.3f ms; connect %.3f ms",
          double(figures.roundTripP50Ns) / Ms, double(figures.roundTripP99Ns) / Ms,
          double(figures.roundTripMaxNs) / Ms, double(figures.connectNs) / Ms);
}

QTEST_GUILESS_MAIN(TestSessionStats)
#include "tst_sessionstats.moc"
