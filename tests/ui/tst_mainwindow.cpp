// The window as a user drives it: tabs, split panes, scenarios opened, recorded, replayed and
// dropped, and a broken scenario shown in a tab until it is fixed.
#include "demoserver.h"
#include "environmenteditor.h"
#include "framelog.h"
#include "framelogexporttask.h"
#include "framelogview.h"
#include "historymodel.h"
#include "mainwindow.h"
#include "requesteditor.h"
#include "scenarioerrorview.h"
#include "scenarioloader.h"
#include "scenariorunner.h"
#include "scenariorunview.h"
#include "session.h"
#include "sessionview.h"
#include "steplistmodel.h"
#include "workspacepanel.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QLineEdit>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(content), content.size());
}

// Every message box shown while it lives, closed at once so that nothing waits for a user.
class MessageBoxWatch
{
public:
    MessageBoxWatch()
    {
        m_timer.setInterval(20);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { closeBoxes(); });
        m_timer.start();
    }
    int seen() const { return m_seen; }
    void closeBoxes()
    {
        for (QWidget *widget : QApplication::topLevelWidgets()) {
            if (auto *box = qobject_cast<QMessageBox *>(widget); box && box->isVisible()) {
                ++m_seen;
                box->reject();
            }
        }
    }

private:
    QTimer m_timer;
    int m_seen = 0;
};

// Answers every file dialog shown while it lives with path, as a user would type it and press
// Save; counts them.
class FileDialogWatch
{
public:
    explicit FileDialogWatch(const QString &path) : m_path(path)
    {
        m_timer.setInterval(20);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { answer(); });
        m_timer.start();
    }
    int seen() const { return m_seen; }

private:
    void answer()
    {
        for (QWidget *widget : QApplication::topLevelWidgets()) {
            auto *dialog = qobject_cast<QFileDialog *>(widget);
            if (!dialog || !dialog->isVisible())
                continue;
            if (dialog != m_current) {
                m_current = dialog;
                m_ticks = 0;
                ++m_seen;
            }
            // The dialog puts its own suggestion in the name field once its folder has loaded: type
            // the path again until it stays (bounded), then press Save.
            auto *name = dialog->findChild<QLineEdit *>(u"fileNameEdit"_s);
            if (name && name->text() != m_path && ++m_ticks < MaxTicks) {
                name->setText(m_path);
                continue;
            }
            static_cast<QDialog *>(dialog)->accept();  // QFileDialog::accept() checks the name and saves
        }
    }

    static constexpr int MaxTicks = 100;
    QString m_path;
    QTimer m_timer;
    QPointer<QFileDialog> m_current;
    int m_ticks = 0;
    int m_seen = 0;
};

// Shows the window, connects the session and has text echoed: something to record or replay.
// False when the window does not become active or the echo does not come within the timeout.
bool showAndEcho(MainWindow &window, SessionView *view, const QString &text)
{
    window.show();
    window.activateWindow();
    if (!QTest::qWaitForWindowActive(&window))
        return false;
    view->toggleConnection();
    if (!QTest::qWaitFor([view] { return view->session()->state() == SessionState::Open; }, Timeout))
        return false;
    view->session()->sendText(text);
    return QTest::qWaitFor([view, &text] {
        const FrameLog &log = *view->session()->log();
        return !log.isEmpty() && log.last().direction == Direction::Incoming && log.last().text == text;
    }, Timeout);
}

