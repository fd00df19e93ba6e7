// The Load tab: a scenario file run as virtual users against the demo server in this process,
// its figures moving on the timer (and no faster), the summary wsprobe-run prints with the
// iteration count, thresholds passed and failed, Stop and closing the tab or the window in the
// middle of a run, and bad input said where it is.

#include "demoserverthread.h"
#include "loadfigures.h"
#include "loadform.h"
#include "loadrunner.h"
#include "loadsummarymodel.h"
#include "loadview.h"
#include "mainwindow.h"
#include "scenariorunview.h"
#include "timeserieschart.h"
#include "workspacepanel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 20000;

// Each iteration: connect to /echo, two round trips, close. The load block is what the form
// must show.
const QString EchoScenario = uR"({
  "wsprobe": 1,
  "name": "echo under load",
  "clients": { "alice": { "url": "{{demoUrl}}/echo?user={{__user}}" } },
  "steps": [
    { "connect": "alice" },
    { "send": "alice", "text": "user {{__user}} iteration {{__iteration}}" },
    { "expect": "alice", "match": { "text": "user {{__user}} iteration {{__iteration}}" } },
    { "send": "alice", "text": "again" },
    { "expect": "alice", "match": { "text": "again" } },
    { "close": "alice" }
  ],
  "load": { "users": 3, "iterations": 2, "thinkTime": "500ms", "duration": "30s",
            "thresholds": ["iterations==6", "p95<0.001"] }
})"_s;

QString valueOf(const LoadSummaryModel &model, const QString &figure)
{
    const int row = model.rowOf(figure);
    return row < 0 ? u"(no row %1)"_s.arg(figure)
                   : model.data(model.index(row, LoadSummaryModel::ValueColumn)).toString();
}

} // namespace

class TestLoadView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void shortRunShowsFiguresSummaryAndThresholds();
    void aFailedIterationIsReported();
    void stopMidRunIsClean();
    void closingTheTabOrTheWindowMidRunIsClean();
    void opensOnTheCurrentScenario();
    void badInputSaysWhere();
    void screenshot();

private:
    QString writeScenario(const QString &name, const QString &text);
    Variables demoVariables() const;

    QTemporaryDir m_dir;
    DemoServerThread m_demo;
};

void TestLoadView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("WSPROBE_NO_DIALOGS", "1");
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_demo.start(), qPrintable(m_demo.errorString()));
}

QString TestLoadView::writeScenario(const QString &name, const QString &text)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(text.toUtf8());
    return path;
}

Variables TestLoadView::demoVariables() const
{
    Variables variables;
    variables.set(Variables::Layer::BuiltIn, u"demoUrl"_s, m_demo.url().toString());
    return variables;
}

