#include "loadreport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

class tst_LoadReportExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonAndCsvExport();
};

void tst_LoadReportExport::jsonAndCsvExport()
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

QTEST_GUILESS_MAIN(tst_LoadReportExport)
#include "tst_loadreportexport.moc"
