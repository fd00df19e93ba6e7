// The scenario run view against the built-in demo server: real scenarios, run by a click, watched
// as a user watches them (step statuses, the verdict, the failure pane, the client logs).
#include "demoserver.h"
#include "scenarioloader.h"
#include "scenariorunner.h"
#include "scenariorunview.h"
#include "steplistmodel.h"

#include <QBrush>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QDir>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextEdit>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

// Generous: a passing run takes milliseconds on loopback; this only bounds a hung one.
constexpr int RunTimeoutMs = 20000;

std::optional<Scenario> load(const QString &text)
{
    const ScenarioLoader::Result loaded = ScenarioLoader::loadText(text, u"test.json"_s, QDir::currentPath());
    if (!loaded.scenario)
        qWarning().noquote() << loaded.errorText();
    return loaded.scenario;
}

// Where the tests leave pictures of the widgets, for a person to look at.
QString screenshotPath(const QString &name)
{
    const QString dir = QStringLiteral(WSPROBE_BINARY_DIR) + u"/screenshots"_s;
    QDir().mkpath(dir);
    return dir + u'/' + name;
}

StepResult::Status statusOf(const StepListModel *model, int row)
{
    return StepResult::Status(model->index(row, 0).data(StepListModel::StatusRole).toInt());
}

const QString Passing = uR"({
  "wsprobe": 1,
  "name": "Echo, then the server closes with 4001",
  "stepTimeout": 3000,
  "clients": {
    "alice": { "url": "{{baseUrl}}/echo" },
    "bob":   { "url": "{{baseUrl}}/close?code=4001&reason=x" }
  },
  "steps": [
    { "connect": "alice" },
    { "send": "alice", "text": "hello, wsprobe" },
    { "expect": "alice", "match": { "text": "hello, wsprobe" }, "strict": true },
    { "connect": "bob" },
    { "expectClose": "bob", "code": 4001, "reason": "x" },
    { "close": "alice" }
  ]
})"_s;

const QString Failing = uR"({
  "wsprobe": 1,
  "name": "An echo that never says what we want",
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [
    { "connect": "alice" },
    { "send": "alice", "text": "hello" },
    { "expect": "alice", "match": { "text": "a text that never comes" }, "timeout": 300 },
    { "send": "alice", "text": "too late" },
    { "close": "alice" }
  ]
})"_s;

const QString Slow = uR"({
  "wsprobe": 1,
  "name": "A long wait",
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [
    { "connect": "alice" },
    { "wait": 15000 },
    { "close": "alice" }
  ]
})"_s;

// A recorded session: a person paused 30 s before sending.
const QString Recorded = uR"({
  "wsprobe": 1,
  "name": "Recorded with a long pause",
  "clients": { "alice": { "url": "{{baseUrl}}/echo" } },
  "steps": [
    { "connect": "alice" },
    { "wait": 30000, "optional": true },
    { "send": "alice", "text": "after the pause" },
    { "expect": "alice", "match": { "text": "after the pause" } },
    { "close": "alice" }
  ]
})"_s;

} // namespace

class TestScenarioRunView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void stepModelReportsRowRanges();
    void passingScenarioTurnsEveryStepGreen();
    void failingStepShowsExpectedAgainstActual();
    void stopCancelsTheRun();
    void runningAgainUsesAFreshRunner();
    void newVariablesApplyToTheNextRun();
    void closingTheViewMidRunIsSafe();
    void aScenarioWithoutAFileCanBeSaved();
    void recordedPausesAreSkippedUnlessAsked();

private:
    Variables variables() const;

    DemoServer m_demo;
};

void TestScenarioRunView::initTestCase()
{
    QVERIFY2(m_demo.listen(), qPrintable(m_demo.errorString()));
}

Variables TestScenarioRunView::variables() const
{
    Variables variables;
    variables.set(Variables::Layer::CommandLine, u"baseUrl"_s, m_demo.url().toString());
    return variables;
}