void TestLoadView::shortRunShowsFiguresSummaryAndThresholds()
{
    const QString path = writeScenario(u"echo-load.json"_s, EchoScenario);
    LoadView view;
    view.resize(1100, 750);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setVariablesSource([this] { return demoVariables(); });
    // Every change the summary's model reports is checked as it happens (rows, ranges, roles).
    QAbstractItemModelTester tester(view.summaryModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy titles(&view, &LoadView::titleChanged);
    QVERIFY2(view.openScenario(path), qPrintable(view.statusText()));
    QCOMPARE(view.title(), u"Load: echo under load"_s);
    QCOMPARE(titles.count(), 1);

    // The form shows the load block.
    QString error;
    const std::optional<LoadProfile> profile = view.form()->profile(&error);
    QVERIFY2(profile, qPrintable(error));
    QCOMPARE(profile->users, 3);
    QCOMPARE(profile->iterations, 2);
    QCOMPARE(profile->thinkTimeMs, 500);
    QCOMPARE(profile->durationMs, 30000);
    QCOMPARE(profile->thresholds.size(), 2);
    QCOMPARE(view.findChild<QSpinBox *>(u"loadUsers"_s)->value(), 3);

    view.setRefreshInterval(100);
    QCOMPARE(view.refreshInterval(), 100);
    view.setRefreshInterval(10);  // faster than a person reads: not taken
    QCOMPARE(view.refreshInterval(), 100);
    QSignalSpy finished(&view, &LoadView::finished);
    QSignalSpy running(&view, &LoadView::runningChanged);
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(view.findChild<QPushButton *>(u"loadStart"_s), Qt::LeftButton);
    QVERIFY2(view.isRunning(), qPrintable(view.statusText()));
    QCOMPARE(running.count(), 1);
    QVERIFY(!view.findChild<QPushButton *>(u"loadStart"_s)->isEnabled());
    QVERIFY(view.findChild<QPushButton *>(u"loadStop"_s)->isEnabled());

    // While it runs, the figures move: all three users at once (each thinks 500 ms between its
    // two iterations), then the first iterations counted, with their round trips.
    LoadFigures *figures = view.figures();
    QTRY_COMPARE_WITH_TIMEOUT(figures->value(u"users"_s), u"3 / 3"_s, Timeout);
    QVERIFY(view.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(figures->value(u"iterations"_s) != u"0 / 0"_s, Timeout);
    QVERIFY2(finished.isEmpty(), "the run ended before its figures were seen");
    QVERIFY(finished.wait(Timeout) || finished.count() == 1);
    const qint64 elapsedMs = clock.elapsed();
    QVERIFY(!view.isRunning());

    // Refreshed on the timer, at most 10 times a second (and once at the start and the end).
    QVERIFY2(view.refreshCount() <= elapsedMs / 100 + 2,
             qPrintable(u"%1 refreshes in %2 ms"_s.arg(view.refreshCount()).arg(elapsedMs)));
    QVERIFY(view.refreshCount() >= 3);

    // The end: the figures of the whole run, and the summary as the terminal prints it.
    QCOMPARE(figures->value(u"users"_s), u"0 / 3"_s);
    QCOMPARE(figures->value(u"iterations"_s), u"6 / 0"_s);
    QCOMPARE(figures->value(u"errors"_s), u"0 (0.0%)"_s);
    QVERIFY2(figures->value(u"round trip"_s).count(u'/') == 2, qPrintable(figures->value(u"round trip"_s)));
    QVERIFY2(figures->value(u"connect"_s) != u"–"_s, qPrintable(figures->value(u"connect"_s)));
    QVERIFY2(figures->value(u"messages/s"_s) != u"0 / 0"_s, qPrintable(figures->value(u"messages/s"_s)));
    const LoadSummaryModel &model = *view.summaryModel();
    QVERIFY(model.isFinal());
    QCOMPARE(valueOf(model, u"scenario"_s), u"echo under load"_s);
    QCOMPARE(valueOf(model, u"load"_s), u"3 users, duration 30s, 2 iterations each, think 500ms"_s);
    QVERIFY2(valueOf(model, u"iterations"_s).startsWith(u"6  "_s), qPrintable(valueOf(model, u"iterations"_s)));
    QVERIFY2(valueOf(model, u"iterations"_s).endsWith(u"(6 passed, 0 failed)"_s), qPrintable(valueOf(model, u"iterations"_s)));
    QVERIFY2(valueOf(model, u"round trip"_s).endsWith(u"(12 pairs)"_s), qPrintable(valueOf(model, u"round trip"_s)));
    QCOMPARE(valueOf(model, u"users"_s), u"3 at most at once, of 3"_s);

    // Each threshold judged: 6 iterations passes, a p95 under 1 µs cannot.
    QCOMPARE(model.outcomes().size(), 2);
    const int passedRow = model.rowOf(u"iterations==6"_s);
    const int failedRow = model.rowOf(u"p95<0.001"_s);
    QVERIFY(passedRow >= 0 && failedRow >= 0);
    QCOMPARE(model.data(model.index(passedRow, 0), LoadSummaryModel::PassedRole), QVariant(true));
    QCOMPARE(model.data(model.index(failedRow, 0), LoadSummaryModel::PassedRole), QVariant(false));
    QCOMPARE(model.data(model.index(passedRow, 0)).toString(), u"✓ iterations==6"_s);
    QCOMPARE(model.data(model.index(failedRow, 0)).toString(), u"✗ p95<0.001"_s);
    QVERIFY2(model.data(model.index(failedRow, 1)).toString().startsWith(u"failed: "_s),
             qPrintable(model.data(model.index(failedRow, 1)).toString()));
    QVERIFY2(view.statusText().contains(u"6 iterations"_s) && view.statusText().contains(u"1 passed, 1 failed"_s),
             qPrintable(view.statusText()));

    // The summary exported: JSON with the numbers and each verdict, CSV with the same lines.
    QVERIFY(view.findChild<QPushButton *>(u"loadExport"_s)->isEnabled());
    QString exportError;
    const QString jsonPath = m_dir.filePath(u"summary.json"_s);
    QVERIFY2(view.exportTo(jsonPath, LoadView::Format::Json, &exportError), qPrintable(exportError));
    QFile jsonFile(jsonPath);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const QJsonObject exported = QJsonDocument::fromJson(jsonFile.readAll()).object();
    QCOMPARE(exported[u"iterations"_s].toInteger(), 6);
    QCOMPARE(exported[u"load"_s][u"users"_s].toInt(), 3);
    QCOMPARE(exported[u"thresholds"_s].toArray().size(), 2);
    const QString csvPath = m_dir.filePath(u"summary.csv"_s);
    QVERIFY2(view.exportTo(csvPath, LoadView::Format::Csv, &exportError), qPrintable(exportError));
    QFile csvFile(csvPath);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QByteArray csv = csvFile.readAll();
    QVERIFY2(csv.contains("threshold iterations==6,passed") && csv.contains("threshold p95<0.001,failed"),
             csv.constData());

    // The chart: users over the run, a p95 for the seconds that had pairs.
    QVERIFY(view.chart()->pointCount(1) >= 2);
    QVERIFY(view.chart()->pointCount(0) >= 1);
    QCOMPARE(running.count(), 2);
    QVERIFY(view.findChild<QPushButton *>(u"loadStart"_s)->isEnabled());
    QVERIFY(!view.findChild<QPushButton *>(u"loadStop"_s)->isEnabled());
}

void TestLoadView::aFailedIterationIsReported()
{
    QString text = EchoScenario;
    text.replace(u"{ \"text\": \"again\" }"_s, u"{ \"text\": \"not what comes\" }"_s);
    text.replace(u"\"steps\": ["_s, u"\"stepTimeout\": 300, \"steps\": ["_s);
    LoadView view;
    view.setVariablesSource([this] { return demoVariables(); });
    QVERIFY2(view.openScenario(writeScenario(u"failing.json"_s, text)), qPrintable(view.statusText()));
    view.form()->setUsers(1);
    view.form()->setIterations(1);
    view.form()->setThresholds({u"errors==0"_s});
    QSignalSpy finished(&view, &LoadView::finished);
    QVERIFY(view.start());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QCOMPARE(view.figures()->value(u"errors"_s), u"1 (100.0%)"_s);
    QCOMPARE(view.figures()->value(u"iterations"_s), u"0 / 1"_s);
    QVERIFY2(view.statusText().contains(u"1 iteration, 1 error; thresholds: 0 passed, 1 failed"_s),
             qPrintable(view.statusText()));
    auto *report = view.findChild<QLabel *>(u"loadFirstFailure"_s);
    QVERIFY(report && !report->isHidden());
    QVERIFY2(report->text().startsWith(u"First failed iteration: user 1, iteration 0"_s), qPrintable(report->text()));
    QVERIFY2(report->toolTip().contains(u"not what comes"_s), qPrintable(report->toolTip()));
    QCOMPARE(valueOf(*view.summaryModel(), u"errors"_s), u"1  100.00%  (0 connection failures, 1 failed steps)"_s);
}

void TestLoadView::stopMidRunIsClean()
{
    QString text = EchoScenario;
    text.replace(u"\"users\": 3, \"iterations\": 2"_s, u"\"users\": 5"_s);
    text.replace(u"\"thinkTime\": \"500ms\""_s, u"\"thinkTime\": \"20ms\""_s);
    LoadView view;
    view.setVariablesSource([this] { return demoVariables(); });
    QVERIFY(view.openScenario(writeScenario(u"endless.json"_s, text)));
    QSignalSpy finished(&view, &LoadView::finished);
    QVERIFY2(view.start(), qPrintable(view.statusText()));
    QTRY_VERIFY_WITH_TIMEOUT(view.runner()->summary().iterations >= 5, Timeout);
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(view.findChild<QPushButton *>(u"loadStop"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!view.isRunning());
    QVERIFY2(view.statusText().startsWith(u"Stopped after"_s), qPrintable(view.statusText()));
    QVERIFY(view.summaryModel()->isFinal());
    // What was done before the stop is in the summary.
    QVERIFY(view.runner()->summary().passed >= 5);
    QVERIFY2(valueOf(*view.summaryModel(), u"iterations"_s).contains(u" passed"_s),
             qPrintable(valueOf(*view.summaryModel(), u"iterations"_s)));
    // And it runs again.
    QVERIFY(view.start());
    QTRY_VERIFY_WITH_TIMEOUT(view.runner()->summary().iterations >= 1, Timeout);
    view.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, Timeout);
}

void TestLoadView::closingTheTabOrTheWindowMidRunIsClean()
{
    QString text = EchoScenario;
    text.replace(u"\"users\": 3, \"iterations\": 2"_s, u"\"users\": 5"_s);
    const QString path = writeScenario(u"endless-window.json"_s, text);
    QElapsedTimer clock;
    {
        MainWindow window{QUrl()};
        QVERIFY(window.startDemoServer(0));
        window.show();
        LoadView *view = window.openLoad(path);
        QVERIFY(view);
        QCOMPARE(window.currentLoadView(), view);
        auto *tabs = window.findChild<QTabWidget *>(u"sessions"_s);
        QCOMPARE(tabs->tabText(tabs->indexOf(view)), u"Load: echo under load"_s);
        QVERIFY2(view->start(), qPrintable(view->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(view->runner()->summary().iterations >= 3, Timeout);
        QVERIFY(view->isRunning());
        QVERIFY(!tabs->tabIcon(tabs->indexOf(view)).isNull());  // running

        // The tab closed mid-run: gone at once, its users' connections with it.
        QPointer<LoadView> watched(view);
        window.closeCurrentTab();
        QVERIFY(watched.isNull());
        QTest::qWait(200);

        // Another, left running when the window closes.
        LoadView *second = window.openLoad(path);
        QVERIFY(second->start());
        QTRY_VERIFY_WITH_TIMEOUT(second->runner()->summary().iterations >= 3, Timeout);
        clock.start();
        QVERIFY(window.close());
        // The window's end takes the run down with it; nothing waits for the duration.
    }
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QTest::qWait(200);
    // The demo server of the test still answers: nothing was left half done.
    LoadView view;
    view.setVariablesSource([this] { return demoVariables(); });
    QVERIFY(view.openScenario(writeScenario(u"once.json"_s, EchoScenario)));
    view.form()->setUsers(1);
    view.form()->setIterations(1);
    view.form()->setThresholds({});
    QSignalSpy finished(&view, &LoadView::finished);
    QVERIFY(view.start());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QCOMPARE(view.runner()->summary().passed, 1);
}

void TestLoadView::opensOnTheCurrentScenario()
{
    const QString path = writeScenario(u"current.json"_s, EchoScenario);
    MainWindow window{QUrl()};
    QVERIFY(window.startDemoServer(0));
    QVERIFY(window.openScenario(path));
    QVERIFY(window.currentScenarioView());
    // File > New Load Test, on the scenario of the tab in front.
    auto *action = window.findChild<QAction *>(u"newLoadAction"_s);
    QVERIFY(action);
    action->trigger();
    LoadView *view = window.currentLoadView();
    QVERIFY(view);
    QCOMPARE(view->form()->scenarioPath(), path);
    QCOMPARE(view->title(), u"Load: echo under load"_s);
    QCOMPARE(view->findChild<QSpinBox *>(u"loadUsers"_s)->value(), 3);

    // With no scenario in front and none selected: an empty form that says what to do.
    window.newSession();
    action->trigger();
    QCOMPARE(window.currentLoadView()->form()->scenarioPath(), QString());
    QCOMPARE(window.currentLoadView()->title(), u"Load"_s);
    QVERIFY(!window.currentLoadView()->start());
    QCOMPARE(window.currentLoadView()->statusText(), u"Pick a scenario file first."_s);
}

void TestLoadView::badInputSaysWhere()
{
    LoadView view;
    view.setVariablesSource([this] { return demoVariables(); });
    const QString path = writeScenario(u"ok.json"_s, EchoScenario);
    QVERIFY(view.openScenario(path));

    view.form()->setThresholds({u"p95<200"_s, u"p95 < fast"_s});
    QVERIFY(!view.start());
    QVERIFY(!view.isRunning());
    QCOMPARE(view.statusText(), u"Thresholds, line 2: bad threshold \"p95 < fast\" (at character 7): "
                                u"expected a number after \"<\", found \"fast\""_s);
    view.form()->setThresholds({});
    view.form()->setDuration(u"soon"_s);
    QVERIFY(!view.start());
    QCOMPARE(view.statusText(), u"Duration: \"soon\" is not a duration such as 10s, 500ms or 2m, above 0"_s);
    view.form()->setDuration(u"0"_s);
    QVERIFY(!view.start());
    view.form()->setDuration(u"5s"_s);
    view.form()->setRampUp(u"-1s"_s);
    QVERIFY(!view.start());
    QVERIFY2(view.statusText().startsWith(u"Ramp-up: "_s), qPrintable(view.statusText()));
    view.form()->setRampUp(u"0"_s);

    // The file broken after it was opened: Start reads it again and says where.
    QString broken = EchoScenario;
    broken.replace(u"\"steps\": ["_s, u"\"steps\": [ ,"_s);
    writeScenario(u"ok.json"_s, broken);
    QVERIFY(!view.start());
    QVERIFY2(view.statusText().contains(u"ok.json:"_s) && view.statusText().count(u':') >= 3,
             qPrintable(view.statusText()));
    // A file that is not there.
    QVERIFY(!view.openScenario(m_dir.filePath(u"missing.json"_s)));
    QVERIFY2(view.statusText().contains(u"missing.json"_s), qPrintable(view.statusText()));
    QVERIFY(!view.isRunning());
}

// With WSPROBE_SCREENSHOTS on an X server: the window as docs/screenshot-load.png shows it, a
// run of the echo example as 20 users near its end (load-screen.png), and at its end
// (load-end-screen.png) (docs/screenshots.md).
void TestLoadView::screenshot()
{
    const QString dir = qEnvironmentVariable("WSPROBE_SCREENSHOTS");
    if (dir.isEmpty())
        QSKIP("WSPROBE_SCREENSHOTS is not set");
    MainWindow window{QUrl()};
    QVERIFY(window.startDemoServer(0));
    window.setGeometry(0, 0, 1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.findChild<QDockWidget *>(u"workspaceDock"_s)->hide();
    // From the source folder, so the path field shows where the file is in the project.
    const QString before = QDir::currentPath();
    QVERIFY(QDir::setCurrent(QStringLiteral(WSPROBE_SOURCE_DIR)));
    LoadView *view = window.openLoad(u"examples/01-echo.json"_s);
    QVERIFY(view);
    view->form()->setUsers(20);
    view->form()->setRampUp(u"3s"_s);
    view->form()->setDuration(u"6s"_s);
    view->form()->setThinkTime(u"100ms"_s);
    view->form()->setThresholds({u"p95<200"_s, u"errors<1%"_s, u"connect p99<500"_s, u"rate>500"_s});
    QSignalSpy finished(view, &LoadView::finished);
    QVERIFY2(view->start(), qPrintable(view->statusText()));
    QTest::qWait(8200);  // near the end of 9 s
    QDir().mkpath(dir);
    window.grab().save(dir + u"/load.png"_s);
    if (QGuiApplication::platformName() == u"xcb"_s)
        QProcess::execute(u"import"_s, {u"-window"_s, u"root"_s, u"-crop"_s, u"1280x800+0+0"_s,
                                        u"+repage"_s, dir + u"/load-screen.png"_s});
    QVERIFY(finished.wait(Timeout) || finished.count() == 1);
    QTest::qWait(400);  // the summary painted
    window.grab().save(dir + u"/load-end.png"_s);
    if (QGuiApplication::platformName() == u"xcb"_s)
        QProcess::execute(u"import"_s, {u"-window"_s, u"root"_s, u"-crop"_s, u"1280x800+0+0"_s,
                                        u"+repage"_s, dir + u"/load-end-screen.png"_s});
    QDir::setCurrent(before);
}

QTEST_MAIN(TestLoadView)
#include "tst_loadview.moc"
