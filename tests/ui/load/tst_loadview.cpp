#include "demoserver.h"
#include "loadfiguresmodel.h"
#include "loadrunner.h"
#include "loadview.h"
#include "mainwindow.h"
#include "timeserieschart.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int RunTimeoutMs = 30000;

// Each iteration connects once to /echo, makes two round trips and closes; the file's load
// block is what the tab starts from.
const QByteArray EchoScenario = R"({
  "wsprobe": 1,
  "name": "echo under load",
  "clients": { "alice": { "url": "{{demoUrl}}/echo" } },
  "steps": [
    { "connect": "alice" },
    { "send": "alice", "text": "user {{__user}} iteration {{__iteration}}" },
    { "expect": "alice", "match": { "textContains": "iteration" } },
    { "send": "alice", "text": "again" },
    { "expect": "alice", "match": { "text": "again" } },
    { "close": "alice" }
  ],
  "load": { "users": 3, "duration": "1s", "thresholds": ["p95<5000"] }
})";

} // namespace

class tst_LoadView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void prefillsFromTheLoadBlock();
    void liveFiguresMoveAndTheSummaryCountsWhatTheServerSaw();
    void aFailingThresholdShowsAsFailed();
    void badSettingsSayWhy();
    void stopEndsTheRunCleanly();
    void closingTheTabMidRunIsClean();

private:
    LoadView *newView();
    Variables variables() const;

    std::unique_ptr<DemoServer> m_server;
    QTemporaryDir m_dir;
    QString m_scenarioPath;
    std::unique_ptr<LoadView> m_view;
};

void tst_LoadView::init()
{
    QVERIFY(m_dir.isValid());
    m_server = std::make_unique<DemoServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_scenarioPath = m_dir.filePath(u"echo-load.json"_s);
    QFile file(m_scenarioPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(EchoScenario);
}

void tst_LoadView::cleanup()
{
    m_view.reset();
    m_server->close();
    m_server.reset();
}

Variables tst_LoadView::variables() const
{
    Variables variables;
    variables.set(Variables::Layer::BuiltIn, u"demoUrl"_s, m_server->url().toString());
    return variables;
}

LoadView *tst_LoadView::newView()
{
    m_view = std::make_unique<LoadView>();
    m_view->setVariablesSource([this] { return variables(); });
    m_view->resize(1200, 800);
    m_view->show();
    return m_view.get();
}

void tst_LoadView::prefillsFromTheLoadBlock()
{
    LoadView *view = newView();
    QSignalSpy titled(view, &LoadView::titleChanged);
    QVERIFY(view->openScenario(m_scenarioPath));
    QCOMPARE(titled.count(), 1);
    QCOMPARE(view->title(), u"Load: echo under load"_s);
    QString error;
    const std::optional<LoadProfile> profile = view->profile(&error);
    QVERIFY2(profile, qPrintable(error));
    QCOMPARE(profile->users, 3);
    QCOMPARE(profile->durationMs, 1000);
    QCOMPARE(profile->iterations, 0);
    QCOMPARE(profile->thresholds.size(), 1);
    QCOMPARE(profile->thresholds[0].text, u"p95<5000"_s);

    // A file that cannot be read says where.
    const QString bad = m_dir.filePath(u"bad.json"_s);
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\n  \"wsprobe\": 1,\n  \"steps\": [ oops ]\n}\n");
    file.close();
    QVERIFY(!view->openScenario(bad));
    QVERIFY2(view->statusText().contains(u"bad.json:3:"_s), qPrintable(view->statusText()));
    QVERIFY(!view->start());
}

