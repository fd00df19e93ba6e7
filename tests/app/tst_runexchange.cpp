// wsprobe-run as CI meets it: --log-dir keeps each client's frame log of a failing scenario (all
// of them with --log-all) and attaches it to the JUnit report; --secret-env values never reach
// the logs or the report; --import-har and --import-log write scenarios, and a broken capture
// says where it breaks.
#include "scenarioloader.h"
#include "wsprobeprogram.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using wsprobe::testing::ProgramRun;
using wsprobe::testing::readTextFile;
using wsprobe::testing::runWsprobeRun;
using wsprobe::testing::writeTextFile;

// An echo that passes, and one that fails on its expect; the failing one sends {{greeting}}, a
// name that is no secret by itself: only --secret-env makes it one.
void writeSuite(const QString &folder)
{
    QDir().mkpath(folder);
    writeTextFile(folder + u"/passes.json"_s, uR"({
  "wsprobe": 1, "name": "Echo passes",
  "clients": { "alice": { "url": "{{demoUrl}}/echo" } },
  "steps": [ { "connect": "alice" }, { "send": "alice", "text": "hi" },
             { "expect": "alice", "match": { "text": "hi" } }, { "close": "alice" } ]
})"_s);
    writeTextFile(folder + u"/fails.json"_s, uR"({
  "wsprobe": 1, "name": "Echo: fails / on purpose", "stepTimeout": 500,
  "clients": { "bob": { "url": "{{demoUrl}}/echo" }, "carol": { "url": "{{demoUrl}}/echo" } },
  "steps": [ { "connect": ["bob", "carol"] }, { "send": "bob", "text": "key={{greeting}}" },
             { "expect": "bob", "match": { "text": "something else" } } ]
})"_s);
}

} // namespace

class tst_RunExchange : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void logsOfFailuresAreAttached();
    void logAllKeepsEveryScenariosLogs();
    void importHarWritesAScenario();
    void brokenHarSaysWhere();
};

void tst_RunExchange::logsOfFailuresAreAttached()
{
    QTemporaryDir dir;
    writeSuite(dir.filePath(u"suite"_s));
    QVERIFY(writeTextFile(dir.filePath(u"secrets.env.json"_s), uR"({"greeting": "open-sesame-4242"})"_s));
    const QString logs = dir.filePath(u"logs"_s);
    const ProgramRun run = runWsprobeRun({dir.filePath(u"suite"_s), u"--with-demo"_s, u"--secret-env"_s,
                                dir.filePath(u"secrets.env.json"_s), u"--log-dir"_s, logs, u"-o"_s,
                                dir.filePath(u"report.xml"_s) + u",junitxml"_s, u"-o"_s, u"-,txt"_s},
                               dir.path());
    QCOMPARE(run.exitCode, 1);  // one scenario failed
    // The failing scenario's clients, each in a file named after the scenario and the client.
    const QStringList files = QDir(logs).entryList(QDir::Files, QDir::Name);
    QCOMPARE(files, QStringList({u"Echo_fails_on_purpose--bob.jsonl"_s, u"Echo_fails_on_purpose--carol.jsonl"_s}));
    const QString bob = readTextFile(logs + u"/Echo_fails_on_purpose--bob.jsonl"_s);
    const QStringList lines = bob.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY2(lines.size() >= 4, qPrintable(bob));  // upgrade, 101, the message, its echo, ...
    bool sawSent = false;
    for (const QString &line : lines) {
        const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
        QVERIFY2(!event.isEmpty(), qPrintable(line));
        if (event[u"kind"_s].toString() == "text"_L1 && event[u"direction"_s].toString() == "out"_L1) {
            sawSent = true;
            QCOMPARE(event[u"payload"_s].toString(), u"key=••••••"_s);  // the secret env's value, masked
        }
    }
    QVERIFY(sawSent);
    QVERIFY(!bob.contains(u"open-sesame"_s));

    const QString report = readTextFile(dir.filePath(u"report.xml"_s));
    QVERIFY2(report.contains(u"[[ATTACHMENT|"_s + QDir(logs).absoluteFilePath(u"Echo_fails_on_purpose--bob.jsonl"_s) + u"]]"_s),
             qPrintable(report));
    QVERIFY(report.contains(u"Echo_fails_on_purpose--carol.jsonl]]"_s));
    QCOMPARE(report.count(u"[[ATTACHMENT|"_s), 2);
    QVERIFY2(!report.contains(u"open-sesame"_s), qPrintable(report));
    QVERIFY2(!run.out.contains(u"open-sesame"_s), qPrintable(run.out));
}

