#include "demoserver.h"
#include "loaddata.h"
#include "loadreport.h"
#include "loadrunner.h"
#include "loadthreshold.h"
#include "loadtimeline.h"
#include "scenarioloader.h"
#include "scenariowriter.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int RunTimeoutMs = 30000;

// Each iteration: connect to /echo as user N, two round trips, close.
const QString EchoScenario = uR"({
  "wsprobe": 1,
  "name": "echo load",
  "clients": { "alice": { "url": "{{demoUrl}}/echo?user={{__user}}&name={{name}}" } },
  "steps": [
    { "connect": "alice" },
    { "send": "alice", "text": "user {{__user}} iteration {{__iteration}} {{__uuid}} {{name}}" },
    { "expect": "alice", "match": { "textContains": "user {{__user}} iteration {{__iteration}}" } },
    { "send": "alice", "text": "again" },
    { "expect": "alice", "match": { "text": "again" } },
    { "close": "alice" }
  ],
  "variables": { "name": "nobody" }
})"_s;

Scenario loadScenario(const QString &text)
{
    const ScenarioLoader::Result loaded = ScenarioLoader::loadText(text, u"load.json"_s, QString());
    if (!loaded.scenario)
        qWarning("%s", qPrintable(loaded.errorText()));
    return loaded.scenario.value_or(Scenario{});
}

} // namespace

class tst_LoadRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void closedModelAgainstTheDemoServer();
    void iterationsPerUser();
    void arrivalRate();
    void dataFileReachesTheServer();
    void stopEndsTheRun();
    void activeUsersFollowTheRampAndTheEnd();
    void destroyedMidRunIsClean();
    void timelineHasAPointASecond();
    void percentileOfNewPairs();
    void reportPartsMakeTheText();
    void thresholdsPassAndFail();
    void thresholdGrammar_data();
    void thresholdGrammar();
    void badThresholds_data();
    void badThresholds();
    void dataFileErrors_data();
    void dataFileErrors();
    void loadBlockIsRead();
    void loadBlockErrors();

private:
    Variables variables() const;
    // Runs to the end (bounded); false when it did not finish in time.
    bool run(LoadRunner &runner);

    std::unique_ptr<DemoServer> m_server;
};