void TestScenarioRunView::stepModelReportsRowRanges()
{
    const std::optional<Scenario> scenario = load(Failing);
    QVERIFY(scenario);
    StepListModel model;
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setScenario(*scenario);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(2, StepListModel::TitleColumn).data().toString(), describe(scenario->steps[2]));
    QCOMPARE(model.index(2, StepListModel::LineColumn).data().toInt(), scenario->steps[2].where.line);
    QVERIFY(scenario->steps[2].where.line > 0);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.markRunning(1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed[0][0].toModelIndex(), model.index(1, 0));
    QCOMPARE(changed[0][1].toModelIndex(), model.index(1, StepListModel::ColumnCount - 1));
    QCOMPARE(statusOf(&model, 1), StepResult::Status::Running);
    QVERIFY(model.index(1, StepListModel::TitleColumn).data(Qt::FontRole).value<QFont>().bold());

    StepResult failed;
    failed.status = StepResult::Status::Failed;
    failed.message = u"why"_s;
    model.setStepResult(1, failed);
    QCOMPARE(statusOf(&model, 1), StepResult::Status::Failed);
    QCOMPARE(model.index(1, StepListModel::StatusColumn).data().toString(), u"✗"_s);
    // The title came from the scenario, not from the result.
    QCOMPARE(model.index(1, StepListModel::TitleColumn).data().toString(), describe(scenario->steps[1]));

    model.markRunning(5);   // out of range: ignored
    model.markRunning(-1);
    QCOMPARE(changed.count(), 2);
}

void TestScenarioRunView::passingScenarioTurnsEveryStepGreen()
{
    const std::optional<Scenario> scenario = load(Passing);
    QVERIFY(scenario);
    ScenarioRunView view;
    view.resize(1100, 650);
    view.setScenario(*scenario, variables());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    auto *verdict = view.findChild<QLabel *>(u"runVerdict"_s);
    auto *runButton = view.findChild<QPushButton *>(u"runButton"_s);
    auto *stopButton = view.findChild<QPushButton *>(u"stopButton"_s);
    auto *tabs = view.findChild<QTabWidget *>(u"clientLogs"_s);
    auto *stepList = view.findChild<QTreeView *>(u"stepList"_s);
    QVERIFY(verdict && runButton && stopButton && tabs && stepList);
    StepListModel *model = view.stepModel();
    QCOMPARE(stepList->model(), model);
    QCOMPARE(model->rowCount(), 6);
    for (int row = 0; row < model->rowCount(); ++row)
        QCOMPARE(statusOf(model, row), StepResult::Status::Pending);
    QCOMPARE(verdict->text(), u"Not run"_s);
    QVERIFY(runButton->isEnabled());
    QVERIFY(!stopButton->isEnabled());
    QCOMPARE(tabs->count(), 2);
    QCOMPARE(tabs->tabText(0), u"alice"_s);
    QCOMPARE(tabs->tabText(1), u"bob"_s);
    view.grab().save(screenshotPath(u"scenariorunview-before.png"_s));

    // Each step is shown running when it starts (the view hears stepStarted before we do).
    ScenarioRunner *runner = view.runner();
    QVERIFY(runner);
    QList<StepResult::Status> seenAtStart;
    connect(runner, &ScenarioRunner::stepStarted, this, [&](int index) {
        seenAtStart.append(statusOf(model, index));
    });
    QSignalSpy finished(&view, &ScenarioRunView::runFinished);
    QTest::mouseClick(runButton, Qt::LeftButton);
    QCOMPARE(view.runner(), runner);  // the first run uses the runner prepared for it
    QVERIFY(view.isRunning());
    QVERIFY(!runButton->isEnabled());
    QVERIFY(stopButton->isEnabled());
    QCOMPARE(verdict->text(), u"Running…"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);

    const ScenarioResult result = finished[0][0].value<ScenarioResult>();
    QVERIFY2(result.passed, qPrintable(result.failureReport()));
    QCOMPARE(seenAtStart, QList<StepResult::Status>(6, StepResult::Status::Running));
    for (int row = 0; row < model->rowCount(); ++row) {
        QCOMPARE(statusOf(model, row), StepResult::Status::Passed);
        const QModelIndex status = model->index(row, StepListModel::StatusColumn);
        QCOMPARE(status.data().toString(), u"✓"_s);
        QCOMPARE(status.data(Qt::ForegroundRole).value<QBrush>().color(), QColor(0x2e, 0x9d, 0x4f));
    }
    QCOMPARE(verdict->text(), u"Passed"_s);
    QVERIFY(view.findChild<QLabel *>(u"runSummary"_s)->text().startsWith(u"6 of 6 steps passed"_s));
    QVERIFY(runButton->isEnabled());
    QVERIFY(!stopButton->isEnabled());

    // Each client's log is in its tab, with what that client saw.
    QCOMPARE(tabs->count(), 2);
    for (int tab = 0; tab < tabs->count(); ++tab) {
        auto *table = tabs->widget(tab)->findChild<QTableView *>();
        if (!table)
            table = qobject_cast<QTableView *>(tabs->widget(tab));
        QVERIFY(table);
        QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() > 2, 2000);
    }
    tabs->setCurrentIndex(0);
    QTest::qWait(100);  // the log's batched flush, so the picture shows it
    view.grab().save(screenshotPath(u"scenariorunview-passed.png"_s));
}