void tst_LoadView::liveFiguresMoveAndTheSummaryCountsWhatTheServerSaw()
{
    LoadView *view = newView();
    view->setRefreshInterval(100);
    QVERIFY(view->openScenario(m_scenarioPath));
    LoadProfile profile;
    profile.users = 5;
    profile.rampUpMs = 200;
    profile.durationMs = 2000;
    profile.thinkTimeMs = 20;
    profile.thresholds = {{u"p95<5000"_s, {}}, {u"errors<1%"_s, {}}};
    view->setProfile(profile);
    QSignalSpy served(m_server.get(), &DemoServer::clientServed);
    QSignalSpy finished(view, &LoadView::runFinished);
    QVERIFY(view->start());
    QVERIFY(view->isRunning());

    // Live: the figures move while it runs, read on the timer.
    QTRY_VERIFY_WITH_TIMEOUT(view->timeline().samples().size() >= 3, 5000);
    QVERIFY(view->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(view->liveText().contains(u"iterations"_s) && view->runner()->summary().iterations > 0,
                             5000);
    const QString early = view->liveText();
    QTRY_VERIFY_WITH_TIMEOUT(view->liveText() != early, 5000);
    QVERIFY(view->throughputChart()->pointCount(0) >= 3);

    QVERIFY(finished.wait(RunTimeoutMs) || finished.count() == 1);
    QVERIFY(!view->isRunning());
    const LoadSummary summary = view->runner()->summary();
    // The server's count: every iteration connected once, and each one finished.
    QTRY_COMPARE_WITH_TIMEOUT(qint64(served.count()), summary.iterations, 5000);
    QVERIFY(summary.iterations >= 5);
    QCOMPARE(summary.passed, summary.iterations);
    QVERIFY(view->timeline().samples().size() >= 10);  // 2.2 s at 100 ms
    // Not faster than the timer: at most a sample per 100 ms (and the last one at the end).
    QVERIFY(view->timeline().samples().size() <= 2 + summary.elapsedNs / 100'000'000);
    QVERIFY(view->percentilesChart()->pointCount(1) >= 3);  // p95

    // The summary: the thresholds first, both passed, then the figures with the iterations.
    const LoadFiguresModel *model = view->figuresModel();
    QCOMPARE(model->thresholdCount(), 2);
    QCOMPARE(model->index(0, 0).data(LoadFiguresModel::PassedRole).toBool(), true);
    QCOMPARE(model->index(1, 0).data(LoadFiguresModel::PassedRole).toBool(), true);
    bool sawIterations = false;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, LoadFiguresModel::FigureColumn).data().toString() == u"iterations"_s) {
            sawIterations = true;
            QVERIFY2(model->index(row, LoadFiguresModel::ValueColumn).data().toString()
                         .startsWith(QString::number(served.count()) + u"  "_s),
                     qPrintable(model->index(row, 1).data().toString()));
        }
    }
    QVERIFY(sawIterations);
    QVERIFY2(view->statusText().contains(u"All 2 thresholds passed"_s), qPrintable(view->statusText()));

    // The export, as JSON and CSV.
    QString error;
    const QString json = m_dir.filePath(u"summary.json"_s);
    QVERIFY2(view->exportTo(json, LoadView::Format::Json, &error), qPrintable(error));
    QFile jsonFile(json);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const QJsonObject exported = QJsonDocument::fromJson(jsonFile.readAll()).object();
    QCOMPARE(exported[u"iterations"_s].toInteger(), qint64(served.count()));
    QCOMPARE(exported[u"load"_s][u"users"_s].toInt(), 5);
    const QString csv = m_dir.filePath(u"summary.csv"_s);
    QVERIFY2(view->exportTo(csv, LoadView::Format::Csv, &error), qPrintable(error));
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    QVERIFY(csvFile.readAll().contains("threshold p95<5000,passed"));
}

void tst_LoadView::aFailingThresholdShowsAsFailed()
{
    LoadView *view = newView();
    QVERIFY(view->openScenario(m_scenarioPath));
    LoadProfile profile;
    profile.users = 2;
    profile.iterations = 3;
    profile.durationMs = 10000;
    // No round trip takes less than nothing; and 6 iterations are not more than 100.
    profile.thresholds = {{u"p50<0"_s, {}}, {u"iterations>100"_s, {}}, {u"errors==0"_s, {}}};
    view->setProfile(profile);
    QSignalSpy served(m_server.get(), &DemoServer::clientServed);
    QSignalSpy finished(view, &LoadView::runFinished);
    QVERIFY(view->start());
    QVERIFY(finished.wait(RunTimeoutMs) || finished.count() == 1);
    QCOMPARE(view->runner()->summary().iterations, 6);
    QTRY_COMPARE_WITH_TIMEOUT(served.count(), 6, 5000);
    QCOMPARE(view->outcomes().size(), 3);
    QCOMPARE(view->outcomes()[0].verdict.passed, false);
    QCOMPARE(view->outcomes()[1].verdict.passed, false);
    QCOMPARE(view->outcomes()[2].verdict.passed, true);
    const LoadFiguresModel *model = view->figuresModel();
    QCOMPARE(model->index(0, 0).data(LoadFiguresModel::PassedRole).toBool(), false);
    QVERIFY(model->index(0, 0).data().toString().startsWith(u"✗ p50<0"_s));
    QVERIFY(model->index(0, 1).data().toString().startsWith(u"FAILED"_s));
    QVERIFY(model->index(2, 0).data().toString().startsWith(u"✓ errors==0"_s));
    QVERIFY2(view->statusText().contains(u"2 of 3 thresholds failed"_s), qPrintable(view->statusText()));
}