bool anyMessageBox()
{
    const QWidgetList widgets = QApplication::topLevelWidgets();
    return std::any_of(widgets.cbegin(), widgets.cend(),
                       [](QWidget *widget) { return qobject_cast<QMessageBox *>(widget) != nullptr; });
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tabsOpenAndClose();
    void splitAndMoveTabs();
    void recordsASessionAndOpensItAgain();
    void replaysASessionInANewTab();
    void replayWithNothingRecordedSaysSo();
    void brokenScenarioOpensAnErrorTabUntilFixed();
    void badFilesOpenAnErrorTabNotACrash();
    void dropsScenarioFiles();
    void remembersRecentFiles();
    void scenarioRunsWithTheEnvironmentPickedAtRunTime();
    void ctrlSSavesAReplayAndRefusesWhatCannotBeSaved();
    void quittingWithAnUnsavedReplayAsksFirst();
    void ctrlDConnectsFromTheParamsAndHeadersTables_data();
    void ctrlDConnectsFromTheParamsAndHeadersTables();
    void writesWhatItRemembersWithoutWaitingForExit();
    void remembersThePickedEnvironment();
    void exportsTheLogOrTheSelectedRows();
    void cancellingAnExportLeavesNoFile();
    void importsAHarAsAnUnsavedScenario();

private:
    DemoServer m_demo;
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    // Never touch the user's own settings.
    QStandardPaths::setTestModeEnabled(true);
    qputenv("WSPROBE_NO_DIALOGS", "1");
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_demo.listen(), qPrintable(m_demo.errorString()));
}

void TestMainWindow::tabsOpenAndClose()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    window.newSession();
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QCOMPARE(window.sessionCount(), 1);
    QTest::keySequence(&window, QKeySequence::AddTab);
    QTest::keySequence(&window, QKeySequence::AddTab);
    QCOMPARE(window.sessionCount(), 3);
    QTest::keySequence(&window, QKeySequence::Close);
    QCOMPARE(window.sessionCount(), 2);
}

void TestMainWindow::splitAndMoveTabs()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *first = window.newSession();
    SessionView *second = window.newSession();
    window.show();
    QVERIFY(!window.isSplit());
    window.moveCurrentTabToOtherPane();
    QVERIFY(window.isSplit());
    auto *left = window.findChild<QTabWidget *>(u"sessions"_s);
    auto *right = window.findChild<QTabWidget *>(u"sessionsRight"_s);
    QCOMPARE(left->indexOf(first), 0);
    QCOMPARE(right->indexOf(second), 0);
    // Two sessions connected side by side.
    first->toggleConnection();
    second->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(first->session()->state(), SessionState::Open, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(second->session()->state(), SessionState::Open, Timeout);
    window.setSplit(false);
    QVERIFY(!window.isSplit());
    QCOMPARE(left->count(), 2);
    QCOMPARE(window.sessionCount(), 2);
}

void TestMainWindow::recordsASessionAndOpensItAgain()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);
    view->session()->sendText(u"recorded by hand"_s);
    QTRY_VERIFY_WITH_TIMEOUT(view->session()->log()->last().direction == Direction::Incoming
                                 && view->session()->log()->last().kind == EventKind::Text,
                             Timeout);  // the echo
    view->session()->close(1000, u"done"_s);
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Closed, Timeout);

    const QString path = m_dir.filePath(u"recorded.json"_s);
    QStringList secrets;
    QString error;
    QVERIFY2(window.saveSessionAsScenario(path, &secrets, &error), qPrintable(error));
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    QCOMPARE(loaded.scenario->steps.size(), 4);  // connect, send, expect, close

    QVERIFY(window.openScenario(path));
    ScenarioRunView *run = window.currentScenarioView();
    QVERIFY(run);
    QCOMPARE(run->title(), u"recorded"_s);
    QSignalSpy finished(run, &ScenarioRunView::runFinished);
    run->run();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QVERIFY(finished.first().first().value<ScenarioResult>().passed);
}

