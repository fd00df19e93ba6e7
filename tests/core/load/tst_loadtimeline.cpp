#include "loadreport.h"
#include "loadtimeline.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

class tst_LoadTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ratesAreThePerIntervalDifference();
    void percentilesAreTheIntervalsOwn();
    void aSummaryNoLaterIsIgnored();
    void keepsAtMostMaxSamples();
    void reportFiguresMatchTheText();
    void jsonAndCsvExport();
};

void tst_LoadTimeline::ratesAreThePerIntervalDifference()
{
    LoadTimeline timeline;
    LoadSummary summary;
    summary.elapsedNs = 500'000'000;
    summary.iterations = 10;
    summary.messagesIn = 20;
    summary.bytesOut = 1000;
    QVERIFY(timeline.add(summary, 4));
    summary.elapsedNs = 1'000'000'000;
    summary.iterations = 30;
    summary.messagesIn = 20;
    summary.connectionFailures = 1;
    summary.bytesOut = 1500;
    QVERIFY(timeline.add(summary, 5));
    QCOMPARE(timeline.samples().size(), 2);
    const LoadSample &first = timeline.samples()[0];
    QCOMPARE(first.seconds, 0.5);
    QCOMPARE(first.users, 4);
    QCOMPARE(first.iterationsPerSecond, 20.0);
    QCOMPARE(first.messagesInPerSecond, 40.0);
    QCOMPARE(first.bytesOutPerSecond, 2000.0);
    const LoadSample &second = timeline.samples()[1];
    QCOMPARE(second.seconds, 1.0);
    QCOMPARE(second.users, 5);
    QCOMPARE(second.iterationsPerSecond, 40.0);
    QCOMPARE(second.messagesInPerSecond, 0.0);
    QCOMPARE(second.errorsPerSecond, 2.0);
    QCOMPARE(second.bytesOutPerSecond, 1000.0);
    QCOMPARE(second.p50Ns, -1);  // no round trip at all
}

void tst_LoadTimeline::percentilesAreTheIntervalsOwn()
{
    LoadTimeline timeline;
    LoadSummary summary;
    // First interval: 100 fast round trips (100 µs); second: 100 slow ones (50 ms).
    for (int i = 0; i < 100; ++i)
        summary.roundTrips.record(100'000);
    summary.elapsedNs = 1'000'000'000;
    QVERIFY(timeline.add(summary, 1));
    for (int i = 0; i < 100; ++i)
        summary.roundTrips.record(50'000'000);
    summary.elapsedNs = 2'000'000'000;
    QVERIFY(timeline.add(summary, 1));
    const LoadSample &fast = timeline.samples()[0];
    const LoadSample &slow = timeline.samples()[1];
    QCOMPARE(fast.p50Ns, 100'000);
    QCOMPARE(fast.p99Ns, 100'000);
    // The cumulative p50 would be the fast one; the interval's is the slow one, within 0.2 %.
    QVERIFY2(slow.p50Ns > 49'800'000 && slow.p50Ns <= 50'000'000, QByteArray::number(slow.p50Ns).constData());
    QVERIFY(slow.p95Ns >= slow.p50Ns);
    QVERIFY(slow.p99Ns >= slow.p95Ns);
    QVERIFY(summary.roundTrips.percentileNs(50) < 1'000'000);
}

void tst_LoadTimeline::aSummaryNoLaterIsIgnored()
{
    LoadTimeline timeline;
    LoadSummary summary;
    QVERIFY(!timeline.add(summary, 1));  // elapsed 0: no interval to divide by
    summary.elapsedNs = 100;
    QVERIFY(timeline.add(summary, 1));
    QVERIFY(!timeline.add(summary, 1));
    QCOMPARE(timeline.samples().size(), 1);
    timeline.clear();
    QVERIFY(timeline.samples().isEmpty());
    QVERIFY(timeline.add(summary, 1));
}

void tst_LoadTimeline::keepsAtMostMaxSamples()
{
    LoadTimeline timeline;
    LoadSummary summary;
    for (qsizetype i = 1; i <= LoadTimeline::MaxSamples + 10; ++i) {
        summary.elapsedNs = i * 1'000'000;
        QVERIFY(timeline.add(summary, 0));
    }
    QCOMPARE(timeline.samples().size(), LoadTimeline::MaxSamples);
    QCOMPARE(timeline.samples().first().seconds, 0.011);  // the ten oldest went
}

void tst_LoadTimeline::reportFiguresMatchTheText()
{
    LoadProfile profile;
    profile.users = 3;
    LoadSummary summary;
    summary.iterations = 7;
    summary.passed = 6;
    summary.failedSteps = 1;
    summary.elapsedNs = 2'000'000'000;
    summary.roundTrips.record(2'000'000);
    const QString text = LoadReport::text(u"s"_s, profile, summary, {});
    const QList<LoadReport::Figure> figures = LoadReport::figures(profile, summary);
    QVERIFY(figures.size() >= 10);
    for (const LoadReport::Figure &figure : figures) {
        QVERIFY2(text.contains(u' ' + figure.label + u' ') && text.contains(u": "_s + figure.value + u'\n'),
                 qPrintable(figure.label));
    }
}

void tst_LoadTimeline::jsonAndCsvExport()
{
    LoadProfile profile;
    profile.users = 2;
    profile.durationMs = 1000;
    LoadSummary summary;
    summary.iterations = 4;
    summary.passed = 3;
    summary.connectionFailures = 1;
    summary.elapsedNs = 1'000'000'000;
    summary.roundTrips.record(3'000'000);
    QString error;
    const std::optional<LoadThreshold> pass = LoadThreshold::parse(u"p95<200"_s, &error);
    const std::optional<LoadThreshold> fail = LoadThreshold::parse(u"errors<1%"_s, &error);
    QVERIFY(pass && fail);
    const QList<ThresholdOutcome> outcomes = LoadReport::evaluate({*pass, *fail}, summary);

    const QJsonObject json = LoadReport::toJson(u"a, \"quoted\" name"_s, profile, summary, outcomes);
    QCOMPARE(json[u"iterations"_s].toInteger(), 4);
    QCOMPARE(json[u"failed"_s].toInteger(), 1);
    QCOMPARE(json[u"load"_s][u"users"_s].toInt(), 2);
    QCOMPARE(json[u"roundTripMs"_s][u"p95"_s].toDouble(), 3.0);
    QVERIFY(json[u"connectMs"_s][u"p95"_s].isNull());  // nothing measured: null, not -1
    const QJsonArray thresholds = json[u"thresholds"_s].toArray();
    QCOMPARE(thresholds.size(), 2);
    QCOMPARE(thresholds[0][u"passed"_s].toBool(), true);
    QCOMPARE(thresholds[1][u"passed"_s].toBool(), false);

    const QString csv = QString::fromUtf8(LoadReport::toCsv(u"a, \"quoted\" name"_s, profile, summary, outcomes));
    QVERIFY(csv.startsWith(u"figure,value\r\n"_s));
    QVERIFY(csv.contains(u"scenario,\"a, \"\"quoted\"\" name\"\r\n"_s));
    QVERIFY(csv.contains(u"threshold p95<200,passed (3.00ms)\r\n"_s));
    QVERIFY(csv.contains(u"threshold errors<1%,failed ("_s));
    QVERIFY(csv.contains(u"\r\niterations,"_s));
}

QTEST_GUILESS_MAIN(tst_LoadTimeline)
#include "tst_loadtimeline.moc"