void tst_RunExchange::logAllKeepsEveryScenariosLogs()
{
    QTemporaryDir dir;
    writeSuite(dir.filePath(u"suite"_s));
    const QString logs = dir.filePath(u"logs"_s);
    const ProgramRun run = runWsprobeRun({dir.filePath(u"suite"_s), u"--with-demo"_s, u"--var"_s, u"greeting=x"_s,
                                u"--log-dir"_s, logs, u"--log-all"_s, u"--jobs"_s, u"2"_s},
                               dir.path());
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(QDir(logs).entryList(QDir::Files, QDir::Name),
             QStringList({u"Echo_fails_on_purpose--bob.jsonl"_s, u"Echo_fails_on_purpose--carol.jsonl"_s,
                          u"Echo_passes--alice.jsonl"_s}));
    QVERIFY(run.out.contains(u"Echo_passes--alice.jsonl]]"_s));

    // An exported log imports as a scenario.
    const QString imported = dir.filePath(u"imported.json"_s);
    const ProgramRun import = runWsprobeRun({u"--import-log"_s, logs + u"/Echo_passes--alice.jsonl"_s, u"-o"_s, imported}, dir.path());
    QVERIFY2(import.exitCode == 0, qPrintable(import.err));
    const wsprobe::ScenarioLoader::Result loaded = wsprobe::ScenarioLoader::loadFile(imported);
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    QCOMPARE(loaded.scenario->steps.size(), 4);  // connect, send, expect, close
    QCOMPARE(loaded.scenario->steps[1].payload.text, u"hi"_s);

    QVERIFY(runWsprobeRun({dir.filePath(u"suite"_s), u"--log-all"_s}, dir.path()).exitCode == 2);
}

void tst_RunExchange::importHarWritesAScenario()
{
    QTemporaryDir dir;
    const QString har = QStringLiteral(WSPROBE_SOURCE_DIR "/tests/core/exchange/data/chrome-text.har");
    const QString output = dir.filePath(u"from-har.json"_s);
    const ProgramRun run = runWsprobeRun({u"--import-har"_s, har, u"--loose"_s, u"-o"_s, output}, dir.path());
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.contains(u"define before running (--var, --env or --secret-env): access_token, authorization"_s),
             qPrintable(run.err));
    const wsprobe::ScenarioLoader::Result loaded = wsprobe::ScenarioLoader::loadFile(output);
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    QCOMPARE(loaded.scenario->clients.size(), 1);
    QVERIFY(readTextFile(output).contains(u"\"jsonSubset\""_s));
    QVERIFY(!readTextFile(output).contains(u"abc.def.ghi"_s));

    // Without -o, to standard output.
    const ProgramRun toStdout = runWsprobeRun({u"--import-har"_s, har}, dir.path());
    QCOMPARE(toStdout.exitCode, 0);
    QVERIFY(toStdout.out.startsWith(u"{\n  \"wsprobe\": 1,"_s));
}

void tst_RunExchange::brokenHarSaysWhere()
{
    QTemporaryDir dir;
    const QString har = QStringLiteral(WSPROBE_SOURCE_DIR "/tests/core/exchange/data/broken-trailing-comma.har");
    const ProgramRun run = runWsprobeRun({u"--import-har"_s, har, u"-o"_s, dir.filePath(u"x.json"_s)}, dir.path());
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith(har + u":3:72: "_s), qPrintable(run.err));
    QVERIFY(!QFile::exists(dir.filePath(u"x.json"_s)));
    QCOMPARE(runWsprobeRun({u"--import-har"_s, har, u"--import-log"_s, har}, dir.path()).exitCode, 2);
}

QTEST_GUILESS_MAIN(tst_RunExchange)
#include "tst_runexchange.moc"