void TestMainWindow::replaysASessionInANewTab()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    // A secret header: the replay must send it again, a saved replay must not hold it.
    SessionSettings settings = view->session()->settings();
    settings.headers.append({u"Authorization"_s, u"Bearer s3cret-token-value"_s});
    view->requestEditor()->setSettings(settings);
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);
    for (const QString &text : {u"first"_s, uR"({"second":2})"_s}) {
        view->session()->sendText(text);
        QTRY_VERIFY_WITH_TIMEOUT(view->session()->log()->last().direction == Direction::Incoming
                                     && view->session()->log()->last().text == text,
                                 Timeout);
    }

    QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    ScenarioRunView *replay = window.currentScenarioView();
    QVERIFY(replay);
    QCOMPARE(window.sessionCount(), 1);
    QCOMPARE(replay->title(), u"Replay of %1/echo"_s.arg(m_demo.url().host()));
    QVERIFY(replay->scenario().filePath.isEmpty());
    QVERIFY(replay->isRunning());  // at once, without a click on Run
    QVERIFY2(replay->notice().contains(u"authorization"), qPrintable(replay->notice()));

    // connect, send, expect, send, expect: every step green.
    StepListModel *steps = replay->stepModel();
    QCOMPARE(steps->stepCount(), 5);
    QTRY_VERIFY_WITH_TIMEOUT(!replay->isRunning(), Timeout);
    for (int row = 0; row < steps->stepCount(); ++row)
        QCOMPARE(steps->stepAt(row).status, StepResult::Status::Passed);
    QCOMPARE(replay->findChild<QLabel *>(u"runVerdict"_s)->text(), u"Passed"_s);
    // The replay sent the secret the session used.
    const Session *replayed = replay->runner()->session(u"client"_s);
    QVERIFY(replayed);
    QCOMPARE(replayed->settings().headers.value(0).value, u"Bearer s3cret-token-value"_s);

    // Saved afterwards: the secret stays out of the file, which reads back as the same steps.
    const QString path = m_dir.filePath(u"replayed.json"_s);
    QString error;
    QVERIFY2(replay->saveScenario(path, &error), qPrintable(error));
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray content = saved.readAll();
    QVERIFY(!content.contains("s3cret-token-value"));
    QVERIFY(content.contains("Bearer {{authorization}}"));
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    QCOMPARE(loaded.scenario->steps.size(), 5);
    QCOMPARE(window.recentFiles().value(0), QFileInfo(path).absoluteFilePath());
    QVERIFY2(replay->notice().contains(u"define authorization"), qPrintable(replay->notice()));

    view->session()->close(1000, {});
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Closed, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(replayed->state(), SessionState::Closed, Timeout);
}

void TestMainWindow::replayWithNothingRecordedSaysSo()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    auto *tabs = window.findChild<QTabWidget *>(u"sessions"_s);
    MessageBoxWatch boxes;
    QTest::mouseClick(view->findChild<QPushButton *>(u"replay"_s), Qt::LeftButton);
    QCOMPARE(tabs->count(), 1);
    QCOMPARE(tabs->currentWidget(), view);
    const QString message = window.statusBar()->currentMessage();
    QVERIFY2(message.contains(u"not connected"), qPrintable(message));
    QCOMPARE(boxes.seen(), 0);
    QVERIFY(!anyMessageBox());
}