void TestScenarioRunView::failingStepShowsExpectedAgainstActual()
{
    const std::optional<Scenario> scenario = load(Failing);
    QVERIFY(scenario);
    ScenarioRunView view;
    view.resize(1100, 650);
    view.setScenario(*scenario, variables());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QSignalSpy finished(&view, &ScenarioRunView::runFinished);
    QTest::mouseClick(view.findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);

    StepListModel *model = view.stepModel();
    QCOMPARE(statusOf(model, 0), StepResult::Status::Passed);
    QCOMPARE(statusOf(model, 1), StepResult::Status::Passed);
    QCOMPARE(statusOf(model, 2), StepResult::Status::Failed);
    QCOMPARE(statusOf(model, 3), StepResult::Status::Skipped);
    QCOMPARE(statusOf(model, 4), StepResult::Status::Skipped);
    const QModelIndex failedStatus = model->index(2, StepListModel::StatusColumn);
    QCOMPARE(failedStatus.data().toString(), u"✗"_s);
    QCOMPARE(failedStatus.data(Qt::ForegroundRole).value<QBrush>().color(), QColor(0xd3, 0x2f, 0x2f));
    QCOMPARE(view.findChild<QLabel *>(u"runVerdict"_s)->text(), u"Failed"_s);

    // A person clicks another step, then the failed one.
    auto *stepList = view.findChild<QTreeView *>(u"stepList"_s);
    auto *detail = view.findChild<QTextEdit *>(u"stepDetail"_s);
    QVERIFY(stepList && detail);
    QTest::mouseClick(stepList->viewport(), Qt::LeftButton, {},
                      stepList->visualRect(model->index(0, StepListModel::TitleColumn)).center());
    QVERIFY(!detail->toPlainText().contains(u"expected:"_s));
    QTest::mouseClick(stepList->viewport(), Qt::LeftButton, {},
                      stepList->visualRect(model->index(2, StepListModel::TitleColumn)).center());
    QCOMPARE(stepList->currentIndex().row(), 2);

    const StepResult &failed = view.runner()->result().steps[2];
    QVERIFY(!failed.expected.isEmpty());
    const QString text = detail->toPlainText();
    QVERIFY2(text.contains(u"expected: "_s + failed.expected.section(u'\n', 0, 0)), qPrintable(text));
    QVERIFY2(text.contains(u"a text that never comes"_s), qPrintable(text));
    QVERIFY2(text.contains(u"why:      "_s + failed.message.section(u'\n', 0, 0)), qPrintable(text));
    if (!failed.actual.isEmpty())
        QVERIFY2(text.contains(u"actual:   "_s + failed.actual.section(u'\n', 0, 0)), qPrintable(text));
    QVERIFY(text.contains(u"line %1"_s.arg(scenario->steps[2].where.line)));
    QVERIFY(detail->isReadOnly());
    QVERIFY(detail->textInteractionFlags() & Qt::TextSelectableByMouse);
    QVERIFY(detail->font().fixedPitch() || QFontInfo(detail->font()).fixedPitch());

    auto *tabs = view.findChild<QTabWidget *>(u"clientLogs"_s);
    QCOMPARE(tabs->count(), 1);
    auto *table = tabs->widget(0)->findChild<QTableView *>();
    if (!table)
        table = qobject_cast<QTableView *>(tabs->widget(0));
    QVERIFY(table);
    QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() > 2, 2000);
    QTest::qWait(100);
    view.grab().save(screenshotPath(u"scenariorunview-failed.png"_s));
}