void tst_LoadView::badSettingsSayWhy()
{
    LoadView *view = newView();
    QVERIFY(!view->start());
    QVERIFY(view->statusText().contains(u"scenario file"_s));
    QVERIFY(view->openScenario(m_scenarioPath));
    LoadProfile profile;
    profile.thresholds = {{u"p95<200"_s, {}}, {u"p96<200"_s, {}}};
    view->setProfile(profile);
    QVERIFY(!view->start());
    QVERIFY2(view->statusText().startsWith(u"Threshold 2, \"p96<200\", at character 1"_s),
             qPrintable(view->statusText()));
    QVERIFY(!view->runner());
    profile.thresholds.clear();
    profile.dataFile = m_dir.filePath(u"missing.csv"_s);
    view->setProfile(profile);
    QVERIFY(!view->start());
    QVERIFY2(view->statusText().contains(u"data file"_s), qPrintable(view->statusText()));
}

void tst_LoadView::stopEndsTheRunCleanly()
{
    LoadView *view = newView();
    QVERIFY(view->openScenario(m_scenarioPath));
    LoadProfile profile;
    profile.users = 5;
    profile.durationMs = 60000;
    view->setProfile(profile);
    QSignalSpy served(m_server.get(), &DemoServer::clientServed);
    QSignalSpy finished(view, &LoadView::runFinished);
    QVERIFY(view->start());
    QTRY_VERIFY_WITH_TIMEOUT(view->runner()->summary().iterations >= 5, 10000);
    QElapsedTimer clock;
    clock.start();
    view->stop();
    QVERIFY(finished.wait(10000) || finished.count() == 1);
    QVERIFY2(clock.elapsed() < 10000, "stopping waits for no timeout");
    QVERIFY(!view->isRunning());
    // Every connection the server saw is closed: it serves nobody now.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->clientCount(), 0, 5000);
    QVERIFY(view->statusText().startsWith(u"Finished"_s));
    QVERIFY(view->figuresModel()->rowCount() > 0);
    // And it starts again.
    profile.durationMs = 300;
    view->setProfile(profile);
    QVERIFY(view->start());
    QVERIFY(finished.wait(RunTimeoutMs) || finished.count() == 2);
    QVERIFY(view->runner()->summary().iterations > 0);
}

void tst_LoadView::closingTheTabMidRunIsClean()
{
    MainWindow window(QUrl(u"ws://127.0.0.1:1/"_s));
    window.show();
    LoadView *view = window.openLoad(m_scenarioPath);
    QVERIFY(view);
    view->setVariablesSource([this] { return variables(); });
    QCOMPARE(window.findChild<QTabWidget *>(u"sessions"_s)->tabText(
                 window.findChild<QTabWidget *>(u"sessions"_s)->indexOf(view)),
             u"Load: echo under load"_s);
    LoadProfile profile;
    profile.users = 5;
    profile.durationMs = 60000;
    view->setProfile(profile);
    QVERIFY(view->start());
    QPointer<LoadRunner> runner = view->runner();
    QTRY_VERIFY_WITH_TIMEOUT(runner->summary().iterations >= 3 && runner->activeUsers() > 0, 10000);
    QPointer<LoadView> guard = view;
    window.closeCurrentTab();
    QVERIFY(!guard);
    QVERIFY(!runner);
    // The sessions the cancelled iterations held are gone, and their connections closed.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->clientCount(), 0, 5000);
    QTest::qWait(200);  // any late signal of a deleted runner would land here
}

QTEST_MAIN(tst_LoadView)
#include "tst_loadview.moc"
