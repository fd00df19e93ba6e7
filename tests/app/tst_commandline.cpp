// The programs' command lines as a shell user meets them: --help and --version answer and exit
// with 0 even where there is no display (over ssh, in CI), instead of aborting.
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answersWithoutADisplay_data();
    void answersWithoutADisplay();
    void demoPortForTheRunner();
};

void TestCommandLine::answersWithoutADisplay_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("expected");
    for (const QString &program : {u"wsprobe"_s, u"wsprobe-run"_s}) {
        QTest::addRow("%s --help", qPrintable(program)) << program << u"--help"_s << u"Usage: "_s;
        QTest::addRow("%s --version", qPrintable(program)) << program << u"--version"_s
                                                           << QStringLiteral(WSPROBE_VERSION);
    }
    QTest::addRow("wsprobe --help: the demo port") << u"wsprobe"_s << u"--help"_s << u"--demo-port <N>"_s;
    QTest::addRow("wsprobe --help: its default") << u"wsprobe"_s << u"--help"_s << u"default 61800"_s;
    QTest::addRow("wsprobe-run --help: the demo port") << u"wsprobe-run"_s << u"--help"_s << u"--demo-port N"_s;
}

// wsprobe-run --with-demo --demo-port N: the demo server where it is asked to be, {{demoUrl}}
// for the scenarios; --demo-port without a demo server is a mistake, said as one.
void TestCommandLine::demoPortForTheRunner()
{
    const QString runner = QStringLiteral(WSPROBE_BINARY_DIR "/bin/wsprobe-run");
    const QString echo = QStringLiteral(WSPROBE_SOURCE_DIR "/tests/suite/scenarios/echo.json");
    QProcess process;
    process.start(runner, {echo, u"--with-demo"_s, u"--demo-port"_s, u"0"_s});
    QVERIFY2(process.waitForFinished(60000), "wsprobe-run did not finish within 60 s");
    QVERIFY2(process.exitCode() == 0, process.readAllStandardOutput().constData());

    process.start(runner, {echo, u"--demo-port"_s, u"0"_s});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(process.readAllStandardError().contains("--demo-port goes with --with-demo"));

    process.start(runner, {echo, u"--with-demo"_s, u"--demo-port"_s, u"70000"_s});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 2);
}

void TestCommandLine::answersWithoutADisplay()
{
    QFETCH(QString, program);
    QFETCH(QString, option);
    QFETCH(QString, expected);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"DISPLAY"_s);
    environment.remove(u"WAYLAND_DISPLAY"_s);
    environment.remove(u"QT_QPA_PLATFORM"_s);  // the default platform, which needs a display
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(WSPROBE_BINARY_DIR "/bin/") + program, {option});
    QVERIFY2(process.waitForFinished(20000), "the program did not finish within 20 s");
    const QString output = QString::fromUtf8(process.readAllStandardOutput());
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, qPrintable(QString::fromUtf8(process.readAllStandardError())));
    QVERIFY2(output.contains(expected), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