// Opening a scenario whose schema refers to itself crashed the window (a stack overflow), and a
// FIFO made it wait for a writer for ever: each opens an error tab that says what is wrong.
void TestMainWindow::badFilesOpenAnErrorTabNotACrash()
{
    MainWindow window(m_demo.url());
    window.show();
    auto *tabs = window.findChild<QTabWidget *>(u"sessions"_s);
    const QString loop = m_dir.filePath(u"loop.json"_s);
    writeFile(loop, "{ \"wsprobe\": 1, \"name\": \"loop\",\n"
                    "  \"clients\": { \"a\": { \"url\": \"ws://127.0.0.1:1/\" } },\n"
                    "  \"steps\": [ { \"expect\": \"a\", \"match\": { \"schema\": { \"$ref\": \"#\" } } } ] }\n");
    QVERIFY(!window.openScenario(loop));
    auto *errorView = qobject_cast<ScenarioErrorView *>(tabs->currentWidget());
    QVERIFY(errorView);
    QCOMPARE(errorView->errors().size(), 1);
    QCOMPARE(errorView->errors().first().toString(),
             loop + u":3:62: invalid matcher: /schema/$ref: invalid schema: \"$ref\" loop: # → # "
                    "refers to nothing but itself, and validating with it would never end"_s);
#ifdef Q_OS_UNIX
    const QString fifo = m_dir.filePath(u"pipe.json"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    QVERIFY(!window.openScenario(fifo));
    errorView = qobject_cast<ScenarioErrorView *>(tabs->currentWidget());
    QVERIFY(errorView);
    QCOMPARE(errorView->errors().first().toString(),
             fifo + u": cannot read it: it is a named pipe (FIFO), not a regular file"_s);
    QFile::remove(fifo);
#endif
}

void TestMainWindow::brokenScenarioOpensAnErrorTabUntilFixed()
{
    MainWindow window(m_demo.url());
    window.show();
    auto *tabs = window.findChild<QTabWidget *>(u"sessions"_s);
    const QString path = m_dir.filePath(u"broken.json"_s);
    writeFile(path, "{ \"wsprobe\": 1,\n  \"name\": \"b\" \"clients\": {} }\n");

    // Where dialogs are allowed, still none: the regression this guards showed a modal box.
    MessageBoxWatch boxes;
    qunsetenv("WSPROBE_NO_DIALOGS");
    const bool opened = window.openScenario(path);
    qputenv("WSPROBE_NO_DIALOGS", "1");
    QVERIFY(!opened);
    QCOMPARE(boxes.seen(), 0);
    QVERIFY(!anyMessageBox());
    QVERIFY(!window.currentScenarioView());
    QPointer<ScenarioErrorView> errorView = qobject_cast<ScenarioErrorView *>(tabs->currentWidget());
    QVERIFY(errorView);
    QCOMPARE(tabs->tabText(tabs->currentIndex()), u"broken.json"_s);
    auto *errors = errorView->findChild<QPlainTextEdit *>(u"scenarioErrors"_s);
    QVERIFY(errors->font().fixedPitch());
    QVERIFY2(errors->toPlainText().startsWith(path + u":2:15: "_s), qPrintable(errors->toPlainText()));

    // Opened again, from a menu or a drop: the same tab.
    QVERIFY(!window.openScenario(path));
    QCOMPARE(tabs->count(), 1);
    QCOMPARE(tabs->currentWidget(), errorView.data());

    // Reloaded while still broken: the new error, in the same tab.
    writeFile(path, "{ \"wsprobe\": 1,\n  \"name\": \"b\",\n  \"clients\": {},\n  \"stpes\": [] }\n");
    QTest::mouseClick(errorView->findChild<QPushButton *>(u"reloadScenario"_s), Qt::LeftButton);
    QVERIFY(errorView);
    QVERIFY2(errors->toPlainText().contains(path + u":4:3: "_s), qPrintable(errors->toPlainText()));

    // Fixed in an editor, then Reload: the tab becomes the scenario's run view, in its place.
    writeFile(path, "{ \"wsprobe\": 1, \"name\": \"fixed\", \"clients\": { \"a\": { \"url\": \"ws://127.0.0.1:1/\" } }, \"steps\": [] }");
    QTest::mouseClick(errorView->findChild<QPushButton *>(u"reloadScenario"_s), Qt::LeftButton);
    QVERIFY(window.currentScenarioView());
    QCOMPARE(window.currentScenarioView()->title(), u"fixed"_s);
    QCOMPARE(tabs->count(), 1);
    QCOMPARE(tabs->tabText(0), u"fixed"_s);
    QTRY_VERIFY_WITH_TIMEOUT(errorView.isNull(), Timeout);
    QCOMPARE(window.recentFiles().value(0), QFileInfo(path).absoluteFilePath());
    QVERIFY(!anyMessageBox());
}

void TestMainWindow::dropsScenarioFiles()
{
    MainWindow window(m_demo.url());
    window.show();
    const QString path = m_dir.filePath(u"dropped.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ \"wsprobe\": 1, \"name\": \"dropped\", \"clients\": { \"a\": { \"url\": \"ws://127.0.0.1:1/\" } }, \"steps\": [] }");
    file.close();
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(window.currentScenarioView());
    QCOMPARE(window.currentScenarioView()->title(), u"dropped"_s);
}

void TestMainWindow::remembersRecentFiles()
{
    const QString path = m_dir.filePath(u"recent.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ \"wsprobe\": 1, \"name\": \"recent\", \"clients\": { \"a\": { \"url\": \"ws://127.0.0.1:1/\" } }, \"steps\": [] }");
    file.close();
    {
        MainWindow window(m_demo.url());
        QVERIFY(window.openScenario(path));
        window.close();  // saves the settings
    }
    MainWindow again(m_demo.url());
    QCOMPARE(again.recentFiles().value(0), QFileInfo(path).absoluteFilePath());
}

// A window that is killed never reaches closeEvent(): what it remembers has to be on disk
// already. Read from a copy of the file, since QSettings objects in one process share what
// they have not written yet.
void TestMainWindow::writesWhatItRemembersWithoutWaitingForExit()
{
    const QString settingsFile = QSettings().fileName();
    const QString copy = m_dir.filePath(u"settings-copy.conf"_s);
    const auto onDisk = [&](const QString &key) {
        QFile::remove(copy);
        if (!QFile::copy(settingsFile, copy))
            return QVariant();
        return QSettings(copy, QSettings::IniFormat).value(key);
    };
    const QString path = m_dir.filePath(u"written.json"_s);
    writeFile(path, "{ \"wsprobe\": 1, \"name\": \"written\", \"clients\": { \"a\": { \"url\": \"ws://127.0.0.1:1/\" } }, \"steps\": [] }");
    const QUrl url(u"ws://127.0.0.1:1/written-while-running"_s);

    MainWindow window(m_demo.url());
    QVERIFY(window.openScenario(path));
    window.workspacePanel()->historyModel()->addEntry(url, QDateTime::currentDateTime(), u"1000 Normal Closure"_s);
    QTRY_VERIFY_WITH_TIMEOUT(onDisk(u"files/recent"_s).toStringList().value(0) == QFileInfo(path).absoluteFilePath(), 3000);
    QTRY_VERIFY_WITH_TIMEOUT(HistoryModel::fromSettings(onDisk(u"history"_s)).value(0).url == url, 3000);
    window.close();
}

// The environment picked in the sidebar is the one picked at the next start, written as soon as
// it is picked; one whose file is gone by then is not.
void TestMainWindow::remembersThePickedEnvironment()
{
    QTemporaryDir workspace;
    QVERIFY(workspace.isValid());
    const QString staging = workspace.filePath(u"staging.env.json"_s);
    writeFile(staging, R"({ "baseUrl": "ws://127.0.0.1:1" })");
    writeFile(workspace.filePath(u"local.env.json"_s), R"({ "baseUrl": "ws://127.0.0.1:2" })");
    const QString expected = QFileInfo(staging).absoluteFilePath();
    {
        MainWindow window(m_demo.url());
        window.setWorkspace(workspace.path());
        QVERIFY(window.workspacePanel()->environmentEditor()->setActiveFile(staging));
        // Written without waiting for exit, like the rest (a killed window keeps it).
        QTRY_COMPARE_WITH_TIMEOUT(QSettings().value(u"workspace/environment"_s).toString(), expected, 3000);
        window.close();
    }
    {
        MainWindow again(m_demo.url());
        QCOMPARE(again.workspacePanel()->environmentEditor()->activeFile(), expected);
        auto *picker = again.workspacePanel()->environmentEditor()->findChild<QComboBox *>();
        QVERIFY(picker);
        QCOMPARE(picker->currentText(), u"staging"_s);
        again.close();
    }
    QVERIFY(QFile::remove(staging));
    MainWindow withoutIt(m_demo.url());
    QCOMPARE(withoutIt.workspacePanel()->environmentEditor()->activeFile(), QString());
    withoutIt.close();
}

void TestMainWindow::exportsTheLogOrTheSelectedRows()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    QVERIFY(showAndEcho(window, view, u"exported"_s));
    QVERIFY(window.findChild<QAction *>(u"exportLogAction"_s));
    const auto exportTo = [&](const QString &path) {
        FrameLogExportTask *task = window.exportLog(view, path);
        if (!task)
            return false;
        QSignalSpy finished(task, &FrameLogExportTask::finished);
        return finished.wait(Timeout) && finished.at(0).at(0).toBool();
    };
    const QString all = m_dir.filePath(u"all.jsonl"_s);
    QVERIFY(exportTo(all));
    QFile file(all);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), view->session()->log()->size());
    QVERIFY(window.statusBar()->currentMessage().contains(u"all.jsonl"_s));

    // With a row selected, only that row.
    QTableView *table = view->logView()->table();
    QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() >= 3, Timeout);
    table->selectRow(table->model()->rowCount() - 1);
    const QString picked = m_dir.filePath(u"picked.csv"_s);
    QVERIFY(exportTo(picked));
    QFile csv(picked);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = csv.readAll().split('\n');
    QCOMPARE(rows.size(), 3);  // the header, the row, and the end of the last line
    QVERIFY2(rows[1].endsWith(",exported\r"), rows[1].constData());

    QVERIFY(!window.exportLog(view, u"/nonexistent-folder-of-wsprobe/x.jsonl"_s));
    QVERIFY(window.statusBar()->currentMessage().startsWith(u"Export failed: /nonexistent-folder-of-wsprobe/x.jsonl: "_s));
}

