// The window as a user drives it: tabs, split panes, scenarios opened, recorded and dropped.
#include "demoserver.h"
#include "framelog.h"
#include "mainwindow.h"
#include "scenarioloader.h"
#include "scenariorunview.h"
#include "session.h"
#include "sessionview.h"

#include <QMimeData>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tabsOpenAndClose();
    void splitAndMoveTabs();
    void recordsASessionAndOpensItAgain();
    void brokenScenarioIsRefusedWithItsPosition();
    void dropsScenarioFiles();
    void remembersRecentFiles();

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
    QTRY_VERIFY_WITH_TIMEOUT(view->session()->log()->last().direction == Direction::Incoming, Timeout);
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

void TestMainWindow::brokenScenarioIsRefusedWithItsPosition()
{
    MainWindow window(m_demo.url());
    const QString path = m_dir.filePath(u"broken.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ \"wsprobe\": 1,\n  \"name\": \"b\" \"clients\": {} }\n");
    file.close();
    QVERIFY(!window.openScenario(path));
    QVERIFY(!window.currentScenarioView());
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

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
