// The Artillery export, run by Artillery: wsprobe-run --export artillery writes the script, npm's
// artillery@2 runs it against the built-in demo server, and the server counts the connections
// and messages that arrived. Artillery is installed into <build>/npm by the first run (kept for
// the next ones); without npm or its registry the test is skipped, saying why.
#include "demoserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int InstallMs = 840'000;
constexpr int ArtilleryMs = 180'000;
constexpr int Users = 3;

const QString Scenario = uR"({
  "wsprobe": 1,
  "name": "Echo under load",
  "variables": { "greeting": "hello" },
  "clients": { "user": { "url": "{{demoUrl}}/echo", "headers": { "Authorization": "Bearer {{apiToken}}" } } },
  "steps": [
    { "connect": "user" },
    { "send": "user", "text": "{{greeting}} from artillery" },
    { "expect": "user", "match": { "text": "{{greeting}} from artillery" } },
    { "wait": 100 },
    { "ping": "user" },
    { "send": "user", "json": { "type": "bye", "n": 2 } },
    { "expect": "user", "match": { "jsonSubset": { "type": "bye" } } },
    { "close": "user" }
  ]
})"_s;

// Says why npm could not install, when the reason is the network: then the test is skipped.
bool looksOffline(const QString &output)
{
    for (const char *sign : {"ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET",
                             "ENETUNREACH", "EHOSTUNREACH", "network request", "ERR_SOCKET_TIMEOUT"}) {
        if (output.contains(QLatin1StringView(sign)))
            return true;
    }
    return false;
}

} // namespace

class TestArtillery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exportedScriptRuns();

private:
    QString m_artillery;
};

void TestArtillery::initTestCase()
{
    const QString prefix = QStringLiteral(WSPROBE_NPM_PREFIX);
    m_artillery = prefix + u"/node_modules/.bin/artillery"_s;
    if (QFile::exists(m_artillery))
        return;
    const QString npm = QStandardPaths::findExecutable(u"npm"_s);
    if (npm.isEmpty())
        QSKIP("npm is not installed: the Artillery export is checked by shape only (tst_loadexport)");
    QVERIFY(QDir().mkpath(prefix));
    QProcess install;
    install.setProcessChannelMode(QProcess::MergedChannels);
    // --ignore-scripts: Artillery's install scripts fetch browsers for its Playwright engine,
    // which a ws script never needs.
    QElapsedTimer timer;
    timer.start();
    install.start(npm, {u"install"_s, u"--prefix"_s, prefix, u"--no-audit"_s, u"--no-fund"_s,
                        u"--ignore-scripts"_s, u"--loglevel=error"_s, u"artillery@2"_s});
    if (!install.waitForFinished(InstallMs)) {
        install.kill();
        install.waitForFinished(5000);
        QSKIP("npm install artillery@2 did not finish in 14 minutes: is the registry reachable?");
    }
    const QString output = QString::fromUtf8(install.readAll());
    if (install.exitCode() != 0 && looksOffline(output)) {
        QSKIP(qPrintable(u"npm cannot reach its registry, so Artillery cannot be installed: "_s
                         + output.left(400)));
    }
    QVERIFY2(install.exitCode() == 0 && QFile::exists(m_artillery), qPrintable(output));
    qInfo("npm installed artillery@2 into %s in %lld s", qPrintable(prefix), timer.elapsed() / 1000);
}

void TestArtillery::exportedScriptRuns()
{
    wsprobe::DemoServer server;
    QVERIFY(server.listen());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString scenarioPath = dir.filePath(u"load.json"_s);
    const QString scriptPath = dir.filePath(u"load.yml"_s);
    {
        QFile file(scenarioPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(Scenario.toUtf8());
    }

    // The export, as a user runs it.
    QProcess exporter;
    exporter.start(QStringLiteral(WSPROBE_BINARY_DIR "/bin/wsprobe-run"),
                   {u"--export"_s, u"artillery"_s, scenarioPath, u"-o"_s, scriptPath,
                    u"--users"_s, QString::number(Users), u"--duration"_s, u"1s"_s,
                    u"--var"_s, u"demoUrl="_s + server.url().toString(),
                    u"--var"_s, u"apiToken=s3cret-value"_s});
    QVERIFY(exporter.waitForFinished(30000));
    const QString exportErrors = QString::fromUtf8(exporter.readAllStandardError());
    QVERIFY2(exporter.exitCode() == 0, qPrintable(exportErrors));
    // The ping has no Artillery equivalent: said on stderr and in the script.
    QVERIFY2(exportErrors.contains(u"not exported, Artillery cannot express it: load.json:"_s)
                     && exportErrors.contains(u"(ping user)"_s),
             qPrintable(exportErrors));
    QVERIFY(exportErrors.contains(u"set in the environment before running: apiToken"_s));
    QFile script(scriptPath);
    QVERIFY(script.open(QIODevice::ReadOnly));
    const QString yaml = QString::fromUtf8(script.readAll());
    QVERIFY2(yaml.contains(u"(ping user): Artillery's ws engine has no pings"_s), qPrintable(yaml));
    QVERIFY(!yaml.contains(u"s3cret-value"_s));

    // What arrives, counted by the server.
    QSignalSpy served(&server, &wsprobe::DemoServer::clientServed);
    QSignalSpy received(&server, &wsprobe::DemoServer::textMessageReceived);

    QProcess artillery;
    artillery.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"ARTILLERY_DISABLE_TELEMETRY"_s, u"true"_s);
    environment.insert(u"apiToken"_s, u"s3cret-value"_s);
    artillery.setProcessEnvironment(environment);
    const QString report = dir.filePath(u"report.json"_s);
    QElapsedTimer timer;
    timer.start();
    artillery.start(m_artillery, {u"run"_s, u"--output"_s, report, scriptPath});
    QVERIFY(artillery.waitForStarted(30000));
    // The demo server lives in this thread: keep its event loop turning while Artillery runs.
    QTRY_VERIFY_WITH_TIMEOUT(artillery.state() == QProcess::NotRunning, ArtilleryMs);
    const QString output = QString::fromUtf8(artillery.readAll());
    qInfo("artillery run took %lld ms", timer.elapsed());
    QVERIFY2(artillery.exitStatus() == QProcess::NormalExit && artillery.exitCode() == 0,
             qPrintable(output));

    QCOMPARE(served.size(), Users);
    for (const QList<QVariant> &connection : std::as_const(served))
        QCOMPARE(connection.at(0).toUrl().path(), u"/echo"_s);
    QStringList messages;
    for (const QList<QVariant> &message : std::as_const(received))
        messages.append(message.at(1).toString());
    QCOMPARE(messages.count(u"hello from artillery"_s), Users);
    QCOMPARE(messages.count(u"{\"n\":2,\"type\":\"bye\"}"_s), Users);  // keys as QJsonObject sorts them
    QCOMPARE(messages.size(), 2 * Users);

    // And Artillery agrees: every user finished, every check passed.
    QFile reportFile(report);
    QVERIFY(reportFile.open(QIODevice::ReadOnly));
    const QJsonObject counters = QJsonDocument::fromJson(reportFile.readAll())
                                         .object().value(u"aggregate"_s).toObject()
                                         .value(u"counters"_s).toObject();
    QVERIFY2(counters.value(u"vusers.completed"_s).toInt() == Users, qPrintable(output));
    QCOMPARE(counters.value(u"vusers.failed"_s).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestArtillery)
#include "tst_artillery.moc"