void TestMainWindow::cancellingAnExportLeavesNoFile()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    FrameLog *log = view->session()->log();
    for (int i = 0; i < 400'000; ++i) {
        FrameEvent event = makeFrameEvent(EventKind::Text, Direction::Incoming);
        event.text = u"a message long enough to take a while to write out, a while"_s;
        log->append(std::move(event));
    }
    const QString path = m_dir.filePath(u"cancelled.har"_s);
    FrameLogExportTask *task = window.exportLog(view, path);
    QVERIFY(task);
    QSignalSpy finished(task, &FrameLogExportTask::finished);
    // The dialog shows once the export has run a moment; its Cancel stops it.
    QProgressDialog *progress = nullptr;
    QVERIFY(QTest::qWaitFor([&] {
        progress = window.findChild<QProgressDialog *>();
        return progress && progress->isVisible();
    }, Timeout));
    QVERIFY(task->exporter()->isBusy());
    QPushButton *cancel = progress->findChild<QPushButton *>();
    QVERIFY(cancel);
    cancel->click();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QVERIFY(!QFile::exists(path));
    QCOMPARE(QDir(m_dir.path()).entryList({u"cancelled*"_s}, QDir::Files | QDir::Hidden), QStringList());
    QCOMPARE(window.statusBar()->currentMessage(), u"Export cancelled: no file written."_s);
    QTRY_VERIFY_WITH_TIMEOUT(!window.findChild<QProgressDialog *>(), Timeout);  // the task is gone
}