void TestScenarioRunView::stopCancelsTheRun()
{
    const std::optional<Scenario> scenario = load(Slow);
    QVERIFY(scenario);
    ScenarioRunView view;
    view.setScenario(*scenario, variables());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QSignalSpy finished(&view, &ScenarioRunView::runFinished);
    view.findChild<QPushButton *>(u"runButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(view.stepModel(), 1), StepResult::Status::Running, RunTimeoutMs);
    view.grab().save(screenshotPath(u"scenariorunview-running.png"_s));
    view.findChild<QPushButton *>(u"stopButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(statusOf(view.stepModel(), 1), StepResult::Status::Failed);
    QCOMPARE(statusOf(view.stepModel(), 2), StepResult::Status::Skipped);
    QCOMPARE(view.findChild<QLabel *>(u"runVerdict"_s)->text(), u"Stopped"_s);
    QVERIFY(!view.isRunning());
}

void TestScenarioRunView::runningAgainUsesAFreshRunner()
{
    const std::optional<Scenario> scenario = load(Passing);
    QVERIFY(scenario);
    ScenarioRunView view;
    view.setScenario(*scenario, variables());
    QSignalSpy finished(&view, &ScenarioRunView::runFinished);

    view.run();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
    const QPointer<ScenarioRunner> first = view.runner();
    auto *tabs = view.findChild<QTabWidget *>(u"clientLogs"_s);
    const QPointer<QWidget> firstLog = tabs->widget(0);

    view.run();
    QVERIFY(view.runner() != first.data());
    QVERIFY(firstLog.isNull());  // the logs of the old sessions went with them
    QCOMPARE(tabs->count(), 2);
    // The new run starts on a queued call: for now every step is pending again.
    for (int row = 0; row < view.stepModel()->rowCount(); ++row)
        QCOMPARE(statusOf(view.stepModel(), row), StepResult::Status::Pending);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, RunTimeoutMs);
    QVERIFY(finished[1][0].value<ScenarioResult>().passed);
    QTRY_VERIFY(first.isNull());  // the old runner is gone
}

void TestScenarioRunView::newVariablesApplyToTheNextRun()
{
    const std::optional<Scenario> scenario = load(Passing);
    QVERIFY(scenario);
    ScenarioRunView view;
    Variables wrong;
    wrong.set(Variables::Layer::CommandLine, u"baseUrl"_s, u"ws://127.0.0.1:1"_s);
    view.setScenario(*scenario, wrong);
    view.setVariables(variables());
    QSignalSpy finished(&view, &ScenarioRunView::runFinished);
    view.run();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
    QVERIFY2(finished[0][0].value<ScenarioResult>().passed,
             qPrintable(finished[0][0].value<ScenarioResult>().failureReport()));
}

void TestScenarioRunView::closingTheViewMidRunIsSafe()
{
    const std::optional<Scenario> scenario = load(Slow);
    QVERIFY(scenario);
    auto *view = new ScenarioRunView;
    view->setScenario(*scenario, variables());
    view->run();
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(view->stepModel(), 1), StepResult::Status::Running, RunTimeoutMs);
    const QPointer<ScenarioRunner> runner = view->runner();
    delete view;
    QVERIFY(runner.isNull());
    QTest::qWait(50);  // nothing left behind fires into freed memory
}

