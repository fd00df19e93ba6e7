// The window's built-in demo server: it keeps its port, says so when it cannot, is
// {{demoUrl}} to every run, lets the shipped examples run as they are, and recordings made
// against it name it by that variable rather than by its port.
#include "environmenteditor.h"
#include "framelog.h"
#include "mainwindow.h"
#include "scenarioloader.h"
#include "scenariorunview.h"
#include "session.h"
#include "sessionview.h"
#include "workspacepanel.h"

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;

ScenarioResult runAndWait(ScenarioRunView *view)
{
    QSignalSpy finished(view, &ScenarioRunView::runFinished);
    QTest::mouseClick(view->findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
    if (!finished.wait(Timeout) && finished.isEmpty())
        return {};
    return finished.first().first().value<ScenarioResult>();
}

} // namespace

class TestMainWindowDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void demoServerTakesAnotherPortWhenItsOwnIsTakenAndSaysSo();
    void examplesRunAsShippedAgainstTheDemoServer_data();
    void examplesRunAsShippedAgainstTheDemoServer();
    void anEnvironmentsOwnDemoUrlWins();
    void recordingAgainstTheDemoServerSaysDemoUrl();

private:
    QTemporaryDir m_dir;
};

void TestMainWindowDemo::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("WSPROBE_NO_DIALOGS", "1");
    QVERIFY(m_dir.isValid());
}

// Scenarios, recent connections and environments saved against the demo server point at its
// port: a port that is taken must not stop the window, and must not go unnoticed either.
void TestMainWindowDemo::demoServerTakesAnotherPortWhenItsOwnIsTakenAndSaysSo()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const quint16 taken = squatter.serverPort();

    MainWindow window{QUrl()};
    QString error;
    QVERIFY2(window.startDemoServer(taken, &error), qPrintable(error));
    const QUrl url = window.demoServerUrl();
    QVERIFY(url.port() > 0);
    QVERIFY(url.port() != taken);
    const QString message = window.statusBar()->currentMessage();
    QVERIFY2(message.contains(QString::number(taken)) && message.contains(url.toString()),
             qPrintable(message));
    auto *status = window.findChild<QLabel *>(u"demoServerStatus"_s);
    QVERIFY(status);
    QCOMPARE(status->text(), u"Demo server: "_s + url.toString());
    // A new session goes there.
    QCOMPARE(window.newSession()->session()->settings().url, url.resolved(QUrl(u"/echo"_s)));
    QCOMPARE(window.builtInVariables().value(u"demoUrl"_s), url.toString());
    // Every environment sees it, and the sidebar says so.
    QCOMPARE(window.workspacePanel()->activeVariables().value(u"demoUrl"), url.toString());
    auto *builtIn = window.workspacePanel()->environmentEditor()->findChild<QLabel *>(u"builtInVariables"_s);
    QVERIFY(builtIn && !builtIn->isHidden());
    QCOMPARE(builtIn->text(), u"Built in: {{demoUrl}} = "_s + url.toString());

    // Port 0 asks for any free port: nothing to say.
    MainWindow any{QUrl()};
    QVERIFY(any.startDemoServer(0));
    QVERIFY(any.demoServerUrl().port() > 0);
    QVERIFY2(any.statusBar()->currentMessage().isEmpty(), qPrintable(any.statusBar()->currentMessage()));
}

void TestMainWindowDemo::examplesRunAsShippedAgainstTheDemoServer_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("echo") << u"01-echo.json"_s;
    QTest::newRow("sequence") << u"08-sequence.json"_s;
}

// Opened from the examples folder as the workspace, with no environment picked, as a new user
// does: they used to fail at once with "Undefined variable(s)".
void TestMainWindowDemo::examplesRunAsShippedAgainstTheDemoServer()
{
    QFETCH(QString, file);
    const QString examples = QStringLiteral(WSPROBE_SOURCE_DIR) + u"/examples"_s;
    MainWindow window{QUrl()};
    QVERIFY(window.startDemoServer(0));
    window.show();
    window.setWorkspace(examples);
    QVERIFY(window.workspacePanel()->environmentEditor() != nullptr);
    QVERIFY(window.openScenario(examples + u'/' + file));
    ScenarioRunView *view = window.currentScenarioView();
    QVERIFY(view);
    // The header shows where it will connect, not "(undefined: baseUrl)".
    const QString header = view->findChild<QLabel *>(u"runEnvironment"_s)->text();
    QVERIFY2(header.contains(window.demoServerUrl().toString() + u'/'), qPrintable(header));
    const ScenarioResult result = runAndWait(view);
    QVERIFY2(result.passed, qPrintable(result.failureReport()));
}

// demoUrl is built in, not imposed: an environment that defines it is obeyed.
void TestMainWindowDemo::anEnvironmentsOwnDemoUrlWins()
{
    QTemporaryDir workspace;
    QVERIFY(workspace.isValid());
    QFile::copy(QStringLiteral(WSPROBE_SOURCE_DIR) + u"/examples/01-echo.json"_s,
                workspace.filePath(u"echo.json"_s));
    const QString elsewhere = workspace.filePath(u"elsewhere.env.json"_s);
    QFile environment(elsewhere);
    QVERIFY(environment.open(QIODevice::WriteOnly));
    environment.write(R"({ "demoUrl": "ws://127.0.0.1:1" })");
    environment.close();

    MainWindow window{QUrl()};
    QVERIFY(window.startDemoServer(0));
    window.setWorkspace(workspace.path());
    QVERIFY(window.workspacePanel()->environmentEditor()->setActiveFile(elsewhere));
    QVERIFY(window.openScenario(workspace.filePath(u"echo.json"_s)));
    const QString header = window.currentScenarioView()->findChild<QLabel *>(u"runEnvironment"_s)->text();
    QCOMPARE(header, u"Environment: elsewhere · ws://127.0.0.1:1/echo"_s);
}

// A recording made against the demo server ran only until its port changed; it names the
// server by its variable now, and runs again in the window.
void TestMainWindowDemo::recordingAgainstTheDemoServerSaysDemoUrl()
{
    MainWindow window{QUrl()};
    QVERIFY(window.startDemoServer(0));
    SessionView *view = window.newSession();
    window.show();
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);
    view->session()->sendText(u"recorded against the demo"_s);
    QTRY_VERIFY_WITH_TIMEOUT(view->session()->log()->last().direction == Direction::Incoming
                                 && view->session()->log()->last().kind == EventKind::Text,
                             Timeout);
    view->session()->close(1000, u"done"_s);
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Closed, Timeout);

    const QString path = m_dir.filePath(u"demo-recording.json"_s);
    QStringList secrets;
    QString error;
    QVERIFY2(window.saveSessionAsScenario(path, &secrets, &error), qPrintable(error));
    QVERIFY(secrets.isEmpty());
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    QCOMPARE(loaded.scenario->clients.value(0).url, u"{{demoUrl}}/echo"_s);
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QVERIFY(!saved.readAll().contains(QByteArray::number(window.demoServerUrl().port())));

    QVERIFY(window.openScenario(path));
    const ScenarioResult result = runAndWait(window.currentScenarioView());
    QVERIFY2(result.passed, qPrintable(result.failureReport()));
}

QTEST_MAIN(TestMainWindowDemo)
#include "tst_mainwindowdemo.moc"