void TestMainWindow::importsAHarAsAnUnsavedScenario()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    QVERIFY(showAndEcho(window, view, u"{\"hello\":\"again\",\"id\":1}"_s));
    const QString har = m_dir.filePath(u"session.har"_s);
    FrameLogExportTask *task = window.exportLog(view, har);
    QVERIFY(task);
    QSignalSpy finished(task, &FrameLogExportTask::finished);
    QVERIFY(finished.wait(Timeout));

    // Dropped onto the window, the HAR opens as a scenario: unsaved, not run until asked.
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(har)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    ScenarioRunView *imported = window.currentScenarioView();
    QVERIFY(imported);
    QCOMPARE(imported->title(), u"Imported from session.har"_s);
    QVERIFY(imported->scenario().filePath.isEmpty());
    QVERIFY(!imported->isRunning());
    QCOMPARE(window.unsavedReplayCount(), 1);
    QCOMPARE(imported->stepModel()->stepCount(), 3);  // connect, send, expect
    imported->run();
    QTRY_VERIFY_WITH_TIMEOUT(!imported->isRunning(), Timeout);
    QCOMPARE(imported->findChild<QLabel *>(u"runVerdict"_s)->text(), u"Passed"_s);

    // A broken HAR says where, and opens nothing.
    const QString broken = QStringLiteral(WSPROBE_SOURCE_DIR "/tests/core/exchange/data/broken-trailing-comma.har");
    const int tabs = window.findChildren<ScenarioRunView *>().size();
    QVERIFY(!window.importCapture(broken));
    QVERIFY2(window.statusBar()->currentMessage().contains(broken + u":3:72: "_s),
             qPrintable(window.statusBar()->currentMessage()));
    QCOMPARE(window.findChildren<ScenarioRunView *>().size(), tabs);
    QVERIFY(window.findChild<QAction *>(u"importHarAction"_s));
}