void TestScenarioRunView::aScenarioWithoutAFileCanBeSaved()
{
    qputenv("WSPROBE_NO_DIALOGS", "1");
    std::optional<Scenario> scenario = load(Passing);
    QVERIFY(scenario);
    ScenarioRunView view;
    view.resize(1100, 650);
    view.show();
    auto *save = view.findChild<QPushButton *>(u"saveScenario"_s);
    auto *notice = view.findChild<QLabel *>(u"runNotice"_s);
    QVERIFY(save && notice);

    // From a file: that file is where it is saved, by editing it.
    view.setScenario(*scenario, variables());
    QVERIFY(!save->isVisible());
    QVERIFY(!notice->isVisible());

    // Made in memory (a replayed session): Save… is the way to keep it.
    scenario->filePath.clear();
    view.setScenario(*scenario, variables());
    QVERIFY(save->isVisible());
    QTest::mouseClick(save, Qt::LeftButton);  // no dialog under WSPROBE_NO_DIALOGS: nothing happens
    QVERIFY(!notice->isVisible());

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    QVERIFY(!view.saveScenario(dir.filePath(u"no/such/folder/x.json"_s), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(notice->text().startsWith(u"Cannot save: "_s), qPrintable(notice->text()));
    QVERIFY(notice->isVisible());

    const QString path = dir.filePath(u"kept.json"_s);
    QSignalSpy saved(&view, &ScenarioRunView::saved);
    QVERIFY2(view.saveScenario(path, &error), qPrintable(error));
    QCOMPARE(saved.count(), 1);
    QCOMPARE(saved[0][0].toString(), path);
    QCOMPARE(view.scenario().filePath, path);
    QVERIFY(notice->text().startsWith(u"Saved to "_s));
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    QCOMPARE(loaded.scenario->name, scenario->name);
    QCOMPARE(loaded.scenario->steps.size(), scenario->steps.size());
    QVERIFY(save->isVisible());  // still there, to save a copy elsewhere
}

void TestScenarioRunView::recordedPausesAreSkippedUnlessAsked()
{
    ScenarioRunView view;
    auto *skip = view.findChild<QCheckBox *>(u"skipPauses"_s);
    QVERIFY(skip);

    // Not offered where there is nothing to skip.
    const std::optional<Scenario> plain = load(Passing);
    QVERIFY(plain);
    view.setScenario(*plain, variables());
    QVERIFY(skip->isHidden());

    const std::optional<Scenario> recorded = load(Recorded);
    QVERIFY(recorded);
    view.setScenario(*recorded, variables());
    QVERIFY(!skip->isHidden());
    QVERIFY(view.skipsRecordedPauses());

    // Skipped: the 30 s pause costs nothing, and the step says why it passed at once.
    QSignalSpy finished(&view, &ScenarioRunView::runFinished);
    QElapsedTimer timer;
    timer.start();
    view.run();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
    QVERIFY2(timer.elapsed() < 10000, "the recorded pause was waited for");
    const ScenarioResult skipped = finished[0][0].value<ScenarioResult>();
    QVERIFY2(skipped.passed, qPrintable(skipped.failureReport()));
    QVERIFY(skipped.steps.at(1).message.contains(u"skipped"_s));

    // Kept: the run waits there (stopped while it does, so the test stays short).
    skip->setChecked(false);
    QVERIFY(!view.skipsRecordedPauses());
    view.run();
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(view.stepModel(), 1), StepResult::Status::Running, RunTimeoutMs);
    QTest::qWait(300);
    QCOMPARE(statusOf(view.stepModel(), 1), StepResult::Status::Running);
    view.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, RunTimeoutMs);
    QVERIFY(!finished[1][0].value<ScenarioResult>().passed);
}

QTEST_MAIN(TestScenarioRunView)
#include "tst_scenariorunview.moc"
