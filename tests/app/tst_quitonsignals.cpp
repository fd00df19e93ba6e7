// QuitOnSignals in this process, and the real `wsprobe` killed with SIGTERM or SIGINT: it
// quits like File > Quit (exit status 0) and what it remembers is on disk before that, with
// settings kept in a temporary HOME and XDG_CONFIG_HOME so the user's own are never touched.

#include "demoserver.h"
#include "historymodel.h"
#include "quitonsignals.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <signal.h>
#include <sys/types.h>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;

QString guiBinary()
{
    return QStringLiteral(WSPROBE_BINARY_DIR "/bin/wsprobe");
}

} // namespace

class TestQuitOnSignals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signalBecomesQuitRequested_data();
    void signalBecomesQuitRequested();
    void onlyOneInstalledAtATime();
    void wsprobeKeepsHistoryAndExitsCleanly_data();
    void wsprobeKeepsHistoryAndExitsCleanly();
};

void TestQuitOnSignals::signalBecomesQuitRequested_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGINT") << SIGINT;
    QTest::newRow("SIGTERM") << SIGTERM;
}

void TestQuitOnSignals::signalBecomesQuitRequested()
{
    QFETCH(int, signalNumber);
    struct sigaction before = {};
    QCOMPARE(::sigaction(signalNumber, nullptr, &before), 0);
    QuitOnSignals quit;
    QVERIFY2(quit.install(), qPrintable(quit.errorString()));
    QSignalSpy requested(&quit, &QuitOnSignals::quitRequested);
    QCOMPARE(::raise(signalNumber), 0);
    // Delivered by the event loop, not inside the handler.
    QCOMPARE(requested.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(requested.count(), 1, Timeout);
    QCOMPARE(requested.first().first().toInt(), signalNumber);
    // The handler from before (here QTest's) is back for a second signal.
    struct sigaction current = {};
    QCOMPARE(::sigaction(signalNumber, nullptr, &current), 0);
    QVERIFY(current.sa_handler == before.sa_handler);
}

void TestQuitOnSignals::onlyOneInstalledAtATime()
{
    struct sigaction before = {};
    QCOMPARE(::sigaction(SIGTERM, nullptr, &before), 0);
    {
        QuitOnSignals first;
        QVERIFY(first.install());
        QuitOnSignals second;
        QVERIFY(!second.install());
        QVERIFY(!second.errorString().isEmpty());
    }
    // The first one gone, its handlers are undone and another can take over.
    struct sigaction current = {};
    QCOMPARE(::sigaction(SIGTERM, nullptr, &current), 0);
    QVERIFY(current.sa_handler == before.sa_handler);
    QuitOnSignals third;
    QVERIFY(third.install());
}

void TestQuitOnSignals::wsprobeKeepsHistoryAndExitsCleanly_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << SIGTERM;
    QTest::newRow("SIGINT") << SIGINT;
}

// Before, the history was written at a clean exit only, and SIGTERM killed wsprobe on the spot:
// its recent connections were lost.
void TestQuitOnSignals::wsprobeKeepsHistoryAndExitsCleanly()
{
    QFETCH(int, signalNumber);
    DemoServer demo;
    QVERIFY2(demo.listen(), qPrintable(demo.errorString()));
    // A connection the server ends at once: its end is what goes into the history.
    const QUrl url = demo.url().resolved(QUrl(u"/close?code=4001&reason=bye"_s));

    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString configHome = home.filePath(u"config"_s);
    const QString settingsFile = configHome + u"/wsprobe/wsprobe.conf"_s;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"HOME"_s, home.path());
    environment.insert(u"XDG_CONFIG_HOME"_s, configHome);
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    environment.insert(u"WSPROBE_NO_DIALOGS"_s, u"1"_s);

    QProcess wsprobe;
    wsprobe.setProcessEnvironment(environment);
    wsprobe.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    wsprobe.start(guiBinary(), {u"--no-demo"_s, u"--connect"_s, url.toString()});
    QVERIFY2(wsprobe.waitForStarted(Timeout), qPrintable(wsprobe.errorString()));
    const auto stopOnFailure = qScopeGuard([&wsprobe] {
        if (wsprobe.state() != QProcess::NotRunning) {
            wsprobe.kill();
            wsprobe.waitForFinished(Timeout);
        }
    });

    // Written while it runs, within the bound (a short debounce), no exit needed.
    const auto history = [&] {
        return HistoryModel::fromSettings(
                QSettings(settingsFile, QSettings::IniFormat).value(u"history"_s));
    };
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(!history().isEmpty(), Timeout);
    qInfo() << "history on disk" << clock.elapsed() << "ms after start";
    QCOMPARE(history().first().url, url);
    QVERIFY2(history().first().outcome.startsWith(u"4001"_s), qPrintable(history().first().outcome));
    QVERIFY(wsprobe.state() == QProcess::Running);

    QCOMPARE(::kill(pid_t(wsprobe.processId()), signalNumber), 0);
    clock.restart();
    QVERIFY(wsprobe.waitForFinished(Timeout));
    qInfo() << "exited" << clock.elapsed() << "ms after the signal";
    QCOMPARE(wsprobe.exitStatus(), QProcess::NormalExit);
    QCOMPARE(wsprobe.exitCode(), 0);
    // The clean quit wrote the rest too (only closeEvent writes the geometry), and kept the
    // history.
    QSettings settings(settingsFile, QSettings::IniFormat);
    QVERIFY(!settings.value(u"window/geometry"_s).toByteArray().isEmpty());
    QCOMPARE(history().value(0).url, url);
}

QTEST_MAIN(TestQuitOnSignals)
#include "tst_quitonsignals.moc"