QTEST_MAIN(TestMainWindow)

// The environment picked in the sidebar when Run is pressed is the one a run uses, whichever was
// picked when the tab was opened; the header says which, and where the first client connects.
void TestMainWindow::scenarioRunsWithTheEnvironmentPickedAtRunTime()
{
    QTemporaryDir workspace;
    QVERIFY(workspace.isValid());
    const QString scenarioPath = workspace.filePath(u"echo.json"_s);
    writeFile(scenarioPath, R"({ "wsprobe": 1, "name": "echo", "stepTimeout": 3000,
        "clients": { "a": { "url": "{{baseUrl}}/echo" } },
        "steps": [ { "connect": "a" }, { "send": "a", "text": "hi" },
                   { "expect": "a", "match": { "text": "hi" } }, { "close": "a" } ] })");
    const QString dead = workspace.filePath(u"dead.env.json"_s);
    writeFile(dead, R"({ "baseUrl": "ws://127.0.0.1:1" })");
    const QString demo = workspace.filePath(u"demo.env.json"_s);
    writeFile(demo, QJsonDocument(QJsonObject{{u"baseUrl"_s, m_demo.url().toString()}}).toJson());

    MainWindow window(m_demo.url());
    window.show();
    window.setWorkspace(workspace.path());
    EnvironmentEditor *environments = window.workspacePanel()->environmentEditor();
    QVERIFY(environments->setActiveFile(dead));
    QVERIFY(window.openScenario(scenarioPath));
    ScenarioRunView *view = window.currentScenarioView();
    QVERIFY(view);
    auto *header = view->findChild<QLabel *>(u"runEnvironment"_s);
    QVERIFY(header);
    QCOMPARE(header->text(), u"Environment: dead · ws://127.0.0.1:1/echo"_s);

    // Picked after the tab was opened: shown at once, and used by Run.
    QVERIFY(environments->setActiveFile(demo));
    QCOMPARE(header->text(), u"Environment: demo · "_s + m_demo.url().toString() + u"/echo"_s);
    QSignalSpy finished(view, &ScenarioRunView::runFinished);
    QTest::mouseClick(view->findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, Timeout);
    QVERIFY2(finished[0][0].value<ScenarioResult>().passed,
             qPrintable(finished[0][0].value<ScenarioResult>().failureReport()));

    // And the other way: a new, empty environment leaves baseUrl undefined, and the run says so.
    QVERIFY(!environments->createEnvironment(u"empty"_s).isEmpty());
    QCOMPARE(header->text(), u"Environment: empty · {{baseUrl}}/echo (undefined: baseUrl)"_s);
    QTest::mouseClick(view->findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, Timeout);
    const ScenarioResult second = finished[1][0].value<ScenarioResult>();
    QVERIFY(!second.passed);
    QVERIFY2(second.failureReport().contains(u"baseUrl"_s), qPrintable(second.failureReport()));
}