void tst_LoadRunner::init()
{
    // In this thread, so its signals count what arrived: the users' sessions do their I/O in
    // threads of their own, and the runners live here.
    m_server = std::make_unique<DemoServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

void tst_LoadRunner::cleanup()
{
    m_server->close();
    m_server.reset();
}

Variables tst_LoadRunner::variables() const
{
    Variables variables;
    variables.set(Variables::Layer::BuiltIn, u"demoUrl"_s, m_server->url().toString());
    return variables;
}

bool tst_LoadRunner::run(LoadRunner &runner)
{
    QSignalSpy finished(&runner, &LoadRunner::finished);
    runner.start();
    const bool ended = finished.wait(RunTimeoutMs) || finished.count() == 1;
    if (!ended)
        runner.stop();
    return ended && !runner.isRunning();
}

void tst_LoadRunner::closedModelAgainstTheDemoServer()
{
    const Scenario scenario = loadScenario(EchoScenario);
    QVERIFY(!scenario.steps.isEmpty());
    LoadProfile profile;
    profile.users = 20;
    profile.rampUpMs = 1000;
    profile.durationMs = 3000;
    QSignalSpy served(m_server.get(), &DemoServer::clientServed);
    QSignalSpy received(m_server.get(), &DemoServer::textMessageReceived);
    LoadRunner runner(scenario, variables(), profile);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(run(runner));
    const LoadSummary summary = runner.summary();

    // The time: ramp-up plus duration, and not much more (the last iterations finish).
    QVERIFY2(clock.elapsed() >= 4000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(summary.elapsedNs >= qint64(4000) * 1'000'000);

    // Every iteration passed, and the server saw each one: a connection and two messages.
    QVERIFY2(runner.firstFailure().isEmpty(), qPrintable(runner.firstFailure()));
    QVERIFY(summary.iterations >= 20);
    QCOMPARE(summary.passed, summary.iterations);
    QCOMPARE(summary.errors(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(qint64(served.count()), summary.iterations, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(qint64(received.count()), summary.messagesOut, 5000);
    QCOMPARE(summary.messagesOut, 2 * summary.iterations);
    QCOMPARE(summary.messagesIn, summary.messagesOut);
    QCOMPARE(summary.bytesIn, summary.bytesOut);

    // All 20 users ran, each as itself.
    QSet<QString> users;
    for (const QList<QVariant> &call : std::as_const(served))
        users.insert(QUrlQuery(call.at(0).toUrl()).queryItemValue(u"user"_s));
    QCOMPARE(users.size(), 20);
    QVERIFY(users.contains(u"1"_s) && users.contains(u"20"_s));
    QCOMPARE(summary.usersMax, 20);

    // The figures: a connect time per iteration, a round trip per message, percentiles in order.
    QCOMPARE(summary.connect.count(), summary.iterations);
    QCOMPARE(summary.roundTrips.count(), summary.messagesOut);
    const LatencyHistogram &rtt = summary.roundTrips;
    QVERIFY(rtt.percentileNs(50) > 0);
    QVERIFY(rtt.percentileNs(50) <= rtt.percentileNs(90));
    QVERIFY(rtt.percentileNs(90) <= rtt.percentileNs(95));
    QVERIFY(rtt.percentileNs(95) <= rtt.percentileNs(99));
    QVERIFY(rtt.percentileNs(99) <= rtt.maxNs());
    QVERIFY(summary.connect.percentileNs(50) <= summary.connect.percentileNs(99));
    QVERIFY(summary.messageRate() > 0);

    const QString table = LoadReport::text(scenario.name, profile, summary, {});
    QVERIFY2(table.contains(u"round trip"_s) && table.contains(u"p95="_s) && table.contains(u"p99="_s), qPrintable(table));
    QVERIFY2(table.contains(u"20 users, ramp-up 1s, duration 3s"_s), qPrintable(table));
    QVERIFY2(table.contains(u"(%1 passed, 0 failed)"_s.arg(summary.iterations)), qPrintable(table));
}

void tst_LoadRunner::iterationsPerUser()
{
    const Scenario scenario = loadScenario(EchoScenario);
    LoadProfile profile;
    profile.users = 3;
    profile.iterations = 2;
    profile.thinkTimeMs = 100;
    QSignalSpy served(m_server.get(), &DemoServer::clientServed);
    LoadRunner runner(scenario, variables(), profile);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(run(runner));
    QCOMPARE(runner.summary().iterations, 6);
    QCOMPARE(runner.summary().passed, 6);
    QTRY_COMPARE_WITH_TIMEOUT(served.count(), 6, 5000);
    // The think time between a user's two iterations (a timer's millisecond of rounding aside).
    QVERIFY2(clock.elapsed() >= 99, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(clock.elapsed() < profile.durationMs);
}

void tst_LoadRunner::arrivalRate()
{
    const Scenario scenario = loadScenario(EchoScenario);
    LoadProfile profile;
    profile.users = 10;      // at most at once
    profile.arrivalRate = 20;
    profile.durationMs = 2000;
    QSignalSpy served(m_server.get(), &DemoServer::clientServed);
    LoadRunner runner(scenario, variables(), profile);
    QVERIFY(run(runner));
    const LoadSummary summary = runner.summary();
    // 20 a second for 2 s, whatever the iterations take: 40, started or dropped.
    QCOMPARE(summary.iterations + summary.dropped, 40);
    QCOMPARE(summary.dropped, 0);  // an echo iteration takes far less than 10 / 20 s
    QCOMPARE(summary.passed, 40);
    QTRY_COMPARE_WITH_TIMEOUT(served.count(), 40, 5000);
    QVERIFY(summary.usersMax >= 1 && summary.usersMax <= 10);
}

void tst_LoadRunner::dataFileReachesTheServer()
{
    LoadData data;
    QString error;
    QVERIFY2(data.parse(u"name,city\nada,\"London, UK\"\ngrace,\"New \"\"York\"\"\"\r\nalan,Wilmslow\n"_s,
                        u"users.csv"_s, &error), qPrintable(error));
    QCOMPARE(data.columns(), (QStringList{u"name"_s, u"city"_s}));
    QCOMPARE(data.rowCount(), 3);
    QCOMPARE(data.row(1), (QStringList{u"grace"_s, u"New \"York\""_s}));
    QCOMPARE(data.row(4), data.row(1));  // from the top again after the last

    const Scenario scenario = loadScenario(EchoScenario);
    LoadProfile profile;
    profile.users = 3;
    profile.iterations = 2;
    QSignalSpy received(m_server.get(), &DemoServer::textMessageReceived);
    QSignalSpy served(m_server.get(), &DemoServer::clientServed);
    LoadRunner runner(scenario, variables(), profile);
    runner.setData(data);
    QVERIFY(run(runner));
    QCOMPARE(runner.summary().passed, 6);
    QTRY_COMPARE_WITH_TIMEOUT(served.count(), 6, 5000);

    // Six iterations took the three rows twice, in the URL and in the messages; the data's name
    // wins over the scenario's default.
    QMap<QString, int> names;
    for (const QList<QVariant> &call : std::as_const(served))
        ++names[QUrlQuery(call.at(0).toUrl()).queryItemValue(u"name"_s)];
    QCOMPARE(names, (QMap<QString, int>{{u"ada"_s, 2}, {u"grace"_s, 2}, {u"alan"_s, 2}}));
    QStringList texts;
    for (const QList<QVariant> &call : std::as_const(received))
        texts.append(call.at(1).toString());
    QCOMPARE(texts.filter(u" ada"_s).size(), 2);
    QCOMPARE(texts.filter(u"iteration 1 "_s).size(), 3);  // each user's second iteration
    // A fresh id each time.
    QSet<QString> uuids;
    for (const QString &text : std::as_const(texts)) {
        if (text.startsWith(u"user "_s))
            uuids.insert(text.section(u' ', 4, 4));
    }
    QCOMPARE(uuids.size(), 6);
}

void tst_LoadRunner::stopEndsTheRun()
{
    const Scenario scenario = loadScenario(EchoScenario);
    LoadProfile profile;
    profile.users = 5;
    profile.rampUpMs = 2000;
    profile.durationMs = 60000;
    LoadRunner runner(scenario, variables(), profile);
    QSignalSpy finished(&runner, &LoadRunner::finished);
    runner.start();
    QTest::qWait(500);
    runner.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QVERIFY(!runner.isRunning());
    QVERIFY(runner.summary().elapsedNs < qint64(10000) * 1'000'000);
}

void tst_LoadRunner::thresholdsPassAndFail()
{
    LoadSummary summary;
    // 10 µs to 1 ms: below 1024 µs the histogram is exact.
    for (int i = 1; i <= 100; ++i)
        summary.roundTrips.record(qint64(i) * 10'000);
    summary.connect.record(3'000'000);
    summary.iterations = 200;
    summary.passed = 198;
    summary.failedSteps = 2;
    summary.messagesIn = summary.messagesOut = 500;
    summary.elapsedNs = qint64(10) * 1'000'000'000;

    const auto verdict = [&](const QString &text) {
        QString error;
        const std::optional<LoadThreshold> threshold = LoadThreshold::parse(text, &error);
        if (!threshold)
            qWarning("%s: %s", qPrintable(text), qPrintable(error));
        return threshold ? threshold->evaluate(summary) : LoadThreshold::Verdict{false, error};
    };
    QVERIFY(verdict(u"p95<200"_s).passed);
    QCOMPARE(verdict(u"p95<200"_s).actual, u"0.95ms"_s);
    QVERIFY(!verdict(u"p95<0.5"_s).passed);
    QVERIFY(verdict(u"p99 <= 0.1s"_s).passed);
    QVERIFY(verdict(u"max<=1"_s).passed);
    QVERIFY(!verdict(u"max<1"_s).passed);
    QVERIFY(verdict(u"connect p99<500"_s).passed);
    QVERIFY(!verdict(u"errors<1%"_s).passed);  // 2 of 200: 1 %
    QCOMPARE(verdict(u"errors<1%"_s).actual, u"1.00%"_s);
    QVERIFY(verdict(u"errors<=1%"_s).passed);
    QVERIFY(!verdict(u"errors==0"_s).passed);
    QVERIFY(verdict(u"rate>=100"_s).passed);   // 1000 messages in 10 s
    QVERIFY(!verdict(u"rate in>50"_s).passed);
    QVERIFY(verdict(u"iterations>100"_s).passed);

    // Nothing measured is no pass.
    const LoadThreshold p95 = *LoadThreshold::parse(u"p95<200"_s, nullptr);
    const LoadThreshold::Verdict none = p95.evaluate(LoadSummary{});
    QVERIFY(!none.passed);
    QCOMPARE(none.actual, u"no round trip was measured"_s);

    const QList<ThresholdOutcome> outcomes =
            LoadReport::evaluate({*LoadThreshold::parse(u"p95<200"_s, nullptr),
                                  *LoadThreshold::parse(u"errors<1%"_s, nullptr)}, summary);
    const QString table = LoadReport::text(u"s"_s, LoadProfile{}, summary, outcomes);
    QVERIFY2(table.contains(u"✓ p95<200 (0.95ms)"_s), qPrintable(table));
    QVERIFY2(table.contains(u"✗ errors<1% (1.00%)"_s), qPrintable(table));
}

void tst_LoadRunner::thresholdGrammar_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("metric");
    QTest::addColumn<double>("limit");
    using M = LoadThreshold::Metric;
    QTest::newRow("p95") << u"p95<200"_s << int(M::RoundTrip) << 200.0;
    QTest::newRow("blanks") << u"  p99  <  500 ms "_s << int(M::RoundTrip) << 500.0;
    QTest::newRow("seconds") << u"max<1.5s"_s << int(M::RoundTrip) << 1500.0;
    QTest::newRow("connect") << u"connect p99<500"_s << int(M::Connect) << 500.0;
    QTest::newRow("error share") << u"errors<1%"_s << int(M::ErrorRate) << 0.01;
    QTest::newRow("error count") << u"errors==0"_s << int(M::Errors) << 0.0;
    QTest::newRow("rate") << u"rate>100"_s << int(M::Rate) << 100.0;
    QTest::newRow("rate out") << u"rate out >= 10"_s << int(M::RateOut) << 10.0;
    QTest::newRow("upper case") << u"P95<200"_s << int(M::RoundTrip) << 200.0;
}

void tst_LoadRunner::thresholdGrammar()
{
    QFETCH(QString, text);
    QFETCH(int, metric);
    QFETCH(double, limit);
    QString error;
    const std::optional<LoadThreshold> threshold = LoadThreshold::parse(text, &error);
    QVERIFY2(threshold, qPrintable(error));
    QCOMPARE(int(threshold->metric()), metric);
    QCOMPARE(threshold->limit(), limit);
}

void tst_LoadRunner::badThresholds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("column");
    QTest::newRow("empty") << u""_s << u"a threshold is empty"_s << 1;
    QTest::newRow("unknown measure") << u"p96<200"_s << u"unknown measure \"p96\"; thresholds measure p50"_s << 1;
    QTest::newRow("no operator") << u"p95 200"_s << u"expected a comparison (<, <=, >, >=, ==, !=), found \"200\""_s << 5;
    QTest::newRow("no number") << u"p95<abc"_s << u"expected a number after \"<\", found \"abc\""_s << 5;
    QTest::newRow("percent on a time") << u"p95<5%"_s << u"\"%\" goes with errors only"_s << 7;
    QTest::newRow("ms on errors") << u"errors<5ms"_s << u"\"ms\" goes with a time"_s << 11;
    QTest::newRow("unknown unit") << u"p95<5 min"_s << u"unknown unit \"min\""_s << 7;
    QTest::newRow("trailing") << u"p95<200ms or so"_s << u"unexpected \"or so\""_s << 11;
    QTest::newRow("connect alone") << u"connect<200"_s << u"\"connect\" is followed by a statistic"_s << 8;
}

void tst_LoadRunner::badThresholds()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QFETCH(int, column);
    QString error;
    int at = 0;
    QVERIFY(!LoadThreshold::parse(text, &error, &at));
    QVERIFY2(error.contains(message), qPrintable(error));
    QCOMPARE(at, column);
}

void tst_LoadRunner::dataFileErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << u""_s << u"users.csv:1: the file is empty"_s;
    QTest::newRow("header only") << u"name\n"_s << u"users.csv:1: a header but no rows"_s;
    QTest::newRow("bad name") << u"first name\nada\n"_s << u"users.csv:1: \"first name\" in the header is not a variable name"_s;
    QTest::newRow("short row") << u"a,b\n1,2\n3\n"_s << u"users.csv:3: 1 values, but the header names 2 columns"_s;
    QTest::newRow("open quote") << u"a\n\"x\n"_s << u"users.csv:2: a quoted field is not closed"_s;
    QTest::newRow("text after quote") << u"a\n\"x\"y\n"_s << u"users.csv:2: only a comma"_s;
}

void tst_LoadRunner::dataFileErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    LoadData data;
    QString error;
    QVERIFY(!data.parse(text, u"users.csv"_s, &error));
    QVERIFY2(error.startsWith(message), qPrintable(error));
}

void tst_LoadRunner::loadBlockIsRead()
{
    QString text = EchoScenario;
    text.replace(u"\"variables\""_s, uR"("load": { "users": 50, "rampUp": "10s", "duration": 60000,
      "iterations": 3, "arrivalRate": 2.5, "thinkTime": "500ms", "data": "users.csv",
      "thresholds": ["p95<200", "errors<1%"] },
  "variables")"_s);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadText(text, u"load.json"_s, u"/tmp/here"_s);
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    QVERIFY(loaded.scenario->load);
    const LoadProfile &load = *loaded.scenario->load;
    QCOMPARE(load.users, 50);
    QCOMPARE(load.rampUpMs, 10000);
    QCOMPARE(load.durationMs, 60000);
    QCOMPARE(load.iterations, 3);
    QCOMPARE(load.arrivalRate, 2.5);
    QCOMPARE(load.thinkTimeMs, 500);
    QCOMPARE(load.dataFile, u"/tmp/here/users.csv"_s);  // beside the scenario
    QCOMPARE(load.thresholds.size(), 2);
    QCOMPARE(load.thresholds[1].text, u"errors<1%"_s);
    QVERIFY(load.thresholds[1].where.isValid());

    // Written back, it reads the same.
    const ScenarioLoader::Result again =
            ScenarioLoader::loadText(ScenarioWriter::toText(*loaded.scenario), u"again.json"_s, QString());
    QVERIFY2(again.scenario && again.scenario->load, qPrintable(again.errorText()));
    const LoadProfile &reread = *again.scenario->load;
    QCOMPARE(reread.users, 50);
    QCOMPARE(reread.rampUpMs, 10000);
    QCOMPARE(reread.durationMs, 60000);
    QCOMPARE(reread.iterations, 3);
    QCOMPARE(reread.arrivalRate, 2.5);
    QCOMPARE(reread.thinkTimeMs, 500);
    QCOMPARE(reread.dataFile, u"/tmp/here/users.csv"_s);
    QCOMPARE(reread.thresholds.size(), 2);
    QCOMPARE(reread.thresholds[0].text, u"p95<200"_s);
}

void tst_LoadRunner::loadBlockErrors()
{
    QString text = EchoScenario;
    text.replace(u"\"variables\""_s, uR"("load": { "users": 0, "duration": "soon", "thresholds": [200], "rampup": "1s" },
  "variables")"_s);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadText(text, u"load.json"_s, QString());
    QVERIFY(!loaded.scenario);
    const QString errors = loaded.errorText();
    QVERIFY2(errors.contains(u"load.json:13:"_s), qPrintable(errors));
    QVERIFY2(errors.contains(u"duration is a duration such as \"10s\""_s), qPrintable(errors));
    QVERIFY2(errors.contains(u"a threshold is a string"_s), qPrintable(errors));
    QVERIFY2(errors.contains(u"rampup"_s) && errors.contains(u"rampUp"_s), qPrintable(errors));  // a suggestion
}

void tst_LoadRunner::activeUsersFollowTheRampAndTheEnd()
{
    const Scenario scenario = loadScenario(EchoScenario);
    LoadProfile profile;
    profile.users = 3;
    profile.rampUpMs = 600;       // one user every 200 ms
    profile.durationMs = 1500;
    profile.thinkTimeMs = 50;     // thinking users still count
    LoadRunner runner(scenario, variables(), profile);
    QCOMPARE(runner.activeUsers(), 0);
    QSignalSpy finished(&runner, &LoadRunner::finished);
    runner.start();
    QList<int> seen;
    QElapsedTimer clock;
    clock.start();
    while (finished.isEmpty() && clock.elapsed() < RunTimeoutMs) {
        const int active = runner.activeUsers();
        if (seen.isEmpty() || seen.last() != active)
            seen.append(active);
        QTest::qWait(10);
    }
    QCOMPARE(finished.count(), 1);
    // Up one by one over the ramp, held, then down as each user's last iteration ends.
    QVERIFY2(seen.contains(1) && seen.contains(2) && seen.contains(3), qPrintable(QString::number(seen.size())));
    QCOMPARE(*std::max_element(seen.begin(), seen.end()), 3);
    QVERIFY(seen.indexOf(1) < seen.indexOf(3));
    QCOMPARE(runner.activeUsers(), 0);
}

void tst_LoadRunner::destroyedMidRunIsClean()
{
    // A window's tab closed mid-run: the runner goes with its users' connections open.
    const Scenario scenario = loadScenario(EchoScenario);
    LoadProfile profile;
    profile.users = 5;
    profile.durationMs = 60000;
    QSignalSpy served(m_server.get(), &DemoServer::clientServed);
    auto runner = std::make_unique<LoadRunner>(scenario, variables(), profile);
    runner->start();
    QTRY_VERIFY_WITH_TIMEOUT(served.count() >= 10, 10000);
    QVERIFY(runner->isRunning());
    runner.reset();
    // The event loop turns on (the runners deleted later go), and the server still answers.
    QTest::qWait(200);
    LoadProfile once;
    once.iterations = 1;
    LoadRunner again(scenario, variables(), once);
    QVERIFY(run(again));
    QCOMPARE(again.summary().passed, 1);
}

void tst_LoadRunner::timelineHasAPointASecond()
{
    constexpr qint64 Second = 1'000'000'000;
    LoadTimeline timeline;
    LoadSummary summary;
    // The first second: 10 iterations, 10 pairs of 100 µs, 20 messages each way.
    for (int i = 0; i < 10; ++i)
        summary.roundTrips.record(100'000);
    summary.iterations = 10;
    summary.messagesIn = summary.messagesOut = 20;
    summary.elapsedNs = Second / 2;
    timeline.add(summary, 2);
    QVERIFY(timeline.points().empty());  // half a second: no point yet
    QCOMPARE(timeline.messagesInPerSecond(), 40.0);  // 20 in half a second
    summary.elapsedNs = Second;
    timeline.add(summary, 3);
    QCOMPARE(timeline.points().size(), std::size_t(1));
    QCOMPARE(timeline.points()[0].users, 3);
    QCOMPARE(timeline.points()[0].roundTripP95Ns, 100'000);
    QCOMPARE(timeline.points()[0].iterations, 10);
    QCOMPARE(timeline.points()[0].messagesPerSecond, 40.0);

    // The next second: 20 pairs of 500 µs; its p95 is theirs alone, not the run's.
    for (int i = 0; i < 20; ++i)
        summary.roundTrips.record(500'000);
    summary.iterations = 30;
    summary.messagesIn = summary.messagesOut = 60;
    summary.elapsedNs = 2 * Second;
    timeline.add(summary, 3);
    QCOMPARE(timeline.points().size(), std::size_t(2));
    QCOMPARE(timeline.points()[1].roundTripP95Ns, 500'000);
    QCOMPARE(timeline.points()[1].iterations, 20);
    QCOMPARE(timeline.points()[1].seconds, 2.0);

    // A second with no pair has no p95; the end closes a short second.
    summary.elapsedNs = 3 * Second;
    timeline.add(summary, 1);
    QCOMPARE(timeline.points()[2].roundTripP95Ns, -1);
    QCOMPARE(timeline.points()[2].messagesPerSecond, 0.0);
    summary.elapsedNs = 3 * Second + Second / 4;
    timeline.add(summary, 0, true);
    QCOMPARE(timeline.points().size(), std::size_t(4));
    QCOMPARE(timeline.points()[3].users, 0);

    // The rate "now" is over the last 5 s: at 8 s, only the samples since 3 s count.
    summary.messagesIn = 160;
    summary.elapsedNs = 8 * Second;
    timeline.add(summary, 0);
    QCOMPARE(timeline.messagesInPerSecond(), 20.0);  // 100 more over 5 s
    QCOMPARE(timeline.messagesOutPerSecond(), 0.0);

    timeline.clear();
    QVERIFY(timeline.points().empty());
    QCOMPARE(timeline.messagesInPerSecond(), 0.0);
}

void tst_LoadRunner::percentileOfNewPairs()
{
    LatencyHistogram before;
    LatencyHistogram now;
    QCOMPARE(percentileOfNew(before, now, 95), -1);
    for (int i = 1; i <= 100; ++i) {
        before.record(qint64(i) * 1000);   // 1 .. 100 µs
        now.record(qint64(i) * 1000);
    }
    QCOMPARE(percentileOfNew(before, now, 95), -1);  // nothing new
    for (int i = 1; i <= 100; ++i)
        now.record(qint64(i) * 5000);     // 5 .. 500 µs, exact below 1024 µs
    QCOMPARE(percentileOfNew(before, now, 50), 250'000);
    QCOMPARE(percentileOfNew(before, now, 95), 475'000);
    QCOMPARE(percentileOfNew(before, now, 100), 500'000);
    QCOMPARE(percentileOfNew(LatencyHistogram(), now, 50), now.percentileNs(50));
}

void tst_LoadRunner::reportPartsMakeTheText()
{
    LoadSummary summary;
    summary.roundTrips.record(2'000'000);
    summary.connect.record(1'000'000);
    summary.iterations = summary.passed = 4;
    summary.messagesIn = summary.messagesOut = 8;
    summary.usersMax = 2;
    summary.elapsedNs = 2'000'000'000;
    LoadProfile profile;
    profile.users = 2;
    profile.iterations = 2;
    const QList<ThresholdOutcome> outcomes =
            LoadReport::evaluate({*LoadThreshold::parse(u"p95<1"_s, nullptr)}, summary);
    const QString text = LoadReport::text(u"echo"_s, profile, summary, outcomes);
    QCOMPARE(LoadReport::shape(profile), u"2 users, duration 1m, 2 iterations each"_s);
    QVERIFY2(text.contains(u"  load ...................: "_s + LoadReport::shape(profile)), qPrintable(text));
    QCOMPARE(LoadReport::thresholdLine(outcomes[0]), u"p95<1 (2.00ms)"_s);
    QVERIFY2(text.contains(u"✗ p95<1 (2.00ms)"_s), qPrintable(text));
    // Every figure is a line of the text, in order, and the text has no other after them.
    const QList<LoadReport::Line> figures = LoadReport::figures(profile, summary);
    QCOMPARE(figures.first().label, u"connect time"_s);
    QCOMPARE(figures.last().label, u"run time"_s);
    qsizetype at = 0;
    for (const LoadReport::Line &figure : figures) {
        at = text.indexOf(figure.label + u' ', at);
        QVERIFY2(at >= 0, qPrintable(figure.label));
        QVERIFY(text.indexOf(u": "_s + figure.value + u'\n', at) >= 0);
    }
    QCOMPARE(figures.at(6).value, u"4  2.0/s  (4 passed, 0 failed)"_s);
}

QTEST_GUILESS_MAIN(tst_LoadRunner)
#include "tst_loadrunner.moc"