// Ctrl+S on a replay tab saves the replayed scenario (it used to open a dialog and then say "The
// current tab is not a session"); on a scenario opened from its file there is nothing to save,
// and the window says so without a dialog.
void TestMainWindow::ctrlSSavesAReplayAndRefusesWhatCannotBeSaved()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    QVERIFY(showAndEcho(window, view, u"saved by ctrl+s"_s));
    QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    ScenarioRunView *replay = window.currentScenarioView();
    QVERIFY(replay);
    QTRY_VERIFY_WITH_TIMEOUT(!replay->isRunning(), Timeout);

    const QString path = m_dir.filePath(u"ctrl-s-replay.json"_s);
    qunsetenv("WSPROBE_NO_DIALOGS");
    {
        FileDialogWatch dialogs(path);
        MessageBoxWatch boxes;
        QTest::keySequence(&window, QKeySequence::Save);
        QCOMPARE(dialogs.seen(), 1);
        QCOMPARE(boxes.seen(), 0);
        QVERIFY2(replay->notice() == u"Saved to "_s + path, qPrintable(replay->notice()));
    }
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    QCOMPARE(loaded.scenario->steps.size(), replay->scenario().steps.size());

    // The saved file, opened: Ctrl+S has nothing to save and no dialog to show.
    QVERIFY(window.openScenario(path));
    QCOMPARE(window.currentScenarioView()->scenario().filePath, QFileInfo(path).absoluteFilePath());
    window.activateWindow();  // back from the dialog
    QVERIFY(QTest::qWaitForWindowActive(&window));
    {
        FileDialogWatch dialogs(path);
        MessageBoxWatch boxes;
        QTest::keySequence(&window, QKeySequence::Save);
        QTest::qWait(100);
        QCOMPARE(dialogs.seen(), 0);
        QCOMPARE(boxes.seen(), 0);
    }
    qputenv("WSPROBE_NO_DIALOGS", "1");
    QVERIFY2(window.statusBar()->currentMessage().startsWith(u"Nothing to save"_s),
             qPrintable(window.statusBar()->currentMessage()));
    view->session()->close(1000, {});
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Closed, Timeout);
}

void TestMainWindow::ctrlDConnectsFromTheParamsAndHeadersTables_data()
{
    QTest::addColumn<QString>("editor");
    QTest::newRow("Params") << u"paramsEditor"_s;
    QTest::newRow("Headers") << u"headersEditor"_s;
}

// Ctrl+D is Connect / Disconnect wherever the focus is; a table's Delete shortcut used to take
// it (QKeySequence::Delete binds Ctrl+D on Linux) and remove the selected row instead.
void TestMainWindow::ctrlDConnectsFromTheParamsAndHeadersTables()
{
    QFETCH(QString, editor);
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    SessionSettings settings = view->session()->settings();
    settings.query.append({u"room"_s, u"lobby"_s});
    settings.headers.append({u"X-Test"_s, u"1"_s});
    view->requestEditor()->setSettings(settings);

    auto *requestTabs = view->findChild<QTabWidget *>(u"requestTabs"_s);
    QWidget *keyValues = view->findChild<QWidget *>(editor);
    QVERIFY(requestTabs && keyValues);
    requestTabs->setCurrentWidget(keyValues);
    auto *table = keyValues->findChild<QTableView *>(u"table"_s);
    QVERIFY(table);
    const int rows = table->model()->rowCount();
    table->setFocus();
    table->selectRow(0);
    QTRY_VERIFY(table->hasFocus());

    QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_D));
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);
    QCOMPARE(table->model()->rowCount(), rows);
    table->setFocus();
    QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_D));
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Closed, Timeout);
    QCOMPARE(table->model()->rowCount(), rows);
}

// Ctrl+Q used to drop an unsaved replay without a word. Now the window asks (here the question
// is cancelled, as Escape would); a quit by signal does not ask.
void TestMainWindow::quittingWithAnUnsavedReplayAsksFirst()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    QVERIFY(showAndEcho(window, view, u"keep me"_s));
    QCOMPARE(window.unsavedReplayCount(), 0);
    ScenarioRunView *replay = window.replaySession(view);
    QVERIFY(replay);
    QTRY_VERIFY_WITH_TIMEOUT(!replay->isRunning(), Timeout);
    QCOMPARE(window.unsavedReplayCount(), 1);

    qunsetenv("WSPROBE_NO_DIALOGS");
    {
        MessageBoxWatch boxes;
        QVERIFY(!window.close());  // File > Quit (Ctrl+Q where the platform binds it) closes the window
        QCOMPARE(boxes.seen(), 1);
    }
    QVERIFY(window.isVisible());  // cancelled: nothing lost
    {
        MessageBoxWatch boxes;
        window.closeWithoutAsking();
        QCOMPARE(boxes.seen(), 0);
    }
    qputenv("WSPROBE_NO_DIALOGS", "1");
    QVERIFY(!window.isVisible());
}

#include "tst_mainwindow.moc"
